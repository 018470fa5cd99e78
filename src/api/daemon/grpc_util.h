// The edge between gRPC and core: cradle::Error to grpc::Status (one code for one code), the
// namespace a call is for, and a wrapper that turns whatever a handler throws into a status.
#pragma once

#include <grpcpp/grpcpp.h>

#include <string>

#include "base/error.h"

namespace cradle::api {

grpc::Status to_status(const Error& error);

// From the "cradle-namespace" metadata, or the default; kInvalidArgument for a malformed one.
std::string namespace_of(const grpc::ServerContext& context, const std::string& fallback);

template <typename Handler>
grpc::Status serve(Handler&& handler) {
  try {
    handler();
    return grpc::Status::OK;
  } catch (const Error& e) {
    return to_status(e);
  } catch (const std::exception& e) {
    return grpc::Status(grpc::StatusCode::INTERNAL, e.what());
  }
}

}  // namespace cradle::api
