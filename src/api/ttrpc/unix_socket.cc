#include "api/ttrpc/unix_socket.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <cstddef>
#include <cstring>

#include "base/error.h"

namespace cradle::ttrpc {
namespace {

struct UnixAddress {
  sockaddr_un addr{};
  socklen_t length = 0;
};

UnixAddress unix_address(const std::string& path) {
  UnixAddress result;
  result.addr.sun_family = AF_UNIX;
  if (path.empty() || path.size() >= sizeof(result.addr.sun_path)) {
    throw_invalid("unix socket path \"" + path + "\": must be 1 to " +
                  std::to_string(sizeof(result.addr.sun_path) - 1) + " bytes");
  }
  std::memcpy(result.addr.sun_path, path.data(), path.size());
  // Abstract names are exactly as long as given, with no terminating NUL.
  if (path[0] == '@') result.addr.sun_path[0] = '\0';
  result.length =
      static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + path.size() + (path[0] != '@'));
  return result;
}

UniqueFd unix_stream_socket(int extra_flags) {
  UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | extra_flags, 0));
  if (!fd) throw_errno("socket(AF_UNIX)");
  return fd;
}

}  // namespace

UniqueFd listen_unix(const std::string& path, int backlog) {
  UnixAddress address = unix_address(path);
  UniqueFd fd = unix_stream_socket(SOCK_NONBLOCK);
  if (::bind(fd.get(), reinterpret_cast<const sockaddr*>(&address.addr), address.length) != 0) {
    throw_errno("bind unix socket " + path);
  }
  if (::listen(fd.get(), backlog) != 0) throw_errno("listen on unix socket " + path);
  return fd;
}

UniqueFd connect_unix(const std::string& path, bool nonblocking) {
  UnixAddress address = unix_address(path);
  UniqueFd fd = unix_stream_socket(nonblocking ? SOCK_NONBLOCK : 0);
  int rc;
  do {
    rc = ::connect(fd.get(), reinterpret_cast<const sockaddr*>(&address.addr), address.length);
  } while (rc != 0 && errno == EINTR);
  if (rc != 0) throw_errno("connect to unix socket " + path);
  return fd;
}

PeerCredentials peer_credentials(int fd) {
  ucred cred{};
  socklen_t length = sizeof(cred);
  if (::getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &length) != 0) {
    throw_errno("getsockopt SO_PEERCRED");
  }
  return PeerCredentials{cred.pid, cred.uid, cred.gid};
}

}  // namespace cradle::ttrpc
