#include "namespaces/child_fs.h"

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstring>

#include "base/unique_fd.h"
#include "namespaces/raw_syscalls.h"

namespace cradle::ns {
namespace {

constexpr std::uint64_t kInRoot = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;

int open_path(int root_fd, const char* path) {
  return sys_openat2(root_fd, path, O_PATH | O_CLOEXEC, kInRoot);
}

// Creates `name` in `dir_fd` as asked; an entry that appeared meanwhile is fine.
int create_entry(int dir_fd, const char* name, CreateAs as) {
  if (as == CreateAs::kDirectory) {
    return (::mkdirat(dir_fd, name, 0755) == 0 || errno == EEXIST) ? 0 : -1;
  }
  int fd = ::openat(dir_fd, name, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (fd < 0) return errno == EEXIST ? 0 : -1;
  ::close(fd);
  return 0;
}

}  // namespace

int open_in_root(int root_fd, const char* path, CreateAs last) {
  int fd = open_path(root_fd, path);
  if (fd >= 0 || errno != ENOENT) return fd;

  // Walk the path one component at a time, creating what is missing. Each prefix is reopened
  // through root_fd, so a symlink in the image can redirect us only to somewhere in the root.
  char buf[PATH_MAX];
  std::size_t len = std::strlen(path);
  if (len >= sizeof buf) {
    errno = ENAMETOOLONG;
    return -1;
  }
  std::memcpy(buf, path, len + 1);
  UniqueFd parent(::fcntl(root_fd, F_DUPFD_CLOEXEC, 0));
  if (!parent) return -1;
  std::size_t pos = 0;
  while (pos < len) {
    while (pos < len && buf[pos] == '/')
      ++pos;
    if (pos == len) break;
    std::size_t end = pos;
    while (end < len && buf[end] != '/')
      ++end;
    bool is_last = true;
    for (std::size_t k = end; k < len; ++k) {
      if (buf[k] != '/') {
        is_last = false;
        break;
      }
    }
    char saved = buf[end];
    buf[end] = '\0';
    UniqueFd next(open_path(root_fd, buf));
    if (!next && errno == ENOENT) {
      if (create_entry(parent.get(), buf + pos, is_last ? last : CreateAs::kDirectory) < 0) {
        return -1;
      }
      next.reset(open_path(root_fd, buf));
    }
    if (!next) return -1;
    buf[end] = saved;
    parent = std::move(next);
    pos = end;
  }
  return parent.release();
}

int open_parent_in_root(int root_fd, const char* path, const char** name) {
  const char* slash = std::strrchr(path, '/');
  if (slash == nullptr || slash[1] == '\0') {
    errno = EINVAL;
    return -1;
  }
  *name = slash + 1;
  char dir[PATH_MAX];
  std::size_t dir_len = static_cast<std::size_t>(slash - path);
  if (dir_len >= sizeof dir) {
    errno = ENAMETOOLONG;
    return -1;
  }
  std::memcpy(dir, path, dir_len);
  dir[dir_len] = '\0';
  if (dir_len == 0) return ::fcntl(root_fd, F_DUPFD_CLOEXEC, 0);
  return open_in_root(root_fd, dir, CreateAs::kDirectory);
}

int set_mount_attr(int mount_fd, unsigned set, unsigned clear, unsigned long propagation,
                   bool recursive) {
  if (set == 0 && clear == 0 && propagation == 0) return 0;
  mount_attr attr{};
  attr.attr_set = set;
  attr.attr_clr = clear;
  attr.propagation = propagation;
  return ::mount_setattr(mount_fd, "", AT_EMPTY_PATH | (recursive ? AT_RECURSIVE : 0), &attr,
                         sizeof attr);
}

int set_mount_attr_at(int dir_fd, const char* path, unsigned set) {
  mount_attr attr{};
  attr.attr_set = set;
  return ::mount_setattr(dir_fd, path, 0, &attr, sizeof attr);
}

}  // namespace cradle::ns
