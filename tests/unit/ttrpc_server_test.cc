// TtrpcServer as a ttrpc v1.1.1 client sees it: the protocol's error answers, concurrent calls
// on one connection, deadlines, peers that misbehave or leave. The peer is a bare socket, so the
// tests can send what a well-behaved client would not.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "api/ttrpc/server_connection.h"
#include "github.com/containerd/containerd/runtime/v2/task/shim.pb.h"
#include "ttrpc_test_harness.h"

namespace cradle::ttrpc::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;

TEST_F(TtrpcServerTest, AnswersContainerdsConnectByteExact) {
  server_->register_method("containerd.task.v2.Task", "Connect",
                           [](std::shared_ptr<TtrpcCall> call) {
                             containerd::task::v2::ConnectRequest request;
                             ASSERT_TRUE(request.ParseFromString(call->payload()));
                             EXPECT_EQ(request.id(), "test3");
                             containerd::task::v2::ConnectResponse response;
                             response.set_shim_pid(16646);
                             response.set_task_pid(16747);
                             call->reply(response.SerializeAsString());
                           });
  RawPeer peer(loop_, socket_path_);
  peer.write(kConnectRequest);
  std::string raw;
  ASSERT_TRUE(peer.read_frame(&raw));
  EXPECT_EQ(raw, kConnectResponse);
}

TEST_F(TtrpcServerTest, HandlerErrorIsTheStatusWithAnEmptyPayload) {
  RawPeer peer(loop_, socket_path_);
  peer.write(request_bytes(9, "Throw"));
  std::string raw;
  ASSERT_TRUE(peer.read_frame(&raw));
  EXPECT_EQ(raw, kNotFoundResponse);
}

TEST_F(TtrpcServerTest, OtherExceptionsAreInternal) {
  server_->register_method(kService, "Oops", [](std::shared_ptr<TtrpcCall>) {
    throw std::runtime_error("something broke");
  });
  RawPeer peer(loop_, socket_path_);
  peer.write(request_bytes(1, "Oops"));
  EXPECT_THAT(peer.read_response().second, Failed(StatusCode::kInternal, "something broke"));
}

TEST_F(TtrpcServerTest, CallDroppedWithoutAnswerIsInternal) {
  server_->register_method(kService, "Forget", [](std::shared_ptr<TtrpcCall>) {});
  RawPeer peer(loop_, socket_path_);
  peer.write(request_bytes(1, "Forget"));
  EXPECT_THAT(peer.read_response().second,
              Failed(StatusCode::kInternal, "ttrpc: Forget ended without an answer"));
}

TEST_F(TtrpcServerTest, RequestSplitIntoSingleBytes) {
  RawPeer peer(loop_, socket_path_);
  std::string request = request_bytes(1, "Echo", "split");
  for (char byte : request) {
    peer.write(std::string_view(&byte, 1));
    loop_.run_once(0ms);
  }
  auto [stream_id, result] = peer.read_response();
  EXPECT_EQ(stream_id, 1u);
  EXPECT_THAT(result, Succeeded("split"));
}

TEST_F(TtrpcServerTest, SeveralRequestsInOneWrite) {
  RawPeer peer(loop_, socket_path_);
  peer.write(request_bytes(1, "Echo", "a") + request_bytes(3, "Echo", "b") +
             request_bytes(5, "Echo", "c"));
  std::vector<std::pair<std::uint32_t, std::string>> answers;
  for (int i = 0; i < 3; ++i) {
    auto [stream_id, result] = peer.read_response();
    answers.emplace_back(stream_id, result.payload);
  }
  EXPECT_THAT(answers, ElementsAre(Pair(1u, "a"), Pair(3u, "b"), Pair(5u, "c")));
}

TEST_F(TtrpcServerTest, OversizeBodyIsRefusedAndTheConnectionStaysUp) {
  RawPeer peer(loop_, socket_path_);
  const std::uint32_t length = kMaxMessageSize + 100;
  HeaderBytes header = encode_header({length, 5, 1, 0});
  peer.write(std::string(reinterpret_cast<const char*>(header.data()), header.size()) +
             std::string(length, '\0'));
  auto [stream_id, result] = peer.read_response();
  EXPECT_EQ(stream_id, 5u);
  EXPECT_THAT(result, Failed(StatusCode::kResourceExhausted,
                             "message length 4194404 exceed maximum message size of 4194304"));

  peer.write(request_bytes(7, "Echo", "still here"));
  auto [next_stream_id, next_result] = peer.read_response();
  EXPECT_EQ(next_stream_id, 7u);
  EXPECT_THAT(next_result, Succeeded("still here"));
  EXPECT_EQ(server_->connection_count(), 1u);
}

