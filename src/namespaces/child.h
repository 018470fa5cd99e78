// The code that runs in a freshly cloned process, between clone3 and execve. It walks a plan the
// parent built, with raw syscalls only: no allocation, no locks, no exceptions, because the
// parent may have had other threads holding malloc's or stdio's locks at the moment of the clone.
// Every failure is reported over the handoff socket as {stage, index, errno} and ends the child.
#pragma once

#include "namespaces/start_plan.h"

namespace cradle::ns {

// The container's init: namespaces, rootfs, mounts, devices, pivot_root, then the process.
[[noreturn]] void run_init_child(const StartPlan& plan, int handoff_fd);

// A process exec'd into the container whose init is init_pidfd.
[[noreturn]] void run_exec_child(const ExecPlan& plan, int init_pidfd, int handoff_fd);

}  // namespace cradle::ns
