// Tasks: the running side of containers, each served by its own shim through RuntimeManager.
// The daemon's state of a task is the shim's (asked, not cached), so a daemon restart loses
// nothing; what the daemon keeps is the container's last exit, written when a shim reports it.
#pragma once

#include <nlohmann/json.hpp>

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "base/unique_fd.h"
#include "core/container_service.h"
#include "core/event_bus.h"
#include "core/exit_watchers.h"
#include "core/runtime_manager.h"

namespace cradle {

struct TaskInfo {
  std::string container_id;
  std::string exec_id;
  std::uint32_t pid = 0;
  ShimStatus status = ShimStatus::kUnknown;
  std::uint32_t exit_status = 0;
  std::int64_t exited_at_ns = 0;
};

class TaskService {
 public:
  TaskService(ContainerService& containers, RuntimeManager& runtime, EventBus& events,
              std::string state_dir);

  // The container's init, created (namespaces, mounts, stdio) and waiting for start().
  TaskInfo create(const std::string& ns, const std::string& name_or_id);
  TaskInfo start(const std::string& ns, const std::string& name_or_id, const std::string& exec_id);
  // Deletes a stopped (or never started) task: the init's shim goes away, or an exec's record.
  ExitInfo remove(const std::string& ns, const std::string& name_or_id, const std::string& exec_id);
  void kill(const std::string& ns, const std::string& name_or_id, const std::string& exec_id,
            int signal, bool all);
  // A process in the running container, created; start() runs it. Returns its exec id.
  std::string exec(const std::string& ns, const std::string& name_or_id, std::string exec_id,
                   const ProcessOptions& process);
  ExitInfo wait(const std::string& ns, const std::string& name_or_id, const std::string& exec_id);
  TaskInfo get(const std::string& ns, const std::string& name_or_id, const std::string& exec_id);
  std::vector<TaskInfo> list(const std::string& ns);
  std::vector<std::uint32_t> pids(const std::string& ns, const std::string& name_or_id);
  void pause(const std::string& ns, const std::string& name_or_id);
  void resume(const std::string& ns, const std::string& name_or_id);
  void update(const std::string& ns, const std::string& name_or_id,
              const ResourceOptions& resources);
  cgroups::CgroupStats stats(const std::string& ns, const std::string& name_or_id);
  void resize(const std::string& ns, const std::string& name_or_id, const std::string& exec_id,
              unsigned width, unsigned height);
  void close_stdin(const std::string& ns, const std::string& name_or_id,
                   const std::string& exec_id);
  // The writer end of the process's stdin FIFO (for attach), or an invalid fd without -i.
  UniqueFd open_stdin(const std::string& ns, const std::string& name_or_id,
                      const std::string& exec_id);
  std::string log_path(const std::string& ns, const std::string& name_or_id,
                       const std::string& exec_id);

  // Removes a container; with force, kills and deletes its task first. kFailedPrecondition when
  // its task runs and force is off. One removal per container at a time: a call that finds
  // another under way (a --rm container's, say) waits for it and returns once the container is
  // gone, so `run --rm` can ask for the removal itself instead of polling for it.
  void delete_container(const std::string& ns, const std::string& name_or_id, bool force);

  // Watches a process's exit (see core/exit_watchers.h). Register before starting the process
  // or checking its state, so that an exit in between is not missed.
  std::unique_ptr<ExitWatchers::Watch> watch_exit(const std::string& ns,
                                                  const std::string& name_or_id,
                                                  const std::string& exec_id);

  // A shim reported an exit (TaskExit). For the init: recorded as the container's last exit;
  // a container made with --rm is then removed, on a thread of its own.
  void on_task_exit(const std::string& ns, const std::string& container_id,
                    const std::string& exec_id, std::uint32_t status, std::int64_t exited_at_ns);
  // A shim died: its `delete` action cleans up, the exit is recorded as 137 with the reason.
  void on_shim_died(const std::string& ns, const std::string& id);
  // At start: reconnects to the shims of every bundle on disk, records the exits of tasks that
  // ended while the daemon was away, and cleans up after shims that are gone.
  void reconcile();

 private:
  std::string bundle(const std::string& ns, const std::string& id) const;
  std::string stdin_fifo(const std::string& ns, const std::string& id,
                         const std::string& exec_id) const;
  void write_bundle(const ContainerRecord& c);
  void auto_remove(const std::string& ns, const std::string& id);
  // Marks the container's removal as this thread's; false when another thread had it, after
  // waiting for that one to finish.
  bool claim_removal(const std::string& ns, const std::string& id);
  void release_removal(const std::string& ns, const std::string& id);
  void remove_namespace_cgroup(const std::string& ns);
  void publish(const std::string& ns, const std::string& topic, const std::string& id,
               const nlohmann::json& event);

  ContainerService& containers_;
  RuntimeManager& runtime_;
  EventBus& events_;
  std::string state_dir_;
  std::string cgroup_mount_;
  ExitWatchers exit_watchers_;
  std::mutex removing_mutex_;
  std::condition_variable removal_done_;
  std::set<std::pair<std::string, std::string>> removing_;  // removals under way
};

}  // namespace cradle
