// The long-running shim: a child subreaper serving the task API on one event loop until
// Shutdown leaves it nothing to serve, or SIGTERM/SIGINT says so.
#pragma once

#include <string>

#include "base/unique_fd.h"
#include "shim/shim_flags.h"

namespace cradle::shim {

// Serves on `listener` (bound at socket_path, unlinked on the way out). Returns the exit code.
int serve_shim(const ShimFlags& flags, UniqueFd listener, const std::string& socket_path);

}  // namespace cradle::shim
