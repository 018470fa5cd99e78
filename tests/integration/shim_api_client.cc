#include "shim_api_client.h"

#include <signal.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <chrono>
#include <stdexcept>

#include "api/ttrpc/server.h"
#include "base/file_io.h"
#include "github.com/containerd/containerd/api/services/ttrpc/events/v1/events.pb.h"
#include "github.com/containerd/containerd/runtime/v2/task/shim.pb.h"
#include "shim/shim_socket.h"
#include "support/subprocess.h"

namespace cradle::testing {

containerd::task::v2::CreateTaskRequest busybox_create_request(const std::string& id,
                                                               const std::string& bundle_path) {
  containerd::task::v2::CreateTaskRequest request;
  request.set_id(id);
  request.set_bundle(bundle_path);
  auto* mount = request.add_rootfs();
  mount->set_type("bind");
  mount->set_source(CRADLE_BUSYBOX_ROOTFS);
  mount->add_options("rbind");
  mount->add_options("ro");
  return request;
}

EventsRecorder::EventsRecorder(const std::string& socket_path) {
  loop_ = std::make_unique<EventLoop>();
  wake_fd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  auto server = std::make_shared<ttrpc::TtrpcServer>(*loop_, shim::listen_unix(socket_path));
  server->register_method("containerd.services.events.ttrpc.v1.Events", "Forward",
                          [this](std::shared_ptr<ttrpc::TtrpcCall> call) {
                            containerd::services::events::ttrpc::v1::ForwardRequest request;
                            request.ParseFromString(call->payload());
                            {
                              std::lock_guard lock(mutex_);
                              topics_.push_back(request.envelope().topic());
                            }
                            changed_.notify_all();
                            call->reply({});
                          });
  loop_->add(wake_fd_, EPOLLIN, [this](std::uint32_t) { loop_->stop(); });
  thread_ = std::thread([this, server] { loop_->run(); });
}

EventsRecorder::~EventsRecorder() {
  std::uint64_t one = 1;
  static_cast<void>(::write(wake_fd_, &one, sizeof one));
  thread_.join();
  ::close(wake_fd_);
}

std::vector<std::string> EventsRecorder::wait_for(const std::string& topic, int count) {
  std::unique_lock lock(mutex_);
  changed_.wait_for(lock, std::chrono::seconds(10),
                    [&] { return std::count(topics_.begin(), topics_.end(), topic) >= count; });
  return topics_;
}

ShimUnderTest::ShimUnderTest(BusyboxBundle& bundle, const std::string& id,
                             const std::string& events_socket) {
  bundle.write();
  std::string command = "cd '" + bundle.path() + "' && TTRPC_ADDRESS=" + events_socket + " exec " +
                        CRADLE_SHIM_BINARY + " -namespace cradle-test -address " + bundle.path() +
                        "/containerd.sock -publish-binary /bin/true -id " + id + " start";
  ProcessResult started = run_process({"/bin/sh", "-c", command});
  if (started.status != 0 || !started.err.empty() || !started.out.starts_with("unix://")) {
    throw std::runtime_error("cradle-shim start failed (" + std::to_string(started.status) +
                             "): out \"" + started.out + "\" err \"" + started.err + "\"");
  }
  socket_ = started.out.substr(7);
  client_ = std::make_unique<ttrpc::BlockingTtrpcClient>(socket_);
  containerd::task::v2::ConnectRequest connect;
  connect.set_id(id);
  shim_pid_ = static_cast<pid_t>(
      call<containerd::task::v2::ConnectResponse>("Connect", connect).shim_pid());
}

ShimUnderTest::~ShimUnderTest() {
  if (!running()) return;
  containerd::task::v2::ShutdownRequest shutdown;
  client_->call("containerd.task.v2.Task", "Shutdown", shutdown.SerializeAsString(),
                std::chrono::seconds(3));
  for (int i = 0; i < 100 && running(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  if (running()) ::kill(shim_pid_, SIGKILL);
}

bool ShimUnderTest::running() const {
  // A shim that exited stays a zombie until whoever adopted it reaps it: that is not running.
  std::string stat;
  try {
    stat = read_file("/proc/" + std::to_string(shim_pid_) + "/stat");
  } catch (const Error&) {
    return false;
  }
  auto state = stat.find(") ");
  return state != std::string::npos && stat[state + 2] != 'Z' && stat[state + 2] != 'X';
}

std::string ShimUnderTest::call_raw(const std::string& method, const std::string& payload) {
  ttrpc::RpcResult result =
      client_->call("containerd.task.v2.Task", method, payload, std::chrono::seconds(30));
  if (!result.ok()) {
    throw Error(
        ErrorCode::kInternal,
        method + ": " + std::string(ttrpc::status_code_name(result.code)) + ": " + result.message);
  }
  return result.payload;
}

std::unique_ptr<ttrpc::BlockingTtrpcClient> ShimUnderTest::another_connection() const {
  return std::make_unique<ttrpc::BlockingTtrpcClient>(socket_);
}

}  // namespace cradle::testing
