#include "api/ttrpc/server.h"

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <exception>

#include "api/ttrpc/server_connection.h"
#include "api/ttrpc/unix_socket.h"
#include "base/error.h"
#include "base/file_io.h"

namespace cradle::ttrpc {
namespace {

// Connections served at once. containerd uses one (a new one after it restarts); the bound
// keeps a misbehaving local client from making us buffer for thousands.
constexpr std::size_t kMaxConnections = 64;
// How long accepting pauses when the process is out of descriptors or memory.
constexpr std::chrono::milliseconds kAcceptRetryDelay{100};

}  // namespace

TtrpcCall::TtrpcCall(std::weak_ptr<detail::ServerConnection> connection, std::uint32_t stream_id,
                     Request request, std::optional<EventLoop::Clock::time_point> deadline)
    : connection_(std::move(connection)),
      stream_id_(stream_id),
      request_(std::move(request)),
      deadline_(deadline) {}

TtrpcCall::~TtrpcCall() {
  if (!answered_) {
    answer(RpcResult::failure(StatusCode::kInternal,
                              "ttrpc: " + request_.method + " ended without an answer"));
  }
}

void TtrpcCall::reply(std::string payload) {
  answer(RpcResult::success(std::move(payload)));
}

void TtrpcCall::fail(StatusCode code, std::string message) {
  answer(RpcResult::failure(code, std::move(message)));
}

void TtrpcCall::answer(RpcResult result) {
  if (answered_) return;
  answered_ = true;
  if (auto connection = connection_.lock()) connection->finish(stream_id_, result);
}

bool TtrpcCall::done() const {
  if (answered_) return true;
  auto connection = connection_.lock();
  return !connection || !connection->waiting(stream_id_);
}

TtrpcServer::TtrpcServer(EventLoop& loop, UniqueFd listener)
    : loop_(loop), listener_(std::move(listener)), uid_(::geteuid()), gid_(::getegid()) {
  set_nonblocking(listener_.get());
  loop_.add(listener_.get(), EPOLLIN, [this](std::uint32_t) { accept_ready(); });
}

TtrpcServer::~TtrpcServer() {
  if (accept_retry_ != 0) loop_.cancel_timer(accept_retry_);
  loop_.remove(listener_.get());
}

void TtrpcServer::register_method(const std::string& service, const std::string& method,
                                  Handler handler) {
  services_[service][method] = std::move(handler);
}

void TtrpcServer::accept_ready() {
  while (true) {
    UniqueFd fd(::accept4(listener_.get(), nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC));
    if (fd) {
      accept_one(std::move(fd));
      continue;
    }
    switch (errno) {
      case EAGAIN: return;
      case EINTR:
      case ECONNABORTED:
      case EPROTO:
      case EPERM: continue;  // that one connection failed; others may wait
      case EMFILE:
      case ENFILE:
      case ENOBUFS:
      case ENOMEM:
        // The pending connection stays in the backlog, so epoll would wake us at once again.
        pause_accepting();
        return;
      default: throw_errno("accept4");
    }
  }
}

void TtrpcServer::pause_accepting() {
  loop_.remove(listener_.get());
  accept_retry_ = loop_.add_timer(kAcceptRetryDelay, [this] {
    accept_retry_ = 0;
    loop_.add(listener_.get(), EPOLLIN, [this](std::uint32_t) { accept_ready(); });
  });
}

void TtrpcServer::accept_one(UniqueFd fd) {
  // As Go's ttrpc.UnixSocketRequireSameUser: the credentials the peer connected with. A peer
  // whose credentials cannot be read is refused too.
  try {
    PeerCredentials peer = peer_credentials(fd.get());
    if (peer.uid != uid_ || peer.gid != gid_) return;  // closed by fd's destructor
  } catch (const Error&) {
    return;
  }
  if (connections_.size() >= kMaxConnections) return;
  try {
    auto connection = detail::ServerConnection::start(*this, loop_, std::move(fd));
    connections_.emplace(connection.get(), std::move(connection));
  } catch (const Error&) {
    // This connection could not be set up (epoll full, out of memory); the server goes on.
  }
}

void TtrpcServer::connection_closed(detail::ServerConnection* connection) {
  connections_.erase(connection);
  if (on_connection_closed_) on_connection_closed_();
}

void TtrpcServer::dispatch(const std::shared_ptr<TtrpcCall>& call) {
  auto service = services_.find(call->service());
  if (service == services_.end()) {
    call->fail(StatusCode::kUnimplemented, "service " + call->service());
    return;
  }
  auto method = service->second.find(call->method());
  if (method == service->second.end()) {
    call->fail(StatusCode::kUnimplemented, "method " + call->method());
    return;
  }
  try {
    method->second(call);
  } catch (const Error& error) {
    call->fail(error.code(), error.what());
  } catch (const std::exception& error) {
    call->fail(StatusCode::kInternal, error.what());
  }
}

}  // namespace cradle::ttrpc
