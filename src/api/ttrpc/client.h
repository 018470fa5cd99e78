// The asynchronous ttrpc client, on the EventLoop: many calls in flight on one connection,
// matched to their responses by stream id. The shim publishes its events with it.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "api/ttrpc/status.h"
#include "base/event_loop.h"

namespace cradle::ttrpc {

namespace detail {
class ClientConnection;
}

class TtrpcClient {
 public:
  using Done = std::function<void(RpcResult)>;

  // Connects to `socket_path` ('@' prefix: abstract) on the first call, and again on the first
  // call after a connection broke. The loop must outlive the client.
  TtrpcClient(EventLoop& loop, std::string socket_path);
  // Calls still pending are dropped: their `done` is never run.
  ~TtrpcClient();
  TtrpcClient(const TtrpcClient&) = delete;
  TtrpcClient& operator=(const TtrpcClient&) = delete;

  // Sends one request; `done` runs exactly once, from the loop (never inside call()). A timeout
  // of 0 means none; otherwise it is sent as timeout_nano and the call ends DEADLINE_EXCEEDED
  // when it passes. When the connection cannot be made or breaks, the call (and every other
  // pending one) ends UNAVAILABLE, and the next call connects anew: a caller retries by
  // calling again.
  void call(std::string_view service, std::string_view method, std::string payload,
            std::chrono::nanoseconds timeout, Metadata metadata, Done done);

 private:
  void complete_later(Done done, RpcResult result);

  EventLoop& loop_;
  std::string socket_path_;
  std::shared_ptr<detail::ClientConnection> connection_;
  // Posted completions hold this weakly, so none runs after the client is gone.
  std::shared_ptr<int> alive_ = std::make_shared<int>(0);
};

}  // namespace cradle::ttrpc
