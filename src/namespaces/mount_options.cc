#include "namespaces/mount_options.h"

#include <sys/mount.h>

#include <string_view>

#include "base/error.h"

namespace cradle::ns {
namespace {

struct AttrOption {
  std::string_view name;
  unsigned set;
  unsigned clear;
};

// The mount-level flags (per mount point, not per filesystem).
constexpr AttrOption kAttrOptions[] = {
    {"ro", MOUNT_ATTR_RDONLY, 0},
    {"rw", 0, MOUNT_ATTR_RDONLY},
    {"nosuid", MOUNT_ATTR_NOSUID, 0},
    {"suid", 0, MOUNT_ATTR_NOSUID},
    {"nodev", MOUNT_ATTR_NODEV, 0},
    {"dev", 0, MOUNT_ATTR_NODEV},
    {"noexec", MOUNT_ATTR_NOEXEC, 0},
    {"exec", 0, MOUNT_ATTR_NOEXEC},
    {"noatime", MOUNT_ATTR_NOATIME, MOUNT_ATTR__ATIME},
    {"atime", MOUNT_ATTR_RELATIME, MOUNT_ATTR__ATIME},
    {"relatime", MOUNT_ATTR_RELATIME, MOUNT_ATTR__ATIME},
    {"norelatime", MOUNT_ATTR_RELATIME, MOUNT_ATTR__ATIME},
    {"strictatime", MOUNT_ATTR_STRICTATIME, MOUNT_ATTR__ATIME},
    {"nostrictatime", MOUNT_ATTR_RELATIME, MOUNT_ATTR__ATIME},
    {"nodiratime", MOUNT_ATTR_NODIRATIME, 0},
    {"diratime", 0, MOUNT_ATTR_NODIRATIME},
    {"nosymfollow", MOUNT_ATTR_NOSYMFOLLOW, 0},
    {"symfollow", 0, MOUNT_ATTR_NOSYMFOLLOW},
};

struct PropagationOption {
  std::string_view name;
  unsigned long flag;
  bool recursive;
};

constexpr PropagationOption kPropagationOptions[] = {
    {"shared", MS_SHARED, false},         {"rshared", MS_SHARED, true},
    {"slave", MS_SLAVE, false},           {"rslave", MS_SLAVE, true},
    {"private", MS_PRIVATE, false},       {"rprivate", MS_PRIVATE, true},
    {"unbindable", MS_UNBINDABLE, false}, {"runbindable", MS_UNBINDABLE, true},
};

bool apply_attr(std::string_view option, MountOptions& out) {
  for (const auto& a : kAttrOptions) {
    if (a.name != option) continue;
    out.attr_set = (out.attr_set & ~a.clear & ~a.set) | a.set;
    out.attr_clear = (out.attr_clear | a.clear) & ~a.set;
    if (a.clear == MOUNT_ATTR__ATIME) out.attr_clear |= MOUNT_ATTR__ATIME;
    return true;
  }
  return false;
}

bool apply_propagation(std::string_view option, MountOptions& out) {
  for (const auto& p : kPropagationOptions) {
    if (p.name != option) continue;
    out.propagation = p.flag;
    out.propagation_recursive = p.recursive;
    return true;
  }
  return false;
}

}  // namespace

MountOptions parse_mount_options(const std::vector<std::string>& options) {
  MountOptions out;
  for (const std::string& option : options) {
    if (option == "defaults" || option.empty()) continue;
    if (option == "bind" || option == "rbind") {
      out.bind = true;
      out.recursive = option == "rbind";
      continue;
    }
    if (apply_attr(option, out) || apply_propagation(option, out)) continue;
    if (option == "idmap" || option == "ridmap") {
      throw_invalid("mount option \"" + option + "\": idmapped mounts are not supported");
    }
    if (option == "remount") {
      throw_invalid("mount option \"remount\" is not supported in a container spec");
    }
    auto eq = option.find('=');
    if (eq == std::string::npos) {
      out.fs_options.emplace_back(option, "");
    } else {
      out.fs_options.emplace_back(option.substr(0, eq), option.substr(eq + 1));
    }
  }
  return out;
}

}  // namespace cradle::ns
