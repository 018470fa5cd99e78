// The shim binary's `delete` action (reference §2.5): containerd runs it every time its
// connection to a shim closes, also after a normal Delete and when the shim died. It cleans up
// what may be left, by cgroup (never by a pid read from a file, which may be reused by now), and
// prints a DeleteResponse.
#pragma once

#include "shim/shim_flags.h"

namespace cradle::shim {

int delete_shim(const ShimFlags& flags);

}  // namespace cradle::shim
