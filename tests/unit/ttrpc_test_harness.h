// Shared by the ttrpc tests: a server on a socket in a temp dir with a test service, and a raw
// peer that writes hand-made bytes and reads frames while turning the server's loop (both run
// on the test's thread, so every wait turns the loop).
#pragma once

#include <sys/socket.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/ttrpc/frame.h"
#include "api/ttrpc/messages.h"
#include "api/ttrpc/server.h"
#include "api/ttrpc/unix_socket.h"
#include "base/error.h"
#include "base/event_loop.h"
#include "support/temp_dir.h"

namespace cradle::ttrpc::testing {

using namespace std::chrono_literals;

inline constexpr char kService[] = "cradle.test.Echo";

inline std::string bytes(std::initializer_list<unsigned> values) {
  std::string out;
  for (unsigned value : values)
    out.push_back(static_cast<char>(value));
  return out;
}

// Reference §1.6, as containerd 1.6.20 sent them and the runc shim answered. Connect{id:"test3"}
// on stream 3:
inline const std::string kConnectRequest =
    bytes({0x00, 0x00, 0x00, 0x2b, 0x00, 0x00, 0x00, 0x03, 0x01, 0x00, 0x0a, 0x17}) +
    "containerd.task.v2.Task" + bytes({0x12, 0x07}) + "Connect" + bytes({0x1a, 0x07, 0x0a, 0x05}) +
    "test3";
// Its response: shim_pid 16646, task_pid 16747.
inline const std::string kConnectResponse =
    bytes({0x00, 0x00, 0x00, 0x0a, 0x00, 0x00, 0x00, 0x03, 0x02, 0x00,
           0x12, 0x08, 0x08, 0x86, 0x82, 0x01, 0x10, 0xeb, 0x82, 0x01});
// NOT_FOUND on stream 9.
inline const std::string kNotFoundResponse =
    bytes({0x00, 0x00, 0x00, 0x26, 0x00, 0x00, 0x00, 0x09, 0x02, 0x00, 0x0a, 0x24, 0x08, 0x05, 0x12,
           0x20}) +
    "container not created: not found";

// Turns the loop until `done()` holds. The limit only keeps a broken test from hanging.
template <typename Predicate>
bool run_until(EventLoop& loop, Predicate done) {
  auto limit = std::chrono::steady_clock::now() + 20s;
  while (!done()) {
    if (std::chrono::steady_clock::now() > limit) return false;
    loop.run_once(10ms);
  }
  return true;
}

// The test service: Echo replies with the request's payload; Defer keeps the call for the test
// to answer; Throw throws the Error a runc shim answers for an unknown container; Big replies
// with a payload of the size asked for (decimal in the request payload).
class TtrpcServerTest : public ::testing::Test {
 protected:
  TtrpcServerTest() { start_server(); }

  void start_server() {
    server_ = std::make_unique<TtrpcServer>(loop_, listen_unix(socket_path_));
    server_->register_method(kService, "Echo", [this](std::shared_ptr<TtrpcCall> call) {
      stream_ids_.push_back(call->stream_id());
      call->reply(call->payload());
    });
    server_->register_method(kService, "Defer", [this](std::shared_ptr<TtrpcCall> call) {
      deferred_.push_back(std::move(call));
    });
    server_->register_method(kService, "Throw", [](std::shared_ptr<TtrpcCall>) {
      throw Error(ErrorCode::kNotFound, "container not created: not found");
    });
    server_->register_method(kService, "Big", [](std::shared_ptr<TtrpcCall> call) {
      call->reply(std::string(std::stoul(call->payload()), 'x'));
    });
    server_->on_connection_closed([this] { ++closed_connections_; });
  }

  // Destroys the server and frees its socket path for a new one.
  void stop_server() {
    server_.reset();
    ASSERT_EQ(::unlink(socket_path_.c_str()), 0);
  }

  cradle::testing::TempDir dir_;
  std::string socket_path_ = dir_.path() + "/ttrpc.sock";
  EventLoop loop_;
  std::unique_ptr<TtrpcServer> server_;
  std::vector<std::uint32_t> stream_ids_;  // of the Echo calls, in arrival order
  std::vector<std::shared_ptr<TtrpcCall>> deferred_;
  int closed_connections_ = 0;
};

inline std::string request_bytes(std::uint32_t stream_id, std::string_view method,
                                 std::string payload = {}, std::chrono::nanoseconds timeout = {}) {
  return request_frame(stream_id,
                       Request{kService, std::string(method), std::move(payload), timeout, {}});
}

// A client made of a bare socket, for bytes a well-behaved client would not send.
class RawPeer {
 public:
  RawPeer(EventLoop& loop, const std::string& path)
      : loop_(loop), fd_(connect_unix(path, /*nonblocking=*/true)) {}

  // Writes all of `bytes`, turning the loop whenever the socket is full.
  void write(std::string_view bytes) {
    while (!bytes.empty()) {
      ssize_t n = ::send(fd_.get(), bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (n > 0) {
        bytes.remove_prefix(static_cast<std::size_t>(n));
      } else if (n < 0 && errno == EAGAIN) {
        loop_.run_once(10ms);
      } else {
        FAIL() << "send failed: " << std::strerror(errno);
      }
    }
  }

  // The next whole frame, with the raw bytes it came in; nullopt if the peer closed first.
  std::optional<Frame> read_frame(std::string* raw = nullptr) {
    std::optional<Frame> frame;
    bool eof = false;
    bool done = run_until(loop_, [&] {
      if ((frame = reader_.next())) return true;
      // Everything there is now, so the server's next write finds room.
      char buffer[64 * 1024];
      ssize_t n;
      while ((n = ::read(fd_.get(), buffer, sizeof(buffer))) > 0) {
        reader_.feed(std::string_view(buffer, static_cast<std::size_t>(n)));
        if (raw) raw->append(buffer, static_cast<std::size_t>(n));
      }
      eof = n == 0;
      frame = reader_.next();
      return frame.has_value() || eof;
    });
    EXPECT_TRUE(done) << "no frame arrived";
    return frame;
  }

  // Reads a response frame and decodes it.
  std::pair<std::uint32_t, RpcResult> read_response() {
    std::optional<Frame> frame = read_frame();
    if (!frame) {
      ADD_FAILURE() << "connection closed instead of a response";
      return {0, RpcResult::failure(StatusCode::kUnavailable, "closed")};
    }
    EXPECT_EQ(frame->header.type, static_cast<std::uint8_t>(MessageType::kResponse));
    return {frame->header.stream_id, response_result(*frame)};
  }

  void close() { fd_.reset(); }

 private:
  EventLoop& loop_;
  UniqueFd fd_;
  FrameReader reader_;
};

}  // namespace cradle::ttrpc::testing

namespace cradle::ttrpc {
// How gtest shows a result.
inline void PrintTo(const RpcResult& result, std::ostream* out) {
  *out << status_code_name(result.code) << " \"" << result.message << "\" payload of "
       << result.payload.size() << " bytes";
}
}  // namespace cradle::ttrpc

namespace cradle::ttrpc::testing {

// A result that is this failure, exactly.
MATCHER_P2(Failed, code, message, "") {
  *result_listener << status_code_name(arg.code) << " \"" << arg.message << "\"";
  return arg.code == code && arg.message == std::string(message) && arg.payload.empty();
}

// A success with this payload.
MATCHER_P(Succeeded, payload, "") {
  *result_listener << status_code_name(arg.code) << " \"" << arg.message << "\" payload of "
                   << arg.payload.size() << " bytes";
  return arg.ok() && arg.payload == std::string(payload);
}

}  // namespace cradle::ttrpc::testing
