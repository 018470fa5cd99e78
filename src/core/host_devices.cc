#include "core/host_devices.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <memory>
#include <string_view>

#include "base/error.h"

namespace cradle {

namespace {

constexpr std::array<std::string_view, 7> kSkippedDirs = {"pts",  "shm",         "fd",   "mqueue",
                                                          ".lxc", ".lxd-mounts", ".udev"};

struct DirCloser {
  void operator()(DIR* dir) const { ::closedir(dir); }
};

// dir_fd is consumed (closedir closes it).
void walk(int dir_fd, const std::string& dir_path, const std::string& container_dir,
          nlohmann::json& out) {
  std::unique_ptr<DIR, DirCloser> dir(::fdopendir(dir_fd));
  if (!dir) {
    ::close(dir_fd);
    throw_errno("--privileged: list the host's " + dir_path);
  }
  while (dirent* entry = ::readdir(dir.get())) {
    std::string_view name = entry->d_name;
    if (name == "." || name == "..") continue;
    const std::string host_path = dir_path + "/" + entry->d_name;
    const std::string path = container_dir + "/" + entry->d_name;
    struct stat st;
    if (::fstatat(::dirfd(dir.get()), entry->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
      if (errno == ENOENT) continue;  // gone since readdir: udev at work
      throw_errno("--privileged: stat the host's " + host_path);
    }
    if (S_ISDIR(st.st_mode)) {
      if (std::ranges::find(kSkippedDirs, name) != kSkippedDirs.end()) continue;
      int sub = ::openat(::dirfd(dir.get()), entry->d_name,
                         O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      if (sub < 0 && errno == ENOENT) continue;
      if (sub < 0) throw_errno("--privileged: open the host's " + host_path);
      walk(sub, host_path, path, out);
      continue;
    }
    if (!S_ISCHR(st.st_mode) && !S_ISBLK(st.st_mode)) continue;
    if (path == "/dev/console") continue;
    out.push_back({{"type", S_ISBLK(st.st_mode) ? "b" : "c"},
                   {"path", path},
                   {"major", major(st.st_rdev)},
                   {"minor", minor(st.st_rdev)},
                   {"fileMode", st.st_mode & 07777},
                   {"uid", st.st_uid},
                   {"gid", st.st_gid}});
  }
}

}  // namespace

nlohmann::json host_devices(const std::string& dev_dir) {
  nlohmann::json devices = nlohmann::json::array();
  int fd = ::open(dev_dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) throw_errno("--privileged: open the host's " + dev_dir);
  walk(fd, dev_dir, "/dev", devices);
  return devices;
}

}  // namespace cradle