TEST_F(TtrpcServerTest, EvenStreamIdIsRefused) {
  RawPeer peer(loop_, socket_path_);
  peer.write(request_bytes(4, "Echo", "x"));
  auto [stream_id, result] = peer.read_response();
  EXPECT_EQ(stream_id, 4u);
  EXPECT_THAT(result, Failed(StatusCode::kInvalidArgument,
                             "StreamID must be odd for client initiated streams"));
  EXPECT_TRUE(stream_ids_.empty()) << "the handler ran";
}

TEST_F(TtrpcServerTest, UnknownServiceAndMethodAreUnimplemented) {
  RawPeer peer(loop_, socket_path_);
  peer.write(request_frame(1, Request{"containerd.task.v3.Task", "Create", {}, {}, {}}));
  EXPECT_THAT(peer.read_response().second,
              Failed(StatusCode::kUnimplemented, "service containerd.task.v3.Task"));
  peer.write(request_bytes(3, "Checkpoint"));
  EXPECT_THAT(peer.read_response().second, Failed(StatusCode::kUnimplemented, "method Checkpoint"));
}

TEST_F(TtrpcServerTest, MalformedRequestIsInvalidArgument) {
  RawPeer peer(loop_, socket_path_);
  peer.write(encode_frame(1, MessageType::kRequest, std::string("\x0a\x7f\x01", 3)));
  auto [stream_id, result] = peer.read_response();
  EXPECT_EQ(stream_id, 1u);
  EXPECT_THAT(result, Failed(StatusCode::kInvalidArgument,
                             "unmarshal request error: malformed ttrpc Request"));
}

TEST_F(TtrpcServerTest, FramesOfOtherTypesAreIgnored) {
  RawPeer peer(loop_, socket_path_);
  // A response-typed frame and a ttrpc 1.2 data frame (type 3), then a real request.
  peer.write(encode_frame(1, MessageType::kResponse, "") +
             encode_frame(3, static_cast<MessageType>(3), "data") +
             request_bytes(5, "Echo", "after"));
  auto [stream_id, result] = peer.read_response();
  EXPECT_EQ(stream_id, 5u);
  EXPECT_THAT(result, Succeeded("after"));
}

TEST_F(TtrpcServerTest, DeferredCallDoesNotStallALaterOne) {
  RawPeer peer(loop_, socket_path_);
  peer.write(request_bytes(1, "Defer") + request_bytes(3, "Echo", "b"));
  auto [first_stream, first_result] = peer.read_response();
  EXPECT_EQ(first_stream, 3u);
  EXPECT_THAT(first_result, Succeeded("b"));

  ASSERT_EQ(deferred_.size(), 1u);
  EXPECT_FALSE(deferred_[0]->done());
  deferred_[0]->reply("a");
  EXPECT_TRUE(deferred_[0]->done());
  auto [second_stream, second_result] = peer.read_response();
  EXPECT_EQ(second_stream, 1u);
  EXPECT_THAT(second_result, Succeeded("a"));
}

TEST_F(TtrpcServerTest, SecondAnswerIsDropped) {
  RawPeer peer(loop_, socket_path_);
  peer.write(request_bytes(1, "Defer"));
  ASSERT_TRUE(run_until(loop_, [&] { return deferred_.size() == 1; }));
  deferred_[0]->fail(ErrorCode::kNotFound, "first");
  deferred_[0]->reply("second");
  EXPECT_THAT(peer.read_response().second, Failed(StatusCode::kNotFound, "first"));
  peer.write(request_bytes(3, "Echo", "next"));
  auto [stream_id, result] = peer.read_response();
  EXPECT_EQ(stream_id, 3u);
  EXPECT_THAT(result, Succeeded("next"));
}

TEST_F(TtrpcServerTest, DeadlinePassedIsDeadlineExceededAndTheLateReplyIsDropped) {
  RawPeer peer(loop_, socket_path_);
  peer.write(request_bytes(1, "Defer", "", 50ms));
  auto [stream_id, result] = peer.read_response();
  EXPECT_EQ(stream_id, 1u);
  EXPECT_THAT(result, Failed(StatusCode::kDeadlineExceeded, "context deadline exceeded"));

  ASSERT_EQ(deferred_.size(), 1u);
  ASSERT_TRUE(deferred_[0]->deadline().has_value());
  EXPECT_TRUE(deferred_[0]->done());
  deferred_[0]->reply("too late");
  peer.write(request_bytes(3, "Echo", "next"));
  auto [next_stream, next_result] = peer.read_response();
  EXPECT_EQ(next_stream, 3u) << "the late reply went out";
  EXPECT_THAT(next_result, Succeeded("next"));
}

