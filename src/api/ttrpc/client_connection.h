// One connection of TtrpcClient (internal): hands out odd, rising stream ids, keeps each pending
// call's completion and timer, and completes the calls as responses, deadlines or a broken
// connection come.
#pragma once

#include <cstdint>
#include <limits>
#include <map>
#include <memory>

#include "api/ttrpc/channel.h"
#include "api/ttrpc/client.h"
#include "api/ttrpc/messages.h"

namespace cradle::ttrpc::detail {

class ClientConnection : public std::enable_shared_from_this<ClientConnection> {
 public:
  // Throws Error when the socket cannot be connected. Completions run only while
  // `client_alive` does: calls pending when the client goes away are dropped.
  static std::shared_ptr<ClientConnection> connect(EventLoop& loop, const std::string& path,
                                                   std::weak_ptr<int> client_alive);
  ~ClientConnection();
  ClientConnection(const ClientConnection&) = delete;
  ClientConnection& operator=(const ClientConnection&) = delete;

  // Whether new calls may go on this connection: it has not broken and has stream ids left.
  bool usable() const {
    return channel_->is_open() && next_stream_id_ <= std::numeric_limits<std::uint32_t>::max() - 2;
  }
  // Sends the request; `done` runs later: with the response, or a failure.
  void start(Request request, TtrpcClient::Done done);
  // Closes the connection; the pending calls end UNAVAILABLE with `reason`.
  void close(const std::string& reason);

 private:
  ClientConnection(EventLoop& loop, std::weak_ptr<int> client_alive)
      : loop_(loop), client_alive_(std::move(client_alive)) {}
  void on_frame(const Frame& frame);
  // Runs the pending call's `done` with `result`, if the call is still pending.
  void complete(std::uint32_t stream_id, RpcResult result);

  struct Pending {
    TtrpcClient::Done done;
    EventLoop::TimerId timer = 0;  // 0: no deadline
  };

  EventLoop& loop_;
  std::weak_ptr<int> client_alive_;
  std::shared_ptr<Channel> channel_;
  std::uint32_t next_stream_id_ = 1;          // ttrpc clients use odd ids, from 1, never reused
  std::map<std::uint32_t, Pending> pending_;  // ordered: a break completes the oldest first
};

}  // namespace cradle::ttrpc::detail
