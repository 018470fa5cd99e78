// containerd.task.v2.Task, served over ttrpc: the shim's whole API (reference §3). One instance
// per shim, on the shim's event loop; every handler either answers at once or, like Wait, keeps
// the call and answers when the process exits, so no call ever waits behind another.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>

#include "api/ttrpc/server.h"
#include "base/event_loop.h"
#include "namespaces/container_process.h"
#include "shim/event_publisher.h"
#include "shim/shim_flags.h"
#include "shim/task_records.h"

namespace cradle::shim {

class TaskService {
 public:
  // `shutdown` is called when Shutdown finds no container left.
  TaskService(EventLoop& loop, const ShimFlags& flags, EventPublisher& events,
              std::function<void()> shutdown);
  ~TaskService();

  void register_with(ttrpc::TtrpcServer& server);

  // The reaper saw a child of the shim exit (an init, an exec, or an orphan it adopted).
  void child_exited(pid_t pid, int status);

  bool empty() const { return tasks_.empty(); }

 private:
  TaskRecord& task(const std::string& id);
  ProcessRecord& process(TaskRecord& task, const std::string& exec_id);
  int pidfd_of(TaskRecord& task, ProcessRecord& process);

  void create(const std::shared_ptr<ttrpc::TtrpcCall>& call);
  void start(const std::shared_ptr<ttrpc::TtrpcCall>& call);
  void state(const std::shared_ptr<ttrpc::TtrpcCall>& call);
  void wait(const std::shared_ptr<ttrpc::TtrpcCall>& call);
  void kill(const std::shared_ptr<ttrpc::TtrpcCall>& call);
  void remove(const std::shared_ptr<ttrpc::TtrpcCall>& call);
  void exec(const std::shared_ptr<ttrpc::TtrpcCall>& call);
  void pids(const std::shared_ptr<ttrpc::TtrpcCall>& call);
  void pause(const std::shared_ptr<ttrpc::TtrpcCall>& call, bool paused);
  void close_io(const std::shared_ptr<ttrpc::TtrpcCall>& call);
  void resize_pty(const std::shared_ptr<ttrpc::TtrpcCall>& call);
  void update(const std::shared_ptr<ttrpc::TtrpcCall>& call);
  void stats(const std::shared_ptr<ttrpc::TtrpcCall>& call);
  void connect(const std::shared_ptr<ttrpc::TtrpcCall>& call);
  void shutdown(const std::shared_ptr<ttrpc::TtrpcCall>& call);

  // A process was reaped: record its exit, then, once its output is drained, publish TaskExit
  // and answer its waiters.
  void record_exit(TaskRecord& task, ProcessRecord& process, int status);
  void publish_exit(TaskRecord& task, ProcessRecord& process);
  void remove_task(TaskRecord& task);
  // Publishes TaskOOM when the OOM killer kills in the container's cgroup.
  void watch_oom(TaskRecord& task);

  EventLoop& loop_;
  ShimFlags flags_;
  EventPublisher& events_;
  std::function<void()> shutdown_;
  std::map<std::string, std::unique_ptr<TaskRecord>> tasks_;
};

}  // namespace cradle::shim
