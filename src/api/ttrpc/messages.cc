#include "api/ttrpc/messages.h"

#include "ttrpc/request.pb.h"

namespace cradle::ttrpc {

std::string encode_request(const Request& request) {
  ::ttrpc::Request message;
  message.set_service(request.service);
  message.set_method(request.method);
  message.set_payload(request.payload);
  message.set_timeout_nano(request.timeout.count());
  for (const auto& [key, value] : request.metadata) {
    ::ttrpc::KeyValue* entry = message.add_metadata();
    entry->set_key(key);
    entry->set_value(value);
  }
  return message.SerializeAsString();
}

std::optional<Request> decode_request(std::string_view body) {
  ::ttrpc::Request message;
  if (!message.ParseFromArray(body.data(), static_cast<int>(body.size()))) return std::nullopt;
  Request request{message.service(),
                  message.method(),
                  message.payload(),
                  std::chrono::nanoseconds(message.timeout_nano()),
                  {}};
  for (const ::ttrpc::KeyValue& entry : message.metadata()) {
    request.metadata.emplace_back(entry.key(), entry.value());
  }
  return request;
}

std::string encode_response(const RpcResult& result) {
  ::ttrpc::Response message;
  if (result.ok()) {
    message.set_payload(result.payload);
  } else {
    message.mutable_status()->set_code(static_cast<std::int32_t>(result.code));
    message.mutable_status()->set_message(result.message);
  }
  return message.SerializeAsString();
}

RpcResult decode_response(std::string_view body) {
  ::ttrpc::Response message;
  if (!message.ParseFromArray(body.data(), static_cast<int>(body.size()))) {
    return RpcResult::failure(StatusCode::kInternal, "ttrpc: malformed response message");
  }
  // An absent status, or code 0, is success.
  if (message.status().code() != 0) {
    return RpcResult::failure(static_cast<StatusCode>(message.status().code()),
                              message.status().message());
  }
  return RpcResult::success(message.payload());
}

RpcResult response_result(const Frame& frame) {
  if (frame.oversize) {
    return RpcResult::failure(StatusCode::kResourceExhausted,
                              oversize_message(frame.header.length));
  }
  if (frame.header.type != static_cast<std::uint8_t>(MessageType::kResponse)) {
    return RpcResult::failure(StatusCode::kInternal, "ttrpc: unknown message type received");
  }
  return decode_response(frame.body);
}

}  // namespace cradle::ttrpc
