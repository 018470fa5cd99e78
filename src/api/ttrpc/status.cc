#include "api/ttrpc/status.h"

namespace cradle::ttrpc {

StatusCode grpc_code(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument: return StatusCode::kInvalidArgument;
    case ErrorCode::kNotFound: return StatusCode::kNotFound;
    case ErrorCode::kAlreadyExists: return StatusCode::kAlreadyExists;
    case ErrorCode::kFailedPrecondition: return StatusCode::kFailedPrecondition;
    case ErrorCode::kUnavailable: return StatusCode::kUnavailable;
    case ErrorCode::kPermissionDenied: return StatusCode::kPermissionDenied;
    case ErrorCode::kResourceExhausted: return StatusCode::kResourceExhausted;
    case ErrorCode::kUnimplemented: return StatusCode::kUnimplemented;
    case ErrorCode::kInternal: return StatusCode::kInternal;
  }
  return StatusCode::kUnknown;
}

std::string_view status_code_name(StatusCode code) {
  static constexpr std::string_view kNames[] = {
      "OK",
      "CANCELLED",
      "UNKNOWN",
      "INVALID_ARGUMENT",
      "DEADLINE_EXCEEDED",
      "NOT_FOUND",
      "ALREADY_EXISTS",
      "PERMISSION_DENIED",
      "RESOURCE_EXHAUSTED",
      "FAILED_PRECONDITION",
      "ABORTED",
      "OUT_OF_RANGE",
      "UNIMPLEMENTED",
      "INTERNAL",
      "UNAVAILABLE",
      "DATA_LOSS",
      "UNAUTHENTICATED",
  };
  auto index = static_cast<std::size_t>(code);
  return index < std::size(kNames) ? kNames[index] : "UNKNOWN";
}

}  // namespace cradle::ttrpc
