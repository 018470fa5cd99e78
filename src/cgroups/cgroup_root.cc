#include "cgroups/cgroup_root.h"

#include <optional>
#include <vector>

#include "base/error.h"
#include "base/file_io.h"
#include "cgroups/cgroup_file_format.h"

namespace cradle::cgroups {

namespace {

struct MountEntry {
  std::string mount_point;
  std::string fstype;
};

// mountinfo escapes space, tab, newline and backslash in paths as \ooo octal (proc(5)).
std::string unescape_octal(std::string_view field) {
  std::string out;
  for (size_t i = 0; i < field.size(); ++i) {
    if (field[i] == '\\' && i + 3 < field.size()) {
      std::string_view digits = field.substr(i + 1, 3);
      if (digits.find_first_not_of("01234567") == std::string_view::npos) {
        out +=
            static_cast<char>((digits[0] - '0') * 64 + (digits[1] - '0') * 8 + (digits[2] - '0'));
        i += 3;
        continue;
      }
    }
    out += field[i];
  }
  return out;
}

// One line: "ID PARENT MAJ:MIN ROOT MOUNT_POINT OPTIONS [OPTIONAL...] - FSTYPE SOURCE SUPER_OPTS".
std::optional<MountEntry> parse_mountinfo_line(std::string_view line) {
  std::vector<std::string_view> fields;
  while (!line.empty()) {
    size_t end = line.find(' ');
    fields.push_back(line.substr(0, end));
    if (end == std::string_view::npos) break;
    line.remove_prefix(end + 1);
  }
  for (size_t i = 6; i + 1 < fields.size(); ++i) {
    if (fields[i] == "-") return MountEntry{unescape_octal(fields[4]), std::string(fields[i + 1])};
  }
  return std::nullopt;
}

}  // namespace

Cgroup2Mount find_cgroup2_mount(std::string_view mountinfo) {
  std::vector<std::string> cgroup2_mounts;
  bool has_v1 = false;
  while (!mountinfo.empty()) {
    size_t end = mountinfo.find('\n');
    if (auto entry = parse_mountinfo_line(mountinfo.substr(0, end))) {
      if (entry->fstype == "cgroup2") cgroup2_mounts.push_back(entry->mount_point);
      if (entry->fstype == "cgroup") has_v1 = true;
    }
    if (end == std::string_view::npos) break;
    mountinfo.remove_prefix(end + 1);
  }
  if (cgroup2_mounts.empty()) {
    throw Error(ErrorCode::kFailedPrecondition,
                "this host has no cgroup v2 (cgroup2) mount in /proc/self/mountinfo; cradle needs "
                "one, at /sys/fs/cgroup or /sys/fs/cgroup/unified");
  }
  for (std::string_view preferred : {"/sys/fs/cgroup", "/sys/fs/cgroup/unified"}) {
    for (const std::string& path : cgroup2_mounts) {
      if (path == preferred) return Cgroup2Mount{path, !has_v1};
    }
  }
  return Cgroup2Mount{cgroup2_mounts.front(), !has_v1};
}

CgroupRoot CgroupRoot::detect() {
  Cgroup2Mount mount = find_cgroup2_mount(read_file("/proc/self/mountinfo"));
  std::set<std::string> controllers =
      parse_name_list(read_file(mount.path + "/cgroup.controllers"));
  return CgroupRoot{std::move(mount.path), mount.pure_v2, std::move(controllers)};
}

}  // namespace cradle::cgroups
