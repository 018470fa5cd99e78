// Filesystem steps of the clone3 child: resolving and creating paths inside the container's
// root without ever leaving it (openat2 RESOLVE_IN_ROOT), and setting mount attributes.
// Allocation-free; each returns -1 with errno on failure.
#pragma once

#include <sys/types.h>

namespace cradle::ns {

enum class CreateAs { kDirectory, kFile };

// Opens `path` (absolute, as the container sees it) below root_fd as an O_PATH fd, creating the
// missing directories on the way and, if missing, the last component as a directory or an empty
// file. Symlinks are followed, but always inside root_fd; magic links are refused.
int open_in_root(int root_fd, const char* path, CreateAs last);

// Opens the parent directory of `path` below root_fd (creating it if missing) and points *name
// at the last component of `path`.
int open_parent_in_root(int root_fd, const char* path, const char** name);

// mount_setattr(2) on a mount fd: set/clear MOUNT_ATTR_* and optionally the propagation.
int set_mount_attr(int mount_fd, unsigned set, unsigned clear, unsigned long propagation,
                   bool recursive);
int set_mount_attr_at(int dir_fd, const char* path, unsigned set);

}  // namespace cradle::ns
