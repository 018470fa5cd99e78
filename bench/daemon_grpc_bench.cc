// One gRPC round trip to cradled (System.Health) over its unix socket: the floor under every
// `cradle` command. The daemon is a real one of the benchmark's own, on a root, state and socket
// in a temp directory (as tests/daemon/test_daemon.cc starts it), stopped by pid afterwards.
#include <benchmark/benchmark.h>
#include <grpcpp/grpcpp.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <thread>

#include "cradle/v1/system.grpc.pb.h"

namespace cradle {
namespace {

class BenchDaemon {
 public:
  BenchDaemon() {
    char dir[] = "/tmp/cradle-bench-daemon-XXXXXX";
    if (::mkdtemp(dir) == nullptr) return;
    dir_ = dir;
    std::ofstream(dir_ + "/config.yaml") << "# cradled of cradle_micro_bench\n";
    pid_ = ::fork();
    if (pid_ == 0) {
      ::setsid();
      if (std::freopen((dir_ + "/cradled.log").c_str(), "a", stderr) == nullptr) ::_exit(127);
      std::string daemon = std::string(CRADLE_BENCH_BIN_DIR) + "/cradled";
      ::execl(daemon.c_str(), daemon.c_str(), "--root", (dir_ + "/root").c_str(), "--state",
              (dir_ + "/state").c_str(), "--socket", socket().c_str(), "--config",
              (dir_ + "/config.yaml").c_str(), nullptr);
      ::_exit(127);
    }
  }
  ~BenchDaemon() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      ::waitpid(pid_, nullptr, 0);
    }
    std::error_code ignored;
    if (!dir_.empty()) std::filesystem::remove_all(dir_, ignored);
  }
  std::string socket() const { return dir_ + "/cradled.sock"; }
  bool started() const { return pid_ > 0; }

 private:
  std::string dir_;
  pid_t pid_ = -1;
};

grpc::Status health(v1::System::Stub& stub) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  google::protobuf::Empty request;
  google::protobuf::Empty response;
  return stub.Health(&context, request, &response);
}

void BM_DaemonHealth(benchmark::State& state) {
  if (::geteuid() != 0) {
    state.SkipWithError("needs root");
    return;
  }
  BenchDaemon daemon;
  if (!daemon.started()) {
    state.SkipWithError("cannot start cradled");
    return;
  }
  auto channel = grpc::CreateChannel("unix:" + daemon.socket(), grpc::InsecureChannelCredentials());
  auto stub = v1::System::NewStub(channel);
  // Until it answers (it imports the built-in image at its first start).
  grpc::Status status;
  for (int i = 0; i < 200 && !(status = health(*stub)).ok(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  if (!status.ok()) {
    state.SkipWithError(("cradled does not answer: " + status.error_message()).c_str());
    return;
  }
  for (auto _ : state) {
    status = health(*stub);
    if (!status.ok()) {
      state.SkipWithError(status.error_message().c_str());
      break;
    }
  }
}
BENCHMARK(BM_DaemonHealth)->UseRealTime();

}  // namespace
}  // namespace cradle
