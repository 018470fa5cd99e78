#include "api/shim_client/ttrpc_shim_client.h"

#include "api/shim_client/metrics_conversion.h"
#include "base/error.h"
#include "github.com/containerd/containerd/api/types/task/task.pb.h"
#include "github.com/containerd/containerd/runtime/v2/task/shim.pb.h"

namespace cradle::api {
namespace {

namespace task = containerd::task::v2;
using containerd::v1::types::Status;

constexpr const char* kService = "containerd.task.v2.Task";

ErrorCode error_code(ttrpc::StatusCode code) {
  switch (code) {
    case ttrpc::StatusCode::kNotFound: return ErrorCode::kNotFound;
    case ttrpc::StatusCode::kAlreadyExists: return ErrorCode::kAlreadyExists;
    case ttrpc::StatusCode::kInvalidArgument: return ErrorCode::kInvalidArgument;
    case ttrpc::StatusCode::kFailedPrecondition: return ErrorCode::kFailedPrecondition;
    case ttrpc::StatusCode::kUnavailable: return ErrorCode::kUnavailable;
    case ttrpc::StatusCode::kPermissionDenied: return ErrorCode::kPermissionDenied;
    case ttrpc::StatusCode::kResourceExhausted: return ErrorCode::kResourceExhausted;
    case ttrpc::StatusCode::kUnimplemented: return ErrorCode::kUnimplemented;
    default: return ErrorCode::kInternal;
  }
}

// containerd appends the class of an error to its message (": not found"); the daemon's users
// read the message without it.
std::string message_of(const ttrpc::RpcResult& result) {
  std::string m = result.message;
  for (const char* suffix : {": not found", ": already exists"}) {
    if (m.ends_with(suffix)) m.resize(m.size() - std::string(suffix).size());
  }
  return m;
}

template <typename Request>
Request with_ids(const std::string& id, const std::string& exec_id) {
  Request r;
  r.set_id(id);
  r.set_exec_id(exec_id);
  return r;
}

std::int64_t to_ns(const google::protobuf::Timestamp& t) {
  return t.seconds() * 1'000'000'000LL + t.nanos();
}

ShimExit exit_of(std::uint32_t pid, std::uint32_t status, const google::protobuf::Timestamp& at) {
  return ShimExit{pid, status, to_ns(at)};
}

void set_io(const TaskIo& io, auto& request) {
  request.set_stdin(io.stdin_path);
  request.set_stdout(io.stdout_path);
  request.set_stderr(io.stderr_path);
  request.set_terminal(io.terminal);
}

}  // namespace

std::string TtrpcShimClient::call(const char* method, const std::string& payload) {
  std::unique_ptr<ttrpc::BlockingTtrpcClient> client;
  {
    std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      client = std::move(idle_.back());
      idle_.pop_back();
    }
  }
  if (!client) client = std::make_unique<ttrpc::BlockingTtrpcClient>(socket_path_);
  ttrpc::RpcResult result = client->call(kService, method, payload);
  {
    std::lock_guard lock(mutex_);
    // A few idle connections are enough; the rest close.
    if (idle_.size() < 4) idle_.push_back(std::move(client));
  }
  if (!result.ok()) throw Error(error_code(result.code), message_of(result));
  return result.payload;
}

template <typename Response>
static Response parse(const std::string& payload) {
  Response r;
  if (!r.ParseFromString(payload))
    throw Error(ErrorCode::kInternal, "a shim sent a malformed reply");
  return r;
}

ShimConnection TtrpcShimClient::connect(const std::string& id) {
  task::ConnectRequest r;
  r.set_id(id);
  auto reply = parse<task::ConnectResponse>(call("Connect", r.SerializeAsString()));
  return {static_cast<pid_t>(reply.shim_pid()), reply.task_pid()};
}

std::uint32_t TtrpcShimClient::create(const std::string& id, const std::string& bundle,
                                      const std::vector<ns::HostMount>& rootfs, const TaskIo& io) {
  task::CreateTaskRequest r;
  r.set_id(id);
  r.set_bundle(bundle);
  for (const auto& m : rootfs) {
    auto* mount = r.add_rootfs();
    mount->set_type(m.type);
    mount->set_source(m.source);
    for (const auto& o : m.options)
      mount->add_options(o);
  }
  set_io(io, r);
  return parse<task::CreateTaskResponse>(call("Create", r.SerializeAsString())).pid();
}

