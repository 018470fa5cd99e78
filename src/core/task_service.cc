#include "core/task_service.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <thread>

#include "base/clock.h"
#include "base/error.h"
#include "base/file_io.h"
#include "base/phase_trace.h"
#include "base/random_hex.h"
#include "base/scope_guard.h"
#include "cgroups/cgroup_root.h"
#include "core/spec_builder.h"

namespace cradle {
namespace {

void make_dirs(const std::string& path) {
  std::error_code ec;
  std::filesystem::create_directories(path, ec);
  if (ec) throw_errno(ec.value(), "create " + path);
}

void make_fifo(const std::string& path) {
  if (::mkfifo(path.c_str(), 0600) != 0 && errno != EEXIST) throw_errno("mkfifo " + path);
}

}  // namespace

TaskService::TaskService(ContainerService& containers, RuntimeManager& runtime, EventBus& events,
                         std::string state_dir)
    : containers_(containers),
      runtime_(runtime),
      events_(events),
      state_dir_(std::move(state_dir)),
      cgroup_mount_(cgroups::CgroupRoot::detect().mount_path) {}

std::string TaskService::bundle(const std::string& ns, const std::string& id) const {
  return runtime_.bundle_dir(ns, id);
}

std::string TaskService::stdin_fifo(const std::string& ns, const std::string& id,
                                    const std::string& exec_id) const {
  return bundle(ns, id) + "/" + (exec_id.empty() ? "init" : exec_id) + "-stdin";
}

void TaskService::publish(const std::string& ns, const std::string& topic, const std::string& id,
                          const nlohmann::json& event) {
  events_.publish(Event{realtime_ns(), ns, topic, event.dump(), id});
}

void TaskService::write_bundle(const ContainerRecord& c) {
  std::string dir = bundle(c.ns, c.id);
  make_dirs(dir + "/rootfs");
  nlohmann::json spec = nlohmann::json::parse(c.spec_json);
  spec["root"]["path"] = "rootfs";
  write_file_atomic(dir + "/config.json", spec.dump(), 0600, Durability::kUntilReboot);
}

TaskInfo TaskService::create(const std::string& ns, const std::string& name_or_id) {
  trace_mark("daemon_task_create");
  ContainerRecord c = containers_.get(ns, name_or_id);
  if (runtime_.has(ns, c.id)) {
    throw Error(ErrorCode::kAlreadyExists, "container " + c.name + " already has a task");
  }
  write_bundle(c);
  make_dirs(state_dir_ + "/logs/" + ns);
  TaskIo io;
  io.terminal = c.options.tty;
  io.stdout_path = "crilog://" + containers_.log_path(ns, c.id);
  io.stderr_path = c.options.tty ? "" : io.stdout_path;
  if (c.options.stdin_open) {
    io.stdin_path = stdin_fifo(ns, c.id, "");
    make_fifo(io.stdin_path);
  }
  ShimClient& shim = runtime_.start(ns, c.id);
  trace_mark("daemon_shim_started");
  try {
    std::uint32_t pid = shim.create(c.id, bundle(ns, c.id), containers_.rootfs_mounts(c), io);
    return TaskInfo{c.id, "", pid, ShimStatus::kCreated, 0, 0};
  } catch (...) {
    runtime_.stop(ns, c.id);
    throw;
  }
}

TaskInfo TaskService::start(const std::string& ns, const std::string& name_or_id,
                            const std::string& exec_id) {
  ContainerRecord c = containers_.get(ns, name_or_id);
  trace_mark("daemon_task_start");
  std::uint32_t pid = runtime_.get(ns, c.id)->start(c.id, exec_id);
  trace_mark("daemon_task_started");
  return TaskInfo{c.id, exec_id, pid, ShimStatus::kRunning, 0, 0};
}

ExitInfo TaskService::remove(const std::string& ns, const std::string& name_or_id,
                             const std::string& exec_id) {
  ContainerRecord c = containers_.get(ns, name_or_id);
  std::shared_ptr<ShimClient> shim = runtime_.get(ns, c.id);
  ShimExit exit = shim->remove(c.id, exec_id);
  ExitInfo info{exit.exit_status, exit.exited_at_ns, ""};
  if (exec_id.empty()) {
    containers_.record_exit(ns, c.id, info);
    runtime_.stop(ns, c.id);
    remove_namespace_cgroup(ns);
  } else {
    std::error_code ec;
    std::filesystem::remove(stdin_fifo(ns, c.id, exec_id), ec);
    std::filesystem::remove(containers_.log_path(ns, c.id, exec_id), ec);
  }
  return info;
}

void TaskService::remove_namespace_cgroup(const std::string& ns) {
  // The shim removed the container's cgroup; the namespace's parent goes once it is empty
  // (EBUSY or ENOTEMPTY while other containers of the namespace live: fine).
  std::string dir = cgroup_mount_ + "/cradle/" + ns;
  static_cast<void>(::rmdir(dir.c_str()));
}

void TaskService::kill(const std::string& ns, const std::string& name_or_id,
                       const std::string& exec_id, int signal, bool all) {
  ContainerRecord c = containers_.get(ns, name_or_id);
  runtime_.get(ns, c.id)->kill(c.id, exec_id, signal, all);
}

std::string TaskService::exec(const std::string& ns, const std::string& name_or_id,
                              std::string exec_id, const ProcessOptions& process) {
  ContainerRecord c = containers_.get(ns, name_or_id);
  std::shared_ptr<ShimClient> shim = runtime_.get(ns, c.id);
  if (exec_id.empty()) exec_id = "exec-" + random_hex(6);
  nlohmann::json spec = nlohmann::json::parse(c.spec_json);
  // User names resolve against the container's running rootfs: the bundle's rootfs mount.
  nlohmann::json process_json = build_exec_process(spec, process, bundle(ns, c.id) + "/rootfs");
  TaskIo io;
  io.terminal = process.tty;
  io.stdout_path = "crilog://" + containers_.log_path(ns, c.id, exec_id);
  io.stderr_path = process.tty ? "" : io.stdout_path;
  if (process.stdin_open) {
    io.stdin_path = stdin_fifo(ns, c.id, exec_id);
    make_fifo(io.stdin_path);
  }
  shim->exec(c.id, exec_id, io, process_json.dump());
  return exec_id;
}

ExitInfo TaskService::wait(const std::string& ns, const std::string& name_or_id,
                           const std::string& exec_id) {
  ContainerRecord c = containers_.get(ns, name_or_id);
  if (!runtime_.has(ns, c.id) && exec_id.empty() && c.last_exit) return *c.last_exit;
  try {
    ShimExit exit = runtime_.get(ns, c.id)->wait(c.id, exec_id);
    return ExitInfo{exit.exit_status, exit.exited_at_ns, ""};
  } catch (const Error&) {
    // The task was deleted meanwhile (a --rm container's removal): its exit was recorded first.
    if (!exec_id.empty()) throw;
    std::optional<ExitInfo> recorded = containers_.get(ns, c.id).last_exit;
    if (!recorded) throw;
    return *recorded;
  }
}

TaskInfo TaskService::get(const std::string& ns, const std::string& name_or_id,
                          const std::string& exec_id) {
  ContainerRecord c = containers_.get(ns, name_or_id);
  ShimProcessState s = runtime_.get(ns, c.id)->state(c.id, exec_id);
  return TaskInfo{c.id, exec_id, s.pid, s.status, s.exit_status, s.exited_at_ns};
}

std::vector<TaskInfo> TaskService::list(const std::string& ns) {
  std::vector<TaskInfo> out;
  for (const ContainerRecord& c : containers_.list(ns)) {
    if (!runtime_.has(ns, c.id)) continue;
    try {
      out.push_back(get(ns, c.id, ""));
    } catch (const Error&) {
      // The shim went away between the two calls: it has no task to list any more.
    }
  }
  return out;
}

std::vector<std::uint32_t> TaskService::pids(const std::string& ns, const std::string& name_or_id) {
  ContainerRecord c = containers_.get(ns, name_or_id);
  return runtime_.get(ns, c.id)->pids(c.id);
}

void TaskService::pause(const std::string& ns, const std::string& name_or_id) {
  ContainerRecord c = containers_.get(ns, name_or_id);
  runtime_.get(ns, c.id)->pause(c.id);
}

void TaskService::resume(const std::string& ns, const std::string& name_or_id) {
  ContainerRecord c = containers_.get(ns, name_or_id);
  runtime_.get(ns, c.id)->resume(c.id);
}

void TaskService::update(const std::string& ns, const std::string& name_or_id,
                         const ResourceOptions& resources) {
  ContainerRecord c = containers_.get(ns, name_or_id);
  nlohmann::json r = nlohmann::json::object();
  if (resources.memory_bytes > 0) r["memory"]["limit"] = resources.memory_bytes;
  if (resources.cpus > 0) {
    r["cpu"]["quota"] = static_cast<std::int64_t>(resources.cpus * 100000);
    r["cpu"]["period"] = 100000;
  }
  if (resources.pids_limit > 0) r["pids"]["limit"] = resources.pids_limit;
  runtime_.get(ns, c.id)->update(c.id, r.dump());
  containers_.record_resources(ns, c.id, resources);
}

cgroups::CgroupStats TaskService::stats(const std::string& ns, const std::string& name_or_id) {
  ContainerRecord c = containers_.get(ns, name_or_id);
  return runtime_.get(ns, c.id)->stats(c.id);
}

void TaskService::resize(const std::string& ns, const std::string& name_or_id,
                         const std::string& exec_id, unsigned width, unsigned height) {
  ContainerRecord c = containers_.get(ns, name_or_id);
  runtime_.get(ns, c.id)->resize(c.id, exec_id, width, height);
}

void TaskService::close_stdin(const std::string& ns, const std::string& name_or_id,
                              const std::string& exec_id) {
  ContainerRecord c = containers_.get(ns, name_or_id);
  runtime_.get(ns, c.id)->close_stdin(c.id, exec_id);
}

UniqueFd TaskService::open_stdin(const std::string& ns, const std::string& name_or_id,
                                 const std::string& exec_id) {
  ContainerRecord c = containers_.get(ns, name_or_id);
  std::string fifo = stdin_fifo(ns, c.id, exec_id);
  // The shim holds a reader on it, so a non-blocking open for writing succeeds at once.
  int fd = ::open(fifo.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return UniqueFd();
    throw_errno("open the stdin of " + c.name);
  }
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
  return UniqueFd(fd);
}

std::string TaskService::log_path(const std::string& ns, const std::string& name_or_id,
                                  const std::string& exec_id) {
  ContainerRecord c = containers_.get(ns, name_or_id);
  return containers_.log_path(ns, c.id, exec_id);
}

bool TaskService::claim_removal(const std::string& ns, const std::string& id) {
  std::unique_lock lock(removing_mutex_);
  if (removing_.insert({ns, id}).second) return true;
  removal_done_.wait(lock, [&] { return !removing_.contains({ns, id}); });
  return false;
}

void TaskService::release_removal(const std::string& ns, const std::string& id) {
  {
    std::lock_guard lock(removing_mutex_);
    removing_.erase({ns, id});
  }
  removal_done_.notify_all();
}

void TaskService::delete_container(const std::string& ns, const std::string& name_or_id,
                                   bool force) {
  ContainerRecord c = containers_.get(ns, name_or_id);
  if (!claim_removal(ns, c.id)) return;  // another thread removed it meanwhile
  ScopeGuard release([&] { release_removal(ns, c.id); });
  if (runtime_.has(ns, c.id)) {
    std::shared_ptr<ShimClient> shim = runtime_.get(ns, c.id);
    ShimProcessState s = shim->state(c.id, "");
    bool running = s.status == ShimStatus::kRunning || s.status == ShimStatus::kPaused;
    if (running && !force) {
      throw Error(ErrorCode::kFailedPrecondition,
                  "container " + c.name + " is running: stop it first, or remove it with force");
    }
    if (running) {
      shim->kill(c.id, "", SIGKILL, true);
      if (s.status == ShimStatus::kPaused) shim->resume(c.id);
      shim->wait(c.id, "");
    }
    remove(ns, c.id, "");
  }
  containers_.remove(ns, c.id);
}

std::unique_ptr<ExitWatchers::Watch> TaskService::watch_exit(const std::string& ns,
                                                             const std::string& name_or_id,
                                                             const std::string& exec_id) {
  return exit_watchers_.watch(ns, containers_.get(ns, name_or_id).id, exec_id);
}

void TaskService::on_task_exit(const std::string& ns, const std::string& container_id,
                               const std::string& exec_id, std::uint32_t status,
                               std::int64_t exited_at_ns) {
  trace_mark("daemon_exit_seen");
  exit_watchers_.notify(ns, container_id, exec_id, ExitInfo{status, exited_at_ns, ""});
  if (!exec_id.empty() && exec_id != container_id) return;
  ContainerRecord c;
  try {
    c = containers_.get(ns, container_id);
    containers_.record_exit(ns, c.id, ExitInfo{status, exited_at_ns, ""});
  } catch (const Error&) {
    return;  // a container removed meanwhile
  }
  if (c.options.auto_remove) auto_remove(ns, c.id);
}

void TaskService::auto_remove(const std::string& ns, const std::string& id) {
  // Not on the caller's thread: it is the events endpoint's, which the shim's Delete would wait
  // on while it flushes its own events.
  std::thread([this, ns, id] {
    try {
      delete_container(ns, id, true);
    } catch (const Error& e) {
      if (e.code() == ErrorCode::kNotFound) return;  // removed by a client first
      std::fprintf(stderr, "cradled: remove container %s: %s\n", id.c_str(), e.what());
    }
  }).detach();
}

void TaskService::on_shim_died(const std::string& ns, const std::string& id) {
  runtime_.clean_up_dead(ns, id);
  remove_namespace_cgroup(ns);
  ExitInfo exit{128 + SIGKILL, realtime_ns(), "the shim died"};
  exit_watchers_.notify_container(ns, id, exit);
  try {
    containers_.record_exit(ns, id, exit);
  } catch (const Error&) {
    return;
  }
  publish(
      ns, "/tasks/exit", id,
      {{"container_id", id}, {"id", id}, {"exit_status", exit.status}, {"reason", exit.reason}});
  ContainerRecord c = containers_.get(ns, id);
  if (c.options.auto_remove) auto_remove(ns, id);
}

void TaskService::reconcile() {
  for (const auto& [ns, id] : runtime_.bundles_on_disk()) {
    bool known = true;
    try {
      containers_.get(ns, id);
    } catch (const Error&) {
      known = false;
    }
    ShimClient* shim = known ? runtime_.reconnect(ns, id) : nullptr;
    if (shim == nullptr) {
      // Gone while the daemon was away (or a bundle of no container): clean up by cgroup.
      runtime_.clean_up_dead(ns, id);
      if (known) {
        containers_.record_exit(
            ns, id, ExitInfo{128 + SIGKILL, realtime_ns(), "the shim died while cradled was away"});
      }
      continue;
    }
    try {
      ShimProcessState s = shim->state(id, "");
      if (s.status == ShimStatus::kStopped) {
        on_task_exit(ns, id, "", s.exit_status, s.exited_at_ns);
      }
    } catch (const Error& e) {
      std::fprintf(stderr, "cradled: state of %s: %s\n", id.c_str(), e.what());
    }
  }
}

}  // namespace cradle
