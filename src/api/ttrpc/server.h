// The ttrpc server: accepts connections on a listening unix socket, checks each peer's
// credentials, and dispatches requests to asynchronous handlers registered by (service, method).
// Everything runs on one EventLoop; a handler answers whenever it can (a Wait answers when the
// process exits), and other calls on the same connection go on meanwhile.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>

#include "api/ttrpc/messages.h"
#include "api/ttrpc/status.h"
#include "base/event_loop.h"
#include "base/unique_fd.h"

namespace cradle::ttrpc {

namespace detail {
class ServerConnection;
}

// One request being served. Answer it once with reply() or fail(); a second answer, an answer
// after the deadline was answered for it, or after its connection closed, is a harmless no-op.
// A call dropped without an answer is answered INTERNAL, so its client does not wait forever.
class TtrpcCall {
 public:
  ~TtrpcCall();
  TtrpcCall(const TtrpcCall&) = delete;
  TtrpcCall& operator=(const TtrpcCall&) = delete;

  const std::string& service() const { return request_.service; }
  const std::string& method() const { return request_.method; }
  const std::string& payload() const { return request_.payload; }
  const Metadata& metadata() const { return request_.metadata; }
  // From the request's timeout_nano; none when it was 0. When it passes, the server answers
  // DEADLINE_EXCEEDED itself.
  std::optional<EventLoop::Clock::time_point> deadline() const { return deadline_; }
  std::uint32_t stream_id() const { return stream_id_; }

  void reply(std::string payload);
  void fail(StatusCode code, std::string message);
  void fail(ErrorCode code, std::string message) { fail(grpc_code(code), std::move(message)); }
  // Answered, timed out, or its connection is gone: nothing more will reach the client.
  bool done() const;

 private:
  friend class detail::ServerConnection;
  TtrpcCall(std::weak_ptr<detail::ServerConnection> connection, std::uint32_t stream_id,
            Request request, std::optional<EventLoop::Clock::time_point> deadline);
  void answer(RpcResult result);

  std::weak_ptr<detail::ServerConnection> connection_;
  std::uint32_t stream_id_;
  Request request_;
  std::optional<EventLoop::Clock::time_point> deadline_;
  bool answered_ = false;
};

class TtrpcServer {
 public:
  using Handler = std::function<void(std::shared_ptr<TtrpcCall>)>;

  // Serves on `listener`, a listening unix stream socket (made non-blocking here). Only peers
  // with this process's effective uid and gid are served (as containerd's shims require);
  // others are closed at once. The loop must outlive the server.
  TtrpcServer(EventLoop& loop, UniqueFd listener);
  ~TtrpcServer();
  TtrpcServer(const TtrpcServer&) = delete;
  TtrpcServer& operator=(const TtrpcServer&) = delete;

  // A handler may answer before it returns or keep the call and answer later. If it throws
  // cradle::Error, the call is answered with the error's code and message (other exceptions:
  // INTERNAL), unless it was answered already.
  void register_method(const std::string& service, const std::string& method, Handler handler);

  // Called from the loop each time a served connection has closed, whichever side closed it
  // (containerd leaving, an I/O error, a peer that stopped reading). Not called for refused
  // peers, nor when the server itself is destroyed.
  void on_connection_closed(std::function<void()> callback) {
    on_connection_closed_ = std::move(callback);
  }
  std::size_t connection_count() const { return connections_.size(); }

 private:
  friend class detail::ServerConnection;
  void accept_ready();
  void accept_one(UniqueFd fd);
  void pause_accepting();
  void dispatch(const std::shared_ptr<TtrpcCall>& call);
  void connection_closed(detail::ServerConnection* connection);

  EventLoop& loop_;
  UniqueFd listener_;
  uid_t uid_;
  gid_t gid_;
  std::map<std::string, std::map<std::string, Handler, std::less<>>, std::less<>> services_;
  std::unordered_map<detail::ServerConnection*, std::shared_ptr<detail::ServerConnection>>
      connections_;
  std::function<void()> on_connection_closed_;
  EventLoop::TimerId accept_retry_ = 0;
};

}  // namespace cradle::ttrpc