std::uint32_t TtrpcShimClient::start(const std::string& id, const std::string& exec_id) {
  auto r = with_ids<task::StartRequest>(id, exec_id);
  return parse<task::StartResponse>(call("Start", r.SerializeAsString())).pid();
}

ShimProcessState TtrpcShimClient::state(const std::string& id, const std::string& exec_id) {
  auto r = with_ids<task::StateRequest>(id, exec_id);
  auto reply = parse<task::StateResponse>(call("State", r.SerializeAsString()));
  ShimStatus status = ShimStatus::kUnknown;
  switch (reply.status()) {
    case Status::CREATED: status = ShimStatus::kCreated; break;
    case Status::RUNNING: status = ShimStatus::kRunning; break;
    case Status::STOPPED: status = ShimStatus::kStopped; break;
    case Status::PAUSED:
    case Status::PAUSING: status = ShimStatus::kPaused; break;
    default: break;
  }
  return {reply.pid(), status, reply.exit_status(), to_ns(reply.exited_at())};
}

ShimExit TtrpcShimClient::wait(const std::string& id, const std::string& exec_id) {
  auto r = with_ids<task::WaitRequest>(id, exec_id);
  auto reply = parse<task::WaitResponse>(call("Wait", r.SerializeAsString()));
  return exit_of(0, reply.exit_status(), reply.exited_at());
}

void TtrpcShimClient::kill(const std::string& id, const std::string& exec_id, int signal,
                           bool all) {
  auto r = with_ids<task::KillRequest>(id, exec_id);
  r.set_signal(static_cast<std::uint32_t>(signal));
  r.set_all(all);
  call("Kill", r.SerializeAsString());
}

ShimExit TtrpcShimClient::remove(const std::string& id, const std::string& exec_id) {
  auto r = with_ids<task::DeleteRequest>(id, exec_id);
  auto reply = parse<task::DeleteResponse>(call("Delete", r.SerializeAsString()));
  return exit_of(reply.pid(), reply.exit_status(), reply.exited_at());
}

void TtrpcShimClient::exec(const std::string& id, const std::string& exec_id, const TaskIo& io,
                           const std::string& process_json) {
  auto r = with_ids<task::ExecProcessRequest>(id, exec_id);
  set_io(io, r);
  r.mutable_spec()->set_type_url("types.containerd.io/opencontainers/runtime-spec/1/Process");
  r.mutable_spec()->set_value(process_json);
  call("Exec", r.SerializeAsString());
}

std::vector<std::uint32_t> TtrpcShimClient::pids(const std::string& id) {
  task::PidsRequest r;
  r.set_id(id);
  auto reply = parse<task::PidsResponse>(call("Pids", r.SerializeAsString()));
  std::vector<std::uint32_t> out;
  for (const auto& p : reply.processes())
    out.push_back(p.pid());
  return out;
}

void TtrpcShimClient::pause(const std::string& id) {
  task::PauseRequest r;
  r.set_id(id);
  call("Pause", r.SerializeAsString());
}

void TtrpcShimClient::resume(const std::string& id) {
  task::ResumeRequest r;
  r.set_id(id);
  call("Resume", r.SerializeAsString());
}

void TtrpcShimClient::resize(const std::string& id, const std::string& exec_id, unsigned width,
                             unsigned height) {
  auto r = with_ids<task::ResizePtyRequest>(id, exec_id);
  r.set_width(width);
  r.set_height(height);
  call("ResizePty", r.SerializeAsString());
}

void TtrpcShimClient::close_stdin(const std::string& id, const std::string& exec_id) {
  auto r = with_ids<task::CloseIORequest>(id, exec_id);
  r.set_stdin(true);
  call("CloseIO", r.SerializeAsString());
}

void TtrpcShimClient::update(const std::string& id, const std::string& resources_json) {
  task::UpdateTaskRequest r;
  r.set_id(id);
  r.mutable_resources()->set_type_url(
      "types.containerd.io/opencontainers/runtime-spec/1/LinuxResources");
  r.mutable_resources()->set_value(resources_json);
  call("Update", r.SerializeAsString());
}

cgroups::CgroupStats TtrpcShimClient::stats(const std::string& id) {
  task::StatsRequest r;
  r.set_id(id);
  auto reply = parse<task::StatsResponse>(call("Stats", r.SerializeAsString()));
  return from_metrics(reply.stats());
}

void TtrpcShimClient::shutdown(const std::string& id) {
  task::ShutdownRequest r;
  r.set_id(id);
  call("Shutdown", r.SerializeAsString());
}

}  // namespace cradle::api
