#include "api/daemon/grpc_util.h"

#include "core/container_id.h"

namespace cradle::api {

grpc::Status to_status(const Error& error) {
  grpc::StatusCode code = grpc::StatusCode::UNKNOWN;
  switch (error.code()) {
    case ErrorCode::kInvalidArgument: code = grpc::StatusCode::INVALID_ARGUMENT; break;
    case ErrorCode::kNotFound: code = grpc::StatusCode::NOT_FOUND; break;
    case ErrorCode::kAlreadyExists: code = grpc::StatusCode::ALREADY_EXISTS; break;
    case ErrorCode::kFailedPrecondition: code = grpc::StatusCode::FAILED_PRECONDITION; break;
    case ErrorCode::kUnavailable: code = grpc::StatusCode::UNAVAILABLE; break;
    case ErrorCode::kPermissionDenied: code = grpc::StatusCode::PERMISSION_DENIED; break;
    case ErrorCode::kResourceExhausted: code = grpc::StatusCode::RESOURCE_EXHAUSTED; break;
    case ErrorCode::kUnimplemented: code = grpc::StatusCode::UNIMPLEMENTED; break;
    case ErrorCode::kInternal: code = grpc::StatusCode::INTERNAL; break;
  }
  return grpc::Status(code, error.what());
}

std::string namespace_of(const grpc::ServerContext& context, const std::string& fallback) {
  const auto& metadata = context.client_metadata();
  auto it = metadata.find("cradle-namespace");
  if (it == metadata.end()) return fallback;
  std::string ns(it->second.data(), it->second.size());
  try {
    validate_container_id(ns);  // namespaces follow the identifier rule of ids
  } catch (const Error&) {
    throw_invalid("namespace \"" + ns + "\": letters, digits, '_', '.' and '-' only");
  }
  return ns;
}

}  // namespace cradle::api
