// Validation of an OCI linux.cgroupsPath for cradle's cgroupfs manager.
#pragma once

#include <string>
#include <string_view>

namespace cradle::cgroups {

// Returns the path relative to the cgroup v2 root: "/a/b" (absolute, which OCI defines as relative
// to the cgroup mount) and "a/b" both give "a/b". Throws kInvalidArgument for an empty path, the
// root itself, an empty, "." or ".." component, a newline, or a systemd "slice:prefix:name" path.
std::string normalize_cgroups_path(std::string_view cgroups_path);

}  // namespace cradle::cgroups
