// The async client against the server on the same EventLoop, and the blocking client against a
// server on its own thread and loop.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <thread>

#include "api/ttrpc/blocking_client.h"
#include "api/ttrpc/client.h"
#include "ttrpc_test_harness.h"

namespace cradle::ttrpc::testing {
namespace {

using ::testing::ElementsAre;

class TtrpcAsyncClientTest : public TtrpcServerTest {
 protected:
  // Starts a call whose result lands in the returned slot.
  std::shared_ptr<std::optional<RpcResult>> start(std::string_view method, std::string payload = {},
                                                  std::chrono::nanoseconds timeout = {}) {
    auto slot = std::make_shared<std::optional<RpcResult>>();
    client_.call(kService, method, std::move(payload), timeout, {},
                 [slot](RpcResult result) { *slot = std::move(result); });
    return slot;
  }
  RpcResult finish(const std::shared_ptr<std::optional<RpcResult>>& slot) {
    EXPECT_TRUE(run_until(loop_, [&] { return slot->has_value(); })) << "the call never ended";
    return slot->value_or(RpcResult{});
  }
  RpcResult round_trip(std::string_view method, std::string payload = {}) {
    return finish(start(method, std::move(payload)));
  }

  TtrpcClient client_{loop_, socket_path_};
};

TEST_F(TtrpcAsyncClientTest, RoundTripsWithOddRisingStreamIds) {
  EXPECT_THAT(round_trip("Echo", "one"), Succeeded("one"));
  EXPECT_THAT(round_trip("Echo", "two"), Succeeded("two"));
  EXPECT_THAT(round_trip("Echo", "three"), Succeeded("three"));
  EXPECT_THAT(stream_ids_, ElementsAre(1u, 3u, 5u));
  EXPECT_EQ(server_->connection_count(), 1u);
}

TEST_F(TtrpcAsyncClientTest, ServerErrorsComeBackAsTheirStatus) {
  EXPECT_THAT(round_trip("Throw"),
              Failed(StatusCode::kNotFound, "container not created: not found"));
  EXPECT_THAT(round_trip("Nope"), Failed(StatusCode::kUnimplemented, "method Nope"));
}

TEST_F(TtrpcAsyncClientTest, ManyCallsInFlightAreMatchedByStreamId) {
  auto a = start("Defer", "a");
  auto b = start("Defer", "b");
  auto c = start("Echo", "c");
  EXPECT_THAT(finish(c), Succeeded("c"));
  ASSERT_TRUE(run_until(loop_, [&] { return deferred_.size() == 2; }));
  EXPECT_FALSE(a->has_value());
  EXPECT_FALSE(b->has_value());
  // Answered in the other order than asked.
  deferred_[1]->reply(deferred_[1]->payload() + "!");
  EXPECT_THAT(finish(b), Succeeded("b!"));
  EXPECT_FALSE(a->has_value());
  deferred_[0]->reply(deferred_[0]->payload() + "!");
  EXPECT_THAT(finish(a), Succeeded("a!"));
}

TEST_F(TtrpcAsyncClientTest, CompletesFromTheLoopNeverInsideCall) {
  auto slot = start("Echo", "x");
  EXPECT_FALSE(slot->has_value());
  EXPECT_THAT(finish(slot), Succeeded("x"));
}

TEST_F(TtrpcAsyncClientTest, NoServerIsUnavailableFromTheLoop) {
  stop_server();
  auto slot = start("Echo");
  EXPECT_FALSE(slot->has_value());
  RpcResult result = finish(slot);
  EXPECT_EQ(result.code, StatusCode::kUnavailable);
  EXPECT_THAT(result.message, ::testing::HasSubstr("connect to unix socket"));
}

TEST_F(TtrpcAsyncClientTest, BrokenConnectionFailsEveryPendingCallAndTheNextCallReconnects) {
  auto a = start("Defer");
  auto b = start("Defer");
  ASSERT_TRUE(run_until(loop_, [&] { return deferred_.size() == 2; }));
  // Keep the calls past the server, so it cannot answer them: only the break ends them.
  std::vector<std::shared_ptr<TtrpcCall>> kept = std::move(deferred_);
  stop_server();
  RpcResult result_a = finish(a);
  RpcResult result_b = finish(b);
  EXPECT_EQ(result_a.code, StatusCode::kUnavailable) << result_a.message;
  EXPECT_EQ(result_b.code, StatusCode::kUnavailable) << result_b.message;
  EXPECT_TRUE(kept[0]->done());
  kept[0]->reply("no-op");

  start_server();
  EXPECT_THAT(round_trip("Echo", "back"), Succeeded("back"));
  EXPECT_THAT(stream_ids_, ElementsAre(1u)) << "a new connection starts again at stream 1";
}

TEST_F(TtrpcAsyncClientTest, TimeoutIsSentAndEndsTheCall) {
  auto slot = start("Defer", "", 80ms);
  EXPECT_THAT(finish(slot), Failed(StatusCode::kDeadlineExceeded, "context deadline exceeded"));
  ASSERT_EQ(deferred_.size(), 1u);
  EXPECT_TRUE(deferred_[0]->deadline().has_value());
  // The connection is still good.
  EXPECT_THAT(round_trip("Echo", "after"), Succeeded("after"));
}

TEST_F(TtrpcAsyncClientTest, OversizeRequestFailsAloneWithoutBeingSent) {
  std::string payload(kMaxMessageSize, 'o');
  // The limit is on the frame's body: the payload plus the Request around it.
  std::size_t body_size = encode_request(Request{kService, "Echo", payload, {}, {}}).size();
  auto slot = start("Echo", payload);
  EXPECT_THAT(finish(slot), Failed(StatusCode::kResourceExhausted,
                                   "message length " + std::to_string(body_size) +
                                       " exceed maximum message size of 4194304"));
  EXPECT_THAT(round_trip("Echo", "fine"), Succeeded("fine"));
}

TEST_F(TtrpcAsyncClientTest, MetadataReachesTheHandler) {
  Metadata seen;
  server_->register_method(kService, "Meta", [&](std::shared_ptr<TtrpcCall> call) {
    seen = call->metadata();
    call->reply("");
  });
  auto slot = std::make_shared<std::optional<RpcResult>>();
  client_.call(kService, "Meta", "", 5s, {{"containerd-namespace-ttrpc", "default"}},
               [slot](RpcResult result) { *slot = std::move(result); });
  EXPECT_THAT(finish(slot), Succeeded(""));
  EXPECT_THAT(seen, ElementsAre(std::pair<std::string, std::string>("containerd-namespace-ttrpc",
                                                                    "default")));
}

TEST_F(TtrpcAsyncClientTest, DestroyedClientDropsItsPendingCalls) {
  bool called = false;
  {
    TtrpcClient client(loop_, socket_path_);
    client.call(kService, "Defer", "", {}, {}, [&](RpcResult) { called = true; });
    ASSERT_TRUE(run_until(loop_, [&] { return deferred_.size() == 1; }));
  }
  deferred_[0]->reply("unheard");
  ASSERT_TRUE(run_until(loop_, [&] { return closed_connections_ == 1; }));
  EXPECT_FALSE(called);
}

// The blocking client from this thread; the server runs on another, with its own loop. The
// server thread stops when the test calls its Stop method, so nothing crosses threads but bytes.
class TtrpcBlockingClientTest : public ::testing::Test {
 protected:
  TtrpcBlockingClientTest() {
    UniqueFd listener = listen_unix(socket_path_);
    server_thread_ = std::thread([this, fd = listener.release()]() mutable {
      EventLoop loop;
      TtrpcServer server(loop, UniqueFd(fd));
      server.register_method(kService, "Echo",
                             [](std::shared_ptr<TtrpcCall> call) { call->reply(call->payload()); });
      std::vector<std::shared_ptr<TtrpcCall>> kept;
      server.register_method(kService, "Defer",
                             [&](std::shared_ptr<TtrpcCall> call) { kept.push_back(call); });
      server.register_method(kService, "Stop", [&](std::shared_ptr<TtrpcCall> call) {
        call->reply("");
        loop.stop();
      });
      loop.run();
    });
  }
  ~TtrpcBlockingClientTest() override {
    BlockingTtrpcClient stopper(socket_path_);
    EXPECT_TRUE(stopper.call(kService, "Stop", "", 10s).ok());
    server_thread_.join();
  }

