// The status of a ttrpc call: gRPC's status codes (ttrpc reuses them, google.rpc.Status on the
// wire), how cradle's ErrorCode maps onto them, and the result a client gets back.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "base/error.h"

namespace cradle::ttrpc {

// gRPC's codes, numbered as on the wire (google/rpc/code.proto).
enum class StatusCode : std::int32_t {
  kOk = 0,
  kCancelled = 1,
  kUnknown = 2,
  kInvalidArgument = 3,
  kDeadlineExceeded = 4,
  kNotFound = 5,
  kAlreadyExists = 6,
  kPermissionDenied = 7,
  kResourceExhausted = 8,
  kFailedPrecondition = 9,
  kAborted = 10,
  kOutOfRange = 11,
  kUnimplemented = 12,
  kInternal = 13,
  kUnavailable = 14,
  kDataLoss = 15,
  kUnauthenticated = 16,
};

// One-to-one: every ErrorCode has the gRPC code of the same name.
StatusCode grpc_code(ErrorCode code);

// The upper-case gRPC name ("NOT_FOUND"), for messages and test output.
std::string_view status_code_name(StatusCode code);

// ttrpc metadata: an ordered list, a key may repeat. Passed through as is; Go's ttrpc lower-cases
// keys when it sets them, so senders should use lower-case keys.
using Metadata = std::vector<std::pair<std::string, std::string>>;

// What a call ends with. On error the payload is empty, as the server sends it.
struct RpcResult {
  StatusCode code = StatusCode::kOk;
  std::string message;
  std::string payload;

  bool ok() const { return code == StatusCode::kOk; }
  static RpcResult success(std::string payload) {
    return {StatusCode::kOk, {}, std::move(payload)};
  }
  static RpcResult failure(StatusCode code, std::string message) {
    return {code, std::move(message), {}};
  }
};

}  // namespace cradle::ttrpc
