#include "api/ttrpc/blocking_client.h"

#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <limits>

#include "api/ttrpc/deadline.h"
#include "api/ttrpc/messages.h"
#include "api/ttrpc/unix_socket.h"
#include "base/error.h"

namespace cradle::ttrpc {

RpcResult BlockingTtrpcClient::call(std::string_view service, std::string_view method,
                                    std::string payload, std::chrono::nanoseconds timeout,
                                    Metadata metadata) {
  bool has_deadline = timeout.count() > 0;
  Clock::time_point deadline = Clock::now() + std::max(timeout, std::chrono::nanoseconds(0));
  if (next_stream_id_ > std::numeric_limits<std::uint32_t>::max() - 2) fd_.reset();
  if (!fd_) {
    try {
      fd_ = connect_unix(socket_path_, /*nonblocking=*/true);
    } catch (const Error& error) {
      return RpcResult::failure(StatusCode::kUnavailable, error.what());
    }
    reader_ = FrameReader();
    next_stream_id_ = 1;
  }
  std::uint32_t stream_id = next_stream_id_;
  next_stream_id_ += 2;
  std::string frame;
  try {
    frame = request_frame(stream_id, Request{std::string(service), std::string(method),
                                             std::move(payload), timeout, std::move(metadata)});
  } catch (const Error& error) {
    return RpcResult::failure(StatusCode::kResourceExhausted, error.what());
  }
  return exchange(stream_id, frame, deadline, has_deadline);
}

RpcResult BlockingTtrpcClient::exchange(std::uint32_t stream_id, const std::string& frame,
                                        Clock::time_point deadline, bool has_deadline) {
  const RpcResult timed_out = deadline_exceeded();
  std::size_t written = 0;
  while (written < frame.size()) {
    ssize_t n = ::send(fd_.get(), frame.data() + written, frame.size() - written, MSG_NOSIGNAL);
    if (n >= 0) {
      written += static_cast<std::size_t>(n);
    } else if (errno == EAGAIN) {
      if (!wait(POLLOUT, deadline, has_deadline)) {
        // Half a frame went out: the stream is unusable for the next call.
        fd_.reset();
        return timed_out;
      }
    } else if (errno != EINTR) {
      return disconnect(std::string("write: ") + std::strerror(errno));
    }
  }
  char buffer[64 * 1024];
  while (true) {
    // Frames for earlier calls that timed out here are skipped.
    while (std::optional<Frame> response = reader_.next()) {
      if (response->header.stream_id == stream_id) return response_result(*response);
    }
    if (!wait(POLLIN, deadline, has_deadline)) return timed_out;
    ssize_t n = ::read(fd_.get(), buffer, sizeof(buffer));
    if (n == 0) return disconnect("connection closed by peer");
    if (n < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      return disconnect(std::string("read: ") + std::strerror(errno));
    }
    reader_.feed(std::string_view(buffer, static_cast<std::size_t>(n)));
  }
}

bool BlockingTtrpcClient::wait(short events, Clock::time_point deadline, bool has_deadline) {
  while (true) {
    int timeout_ms = -1;
    if (has_deadline) {
      auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now());
      if (left.count() <= 0) return false;
      timeout_ms = static_cast<int>(std::min<long long>(left.count(), 60'000));
    }
    pollfd pfd{fd_.get(), events, 0};
    int rc = ::poll(&pfd, 1, timeout_ms);
    if (rc > 0) return true;  // ready, or an error/hangup the next read or write reports
    if (rc < 0 && errno != EINTR) throw_errno("poll");
  }
}

RpcResult BlockingTtrpcClient::disconnect(const std::string& reason) {
  fd_.reset();
  return RpcResult::failure(StatusCode::kUnavailable, "ttrpc: connection closed: " + reason);
}

}  // namespace cradle::ttrpc