  cradle::testing::TempDir dir_;
  std::string socket_path_ = dir_.path() + "/ttrpc.sock";
  std::thread server_thread_;
};

TEST_F(TtrpcBlockingClientTest, RoundTrips) {
  BlockingTtrpcClient client(socket_path_);
  EXPECT_THAT(client.call(kService, "Echo", "hello", 10s), Succeeded("hello"));
  EXPECT_THAT(client.call(kService, "Echo", std::string(kMaxMessageSize - 64, 'b'), 10s),
              Succeeded(std::string(kMaxMessageSize - 64, 'b')));
  EXPECT_THAT(client.call(kService, "Nope", "", 10s),
              Failed(StatusCode::kUnimplemented, "method Nope"));
}

TEST_F(TtrpcBlockingClientTest, DeadlineExceededThenTheConnectionStillWorks) {
  BlockingTtrpcClient client(socket_path_);
  EXPECT_THAT(client.call(kService, "Defer", "", 100ms),
              Failed(StatusCode::kDeadlineExceeded, "context deadline exceeded"));
  EXPECT_THAT(client.call(kService, "Echo", "after", 10s), Succeeded("after"));
}

TEST(TtrpcBlockingClientWithoutServerTest, IsUnavailable) {
  cradle::testing::TempDir dir;
  BlockingTtrpcClient client(dir.path() + "/nothing.sock");
  RpcResult result = client.call(kService, "Echo", "", 1s);
  EXPECT_EQ(result.code, StatusCode::kUnavailable);
  EXPECT_THAT(result.message, ::testing::HasSubstr("No such file or directory"));
}

}  // namespace
}  // namespace cradle::ttrpc::testing
