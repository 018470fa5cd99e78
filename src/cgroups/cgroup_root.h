// Where this host's cgroup v2 tree is, and what it offers. A pure v2 host mounts cgroup2 at
// /sys/fs/cgroup; a hybrid host mounts it beside the v1 hierarchies (often at
// /sys/fs/cgroup/unified) and keeps most controllers in v1.
#pragma once

#include <set>
#include <string>
#include <string_view>

namespace cradle::cgroups {

struct Cgroup2Mount {
  std::string path;      // the mount point, e.g. "/sys/fs/cgroup"
  bool pure_v2 = false;  // no cgroup v1 hierarchy is mounted anywhere
};

// Picks the cgroup2 mount from /proc/self/mountinfo contents: /sys/fs/cgroup, else
// /sys/fs/cgroup/unified, else the first other one. Throws kFailedPrecondition if there is none.
Cgroup2Mount find_cgroup2_mount(std::string_view mountinfo);

struct CgroupRoot {
  std::string mount_path;
  bool pure_v2 = false;
  // The root's cgroup.controllers: what the v2 tree can enable below the root.
  std::set<std::string> controllers;

  // Reads /proc/self/mountinfo and the root's cgroup.controllers.
  static CgroupRoot detect();
};

}  // namespace cradle::cgroups
