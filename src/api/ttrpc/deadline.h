// Call deadlines, the same on both ends: a ttrpc timeout_nano becomes a loop timer, and an
// expired call ends as Go's context does.
#pragma once

#include <algorithm>
#include <chrono>

#include "api/ttrpc/status.h"
#include "base/event_loop.h"

namespace cradle::ttrpc {

// What a call whose deadline passed ends with (Go's context.DeadlineExceeded as a status).
inline RpcResult deadline_exceeded() {
  return RpcResult::failure(StatusCode::kDeadlineExceeded, "context deadline exceeded");
}

// Runs `expire` once `timeout` has passed (at once if it is negative); returns 0 and starts
// nothing when timeout is 0, which means no deadline.
inline EventLoop::TimerId start_deadline_timer(EventLoop& loop, std::chrono::nanoseconds timeout,
                                               EventLoop::Task expire) {
  if (timeout.count() == 0) return 0;
  auto delay =
      std::max(std::chrono::ceil<std::chrono::milliseconds>(timeout), std::chrono::milliseconds(0));
  return loop.add_timer(delay, std::move(expire));
}

}  // namespace cradle::ttrpc
