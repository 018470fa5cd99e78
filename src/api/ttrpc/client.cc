#include "api/ttrpc/client.h"

#include "api/ttrpc/client_connection.h"
#include "base/error.h"

namespace cradle::ttrpc {

TtrpcClient::TtrpcClient(EventLoop& loop, std::string socket_path)
    : loop_(loop), socket_path_(std::move(socket_path)) {}

TtrpcClient::~TtrpcClient() = default;

void TtrpcClient::call(std::string_view service, std::string_view method, std::string payload,
                       std::chrono::nanoseconds timeout, Metadata metadata, Done done) {
  if (connection_ && !connection_->usable()) {
    // Broken (its own close notice may still be queued) or out of stream ids: its pending calls
    // end UNAVAILABLE, from the loop, and this call goes on a new connection.
    loop_.post([old = std::move(connection_)] { old->close("ttrpc: connection closed"); });
  }
  if (!connection_) {
    try {
      connection_ = detail::ClientConnection::connect(loop_, socket_path_, alive_);
    } catch (const Error& error) {
      complete_later(std::move(done), RpcResult::failure(StatusCode::kUnavailable, error.what()));
      return;
    }
  }
  connection_->start(Request{std::string(service), std::string(method), std::move(payload), timeout,
                             std::move(metadata)},
                     std::move(done));
}

void TtrpcClient::complete_later(Done done, RpcResult result) {
  loop_.post([alive = std::weak_ptr<int>(alive_), done = std::move(done),
              result = std::move(result)]() mutable {
    if (!alive.expired()) done(std::move(result));
  });
}

}  // namespace cradle::ttrpc
