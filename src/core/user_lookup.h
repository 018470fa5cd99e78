// Resolves a docker-style user ("uid", "uid:gid", "name", "name:group", or empty for root)
// against an image's /etc/passwd and /etc/group, with the rules of moby's user.GetExecUser, so a
// container runs as the same ids under cradle as under docker.
#pragma once

#include <sys/types.h>

#include <string>
#include <string_view>
#include <vector>

namespace cradle {

struct ResolvedUser {
  uid_t uid = 0;
  gid_t gid = 0;
  // The groups whose /etc/group member list names the user; only when no group was given.
  std::vector<gid_t> additional_gids;
  std::string home = "/";  // from /etc/passwd; "/" without an entry, as runc
};

// rootfs is the image's root directory; its etc/passwd and etc/group are read with openat2
// RESOLVE_IN_ROOT, so a symlink in the image can never lead to a host file. A missing file is an
// empty one (numeric ids still work). An empty rootfs means no files at all.
// A name with no entry throws kInvalidArgument `user "bob": no such user in the image`.
ResolvedUser resolve_user(const std::string& rootfs, std::string_view user);

}  // namespace cradle
