// The last part of any process the shim starts in a container (the init after its rootfs is
// built, or an exec'd process after joining the namespaces): limits, cwd, identity, capabilities,
// seccomp, and execve. Allocation-free, like everything that runs between clone3 and execve.
#pragma once

#include "namespaces/child_handoff.h"
#include "namespaces/start_plan.h"

namespace cradle::ns {

// The first steps of every child: non-dumpable while it is still the host's binary, stdio in
// place, every other fd close-on-exec, a session of its own, default signal dispositions and an
// empty mask whatever the shim had, umask 0 for the setup.
void begin_child(const ProcessPlan& process, const ChildHandoff& handoff);

// Reports kReady (passing pty_master if >= 0), waits for kGo, then drops into the process.
[[noreturn]] void exec_process(const ProcessPlan& process, const ChildHandoff& handoff,
                               int pty_master);

}  // namespace cradle::ns
