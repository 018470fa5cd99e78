// One ttrpc round trip over a unix socket: a blocking client on the benchmark's thread, the
// server on its own thread and EventLoop, with payloads the size of a small task-service call
// and of a large one.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>

#include "api/ttrpc/blocking_client.h"
#include "api/ttrpc/server.h"
#include "api/ttrpc/unix_socket.h"
#include "base/event_loop.h"

namespace cradle::ttrpc {
namespace {

constexpr char kService[] = "cradle.bench.Echo";

// An echo server on its own thread; stopped through its Stop method, so only bytes cross
// threads.
class EchoServer {
 public:
  EchoServer() {
    char dir[] = "/tmp/cradle-bench-XXXXXX";
    if (::mkdtemp(dir) == nullptr) std::abort();
    dir_ = dir;
    socket_path_ = dir_ + "/ttrpc.sock";
    UniqueFd listener = listen_unix(socket_path_);
    thread_ = std::thread([fd = listener.release()] {
      EventLoop loop;
      TtrpcServer server(loop, UniqueFd(fd));
      server.register_method(kService, "Echo",
                             [](std::shared_ptr<TtrpcCall> call) { call->reply(call->payload()); });
      server.register_method(kService, "Stop", [&loop](std::shared_ptr<TtrpcCall> call) {
        call->reply("");
        loop.stop();
      });
      loop.run();
    });
  }
  ~EchoServer() {
    BlockingTtrpcClient(socket_path_).call(kService, "Stop", "", std::chrono::seconds(10));
    thread_.join();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  const std::string& socket_path() const { return socket_path_; }

 private:
  std::string dir_;
  std::string socket_path_;
  std::thread thread_;
};

void BM_TtrpcRoundTrip(benchmark::State& state) {
  EchoServer server;
  BlockingTtrpcClient client(server.socket_path());
  std::string payload(static_cast<std::size_t>(state.range(0)), 'p');
  for (auto _ : state) {
    RpcResult result = client.call(kService, "Echo", payload, std::chrono::seconds(10));
    if (!result.ok()) {
      state.SkipWithError(result.message.c_str());
      break;
    }
    benchmark::DoNotOptimize(result.payload.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * state.range(0) * 2);
}
BENCHMARK(BM_TtrpcRoundTrip)->Arg(64)->Arg(64 * 1024)->UseRealTime();

}  // namespace
}  // namespace cradle::ttrpc
