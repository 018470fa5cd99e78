#include "support/fake_daemon.h"

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <map>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "base/unique_fd.h"
#include "cli/cli.h"
#include "cradle/v1/containers.grpc.pb.h"
#include "cradle/v1/images.grpc.pb.h"
#include "cradle/v1/system.grpc.pb.h"
#include "cradle/v1/tasks.grpc.pb.h"
#include "support/temp_dir.h"

namespace cradle::testing {
namespace {

using namespace std::chrono_literals;
using google::protobuf::Empty;
using google::protobuf::Message;
using grpc::ServerContext;
using grpc::Status;
using grpc::StatusCode;

// Blocking calls check for cancellation (a client's deadline, the server's shutdown) this often.
constexpr auto kPoll = 10ms;
constexpr auto kPatience = 20s;
constexpr uint32_t kInitPid = 4242;

google::protobuf::Timestamp timestamp(cli::TimePoint time) {
  auto nanos = std::chrono::duration_cast<std::chrono::nanoseconds>(time.time_since_epoch());
  google::protobuf::Timestamp out;
  out.set_seconds(nanos.count() / 1'000'000'000);
  out.set_nanos(static_cast<int32_t>(nanos.count() % 1'000'000'000));
  return out;
}

// 64 hex digits, different in the first two for each n.
std::string make_id(int n) {
  char pair[3];
  std::snprintf(pair, sizeof pair, "%02x", n & 0xff);
  std::string id;
  for (int i = 0; i < 32; ++i)
    id += pair;
  return id;
}

struct Process {
  bool started = false;
  bool exited = false;
  uint32_t exit_status = 0;
  google::protobuf::Timestamp exited_at;
};

using ProcessKey = std::pair<std::string, std::string>;  // container id, exec id

struct Call {
  std::string method;
  std::string ns;
  std::shared_ptr<const Message> request;
};

// Everything the services share, behind one mutex; `changed` wakes blocked calls (Wait,
// Attach) when something happens.
struct DaemonState {
  std::mutex mutex;
  std::condition_variable changed;
  bool stopping = false;
  std::vector<v1::Container> containers;
  std::map<ProcessKey, Process> processes;
  int next_id = 1;
  int next_exec = 1;
  ProcessScript script;
  std::map<std::string, Status> failures;
  std::vector<v1::LogEntry> logs;
  std::vector<v1::Envelope> events;
  bool events_keep_open = false;
  std::deque<v1::StatsResponse> stats;
  std::vector<v1::Image> images;
  std::vector<Call> calls;

  // Records the call and answers the failure scripted for it, if any.
  Status begin(ServerContext* ctx, const std::string& method, const Message& request) {
    std::lock_guard lock(mutex);
    record(ctx, method, request);
    auto failure = failures.find(method);
    return failure == failures.end() ? Status::OK : failure->second;
  }

  void record(ServerContext* ctx, const std::string& method, const Message& request) {
    std::shared_ptr<Message> copy(request.New());
    copy->CopyFrom(request);
    std::string ns;
    auto metadata = ctx->client_metadata().find("cradle-namespace");
    if (metadata != ctx->client_metadata().end())
      ns.assign(metadata->second.data(), metadata->second.size());
    calls.push_back({method, ns, std::move(copy)});
    changed.notify_all();
  }

  // By name, id or unambiguous id prefix; the mutex is held.
  v1::Container* find(const std::string& ref) {
    v1::Container* match = nullptr;
    for (auto& container : containers) {
      if (container.name() == ref || container.id() == ref) return &container;
      if (!ref.empty() && container.id().starts_with(ref)) {
        if (match != nullptr) return nullptr;
        match = &container;
      }
    }
    return match;
  }

  Process* find_process(const v1::TaskRef& ref, ProcessKey* key = nullptr) {
    v1::Container* container = find(ref.container_id());
    if (container == nullptr) return nullptr;
    auto found = processes.find({container->id(), ref.exec_id()});
    if (found == processes.end()) return nullptr;
    if (key != nullptr) *key = found->first;
    return &found->second;
  }

  // The process ends; an init's container follows (and is removed when it asked for it).
  void exit_process(const ProcessKey& key, uint32_t status) {
    Process& process = processes[key];
    if (process.exited) return;
    process.exited = true;
    process.exit_status = status;
    process.exited_at = timestamp(std::chrono::system_clock::now());
    if (key.second.empty()) {
      for (auto it = containers.begin(); it != containers.end(); ++it) {
        if (it->id() != key.first) continue;
        it->set_status(v1::TASK_STATUS_STOPPED);
        it->set_exit_status(status);
        it->set_pid(0);
        *it->mutable_exited_at() = process.exited_at;
        if (it->config().auto_remove()) containers.erase(it);
        break;
      }
    }
    changed.notify_all();
  }

  // Waits on `changed` until `done` holds; false when the call was cancelled or the daemon
  // stops. The lock is held on return.
  template <typename Predicate>
  bool wait(std::unique_lock<std::mutex>& lock, ServerContext* ctx, Predicate done) {
    while (!done()) {
      if (stopping || ctx->IsCancelled()) return false;
      changed.wait_for(lock, kPoll);
    }
    return true;
  }
};

Status not_found(const std::string& what) {
  return Status(StatusCode::NOT_FOUND, what + " not found");
}

class ContainersService final : public v1::Containers::Service {
 public:
  explicit ContainersService(DaemonState& d) : d_(d) {}

  Status Create(ServerContext* ctx, const v1::CreateContainerRequest* request,
                v1::Container* response) override {
    if (Status s = d_.begin(ctx, "Containers.Create", *request); !s.ok()) return s;
    std::lock_guard lock(d_.mutex);
    std::string name = request->name();
    if (name.empty()) name = "fake_" + std::to_string(d_.next_id);
    if (d_.find(name) != nullptr)
      return Status(StatusCode::ALREADY_EXISTS, "the name \"" + name + "\" is already in use");
    v1::Container container;
    container.set_id(make_id(d_.next_id++));
    container.set_name(name);
    container.set_image(request->image());
    *container.mutable_labels() = request->labels();
    *container.mutable_config() = request->config();
    *container.mutable_created_at() = timestamp(std::chrono::system_clock::now());
    container.set_status(v1::TASK_STATUS_NONE);
    d_.containers.push_back(container);
    *response = container;
    return Status::OK;
  }

  Status Get(ServerContext* ctx, const v1::GetContainerRequest* request,
             v1::Container* response) override {
    return answer(ctx, "Containers.Get", *request, request->id(), response);
  }

  Status List(ServerContext* ctx, const v1::ListContainersRequest* request,
              v1::ListContainersResponse* response) override {
    if (Status s = d_.begin(ctx, "Containers.List", *request); !s.ok()) return s;
    std::lock_guard lock(d_.mutex);
    for (const auto& container : d_.containers)
      if (request->all() || container.status() == v1::TASK_STATUS_RUNNING ||
          container.status() == v1::TASK_STATUS_PAUSED)
        *response->add_containers() = container;
    return Status::OK;
  }

  // Records the update; the fake keeps no resources to change.
  Status Update(ServerContext* ctx, const v1::UpdateContainerRequest* request,
                v1::Container* response) override {
    return answer(ctx, "Containers.Update", *request, request->id(), response);
  }

  Status Delete(ServerContext* ctx, const v1::DeleteContainerRequest* request, Empty*) override {
    if (Status s = d_.begin(ctx, "Containers.Delete", *request); !s.ok()) return s;
    std::lock_guard lock(d_.mutex);
    v1::Container* container = d_.find(request->id());
    if (container == nullptr) return not_found("container " + request->id());
    bool live = container->status() == v1::TASK_STATUS_RUNNING ||
                container->status() == v1::TASK_STATUS_PAUSED;
    if (live && !request->force())
      return Status(StatusCode::FAILED_PRECONDITION,
                    "container " + container->name() + " is running: stop it or force removal");
    std::string id = container->id();
    if (live) d_.exit_process({id, ""}, 137);
    std::erase_if(d_.containers, [&](const v1::Container& c) { return c.id() == id; });
    return Status::OK;
  }

 private:
  // The container named `ref`, as it is now.
  Status answer(ServerContext* ctx, const std::string& method, const Message& request,
                const std::string& ref, v1::Container* response) {
    if (Status s = d_.begin(ctx, method, request); !s.ok()) return s;
    std::lock_guard lock(d_.mutex);
    v1::Container* container = d_.find(ref);
    if (container == nullptr) return not_found("container " + ref);
    *response = *container;
    return Status::OK;
  }

  DaemonState& d_;
};

class TasksService final : public v1::Tasks::Service {
 public:
  explicit TasksService(DaemonState& d) : d_(d) {}

  Status Create(ServerContext* ctx, const v1::TaskRef* request, v1::Task* response) override {
    if (Status s = d_.begin(ctx, "Tasks.Create", *request); !s.ok()) return s;
    std::lock_guard lock(d_.mutex);
    v1::Container* container = d_.find(request->container_id());
    if (container == nullptr) return not_found("container " + request->container_id());
    d_.processes[{container->id(), ""}] = Process{};
    container->set_status(v1::TASK_STATUS_CREATED);
    response->set_container_id(container->id());
    response->set_status(v1::TASK_STATUS_CREATED);
    return Status::OK;
  }

  Status Start(ServerContext* ctx, const v1::TaskRef* request, v1::Task* response) override {
    if (Status s = d_.begin(ctx, "Tasks.Start", *request); !s.ok()) return s;
    std::lock_guard lock(d_.mutex);
    ProcessKey key;
    Process* process = d_.find_process(*request, &key);
    if (process == nullptr) return not_found("process");
    process->started = true;
    if (key.second.empty()) {
      v1::Container* container = d_.find(key.first);
      container->set_status(v1::TASK_STATUS_RUNNING);
      container->set_pid(kInitPid);
    }
    d_.changed.notify_all();
    response->set_container_id(key.first);
    response->set_exec_id(key.second);
    response->set_status(v1::TASK_STATUS_RUNNING);
    if (d_.script.exit_at_start) d_.exit_process(key, d_.script.exit_status);
    return Status::OK;
  }

  Status Delete(ServerContext* ctx, const v1::TaskRef* request, v1::ExitStatus* response) override {
    if (Status s = d_.begin(ctx, "Tasks.Delete", *request); !s.ok()) return s;
    std::lock_guard lock(d_.mutex);
    ProcessKey key;
    Process* process = d_.find_process(*request, &key);
    if (process == nullptr) return not_found("task");
    response->set_exit_status(process->exit_status);
    d_.processes.erase(key);
    if (key.second.empty()) d_.find(key.first)->set_status(v1::TASK_STATUS_NONE);
    return Status::OK;
  }

  Status Kill(ServerContext* ctx, const v1::KillRequest* request, Empty*) override {
    if (Status s = d_.begin(ctx, "Tasks.Kill", *request); !s.ok()) return s;
    std::lock_guard lock(d_.mutex);
    ProcessKey key;
    Process* process = d_.find_process(request->ref(), &key);
    if (process == nullptr || process->exited) return not_found("running process");
    if (!d_.script.ignored_signals.contains(request->signal()))
      d_.exit_process(key, 128 + request->signal());
    return Status::OK;
  }

  Status Exec(ServerContext* ctx, const v1::ExecRequest* request,
              v1::ExecResponse* response) override {
    if (Status s = d_.begin(ctx, "Tasks.Exec", *request); !s.ok()) return s;
    std::lock_guard lock(d_.mutex);
    v1::Container* container = d_.find(request->container_id());
    if (container == nullptr) return not_found("container " + request->container_id());
    std::string exec_id = request->exec_id();
    if (exec_id.empty()) exec_id = "exec-" + std::to_string(d_.next_exec++);
    d_.processes[{container->id(), exec_id}] = Process{};
    response->set_exec_id(exec_id);
    return Status::OK;
  }

  Status Wait(ServerContext* ctx, const v1::TaskRef* request, v1::ExitStatus* response) override {
    if (Status s = d_.begin(ctx, "Tasks.Wait", *request); !s.ok()) return s;
    std::unique_lock lock(d_.mutex);
    ProcessKey key;
    if (d_.find_process(*request, &key) == nullptr) return not_found("task");
    if (!d_.wait(lock, ctx, [&] { return d_.processes[key].exited; }))
      return Status(StatusCode::CANCELLED, "wait cancelled");
    response->set_exit_status(d_.processes[key].exit_status);
    *response->mutable_exited_at() = d_.processes[key].exited_at;
    return Status::OK;
  }

  Status Pause(ServerContext* ctx, const v1::TaskRef* request, Empty*) override {
    return set_status(ctx, "Tasks.Pause", *request, v1::TASK_STATUS_PAUSED);
  }

  Status Resume(ServerContext* ctx, const v1::TaskRef* request, Empty*) override {
    return set_status(ctx, "Tasks.Resume", *request, v1::TASK_STATUS_RUNNING);
  }

  Status Stats(ServerContext* ctx, const v1::TaskRef* request,
               v1::StatsResponse* response) override {
    if (Status s = d_.begin(ctx, "Tasks.Stats", *request); !s.ok()) return s;
    std::lock_guard lock(d_.mutex);
    if (d_.find_process(*request) == nullptr) return not_found("task");
    if (d_.stats.empty()) return Status::OK;
    *response = d_.stats.front();
    if (d_.stats.size() > 1) d_.stats.pop_front();
    return Status::OK;
  }

  Status Logs(ServerContext* ctx, const v1::LogsRequest* request,
              grpc::ServerWriter<v1::LogEntry>* writer) override {
    if (Status s = d_.begin(ctx, "Tasks.Logs", *request); !s.ok()) return s;
    std::vector<v1::LogEntry> entries;
    {
      std::lock_guard lock(d_.mutex);
      if (d_.find(request->container_id()) == nullptr)
        return not_found("container " + request->container_id());
      entries = d_.logs;
    }
    for (const auto& entry : entries)
      writer->Write(entry);
    return Status::OK;
  }

  Status Attach(ServerContext* ctx,
                grpc::ServerReaderWriter<v1::AttachOutput, v1::AttachInput>* stream) override {
    v1::AttachInput first;
    if (!stream->Read(&first)) return Status(StatusCode::INVALID_ARGUMENT, "no first message");
    if (Status s = d_.begin(ctx, "Tasks.Attach", first); !s.ok()) return s;
    ProcessKey key;
    ProcessScript script;
    {
      std::lock_guard lock(d_.mutex);
      if (d_.find_process(first.ref(), &key) == nullptr) return not_found("process");
      script = d_.script;
    }
    if (script.acknowledge_attach) stream->SendInitialMetadata();
    {
      std::unique_lock lock(d_.mutex);
      if (!d_.wait(lock, ctx, [&] { return d_.processes[key].started; }))
        return Status(StatusCode::CANCELLED, "attach cancelled");
    }
    // Before the reader thread exists, so the status reaches the client at once.
    if (script.attach_error) return *script.attach_error;

    // The client's messages, read on a thread of their own so that an exit (a Kill from
    // another call) is seen while no input comes.
    std::deque<v1::AttachInput> inputs;
    bool input_ended = false;
    std::thread reader([&] {
      v1::AttachInput input;
      while (stream->Read(&input)) {
        std::lock_guard lock(d_.mutex);
        d_.record(ctx, "Tasks.Attach", input);
        inputs.push_back(input);
      }
      std::lock_guard lock(d_.mutex);
      input_ended = true;
      d_.changed.notify_all();
    });

    Status result = relay(ctx, stream, key, script, inputs);
    std::unique_lock lock(d_.mutex);
    // A well-behaved client half-closes once it has the exit; one that does not is cut off.
    auto patience = std::chrono::steady_clock::now() + kPatience;
    while (!input_ended && std::chrono::steady_clock::now() < patience && !d_.stopping)
      d_.changed.wait_for(lock, kPoll);
    if (!input_ended) ctx->TryCancel();
    lock.unlock();
    reader.join();
    return result;
  }

 private:
  Status set_status(ServerContext* ctx, const std::string& method, const v1::TaskRef& request,
                    v1::TaskStatus status) {
    if (Status s = d_.begin(ctx, method, request); !s.ok()) return s;
    std::lock_guard lock(d_.mutex);
    v1::Container* container = d_.find(request.container_id());
    if (container == nullptr) return not_found("container " + request.container_id());
    container->set_status(status);
    return Status::OK;
  }

  // The started process's side of an Attach: its output, stdin echoed, the exit message.
  Status relay(ServerContext* ctx,
               grpc::ServerReaderWriter<v1::AttachOutput, v1::AttachInput>* stream,
               const ProcessKey& key, const ProcessScript& script,
               std::deque<v1::AttachInput>& inputs) {
    v1::AttachOutput output;
    output.set_stdout(script.stdout_text);
    output.set_stderr(script.stderr_text);
    if (!script.stdout_text.empty() || !script.stderr_text.empty()) stream->Write(output);

    std::string stdin_seen;
    for (;;) {
      std::unique_lock lock(d_.mutex);
      if (!d_.wait(lock, ctx, [&] { return !inputs.empty() || d_.processes[key].exited; }))
        return Status(StatusCode::CANCELLED, "attach cancelled");
      if (inputs.empty()) {
        v1::AttachOutput last;
        last.mutable_exit()->set_exit_status(d_.processes[key].exit_status);
        *last.mutable_exit()->mutable_exited_at() = d_.processes[key].exited_at;
        lock.unlock();
        stream->Write(last);
        return Status::OK;
      }
      v1::AttachInput input = inputs.front();
      inputs.pop_front();
      lock.unlock();
      if (script.on_input) script.on_input(input);
      if (script.echo_stdin && !input.stdin().empty()) {
        v1::AttachOutput echo;
        echo.set_stdout(input.stdin());
        stream->Write(echo);
      }
      stdin_seen += input.stdin();
      bool ends = (!script.exit_on_input.empty() &&
                   stdin_seen.find(script.exit_on_input) != std::string::npos) ||
                  (script.exit_on_close_stdin && input.close_stdin());
      if (ends) {
        lock.lock();
        d_.exit_process(key, script.exit_status);
      }
    }
  }

  DaemonState& d_;
};

class ImagesService final : public v1::Images::Service {
 public:
  explicit ImagesService(DaemonState& d) : d_(d) {}

  Status Import(ServerContext* ctx, grpc::ServerReader<v1::ImportChunk>* reader,
                v1::ImportResponse* response) override {
    v1::ImportChunk chunk;
    std::string name;
    bool first = true;
    while (reader->Read(&chunk)) {
      if (first) name = chunk.name();
      first = false;
      if (Status s = d_.begin(ctx, "Images.Import", chunk); !s.ok()) return s;
    }
    v1::Image* image = response->add_images();
    image->set_name(name.empty() ? "docker.io/library/imported:latest" : name);
    image->set_digest("sha256:" + make_id(0xab));
    return Status::OK;
  }

  Status List(ServerContext* ctx, const Empty* request, v1::ListImagesResponse* response) override {
    if (Status s = d_.begin(ctx, "Images.List", *request); !s.ok()) return s;
    std::lock_guard lock(d_.mutex);
    for (const auto& image : d_.images)
      *response->add_images() = image;
    return Status::OK;
  }

  Status Remove(ServerContext* ctx, const v1::RemoveImageRequest* request, Empty*) override {
    if (Status s = d_.begin(ctx, "Images.Remove", *request); !s.ok()) return s;
    std::lock_guard lock(d_.mutex);
    auto removed = std::erase_if(
        d_.images, [&](const v1::Image& image) { return image.name() == request->name(); });
    return removed == 0 ? not_found("image " + request->name()) : Status::OK;
  }

 private:
  DaemonState& d_;
};

class EventsService final : public v1::Events::Service {
 public:
  explicit EventsService(DaemonState& d) : d_(d) {}

  Status Subscribe(ServerContext* ctx, const v1::SubscribeRequest* request,
                   grpc::ServerWriter<v1::Envelope>* writer) override {
    if (Status s = d_.begin(ctx, "Events.Subscribe", *request); !s.ok()) return s;
    std::vector<v1::Envelope> events;
    {
      std::lock_guard lock(d_.mutex);
      events = d_.events;
    }
    for (const auto& event : events)
      writer->Write(event);
    std::unique_lock lock(d_.mutex);
    if (d_.events_keep_open) d_.wait(lock, ctx, [] { return false; });
    return Status::OK;
  }

 private:
  DaemonState& d_;
};

class SystemService final : public v1::System::Service {
 public:
  explicit SystemService(DaemonState& d) : d_(d) {}

  Status Version(ServerContext* ctx, const Empty* request, v1::VersionResponse* response) override {
    if (Status s = d_.begin(ctx, "System.Version", *request); !s.ok()) return s;
    response->set_version("9.9.9-fake");
    response->set_revision("fakerev");
    return Status::OK;
  }

  Status Health(ServerContext* ctx, const Empty* request, Empty*) override {
    return d_.begin(ctx, "System.Health", *request);
  }

  Status Info(ServerContext* ctx, const Empty* request, v1::InfoResponse* response) override {
    if (Status s = d_.begin(ctx, "System.Info", *request); !s.ok()) return s;
    std::lock_guard lock(d_.mutex);
    response->set_version("9.9.9-fake");
    response->set_root_dir("/var/lib/cradle");
    response->set_state_dir("/run/cradle");
    response->set_cgroup_v2_mount("/sys/fs/cgroup");
    response->set_cgroup_v2_pure(true);
    response->add_cgroup_controllers("cpu");
    response->add_cgroup_controllers("memory");
    response->set_containers(static_cast<uint32_t>(d_.containers.size()));
    response->set_images(static_cast<uint32_t>(d_.images.size()));
    response->set_kernel("6.1.0-fake");
    return Status::OK;
  }

 private:
  DaemonState& d_;
};

}  // namespace

class FakeDaemon::Impl {
 public:
  Impl() : containers(state), tasks(state), images(state), events(state), system(state) {
    grpc::ServerBuilder builder;
    builder.AddListeningPort("unix:" + socket_path, grpc::InsecureServerCredentials());
    builder.RegisterService(&containers);
    builder.RegisterService(&tasks);
    builder.RegisterService(&images);
    builder.RegisterService(&events);
    builder.RegisterService(&system);
    server = builder.BuildAndStart();
    if (!server) throw std::runtime_error("the fake daemon cannot listen on " + socket_path);
  }

  ~Impl() {
    {
      std::lock_guard lock(state.mutex);
      state.stopping = true;
      state.changed.notify_all();
    }
    server->Shutdown(std::chrono::system_clock::now() + 1s);
  }

  DaemonState state;
  TempDir dir;
  std::string socket_path = dir.path() + "/cradled.sock";
  ContainersService containers;
  TasksService tasks;
  ImagesService images;
  EventsService events;
  SystemService system;
  std::unique_ptr<grpc::Server> server;
};

FakeDaemon::FakeDaemon() : impl_(std::make_unique<Impl>()) {}

FakeDaemon::~FakeDaemon() = default;

const std::string& FakeDaemon::socket_path() const {
  return impl_->socket_path;
}

v1::Container FakeDaemon::add_container(v1::Container container) {
  DaemonState& d = impl_->state;
  std::lock_guard lock(d.mutex);
  if (container.id().empty()) container.set_id(make_id(d.next_id++));
  if (container.status() == v1::TASK_STATUS_RUNNING ||
      container.status() == v1::TASK_STATUS_PAUSED) {
    d.processes[{container.id(), ""}].started = true;
    container.set_pid(kInitPid);
  }
  d.containers.push_back(container);
  return container;
}

void FakeDaemon::set_script(ProcessScript script) {
  std::lock_guard lock(impl_->state.mutex);
  impl_->state.script = std::move(script);
}

void FakeDaemon::fail(const std::string& method, grpc::Status status) {
  std::lock_guard lock(impl_->state.mutex);
  impl_->state.failures[method] = std::move(status);
}

void FakeDaemon::set_logs(std::vector<v1::LogEntry> entries) {
  std::lock_guard lock(impl_->state.mutex);
  impl_->state.logs = std::move(entries);
}

void FakeDaemon::set_events(std::vector<v1::Envelope> events, bool keep_open) {
  std::lock_guard lock(impl_->state.mutex);
  impl_->state.events = std::move(events);
  impl_->state.events_keep_open = keep_open;
}

void FakeDaemon::set_stats(std::vector<v1::StatsResponse> samples) {
  std::lock_guard lock(impl_->state.mutex);
  impl_->state.stats.assign(samples.begin(), samples.end());
}

void FakeDaemon::set_images(std::vector<v1::Image> images) {
  std::lock_guard lock(impl_->state.mutex);
  impl_->state.images = std::move(images);
}

std::vector<std::string> FakeDaemon::calls() const {
  std::lock_guard lock(impl_->state.mutex);
  std::vector<std::string> methods;
  for (const auto& call : impl_->state.calls) {
    // A stream's later messages are not calls of their own.
    if (call.method == "Tasks.Attach" &&
        dynamic_cast<const v1::AttachInput&>(*call.request).has_ref() == false)
      continue;
    if (call.method == "Images.Import" && !methods.empty() && methods.back() == "Images.Import")
      continue;
    methods.push_back(call.method);
  }
  return methods;
}

std::vector<std::shared_ptr<const google::protobuf::Message>> FakeDaemon::recorded(
    const std::string& method) const {
  std::lock_guard lock(impl_->state.mutex);
  std::vector<std::shared_ptr<const google::protobuf::Message>> out;
  for (const auto& call : impl_->state.calls)
    if (call.method == method) out.push_back(call.request);
  return out;
}

std::vector<std::string> FakeDaemon::namespaces() const {
  std::lock_guard lock(impl_->state.mutex);
  std::vector<std::string> out;
  for (const auto& call : impl_->state.calls)
    out.push_back(call.ns);
  return out;
}

std::optional<v1::Container> FakeDaemon::container(const std::string& ref) const {
  std::lock_guard lock(impl_->state.mutex);
  const v1::Container* found = impl_->state.find(ref);
  if (found == nullptr) return std::nullopt;
  return *found;
}

bool FakeDaemon::wait_for_requests(const std::string& method, std::size_t count) const {
  DaemonState& d = impl_->state;
  std::unique_lock lock(d.mutex);
  return d.changed.wait_for(lock, kPatience, [&] {
    return static_cast<std::size_t>(
               std::count_if(d.calls.begin(), d.calls.end(),
                             [&](const Call& call) { return call.method == method; })) >= count;
  });
}

cli::TimePoint test_now() {
  return cli::TimePoint(std::chrono::seconds(1714564800));
}

namespace {

UniqueFd memfd(const char* name) {
  UniqueFd fd(::memfd_create(name, MFD_CLOEXEC));
  if (!fd) throw std::runtime_error("memfd_create failed");
  return fd;
}

std::string contents(int fd) {
  std::string out;
  char buffer[4096];
  ssize_t got;
  ::lseek(fd, 0, SEEK_SET);
  while ((got = ::read(fd, buffer, sizeof buffer)) > 0)
    out.append(buffer, static_cast<std::size_t>(got));
  return out;
}

}  // namespace

CliResult run_cli_at(const std::string& socket, const std::vector<std::string>& args,
                     const CliInput& input) {
  UniqueFd in = memfd("cli-stdin");
  UniqueFd out = memfd("cli-stdout");
  UniqueFd err = memfd("cli-stderr");
  if (!write_fully(in.get(), input.stdin_text)) throw std::runtime_error("write stdin");
  ::lseek(in.get(), 0, SEEK_SET);

  cli::Environment env;
  env.in_fd = input.stdin_fd >= 0 ? input.stdin_fd : in.get();
  env.out_fd = out.get();
  env.err_fd = err.get();
  env.now = [] { return test_now(); };
  env.sleep = [](std::chrono::milliseconds) {};
  std::vector<std::string> words = {"--socket", socket};
  words.insert(words.end(), args.begin(), args.end());
  CliResult result;
  result.status = cli::run_cli(words, env);
  result.out = contents(out.get());
  result.err = contents(err.get());
  return result;
}

}  // namespace cradle::testing
