// Checks, before anything is created, that a path inside a rootfs does not go through a symlink
// that points out of it ("../../../etc", "/../.."). The child resolves mount destinations with
// openat2(RESOLVE_IN_ROOT), which would silently clamp such a link to the rootfs; an image that
// carries one is refused instead, with the link named.
#pragma once

#include <optional>
#include <string>

namespace cradle::ns {

struct EscapingSymlink {
  std::string link;    // as the container sees it: "/data"
  std::string target;  // what it points to: "../../../tmp"
};

// `path` is absolute and clean (no ".." components). Components that do not exist yet end the
// walk: the runtime creates them as plain directories. Throws Error on a symlink loop.
std::optional<EscapingSymlink> find_escaping_symlink(const std::string& rootfs,
                                                     const std::string& path);

}  // namespace cradle::ns
