#include "namespaces/host_mount.h"

#include <fcntl.h>
#include <sys/mount.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <string_view>

#include "base/error.h"
#include "base/scope_guard.h"
#include "base/unique_fd.h"

namespace cradle::ns {
namespace {

struct FlagOption {
  std::string_view name;
  bool clear;
  unsigned long flag;
};

// containerd's table (mount/mount_linux.go): the option names of mount(8).
constexpr FlagOption kFlagOptions[] = {
    {"async", true, MS_SYNCHRONOUS},
    {"atime", true, MS_NOATIME},
    {"bind", false, MS_BIND},
    {"defaults", false, 0},
    {"dev", true, MS_NODEV},
    {"diratime", true, MS_NODIRATIME},
    {"dirsync", false, MS_DIRSYNC},
    {"exec", true, MS_NOEXEC},
    {"mand", false, MS_MANDLOCK},
    {"noatime", false, MS_NOATIME},
    {"nodev", false, MS_NODEV},
    {"nodiratime", false, MS_NODIRATIME},
    {"noexec", false, MS_NOEXEC},
    {"nomand", true, MS_MANDLOCK},
    {"norelatime", true, MS_RELATIME},
    {"nostrictatime", true, MS_STRICTATIME},
    {"nosuid", false, MS_NOSUID},
    {"rbind", false, MS_BIND | MS_REC},
    {"relatime", false, MS_RELATIME},
    {"remount", false, MS_REMOUNT},
    {"ro", false, MS_RDONLY},
    {"rw", true, MS_RDONLY},
    {"strictatime", false, MS_STRICTATIME},
    {"suid", true, MS_NOSUID},
    {"sync", false, MS_SYNCHRONOUS},
};

struct PropagationOption {
  std::string_view name;
  unsigned long flags;
};

constexpr PropagationOption kPropagationOptions[] = {
    {"private", MS_PRIVATE},       {"rprivate", MS_PRIVATE | MS_REC},
    {"shared", MS_SHARED},         {"rshared", MS_SHARED | MS_REC},
    {"slave", MS_SLAVE},           {"rslave", MS_SLAVE | MS_REC},
    {"unbindable", MS_UNBINDABLE}, {"runbindable", MS_UNBINDABLE | MS_REC},
};

bool apply_option(std::string_view option, MountCall& call) {
  for (const auto& f : kFlagOptions) {
    if (f.name != option) continue;
    call.flags = f.clear ? call.flags & ~f.flag : call.flags | f.flag;
    return true;
  }
  for (const auto& p : kPropagationOptions) {
    if (p.name != option) continue;
    call.propagation = p.flags;
    return true;
  }
  return false;
}

std::string describe(const HostMount& m, const std::string& target) {
  return "mount " + m.type + " " + m.source + " on " + target;
}

// The kernel takes at most a page of mount data. An overlay of many layers goes over it; like
// containerd, mount from the layers' common parent directory with the lowerdirs made relative.
std::string common_directory(const std::vector<std::string>& paths) {
  if (paths.empty()) return {};
  std::string prefix = paths[0].substr(0, paths[0].rfind('/') + 1);
  for (const auto& p : paths) {
    while (!p.starts_with(prefix))
      prefix = prefix.substr(0, prefix.rfind('/', prefix.size() - 2) + 1);
  }
  return prefix;
}

std::string compact_lowerdirs(const std::string& data, std::string& chdir_to) {
  std::vector<std::string> options;
  std::size_t pos = 0;
  while (pos <= data.size()) {
    std::size_t end = data.find(',', pos);
    if (end == std::string::npos) end = data.size();
    options.push_back(data.substr(pos, end - pos));
    pos = end + 1;
  }
  for (auto& option : options) {
    if (!option.starts_with("lowerdir=")) continue;
    std::vector<std::string> dirs;
    std::string list = option.substr(9);
    for (std::size_t p = 0; p <= list.size();) {
      std::size_t e = list.find(':', p);
      if (e == std::string::npos) e = list.size();
      dirs.push_back(list.substr(p, e - p));
      p = e + 1;
    }
    chdir_to = common_directory(dirs);
    if (chdir_to.size() <= 1) return data;
    option = "lowerdir=";
    for (std::size_t i = 0; i < dirs.size(); ++i) {
      option += (i ? ":" : "") + dirs[i].substr(chdir_to.size());
    }
  }
  std::string out;
  for (std::size_t i = 0; i < options.size(); ++i)
    out += (i ? "," : "") + options[i];
  return out;
}

void mount_one(const HostMount& m, const std::string& target) {
  if (m.type == "loop" ||
      std::find(m.options.begin(), m.options.end(), "loop") != m.options.end()) {
    throw Error(ErrorCode::kUnimplemented, describe(m, target) + ": loop mounts are not supported");
  }
  MountCall call = mount_call_for(m);
  const long page = ::sysconf(_SC_PAGESIZE);
  std::string chdir_to;
  std::string data = call.data;
  if (m.type == "overlay" && static_cast<long>(data.size()) >= page) {
    data = compact_lowerdirs(data, chdir_to);
  }
  UniqueFd cwd;
  if (!chdir_to.empty()) {
    cwd = UniqueFd(::open(".", O_PATH | O_DIRECTORY | O_CLOEXEC));
    if (!cwd || ::chdir(chdir_to.c_str()) != 0)
      throw_errno(describe(m, target) + ": chdir " + chdir_to);
  }
  ScopeGuard back([&cwd] {
    if (cwd && ::fchdir(cwd.get()) != 0) std::abort();  // the shim's cwd is its bundle
  });
  unsigned long flags = call.flags & ~MS_REMOUNT;
  if (::mount(m.source.c_str(), target.c_str(), m.type.c_str(), flags,
              data.empty() ? nullptr : data.c_str()) != 0) {
    throw_errno(describe(m, target));
  }
  if (call.readonly_bind &&
      ::mount("", target.c_str(), nullptr, MS_REMOUNT | MS_BIND | MS_RDONLY | (flags & MS_REC),
              nullptr) != 0) {
    throw_errno(describe(m, target) + ": remount read-only");
  }
  if (call.propagation != 0 &&
      ::mount("", target.c_str(), nullptr, call.propagation, nullptr) != 0) {
    throw_errno(describe(m, target) + ": set propagation");
  }
}

}  // namespace

MountCall mount_call_for(const HostMount& mount) {
  MountCall call;
  std::string data;
  for (const auto& option : mount.options) {
    if (apply_option(option, call)) continue;
    data += (data.empty() ? "" : ",") + option;
  }
  call.data = std::move(data);
  call.readonly_bind = (call.flags & MS_BIND) && (call.flags & MS_RDONLY);
  return call;
}

void mount_all(const std::vector<HostMount>& mounts, const std::string& target) {
  std::size_t mounted = 0;
  ScopeGuard undo([&] {
    for (; mounted > 0; --mounted)
      ::umount2(target.c_str(), MNT_DETACH);
  });
  for (const auto& m : mounts) {
    mount_one(m, target);
    ++mounted;
  }
  undo.dismiss();
}

void unmount_all(const std::string& target) {
  for (;;) {
    if (::umount2(target.c_str(), MNT_DETACH | UMOUNT_NOFOLLOW) == 0) continue;
    if (errno == EINVAL || errno == ENOENT) return;  // nothing (more) mounted there
    throw_errno("unmount " + target);
  }
}

}  // namespace cradle::ns
