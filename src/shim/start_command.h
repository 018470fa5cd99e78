// The shim binary's `start` action, as containerd runs it (reference §2.2): listen on the shim's
// socket, write the address into the bundle, leave a daemon serving the task API, and print
// only `unix://<path>`.
#pragma once

#include "shim/shim_flags.h"

namespace cradle::shim {

// Returns the exit code: in the `start` process after printing the address; in the forked daemon
// after it has served its last container.
int start_shim(const ShimFlags& flags);

}  // namespace cradle::shim
