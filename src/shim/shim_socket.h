// Where a shim listens. Like the runc shim, a path derived from containerd's address, the
// namespace and the container id, so two containerd instances never collide; unlike it, under
// /run/cradle/s. Filesystem sockets only (abstract ones are reachable from any process in the
// host's network namespace: CVE-2020-15257), mode 0600, short enough for sun_path.
#pragma once

#include <string>

#include "base/unique_fd.h"
#include "shim/shim_flags.h"

namespace cradle::shim {

inline constexpr const char* kShimSocketDir = "/run/cradle/s";

std::string shim_socket_path(const ShimFlags& flags);

// A listening unix stream socket at path, mode 0600 (a stale socket file is replaced).
UniqueFd listen_unix(const std::string& path);

// Whether something accepts connections at path (a live shim of the same group).
bool unix_socket_alive(const std::string& path);

}  // namespace cradle::shim
