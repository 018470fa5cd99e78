#include "shim/task_service.h"

#include <signal.h>
#include <unistd.h>

#include <cstdio>

#include "base/error.h"
#include "base/file_io.h"
#include "base/phase_trace.h"
#include "base/scope_guard.h"
#include "cgroups/resources_v2.h"
#include "cgroups/stats.h"
#include "core/container_id.h"
#include "core/spec_parser.h"
#include "github.com/containerd/containerd/api/events/task.pb.h"
#include "github.com/containerd/containerd/api/types/task/task.pb.h"
#include "github.com/containerd/containerd/runtime/v2/runc/options/oci.pb.h"
#include "github.com/containerd/containerd/runtime/v2/task/shim.pb.h"
#include "namespaces/host_mount.h"
#include "namespaces/raw_syscalls.h"
#include "shim/metrics.h"
#include "shim/proto_util.h"

namespace cradle::shim {
namespace {

namespace task = containerd::task::v2;
namespace events = containerd::events;
using containerd::v1::types::Status;
using CallPtr = std::shared_ptr<ttrpc::TtrpcCall>;

constexpr const char* kService = "containerd.task.v2.Task";
constexpr const char* kProcessSpecType =
    "types.containerd.io/opencontainers/runtime-spec/1/Process";

template <typename Request>
Request parse_request(const ttrpc::TtrpcCall& call) {
  Request request;
  if (!request.ParseFromString(call.payload())) {
    throw_invalid(call.method() + ": the request is not a valid " +
                  Request::descriptor()->full_name());
  }
  return request;
}

template <typename Response>
void reply(const CallPtr& call, const Response& response) {
  call->reply(response.SerializeAsString());
}

void reply_empty(const CallPtr& call) {
  call->reply({});
}

[[noreturn]] void not_found(const std::string& what) {
  throw Error(ErrorCode::kNotFound, what + ": not found");
}

[[noreturn]] void wrong_state(const std::string& what) {
  throw Error(ErrorCode::kFailedPrecondition, what);
}

void warn(const std::string& message) {
  std::fprintf(stderr, "cradle-shim: warning: %s\n", message.c_str());
}

StdioConfig stdio_config(const std::string& in, const std::string& out, const std::string& err,
                         bool terminal, const std::string& id, const std::string& ns) {
  StdioConfig config;
  config.stdin_path = in;
  config.stdout_path = out;
  config.stderr_path = err;
  config.terminal = terminal;
  config.container_id = id;
  config.ns = ns;
  return config;
}

}  // namespace

TaskService::TaskService(EventLoop& loop, const ShimFlags& flags, EventPublisher& events,
                         std::function<void()> shutdown)
    : loop_(loop), flags_(flags), events_(events), shutdown_(std::move(shutdown)) {}

TaskService::~TaskService() {
  for (auto& [id, task] : tasks_)
    remove_task(*task);
}

void TaskService::register_with(ttrpc::TtrpcServer& server) {
  auto add = [&](const char* method, void (TaskService::*handler)(const CallPtr&)) {
    server.register_method(kService, method,
                           [this, handler](CallPtr call) { (this->*handler)(call); });
  };
  add("Create", &TaskService::create);
  add("Start", &TaskService::start);
  add("State", &TaskService::state);
  add("Wait", &TaskService::wait);
  add("Kill", &TaskService::kill);
  add("Delete", &TaskService::remove);
  add("Exec", &TaskService::exec);
  add("Pids", &TaskService::pids);
  add("CloseIO", &TaskService::close_io);
  add("ResizePty", &TaskService::resize_pty);
  add("Update", &TaskService::update);
  add("Stats", &TaskService::stats);
  add("Connect", &TaskService::connect);
  add("Shutdown", &TaskService::shutdown);
  server.register_method(kService, "Pause", [this](CallPtr call) { pause(call, true); });
  server.register_method(kService, "Resume", [this](CallPtr call) { pause(call, false); });
  server.register_method(kService, "Checkpoint", [](CallPtr call) {
    call->fail(ErrorCode::kUnimplemented, "checkpoint is not supported by cradle");
  });
}

TaskRecord& TaskService::task(const std::string& id) {
  auto it = tasks_.find(id);
  if (it == tasks_.end()) not_found("container " + id);
  return *it->second;
}

ProcessRecord& TaskService::process(TaskRecord& task, const std::string& exec_id) {
  if (exec_id.empty()) return task.init;
  auto it = task.execs.find(exec_id);
  if (it == task.execs.end()) not_found("process does not exist " + exec_id);
  return it->second;
}

int TaskService::pidfd_of(TaskRecord& task, ProcessRecord& process) {
  return process.exec_id.empty() ? task.container->pidfd() : process.exec_process->pidfd();
}

void TaskService::create(const CallPtr& call) {
  trace_mark("shim_create");
  auto request = parse_request<task::CreateTaskRequest>(*call);
  validate_container_id(request.id());
  if (tasks_.contains(request.id())) {
    throw Error(ErrorCode::kAlreadyExists, "container " + request.id() + ": already exists");
  }
  auto record = std::make_unique<TaskRecord>();
  record->id = request.id();
  record->bundle = request.bundle();
  if (request.rootfs_size() > 0) {
    std::vector<ns::HostMount> mounts;
    for (const auto& m : request.rootfs()) {
      mounts.push_back({m.type(), m.source(), {m.options().begin(), m.options().end()}});
    }
    record->rootfs = request.bundle() + "/rootfs";
    ns::mount_all(mounts, record->rootfs);
  }
  ScopeGuard unmount([&record] {
    if (!record->rootfs.empty()) ns::unmount_all(record->rootfs);
  });

  Spec spec = load_spec(request.bundle());
  bool terminal = request.terminal() || spec.process.terminal;
  spec.process.terminal = terminal;
  ProcessRecord& init = record->init;
  init.stdio_config = stdio_config(request.stdin(), request.stdout(), request.stderr(), terminal,
                                   request.id(), flags_.ns);
  init.stdio = StdioRelay::create(loop_, init.stdio_config);

  ContainerConfig config;
  config.id = request.id();
  config.bundle_dir = request.bundle();
  config.default_cgroup_parent = "cradle/" + flags_.ns;
  for (int fd = 0; fd <= 2; ++fd)
    config.stdio[fd] = init.stdio->process_fd(fd);
  record->container = Container::create(std::move(spec), config, warn);
  init.stdio->close_process_ends();
  if (terminal) init.stdio->attach_pty(record->container->take_pty_master());
  init.pid = record->container->pid();
  write_file_atomic(request.bundle() + "/init.pid", std::to_string(init.pid), 0644,
                    Durability::kUntilReboot);
  watch_oom(*record);
  unmount.dismiss();

  events::TaskCreate event;
  event.set_container_id(record->id);
  event.set_bundle(record->bundle);
  *event.mutable_rootfs() = request.rootfs();
  event.mutable_io()->set_stdin(request.stdin());
  event.mutable_io()->set_stdout(request.stdout());
  event.mutable_io()->set_stderr(request.stderr());
  event.mutable_io()->set_terminal(terminal);
  event.set_pid(static_cast<std::uint32_t>(init.pid));
  task::CreateTaskResponse response;
  response.set_pid(static_cast<std::uint32_t>(init.pid));
  StdioRelay& stdio = *init.stdio;
  tasks_.emplace(record->id, std::move(record));
  // With a binary:// logger, Create completes once the logger says it is ready, as in the runc
  // shim, so no output is written before someone takes it.
  stdio.on_ready([this, call, event, response] {
    events_.publish("/tasks/create", event);
    reply(call, response);
  });
}

void TaskService::watch_oom(TaskRecord& t) {
  try {
    t.oom =
        std::make_unique<cgroups::OomWatcher>(t.container->watch_oom([this](const std::string& id) {
          events::TaskOOM event;
          event.set_container_id(id);
          events_.publish("/tasks/oom", event);
        }));
  } catch (const Error& e) {
    if (e.code() != ErrorCode::kFailedPrecondition) throw;
    return;  // no memory controller for this cgroup: nothing can be OOM-killed by its limit
  }
  int fd = t.oom->fd();
  cgroups::OomWatcher* watcher = t.oom.get();
  loop_.add(fd, EPOLLIN, [this, fd, watcher](std::uint32_t) {
    if (!watcher->handle()) loop_.remove(fd);
  });
}

void TaskService::start(const CallPtr& call) {
  trace_mark("shim_start");
  auto request = parse_request<task::StartRequest>(*call);
  TaskRecord& t = task(request.id());
  ProcessRecord& p = process(t, request.exec_id());
  if (p.exit) wrong_state("cannot start a stopped process");
  if (p.started) wrong_state("cannot start an already running process");
  if (p.exec_id.empty()) {
    t.container->start();
  } else {
    if (t.init.exit) wrong_state("cannot start an exec in a stopped container");
    p.exec_process->start();
  }
  p.started = true;
  if (p.exec_id.empty()) {
    events::TaskStart event;
    event.set_container_id(t.id);
    event.set_pid(static_cast<std::uint32_t>(p.pid));
    events_.publish("/tasks/start", event);
  } else {
    events::TaskExecStarted event;
    event.set_container_id(t.id);
    event.set_exec_id(p.exec_id);
    event.set_pid(static_cast<std::uint32_t>(p.pid));
    events_.publish("/tasks/exec-started", event);
  }
  task::StartResponse response;
  response.set_pid(static_cast<std::uint32_t>(p.pid));
  reply(call, response);
}

void TaskService::state(const CallPtr& call) {
  auto request = parse_request<task::StateRequest>(*call);
  TaskRecord& t = task(request.id());
  ProcessRecord& p = process(t, request.exec_id());
  task::StateResponse response;
  response.set_id(p.exec_id.empty() ? t.id : p.exec_id);
  response.set_exec_id(p.exec_id);
  response.set_bundle(t.bundle);
  response.set_pid(static_cast<std::uint32_t>(p.pid));
  response.set_stdin(p.stdio_config.stdin_path);
  response.set_stdout(p.stdio_config.stdout_path);
  response.set_stderr(p.stdio_config.stderr_path);
  response.set_terminal(p.stdio_config.terminal);
  if (p.exit) {
    response.set_status(Status::STOPPED);
    response.set_exit_status(static_cast<std::uint32_t>(p.exit->status));
    set_timestamp(response.mutable_exited_at(), p.exit->exited_at);
  } else if (!p.started) {
    response.set_status(Status::CREATED);
  } else {
    response.set_status(t.paused ? Status::PAUSED : Status::RUNNING);
  }
  reply(call, response);
}

void TaskService::wait(const CallPtr& call) {
  auto request = parse_request<task::WaitRequest>(*call);
  TaskRecord& t = task(request.id());
  ProcessRecord& p = process(t, request.exec_id());
  if (!p.exit_published) {
    p.waiters.push_back(call);  // answered by publish_exit
    return;
  }
  task::WaitResponse response;
  response.set_exit_status(static_cast<std::uint32_t>(p.exit->status));
  set_timestamp(response.mutable_exited_at(), p.exit->exited_at);
  reply(call, response);
}

void TaskService::kill(const CallPtr& call) {
  auto request = parse_request<task::KillRequest>(*call);
  TaskRecord& t = task(request.id());
  ProcessRecord& p = process(t, request.exec_id());
  int sig = static_cast<int>(request.signal());
  if (request.all() && p.exec_id.empty()) {
    // Every process of the container; SIGKILL through cgroup.kill, which no fork can outrun.
    if (sig == SIGKILL) {
      t.container->cgroup().kill();
    } else {
      for (pid_t pid : t.container->cgroup().pids())
        ::kill(pid, sig);
    }
    reply_empty(call);
    return;
  }
  if (p.exit) not_found("process already finished");
  if (ns::sys_pidfd_send_signal(pidfd_of(t, p), sig) != 0) {
    if (errno == ESRCH) not_found("process already finished");
    throw_errno("signal " + std::to_string(sig) + " to " + (p.exec_id.empty() ? t.id : p.exec_id));
  }
  reply_empty(call);
}

void TaskService::remove(const CallPtr& call) {
  auto request = parse_request<task::DeleteRequest>(*call);
  TaskRecord& t = task(request.id());
  ProcessRecord& p = process(t, request.exec_id());
  if (p.started && !p.exit) wrong_state("cannot delete a running process");
  if (!p.exit) {
    // Created but never started: kill it and take its exit now.
    ns::ContainerProcess& created =
        p.exec_id.empty() ? t.container->init_process() : *p.exec_process;
    ns::sys_pidfd_send_signal(created.pidfd(), SIGKILL);
    record_exit(t, p, created.wait().shell_status());
  }
  task::DeleteResponse response;
  response.set_pid(static_cast<std::uint32_t>(p.pid));
  response.set_exit_status(static_cast<std::uint32_t>(p.exit->status));
  set_timestamp(response.mutable_exited_at(), p.exit->exited_at);
  if (!p.exec_id.empty()) {
    t.execs.erase(p.exec_id);
    reply(call, response);
    return;
  }
  // Whatever exits were still waiting for their output to drain are reported now: the stdio
  // goes away with the task.
  publish_exit(t, t.init);
  for (auto& [exec_id, e] : t.execs) {
    if (e.exit) publish_exit(t, e);
  }
  events::TaskDelete event;
  event.set_container_id(t.id);
  event.set_pid(response.pid());
  event.set_exit_status(response.exit_status());
  *event.mutable_exited_at() = response.exited_at();
  remove_task(t);
  tasks_.erase(request.id());
  events_.publish("/tasks/delete", event);
  reply(call, response);
}

void TaskService::remove_task(TaskRecord& t) {
  if (t.oom) {
    loop_.remove(t.oom->fd());
    t.oom.reset();
  }
  for (auto& [id, e] : t.execs)
    e.stdio.reset();
  t.execs.clear();
  if (t.container) t.container->destroy();
  t.init.stdio.reset();
  t.container.reset();
  if (!t.rootfs.empty()) ns::unmount_all(t.rootfs);
}

void TaskService::exec(const CallPtr& call) {
  auto request = parse_request<task::ExecProcessRequest>(*call);
  TaskRecord& t = task(request.id());
  validate_container_id(request.exec_id());
  if (t.execs.contains(request.exec_id())) {
    throw Error(ErrorCode::kAlreadyExists, "id " + request.exec_id() + ": already exists");
  }
  if (t.init.exit) wrong_state("cannot exec in a stopped state");
  if (t.paused) wrong_state("cannot exec in a paused state");
  if (request.spec().type_url() != kProcessSpecType) {
    throw_invalid("exec " + request.exec_id() + ": spec must be a " + kProcessSpecType + ", got " +
                  request.spec().type_url());
  }
  Process spec = parse_process_text(request.spec().value());
  bool terminal = request.terminal() || spec.terminal;
  spec.terminal = terminal;

  ProcessRecord record;
  record.exec_id = request.exec_id();
  record.stdio_config =
      stdio_config(request.stdin(), request.stdout(), request.stderr(), terminal, t.id, flags_.ns);
  record.stdio = StdioRelay::create(loop_, record.stdio_config);
  record.exec_plan = std::make_unique<ns::ExecPlan>(t.container->plan_exec(spec, warn));
  for (int fd = 0; fd <= 2; ++fd)
    record.exec_plan->process.stdio[fd] = record.stdio->process_fd(fd);
  record.exec_process.emplace(t.container->exec(*record.exec_plan, warn));
  record.stdio->close_process_ends();
  if (terminal) record.stdio->attach_pty(record.exec_process->take_pty_master());
  record.pid = record.exec_process->pid();
  t.execs.emplace(record.exec_id, std::move(record));

  events::TaskExecAdded event;
  event.set_container_id(t.id);
  event.set_exec_id(request.exec_id());
  events_.publish("/tasks/exec-added", event);
  reply_empty(call);
}

void TaskService::pids(const CallPtr& call) {
  auto request = parse_request<task::PidsRequest>(*call);
  TaskRecord& t = task(request.id());
  task::PidsResponse response;
  for (pid_t pid : t.container->cgroup().pids()) {
    auto* info = response.add_processes();
    info->set_pid(static_cast<std::uint32_t>(pid));
    for (const auto& [exec_id, e] : t.execs) {
      if (e.pid != pid) continue;
      // The type `ctr task ps` knows how to show: runc's ProcessDetails.
      containerd::runc::v1::ProcessDetails details;
      details.set_exec_id(exec_id);
      *info->mutable_info() = pack_any(details);
    }
  }
  reply(call, response);
}

void TaskService::pause(const CallPtr& call, bool paused) {
  std::string id = paused ? parse_request<task::PauseRequest>(*call).id()
                          : parse_request<task::ResumeRequest>(*call).id();
  TaskRecord& t = task(id);
  if (!t.init.started || t.init.exit) {
    wrong_state(std::string("cannot ") + (paused ? "pause" : "resume") +
                " a container that is not running");
  }
  t.container->cgroup().freeze(paused);
  t.paused = paused;
  if (paused) {
    events::TaskPaused event;
    event.set_container_id(t.id);
    events_.publish("/tasks/paused", event);
  } else {
    events::TaskResumed event;
    event.set_container_id(t.id);
    events_.publish("/tasks/resumed", event);
  }
  reply_empty(call);
}

void TaskService::close_io(const CallPtr& call) {
  auto request = parse_request<task::CloseIORequest>(*call);
  TaskRecord& t = task(request.id());
  ProcessRecord& p = process(t, request.exec_id());
  if (request.stdin() && p.stdio) p.stdio->close_stdin();
  reply_empty(call);
}

void TaskService::resize_pty(const CallPtr& call) {
  auto request = parse_request<task::ResizePtyRequest>(*call);
  TaskRecord& t = task(request.id());
  ProcessRecord& p = process(t, request.exec_id());
  if (p.stdio) p.stdio->resize(request.width(), request.height());
  reply_empty(call);
}

void TaskService::update(const CallPtr& call) {
  auto request = parse_request<task::UpdateTaskRequest>(*call);
  TaskRecord& t = task(request.id());
  cgroups::Resources resources = parse_resources_text(request.resources().value());
  t.container->update(resources);
  reply_empty(call);
}

void TaskService::stats(const CallPtr& call) {
  auto request = parse_request<task::StatsRequest>(*call);
  TaskRecord& t = task(request.id());
  task::StatsResponse response;
  *response.mutable_stats() = pack_any(to_metrics(t.container->stats()));
  reply(call, response);
}

void TaskService::connect(const CallPtr& call) {
  auto request = parse_request<task::ConnectRequest>(*call);
  task::ConnectResponse response;
  response.set_shim_pid(static_cast<std::uint32_t>(::getpid()));
  auto it = tasks_.find(request.id());
  if (it != tasks_.end()) response.set_task_pid(static_cast<std::uint32_t>(it->second->init.pid));
  response.set_version("cradle");
  reply(call, response);
}

void TaskService::shutdown(const CallPtr& call) {
  reply_empty(call);
  // With containers left (a shim serving a group) Shutdown means nothing.
  if (tasks_.empty()) shutdown_();
}

void TaskService::child_exited(pid_t pid, int status) {
  for (auto& [id, t] : tasks_) {
    if (t->init.pid == pid && !t->init.exit) {
      record_exit(*t, t->init, status);
      return;
    }
    for (auto& [exec_id, e] : t->execs) {
      if (e.pid == pid && !e.exit) {
        record_exit(*t, e, status);
        return;
      }
    }
  }
  // An orphan the shim adopted as subreaper: reaped, nothing to report.
}

void TaskService::record_exit(TaskRecord& t, ProcessRecord& p, int status) {
  if (p.exec_id.empty()) trace_mark("init_exited");
  p.exit = ExitRecord{status, now_realtime()};
  if (p.exec_id.empty() && !t.container->has_own_pid_namespace()) {
    // Without a pid namespace of its own, nothing kills the init's children with it.
    t.container->cgroup().kill();
  }
  std::string id = t.id;
  std::string exec_id = p.exec_id;
  auto publish = [this, id, exec_id] {
    auto it = tasks_.find(id);
    if (it == tasks_.end()) return;
    TaskRecord& task = *it->second;
    if (exec_id.empty()) {
      publish_exit(task, task.init);
    } else if (auto e = task.execs.find(exec_id); e != task.execs.end()) {
      publish_exit(task, e->second);
    }
  };
  if (p.stdio) {
    p.stdio->on_output_done(publish);
  } else {
    publish();
  }
}

void TaskService::publish_exit(TaskRecord& t, ProcessRecord& p) {
  if (p.exit_published) return;
  p.exit_published = true;
  if (p.exec_id.empty()) trace_mark("exit_published");
  events::TaskExit event;
  event.set_container_id(t.id);
  event.set_id(p.exec_id.empty() ? t.id : p.exec_id);
  event.set_pid(static_cast<std::uint32_t>(p.pid));
  event.set_exit_status(static_cast<std::uint32_t>(p.exit->status));
  set_timestamp(event.mutable_exited_at(), p.exit->exited_at);
  events_.publish("/tasks/exit", event);
  task::WaitResponse response;
  response.set_exit_status(event.exit_status());
  *response.mutable_exited_at() = event.exited_at();
  for (auto& waiter : std::exchange(p.waiters, {}))
    reply(waiter, response);
}

}  // namespace cradle::shim
