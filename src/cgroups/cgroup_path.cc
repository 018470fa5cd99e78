#include "cgroups/cgroup_path.h"

#include <algorithm>

#include "base/error.h"

namespace cradle::cgroups {

namespace {

std::string quoted(std::string_view path) {
  return "cgroupsPath \"" + std::string(path) + "\"";
}

// runc and crun take "slice:prefix:name" when driven by systemd; a relative path with exactly two
// colons is that form, and silently making a directory of that name would surprise its author.
bool is_systemd_form(std::string_view path) {
  return !path.starts_with('/') && std::ranges::count(path, ':') == 2;
}

}  // namespace

std::string normalize_cgroups_path(std::string_view cgroups_path) {
  if (cgroups_path.empty()) {
    throw_invalid("cgroupsPath is empty; give a path like \"/cradle/<container id>\"");
  }
  if (is_systemd_form(cgroups_path)) {
    throw_invalid(quoted(cgroups_path) +
                  " is a systemd \"slice:prefix:name\" path; cradle manages cgroups through "
                  "cgroupfs, give a path like \"/cradle/<container id>\"");
  }
  if (cgroups_path.find('\n') != std::string_view::npos) {
    throw_invalid(quoted(cgroups_path) + " contains a newline, which cgroup names cannot");
  }
  std::string_view rest = cgroups_path;
  if (rest.starts_with('/')) rest.remove_prefix(1);
  if (rest.empty()) {
    throw_invalid(quoted(cgroups_path) +
                  " names the root cgroup; a container needs a cgroup of its own");
  }
  for (std::string_view left = rest;;) {
    size_t end = left.find('/');
    std::string_view component = left.substr(0, end);
    if (component.empty()) throw_invalid(quoted(cgroups_path) + " has an empty component");
    if (component == "." || component == "..") {
      throw_invalid(quoted(cgroups_path) + " has a \"" + std::string(component) +
                    "\" component; cgroup paths must name a cgroup below the v2 root directly");
    }
    if (end == std::string_view::npos) break;
    left.remove_prefix(end + 1);
  }
  return std::string(rest);
}

}  // namespace cradle::cgroups