TEST_F(TtrpcServerTest, CallWithoutTimeoutHasNoDeadline) {
  RawPeer peer(loop_, socket_path_);
  peer.write(request_frame(
      1, Request{kService, "Defer", "p", {}, {{"containerd-namespace-ttrpc", "default"}}}));
  ASSERT_TRUE(run_until(loop_, [&] { return deferred_.size() == 1; }));
  EXPECT_FALSE(deferred_[0]->deadline().has_value());
  EXPECT_EQ(deferred_[0]->payload(), "p");
  EXPECT_EQ(deferred_[0]->method(), "Defer");
  EXPECT_THAT(deferred_[0]->metadata(), ElementsAre(Pair("containerd-namespace-ttrpc", "default")));
  deferred_[0]->reply("");
  EXPECT_THAT(peer.read_response().second, Succeeded(""));
}

TEST_F(TtrpcServerTest, ClientLeavingMidCallIsHarmless) {
  {
    RawPeer peer(loop_, socket_path_);
    peer.write(request_bytes(1, "Defer"));
    ASSERT_TRUE(run_until(loop_, [&] { return deferred_.size() == 1; }));
    EXPECT_EQ(server_->connection_count(), 1u);
  }
  ASSERT_TRUE(run_until(loop_, [&] { return closed_connections_ == 1; }));
  EXPECT_EQ(server_->connection_count(), 0u);
  EXPECT_TRUE(deferred_[0]->done());
  deferred_[0]->reply("nobody listens");

  RawPeer next(loop_, socket_path_);
  next.write(request_bytes(1, "Echo", "new connection"));
  EXPECT_THAT(next.read_response().second, Succeeded("new connection"));
  EXPECT_EQ(closed_connections_, 1);
}

TEST_F(TtrpcServerTest, ServesManyConnectionsAtOnce) {
  std::vector<std::unique_ptr<RawPeer>> peers;
  for (int i = 0; i < 5; ++i) {
    peers.push_back(std::make_unique<RawPeer>(loop_, socket_path_));
    peers.back()->write(request_bytes(1, "Echo", "peer " + std::to_string(i)));
  }
  for (int i = 4; i >= 0; --i) {
    EXPECT_THAT(peers[i]->read_response().second, Succeeded("peer " + std::to_string(i)));
  }
  EXPECT_EQ(server_->connection_count(), 5u);
}

TEST_F(TtrpcServerTest, LargeReplyArrivesWhole) {
  RawPeer peer(loop_, socket_path_);
  const std::size_t size = kMaxMessageSize - 16;
  peer.write(request_bytes(1, "Big", std::to_string(size)));
  EXPECT_THAT(peer.read_response().second, Succeeded(std::string(size, 'x')));
}

TEST_F(TtrpcServerTest, ReplyOverTheLimitIsResourceExhausted) {
  RawPeer peer(loop_, socket_path_);
  peer.write(request_bytes(1, "Big", std::to_string(kMaxMessageSize + 10)));
  auto [stream_id, result] = peer.read_response();
  EXPECT_EQ(stream_id, 1u);
  EXPECT_EQ(result.code, StatusCode::kResourceExhausted) << result.message;
}

TEST_F(TtrpcServerTest, PeerThatNeverReadsIsDisconnected) {
  RawPeer peer(loop_, socket_path_);
  // Each reply is nearly 4 MiB; the peer reads none. The write queue's limit (kWriteQueueLimit,
  // four such frames) plus the socket buffer is passed within a few replies.
  // All sent at once: the server may hang up before it has read later ones.
  std::string big = std::to_string(kMaxMessageSize - 64);
  std::string requests;
  for (std::uint32_t stream_id = 1; stream_id < 2 * 8; stream_id += 2) {
    requests += request_bytes(stream_id, "Big", big);
  }
  peer.write(requests);
  ASSERT_TRUE(run_until(loop_, [&] { return closed_connections_ == 1; }));
  EXPECT_EQ(server_->connection_count(), 0u);
}

TEST_F(TtrpcServerTest, TooManyCallsInFlightAreRefused) {
  RawPeer peer(loop_, socket_path_);
  std::string requests;
  std::uint32_t stream_id = 1;
  for (std::size_t i = 0; i < detail::kMaxCallsInFlight; ++i, stream_id += 2) {
    requests += request_bytes(stream_id, "Defer");
  }
  peer.write(requests);
  ASSERT_TRUE(run_until(loop_, [&] { return deferred_.size() == detail::kMaxCallsInFlight; }));
  peer.write(request_bytes(stream_id, "Echo", "one too many"));
  auto [refused_stream, result] = peer.read_response();
  EXPECT_EQ(refused_stream, stream_id);
  EXPECT_THAT(result, Failed(StatusCode::kResourceExhausted,
                             "more than 1024 calls in flight on one connection"));
  deferred_.front()->reply("");
  EXPECT_EQ(peer.read_response().first, 1u);
}

}  // namespace
}  // namespace cradle::ttrpc::testing
