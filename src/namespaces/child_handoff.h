// The child's end of the handoff protocol (handoff.h): allocation-free, for use between clone3
// and execve only.
#pragma once

#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "namespaces/handoff.h"

namespace cradle::ns {

// Reports a failure and leaves, sends progress, or waits for the parent's word.
class ChildHandoff {
 public:
  explicit ChildHandoff(int fd) : fd_(fd) {}

  [[noreturn]] void fail(Stage stage, std::uint32_t index = 0, int err = errno) const {
    HandoffMessage msg{HandoffType::kFailed, stage, index, err, {}};
    ::send(fd_, &msg, sizeof msg, MSG_NOSIGNAL);
    ::_exit(1);
  }

  void check(long rc, Stage stage, std::uint32_t index = 0) const {
    if (rc < 0) fail(stage, index);
  }

  // Sends a message, with fd_to_pass (if >= 0) attached as SCM_RIGHTS.
  void send(HandoffType type, int fd_to_pass = -1) const {
    HandoffMessage msg{type, Stage::kHandoff, 0, 0, {}};
    for (int i = 0; i < 4; ++i)
      msg.phase_ns[i] = phase_ns[i];
    iovec iov{&msg, sizeof msg};
    msghdr hdr{};
    hdr.msg_iov = &iov;
    hdr.msg_iovlen = 1;
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))];
    if (fd_to_pass >= 0) {
      std::memset(control, 0, sizeof control);
      hdr.msg_control = control;
      hdr.msg_controllen = sizeof control;
      cmsghdr* cmsg = CMSG_FIRSTHDR(&hdr);
      cmsg->cmsg_level = SOL_SOCKET;
      cmsg->cmsg_type = SCM_RIGHTS;
      cmsg->cmsg_len = CMSG_LEN(sizeof(int));
      std::memcpy(CMSG_DATA(cmsg), &fd_to_pass, sizeof(int));
    }
    if (::sendmsg(fd_, &hdr, MSG_NOSIGNAL) != sizeof msg) fail(Stage::kHandoff);
  }

  // Blocks until the parent sends `type`. The parent going away ends the child quietly: there is
  // nobody left to report to.
  void wait_for(HandoffType type) const {
    HandoffMessage msg;
    for (;;) {
      ssize_t n = ::recv(fd_, &msg, sizeof msg, 0);
      if (n < 0 && errno == EINTR) continue;
      if (n == 0) ::_exit(1);
      if (n != sizeof msg) fail(Stage::kHandoff);
      if (msg.type != type) fail(Stage::kHandoff, 0, EPROTO);
      return;
    }
  }

  int fd() const { return fd_; }

  // Filled by the child as it goes, sent along with kReady.
  mutable std::int64_t phase_ns[4] = {0, 0, 0, 0};
  void mark_phase(int phase) const {
    timespec t{};
    ::clock_gettime(CLOCK_MONOTONIC, &t);
    phase_ns[phase] = t.tv_sec * 1'000'000'000LL + t.tv_nsec;
  }

 private:
  int fd_;
};

}  // namespace cradle::ns
