// One container of a shim: its cgroup, its start plan and its init process. Create builds it and
// leaves the init waiting; start execs the entrypoint; destroy kills what is left and removes the
// cgroup. Used by `cradle-shim run` and by the shim's task service alike.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "cgroups/cgroup.h"
#include "cgroups/oom_watcher.h"
#include "cgroups/stats.h"
#include "core/spec.h"
#include "namespaces/container_process.h"
#include "namespaces/start_plan.h"

namespace cradle {

struct ContainerConfig {
  std::string id;
  std::string bundle_dir;
  // The default cgroup when the spec has no cgroupsPath: "cradle/<id>" for a standalone run.
  std::string default_cgroup_parent = "cradle";
  bool kill_on_parent_death = false;
  int stdio[3] = {-1, -1, -1};  // -1: the shim's own
};

class Container {
 public:
  // Parses and checks everything first: a bad spec creates nothing. Then makes the cgroup,
  // applies the resources, and clones the init up to the handoff.
  static std::unique_ptr<Container> create(Spec spec, const ContainerConfig& config,
                                           const ns::WarningSink& warn);
  ~Container();

  void start() { init_->start(); }

  const std::string& id() const { return id_; }
  const Spec& spec() const { return spec_; }
  pid_t pid() const { return init_->pid(); }
  int pidfd() const { return init_->pidfd(); }
  cgroups::Cgroup& cgroup() { return *cgroup_; }
  UniqueFd take_pty_master() { return init_->take_pty_master(); }
  ns::ContainerProcess& init_process() { return *init_; }
  // False when the container shares a pid namespace (no new one in its spec): then nothing but
  // the runtime kills the init's children when the init dies.
  bool has_own_pid_namespace() const {
    const Namespace* pid = spec_.find_namespace(NamespaceType::kPid);
    return pid != nullptr && pid->path.empty();
  }

  // Sends sig to the init.
  void signal(int sig);
  // Reaps the init once it has exited (the pidfd became readable).
  ns::ExitStatus wait() { return init_->wait(); }
  std::optional<ns::ExitStatus> try_wait() { return init_->try_wait(); }

  // The plan of a process to exec into this container: the spec's process section (as
  // `ctr task exec` sends it), with the container's seccomp profile and namespaces.
  ns::ExecPlan plan_exec(const Process& process, const ns::WarningSink& warn) const;
  // Clones that process into the running container, up to its handoff; start() it afterwards.
  // The plan must outlive the returned process.
  ns::ContainerProcess exec(const ns::ExecPlan& plan, const ns::WarningSink& warn);

  // Kills every process left in the container and removes its cgroup.
  void destroy();

  // Applies new resources to the running container (Cgroup::update): a field given with its
  // "no limit" value lifts the limit, a non-empty device list replaces the device filter.
  void update(const cgroups::Resources& resources) { cgroup_->update(resources); }
  // The container's usage counters: cpu, memory, pids, io.
  cgroups::CgroupStats stats() const { return cgroups::read_stats(cgroup_->fd()); }
  // A watcher of the container's memory.events that calls on_oom with the container's id each
  // time the OOM killer killed one of its processes; the caller drives its fd from its event loop.
  // Throws kFailedPrecondition when the container's cgroup has no memory controller.
  cgroups::OomWatcher watch_oom(std::function<void(const std::string& id)> on_oom) const;

 private:
  Container() = default;

  std::string id_;
  Spec spec_;
  ns::StartPlan plan_;
  std::optional<cgroups::Cgroup> cgroup_;
  std::optional<ns::ContainerProcess> init_;
};

}  // namespace cradle
