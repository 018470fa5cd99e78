// ttrpc framing and envelope messages, against the bytes containerd 1.6.20 was seen sending and
// receiving (reference §1.6), plus how the reader copes with split and oversize input.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "api/ttrpc/frame.h"
#include "api/ttrpc/messages.h"
#include "api/ttrpc/status.h"
#include "base/error.h"
#include "github.com/containerd/containerd/runtime/v2/task/shim.pb.h"
#include "support/error_matcher.h"
#include "ttrpc_test_harness.h"

namespace cradle::ttrpc {
namespace {

using ::cradle::testing::IsError;
using ::cradle::ttrpc::testing::bytes;
using ::cradle::ttrpc::testing::Failed;
using ::cradle::ttrpc::testing::kConnectRequest;
using ::cradle::ttrpc::testing::kConnectResponse;
using ::cradle::ttrpc::testing::kNotFoundResponse;
using ::cradle::ttrpc::testing::Succeeded;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Pair;
using ::testing::Throws;

std::vector<Frame> read_all(FrameReader& reader) {
  std::vector<Frame> frames;
  while (std::optional<Frame> frame = reader.next())
    frames.push_back(std::move(*frame));
  return frames;
}

TEST(TtrpcFrameTest, HeaderRoundTripsBigEndian) {
  FrameHeader header{0x01020304, 0xfffffffd, 3, 0x7};
  HeaderBytes encoded = encode_header(header);
  EXPECT_THAT(encoded, ElementsAre(0x01, 0x02, 0x03, 0x04, 0xff, 0xff, 0xff, 0xfd, 0x03, 0x07));
  FrameHeader decoded = decode_header(encoded);
  EXPECT_EQ(decoded.length, header.length);
  EXPECT_EQ(decoded.stream_id, header.stream_id);
  EXPECT_EQ(decoded.type, header.type);
  EXPECT_EQ(decoded.flags, header.flags);
}

TEST(TtrpcFrameTest, EncodesContainerdConnectRequestByteExact) {
  containerd::task::v2::ConnectRequest connect;
  connect.set_id("test3");
  Request request{"containerd.task.v2.Task", "Connect", connect.SerializeAsString(), {}, {}};
  EXPECT_EQ(request_frame(3, request), kConnectRequest);
}

TEST(TtrpcFrameTest, DecodesContainerdConnectRequest) {
  FrameReader reader;
  reader.feed(kConnectRequest);
  std::vector<Frame> frames = read_all(reader);
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(frames[0].header.stream_id, 3u);
  EXPECT_EQ(frames[0].header.type, 1u);
  std::optional<Request> request = decode_request(frames[0].body);
  ASSERT_TRUE(request);
  EXPECT_EQ(request->service, "containerd.task.v2.Task");
  EXPECT_EQ(request->method, "Connect");
  EXPECT_EQ(request->timeout.count(), 0);
  EXPECT_THAT(request->metadata, IsEmpty());
  containerd::task::v2::ConnectRequest connect;
  ASSERT_TRUE(connect.ParseFromString(request->payload));
  EXPECT_EQ(connect.id(), "test3");
}

TEST(TtrpcFrameTest, ConnectResponseByteExactBothWays) {
  containerd::task::v2::ConnectResponse connect;
  connect.set_shim_pid(16646);
  connect.set_task_pid(16747);
  EXPECT_EQ(response_frame(3, RpcResult::success(connect.SerializeAsString())), kConnectResponse);

  FrameReader reader;
  reader.feed(kConnectResponse);
  std::vector<Frame> frames = read_all(reader);
  ASSERT_EQ(frames.size(), 1u);
  RpcResult result = response_result(frames[0]);
  ASSERT_TRUE(result.ok());
  containerd::task::v2::ConnectResponse decoded;
  ASSERT_TRUE(decoded.ParseFromString(result.payload));
  EXPECT_EQ(decoded.shim_pid(), 16646u);
  EXPECT_EQ(decoded.task_pid(), 16747u);
}

TEST(TtrpcFrameTest, NotFoundResponseByteExactBothWays) {
  EXPECT_EQ(response_frame(
                9, RpcResult::failure(StatusCode::kNotFound, "container not created: not found")),
            kNotFoundResponse);
  FrameReader reader;
  reader.feed(kNotFoundResponse);
  std::vector<Frame> frames = read_all(reader);
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(frames[0].header.stream_id, 9u);
  EXPECT_THAT(response_result(frames[0]),
              Failed(StatusCode::kNotFound, "container not created: not found"));
}

TEST(TtrpcFrameTest, EmptySuccessIsAnEmptyBody) {
  EXPECT_EQ(encode_response(RpcResult::success("")), "");
  EXPECT_THAT(decode_response(""), Succeeded(""));
}

TEST(TtrpcFrameTest, StatusCodeZeroIsSuccess) {
  // Response{status: {code: 0, message: "x"}, payload: "p"}
  std::string body = bytes({0x0a, 0x05, 0x08, 0x00, 0x12, 0x01, 'x', 0x12, 0x01, 'p'});
  EXPECT_THAT(decode_response(body), Succeeded("p"));
}

TEST(TtrpcFrameTest, MalformedBodies) {
  std::string truncated = bytes({0x0a, 0x10, 0x08});
  EXPECT_THAT(decode_response(truncated),
              Failed(StatusCode::kInternal, "ttrpc: malformed response message"));
  EXPECT_FALSE(decode_request(truncated).has_value());
}

TEST(TtrpcFrameTest, RequestWithTimeoutAndMetadataRoundTrips) {
  Request request{"s",
                  "m",
                  "p",
                  std::chrono::seconds(2),
                  {{"containerd-namespace-ttrpc", "default"}, {"k", "v1"}, {"k", "v2"}}};
  std::optional<Request> decoded = decode_request(encode_request(request));
  ASSERT_TRUE(decoded);
  EXPECT_EQ(decoded->timeout, std::chrono::seconds(2));
  EXPECT_THAT(decoded->metadata, ElementsAre(Pair("containerd-namespace-ttrpc", "default"),
                                             Pair("k", "v1"), Pair("k", "v2")));
}

TEST(TtrpcFrameTest, ReaderHandlesOneByteAtATime) {
  std::string stream = kConnectRequest + kConnectResponse + kNotFoundResponse;
  FrameReader reader;
  std::vector<Frame> frames;
  std::vector<std::size_t> completed_at;
  for (std::size_t i = 0; i < stream.size(); ++i) {
    reader.feed(std::string_view(stream).substr(i, 1));
    while (std::optional<Frame> frame = reader.next()) {
      frames.push_back(std::move(*frame));
      completed_at.push_back(i + 1);
    }
  }
  EXPECT_FALSE(reader.mid_frame());
  // Each frame comes out with its own last byte, not before and not later.
  EXPECT_THAT(completed_at,
              ElementsAre(kConnectRequest.size(), kConnectRequest.size() + kConnectResponse.size(),
                          stream.size()));
  ASSERT_EQ(frames.size(), 3u);
  EXPECT_EQ(frames[0].header.stream_id, 3u);
  EXPECT_EQ(frames[1].body, kConnectResponse.substr(kHeaderSize));
  EXPECT_EQ(frames[2].body, kNotFoundResponse.substr(kHeaderSize));
}

TEST(TtrpcFrameTest, ReaderHandlesManyFramesInOneFeed) {
  std::string stream;
  for (std::uint32_t id = 1; id <= 99; id += 2) {
    stream += encode_frame(id, MessageType::kRequest, std::string(id, 'a'));
  }
  // And a zero-length body, which must not wait for more bytes.
  stream += encode_frame(101, MessageType::kResponse, "");
  FrameReader reader;
  reader.feed(stream);
  std::vector<Frame> frames = read_all(reader);
  ASSERT_EQ(frames.size(), 51u);
  for (std::size_t i = 0; i < 50; ++i) {
    EXPECT_EQ(frames[i].header.stream_id, 2 * i + 1);
    EXPECT_EQ(frames[i].body, std::string(2 * i + 1, 'a'));
  }
  EXPECT_EQ(frames[50].header.stream_id, 101u);
  EXPECT_TRUE(frames[50].body.empty());
  EXPECT_FALSE(reader.mid_frame());
}

TEST(TtrpcFrameTest, ReaderSkipsOversizeBodyKeepingItsStreamId) {
  const std::uint32_t length = kMaxMessageSize + 1;
  HeaderBytes header = encode_header({length, 5, 1, 0});
  FrameReader reader;
  reader.feed(std::string_view(reinterpret_cast<const char*>(header.data()), header.size()));
  std::string chunk(1 << 20, 'z');
  for (std::uint32_t fed = 0; fed < length;) {
    std::size_t take = std::min<std::size_t>(chunk.size(), length - fed);
    EXPECT_FALSE(reader.next().has_value()) << "frame reported before its body was skipped";
    reader.feed(std::string_view(chunk).substr(0, take));
    fed += static_cast<std::uint32_t>(take);
  }
  reader.feed(kConnectRequest);
  std::vector<Frame> frames = read_all(reader);
  ASSERT_EQ(frames.size(), 2u);
  EXPECT_TRUE(frames[0].oversize);
  EXPECT_TRUE(frames[0].body.empty());
  EXPECT_EQ(frames[0].header.stream_id, 5u);
  EXPECT_EQ(frames[0].header.length, length);
  EXPECT_FALSE(frames[1].oversize);
  EXPECT_EQ(frames[1].header.stream_id, 3u);
  EXPECT_THAT(response_result(frames[0]),
              Failed(StatusCode::kResourceExhausted,
                     "message length 4194305 exceed maximum message size of 4194304"));
}

TEST(TtrpcFrameTest, MaximumSizeBodyIsAccepted) {
  std::string frame = encode_frame(7, MessageType::kRequest, std::string(kMaxMessageSize, 'm'));
  FrameReader reader;
  reader.feed(frame);
  std::vector<Frame> frames = read_all(reader);
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_FALSE(frames[0].oversize);
  EXPECT_EQ(frames[0].body.size(), kMaxMessageSize);
}

TEST(TtrpcFrameTest, EncodingRefusesOversizeBody) {
  EXPECT_THAT(
      [] { encode_frame(1, MessageType::kResponse, std::string(kMaxMessageSize + 1, 'o')); },
      Throws<Error>(IsError(ErrorCode::kResourceExhausted,
                            "message length 4194305 exceed maximum message size of 4194304")));
}

TEST(TtrpcFrameTest, ReaderReportsAFrameInProgress) {
  FrameReader reader;
  EXPECT_FALSE(reader.mid_frame());
  reader.feed(std::string_view(kConnectRequest).substr(0, 4));
  EXPECT_TRUE(reader.mid_frame());
  reader.feed(std::string_view(kConnectRequest).substr(4, 20));
  EXPECT_TRUE(reader.mid_frame());
  reader.feed(std::string_view(kConnectRequest).substr(24));
  EXPECT_FALSE(reader.mid_frame());
}

TEST(TtrpcFrameTest, ClientRejectsNonResponseFrame) {
  Frame frame{{0, 3, 1, 0}, "", false};
  EXPECT_THAT(response_result(frame),
              Failed(StatusCode::kInternal, "ttrpc: unknown message type received"));
}

TEST(TtrpcStatusTest, ErrorCodesMapToGrpcCodesOfTheSameName) {
  EXPECT_EQ(grpc_code(ErrorCode::kInvalidArgument), StatusCode::kInvalidArgument);
  EXPECT_EQ(grpc_code(ErrorCode::kNotFound), StatusCode::kNotFound);
  EXPECT_EQ(grpc_code(ErrorCode::kAlreadyExists), StatusCode::kAlreadyExists);
  EXPECT_EQ(grpc_code(ErrorCode::kFailedPrecondition), StatusCode::kFailedPrecondition);
  EXPECT_EQ(grpc_code(ErrorCode::kUnavailable), StatusCode::kUnavailable);
  EXPECT_EQ(grpc_code(ErrorCode::kPermissionDenied), StatusCode::kPermissionDenied);
  EXPECT_EQ(grpc_code(ErrorCode::kResourceExhausted), StatusCode::kResourceExhausted);
  EXPECT_EQ(grpc_code(ErrorCode::kUnimplemented), StatusCode::kUnimplemented);
  EXPECT_EQ(grpc_code(ErrorCode::kInternal), StatusCode::kInternal);
  // The numbers are the wire's (reference §1.3).
  EXPECT_EQ(static_cast<int>(StatusCode::kNotFound), 5);
  EXPECT_EQ(static_cast<int>(StatusCode::kUnimplemented), 12);
  EXPECT_EQ(static_cast<int>(StatusCode::kUnavailable), 14);
  EXPECT_EQ(status_code_name(StatusCode::kDeadlineExceeded), "DEADLINE_EXCEEDED");
  EXPECT_EQ(status_code_name(StatusCode::kUnauthenticated), "UNAUTHENTICATED");
}

}  // namespace
}  // namespace cradle::ttrpc
