#include "api/ttrpc/client_connection.h"

#include "api/ttrpc/deadline.h"
#include "api/ttrpc/unix_socket.h"
#include "base/error.h"

namespace cradle::ttrpc::detail {

std::shared_ptr<ClientConnection> ClientConnection::connect(EventLoop& loop,
                                                            const std::string& path,
                                                            std::weak_ptr<int> client_alive) {
  UniqueFd fd = connect_unix(path, /*nonblocking=*/true);
  std::shared_ptr<ClientConnection> connection(new ClientConnection(loop, std::move(client_alive)));
  ClientConnection* raw = connection.get();
  // The channel is owned by the connection, so its handlers can hold a plain pointer.
  connection->channel_ = Channel::open(
      loop, std::move(fd), [raw](Frame frame) { raw->on_frame(frame); },
      [raw](const std::string& reason) { raw->close("ttrpc: connection closed: " + reason); });
  return connection;
}

ClientConnection::~ClientConnection() {
  for (const auto& [stream_id, pending] : pending_) {
    if (pending.timer != 0) loop_.cancel_timer(pending.timer);
  }
  if (channel_) channel_->close();  // null when Channel::open threw
}

void ClientConnection::start(Request request, TtrpcClient::Done done) {
  std::uint32_t stream_id = next_stream_id_;
  next_stream_id_ += 2;
  // complete() cancels the timer again, which is a no-op once it has fired.
  EventLoop::TimerId timer =
      start_deadline_timer(loop_, request.timeout, [weak = weak_from_this(), stream_id] {
        if (auto self = weak.lock()) self->complete(stream_id, deadline_exceeded());
      });
  // Registered before sending: the send may break the channel, whose posted close then
  // completes this call too.
  pending_.emplace(stream_id, Pending{std::move(done), timer});
  std::string frame;
  try {
    frame = request_frame(stream_id, request);
  } catch (const Error& error) {
    // Too big to send: fail this call alone, from the loop as every completion.
    loop_.post([weak = weak_from_this(), stream_id, message = std::string(error.what())] {
      if (auto self = weak.lock()) {
        self->complete(stream_id, RpcResult::failure(StatusCode::kResourceExhausted, message));
      }
    });
    return;
  }
  channel_->send(std::move(frame));
}

void ClientConnection::on_frame(const Frame& frame) {
  // A response for no pending call (its deadline passed, or a stray id) is dropped.
  complete(frame.header.stream_id, response_result(frame));
}

void ClientConnection::complete(std::uint32_t stream_id, RpcResult result) {
  auto it = pending_.find(stream_id);
  if (it == pending_.end()) return;
  TtrpcClient::Done done = std::move(it->second.done);
  if (it->second.timer != 0) loop_.cancel_timer(it->second.timer);
  pending_.erase(it);
  if (!client_alive_.expired()) done(std::move(result));
}

void ClientConnection::close(const std::string& reason) {
  // A completion may drop the client and with it this connection; stay alive until done.
  auto self = shared_from_this();
  channel_->close();
  while (!pending_.empty()) {
    complete(pending_.begin()->first, RpcResult::failure(StatusCode::kUnavailable, reason));
  }
}

}  // namespace cradle::ttrpc::detail
