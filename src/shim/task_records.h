// What the shim keeps about each container it serves and each process in it.
#pragma once

#include <sys/types.h>
#include <time.h>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "api/ttrpc/server.h"
#include "core/container.h"
#include "namespaces/container_process.h"
#include "shim/stdio_relay.h"

namespace cradle::shim {

struct ExitRecord {
  int status = 0;  // the exit code, or 128 + the signal
  timespec exited_at{};
};

// The init or an exec'd process. One exit record is shared by Wait, State, Delete and TaskExit.
struct ProcessRecord {
  std::string exec_id;  // "" for the init
  StdioConfig stdio_config;
  std::unique_ptr<StdioRelay> stdio;
  std::unique_ptr<ns::ExecPlan> exec_plan;           // exec only; outlives `exec_process`
  std::optional<ns::ContainerProcess> exec_process;  // exec only; the init's is the Container's
  pid_t pid = 0;
  bool started = false;
  std::optional<ExitRecord> exit;  // set when reaped
  bool exit_published = false;     // output drained, TaskExit sent, waiters answered
  std::vector<std::shared_ptr<ttrpc::TtrpcCall>> waiters;
};

struct TaskRecord {
  std::string id;
  std::string bundle;
  std::string rootfs;  // where Create mounted the snapshot; empty if it mounted nothing
  std::unique_ptr<Container> container;
  ProcessRecord init;
  std::map<std::string, ProcessRecord> execs;  // a map: records stay put while others come and go
  bool paused = false;
  // TaskOOM's source; absent when the container's cgroup has no memory controller.
  std::unique_ptr<cgroups::OomWatcher> oom;
};

}  // namespace cradle::shim
