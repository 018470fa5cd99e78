// Compiles a validated Spec into the start plan the clone3 child executes (namespaces/
// start_plan.h). Everything that can fail before the container exists fails here, with the JSON
// path of the spec field at fault: missing rootfs, a mount source that does not exist, a mount
// destination through a symlink out of the rootfs, a namespace path of the wrong kind, a seccomp
// profile libseccomp refuses.
#pragma once

#include <string>

#include "core/spec.h"
#include "namespaces/container_process.h"
#include "namespaces/start_plan.h"

namespace cradle {

struct PlanContext {
  std::string id;
  std::string bundle_dir;  // relative paths in the spec are relative to it
  std::string
      cgroup_host_path;  // the container's cgroup, bound on /sys/fs/cgroup without a cgroupns
  bool kill_on_parent_death = false;
};

// NamespaceType::kNetwork -> CLONE_NEWNET, ...
int namespace_clone_flag(NamespaceType type);

ns::StartPlan build_start_plan(const Spec& spec, const PlanContext& context,
                               const ns::WarningSink& warn);

// The parts an exec'd process needs: args, env, cwd, user, capabilities, rlimits, seccomp.
ns::ProcessPlan build_process_plan(const Process& process,
                                   const std::optional<ns::SeccompProfile>& seccomp,
                                   const ns::WarningSink& warn);

}  // namespace cradle
