// A synchronous ttrpc client for tools and tests: one call at a time on its own socket, waiting
// with poll(2). Thread-compatible: one caller at a time.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "api/ttrpc/frame.h"
#include "api/ttrpc/status.h"
#include "base/unique_fd.h"

namespace cradle::ttrpc {

class BlockingTtrpcClient {
 public:
  // Connects on the first call, and again on the first call after the connection broke.
  explicit BlockingTtrpcClient(std::string socket_path) : socket_path_(std::move(socket_path)) {}

  // Sends the request and waits for its response. A timeout of 0 waits forever; otherwise it
  // is sent as timeout_nano and the call ends DEADLINE_EXCEEDED locally once it passes (a late
  // response is skipped by the next call). No connection, or a broken one: UNAVAILABLE.
  RpcResult call(std::string_view service, std::string_view method, std::string payload,
                 std::chrono::nanoseconds timeout = {}, Metadata metadata = {});

 private:
  using Clock = std::chrono::steady_clock;
  // Waits for `events` on the socket until `deadline` (none when timeout is 0); false on timeout.
  bool wait(short events, Clock::time_point deadline, bool has_deadline);
  RpcResult exchange(std::uint32_t stream_id, const std::string& frame, Clock::time_point deadline,
                     bool has_deadline);
  RpcResult disconnect(const std::string& reason);

  std::string socket_path_;
  UniqueFd fd_;
  FrameReader reader_;
  std::uint32_t next_stream_id_ = 1;
};

}  // namespace cradle::ttrpc
