// AF_UNIX stream sockets for ttrpc: listening, connecting, and who is on the other end.
#pragma once

#include <sys/types.h>

#include <string>

#include "base/unique_fd.h"

namespace cradle::ttrpc {

// A path starting with '@' names an abstract socket (the '@' stands for the leading NUL), as
// containerd's addresses without "unix://" do. Paths must fit sockaddr_un (107 bytes).
//
// A non-blocking, close-on-exec socket listening on `path`. An existing file there is an error.
UniqueFd listen_unix(const std::string& path, int backlog = 128);

// A close-on-exec socket connected to `path`. Non-blocking, a unix connect still completes at
// once or fails (a full backlog fails with EAGAIN instead of waiting for the server to accept:
// a client on the server's own event loop must not wait for it).
UniqueFd connect_unix(const std::string& path, bool nonblocking);

struct PeerCredentials {
  pid_t pid = 0;
  uid_t uid = 0;
  gid_t gid = 0;
};
// SO_PEERCRED: the credentials the peer had when it connected.
PeerCredentials peer_credentials(int fd);

}  // namespace cradle::ttrpc
