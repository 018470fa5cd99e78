#include "core/container.h"

#include <signal.h>

#include "base/error.h"
#include "base/phase_trace.h"
#include "cgroups/cgroup_path.h"
#include "cgroups/cgroup_root.h"
#include "cgroups/resources_v2.h"
#include "core/container_id.h"
#include "core/start_plan_builder.h"
#include "namespaces/raw_syscalls.h"

namespace cradle {

std::unique_ptr<Container> Container::create(Spec spec, const ContainerConfig& config,
                                             const ns::WarningSink& warn) {
  validate_container_id(config.id);
  cgroups::CgroupRoot root = cgroups::CgroupRoot::detect();
  const cgroups::Resources no_resources;
  auto resources_of = [&no_resources](const Spec& s) -> const cgroups::Resources& {
    return s.linux.resources ? *s.linux.resources : no_resources;
  };
  cgroups::check_resources_supported(resources_of(spec), root.controllers);
  std::string cgroup_path = cgroups::normalize_cgroups_path(
      spec.linux.cgroups_path.empty() ? config.default_cgroup_parent + "/" + config.id
                                      : spec.linux.cgroups_path);

  std::unique_ptr<Container> c(new Container);
  c->id_ = config.id;
  c->spec_ = std::move(spec);
  // From the container's own spec: the moved-from one has lost its lists (devices, unified, ...).
  const cgroups::Resources& resources = resources_of(c->spec_);
  PlanContext context{config.id, config.bundle_dir, root.mount_path + "/" + cgroup_path,
                      config.kill_on_parent_death};
  c->plan_ = build_start_plan(c->spec_, context, warn);
  for (int fd = 0; fd <= 2; ++fd)
    c->plan_.process.stdio[fd] = config.stdio[fd];

  trace_mark("plan_built");
  c->cgroup_.emplace(
      cgroups::Cgroup::create(root, cgroup_path, cgroups::controllers_needed(resources)));
  // apply() also attaches the device filter: the init is cloned into a cgroup that has it.
  c->cgroup_->apply(resources);
  c->init_.emplace(ns::ContainerProcess::create_init(c->plan_, c->cgroup_->fd(), warn));
  return c;
}

Container::~Container() {
  // The init goes first (its destructor kills and reaps it if still there), then the cgroup.
  init_.reset();
}

void Container::signal(int sig) {
  if (ns::sys_pidfd_send_signal(init_->pidfd(), sig) != 0 && errno != ESRCH) {
    throw_errno("signal " + std::to_string(sig) + " to container " + id_);
  }
}

ns::ExecPlan Container::plan_exec(const Process& process, const ns::WarningSink& warn) const {
  ns::ExecPlan plan;
  plan.process = build_process_plan(process, spec_.linux.seccomp, warn);
  for (const Namespace& n : spec_.linux.namespaces) {
    if (n.type == NamespaceType::kPid) {
      plan.join_pid_namespace = true;
    } else if (n.type != NamespaceType::kTime) {
      // Joined or new alike: the init is in it, and setns through its pidfd follows it there.
      plan.setns_flags |= namespace_clone_flag(n.type);
    }
  }
  plan.finalize();
  return plan;
}

ns::ContainerProcess Container::exec(const ns::ExecPlan& plan, const ns::WarningSink& warn) {
  return ns::ContainerProcess::create_exec(plan, init_->pidfd(), cgroup_->fd(), warn);
}

void Container::destroy() {
  if (cgroup_) cgroup_->remove();
}

cgroups::OomWatcher Container::watch_oom(std::function<void(const std::string& id)> on_oom) const {
  return cgroups::OomWatcher(cgroup_->path(),
                             [id = id_, on_oom = std::move(on_oom)](std::uint64_t) { on_oom(id); });
}

}  // namespace cradle
