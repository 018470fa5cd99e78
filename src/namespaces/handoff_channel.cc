#include "namespaces/handoff_channel.h"

#include <sys/socket.h>

#include <cstring>

#include "base/error.h"

namespace cradle::ns {

std::pair<UniqueFd, UniqueFd> make_handoff_channel() {
  int fds[2];
  if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, fds) != 0) {
    throw_errno("create the handoff socketpair");
  }
  return {UniqueFd(fds[0]), UniqueFd(fds[1])};
}

void send_handoff(int fd, HandoffType type) {
  HandoffMessage msg{type, Stage::kHandoff, 0, 0, {}};
  for (;;) {
    ssize_t n = ::send(fd, &msg, sizeof msg, MSG_NOSIGNAL);
    if (n == sizeof msg) return;
    if (n < 0 && errno == EINTR) continue;
    throw_errno(n < 0 ? errno : EPROTO, "send to the container's init");
  }
}

bool receive_handoff(int fd, HandoffMessage& msg, UniqueFd* passed) {
  iovec iov{&msg, sizeof msg};
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))];
  msghdr hdr{};
  hdr.msg_iov = &iov;
  hdr.msg_iovlen = 1;
  hdr.msg_control = control;
  hdr.msg_controllen = sizeof control;
  ssize_t n;
  do {
    n = ::recvmsg(fd, &hdr, MSG_CMSG_CLOEXEC);
  } while (n < 0 && errno == EINTR);
  if (n < 0) {
    // The child's end closing while unread data is pending reads as ECONNRESET on some kernels;
    // either way the child is gone.
    if (errno == ECONNRESET) return false;
    throw_errno("receive from the container's init");
  }
  if (n == 0) return false;
  for (cmsghdr* c = CMSG_FIRSTHDR(&hdr); c != nullptr; c = CMSG_NXTHDR(&hdr, c)) {
    if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
      int received;
      std::memcpy(&received, CMSG_DATA(c), sizeof received);
      if (passed) {
        passed->reset(received);
      } else {
        ::close(received);
      }
    }
  }
  if (n != sizeof msg) throw Error(ErrorCode::kInternal, "short handoff message");
  return true;
}

}  // namespace cradle::ns
