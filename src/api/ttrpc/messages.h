// ttrpc's envelope messages (Request, Response with google.rpc.Status) to and from frame
// bodies. The rest of the library sees only these plain structs, not the generated protobuf
// classes.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "api/ttrpc/frame.h"
#include "api/ttrpc/status.h"

namespace cradle::ttrpc {

struct Request {
  std::string service;                  // "containerd.task.v2.Task"
  std::string method;                   // "Create": the bare name
  std::string payload;                  // the marshalled request message
  std::chrono::nanoseconds timeout{0};  // time left to the caller's deadline; 0 = none
  Metadata metadata;
};

// The body of a request frame.
std::string encode_request(const Request& request);
// nullopt when the body is not a valid Request message.
std::optional<Request> decode_request(std::string_view body);

// The body of a response frame: the status is omitted on success (as Go's ttrpc does, and
// containerd expects), the payload on error.
std::string encode_response(const RpcResult& result);
// A body that is not a valid Response decodes to an INTERNAL failure.
RpcResult decode_response(std::string_view body);

// What a client makes of a frame on its call's stream: an oversize body fails the call with
// RESOURCE_EXHAUSTED, a frame that is not a response with INTERNAL (as Go's ttrpc client does).
RpcResult response_result(const Frame& frame);

// Whole frames, ready to write; both throw Error(kResourceExhausted) over kMaxMessageSize.
inline std::string request_frame(std::uint32_t stream_id, const Request& request) {
  return encode_frame(stream_id, MessageType::kRequest, encode_request(request));
}
inline std::string response_frame(std::uint32_t stream_id, const RpcResult& result) {
  return encode_frame(stream_id, MessageType::kResponse, encode_response(result));
}

}  // namespace cradle::ttrpc
