#include "api/ttrpc/server_connection.h"

#include "api/ttrpc/deadline.h"
#include "base/error.h"

namespace cradle::ttrpc::detail {

std::shared_ptr<ServerConnection> ServerConnection::start(TtrpcServer& server, EventLoop& loop,
                                                          UniqueFd fd) {
  std::shared_ptr<ServerConnection> connection(new ServerConnection(server, loop));
  ServerConnection* raw = connection.get();
  // The channel is owned by the connection, so its handlers can hold a plain pointer.
  connection->channel_ = Channel::open(
      loop, std::move(fd), [raw](Frame frame) { raw->on_frame(std::move(frame)); },
      [raw](const std::string&) { raw->server_.connection_closed(raw); });
  return connection;
}

ServerConnection::~ServerConnection() {
  for (const auto& [stream_id, timer] : in_flight_) {
    if (timer != 0) loop_.cancel_timer(timer);
  }
  if (channel_) channel_->close();  // null when Channel::open threw
}

void ServerConnection::on_frame(Frame frame) {
  // The checks and their order are ttrpc v1.1.1's: size, type, the Request itself, stream id.
  std::uint32_t stream_id = frame.header.stream_id;
  if (frame.oversize) {
    send(stream_id,
         RpcResult::failure(StatusCode::kResourceExhausted, oversize_message(frame.header.length)));
    return;
  }
  // Other types (ttrpc >= 1.2 streaming data) are ignored, for compatibility.
  if (frame.header.type != static_cast<std::uint8_t>(MessageType::kRequest)) return;
  std::optional<Request> request = decode_request(frame.body);
  if (!request) {
    send(stream_id, RpcResult::failure(StatusCode::kInvalidArgument,
                                       "unmarshal request error: malformed ttrpc Request"));
    return;
  }
  if (stream_id % 2 != 1) {
    send(stream_id, RpcResult::failure(StatusCode::kInvalidArgument,
                                       "StreamID must be odd for client initiated streams"));
    return;
  }
  // Not checked by Go's ttrpc; two calls on one id could not be told apart.
  if (in_flight_.contains(stream_id)) {
    send(stream_id, RpcResult::failure(StatusCode::kInvalidArgument,
                                       "StreamID " + std::to_string(stream_id) + " is in use"));
    return;
  }
  if (in_flight_.size() >= kMaxCallsInFlight) {
    send(stream_id, RpcResult::failure(StatusCode::kResourceExhausted,
                                       "more than " + std::to_string(kMaxCallsInFlight) +
                                           " calls in flight on one connection"));
    return;
  }
  start_call(stream_id, std::move(*request));
}

void ServerConnection::start_call(std::uint32_t stream_id, Request request) {
  // A handler may drop the server, and with it this connection; stay alive until it returns.
  auto self = shared_from_this();
  std::optional<EventLoop::Clock::time_point> deadline;
  if (request.timeout.count() != 0) deadline = EventLoop::Clock::now() + request.timeout;
  // finish() cancels the timer again, which is a no-op once it has fired.
  EventLoop::TimerId timer =
      start_deadline_timer(loop_, request.timeout, [weak = weak_from_this(), stream_id] {
        if (auto connection = weak.lock()) connection->finish(stream_id, deadline_exceeded());
      });
  in_flight_.emplace(stream_id, timer);
  std::shared_ptr<TtrpcCall> call(
      new TtrpcCall(weak_from_this(), stream_id, std::move(request), deadline));
  server_.dispatch(call);
}

bool ServerConnection::finish(std::uint32_t stream_id, const RpcResult& result) {
  auto it = in_flight_.find(stream_id);
  if (it == in_flight_.end()) return false;
  if (it->second != 0) loop_.cancel_timer(it->second);
  in_flight_.erase(it);
  send(stream_id, result);
  return true;
}

void ServerConnection::send(std::uint32_t stream_id, const RpcResult& result) {
  std::string frame;
  try {
    frame = response_frame(stream_id, result);
  } catch (const Error& error) {
    // A reply over the size limit: its client would refuse it, so tell it why instead.
    frame = response_frame(stream_id, RpcResult::failure(grpc_code(error.code()), error.what()));
  }
  channel_->send(std::move(frame));
}

}  // namespace cradle::ttrpc::detail
