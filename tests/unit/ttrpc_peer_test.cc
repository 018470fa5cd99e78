// The server's SO_PEERCRED check: a peer with another uid or gid is closed without an answer,
// one with the server's own is served. The peer is a forked child that changes its credentials
// before it connects and reports what it saw through its exit code.
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstring>

#include "ttrpc_test_harness.h"

namespace cradle::ttrpc::testing {
namespace {

// The child's exit codes.
constexpr int kClosedWithoutAnswer = 0;
constexpr int kAnswered = 1;
constexpr int kSetupFailed = 2;

class TtrpcPeerCredentialsTest : public TtrpcServerTest {
 protected:
  void SetUp() override {
    if (::geteuid() != 0) GTEST_SKIP() << "needs root to take another uid or gid";
    // The child, under another uid, must reach the socket.
    ASSERT_EQ(::chmod(dir_.path().c_str(), 0755), 0);
    ASSERT_EQ(::chmod(socket_path_.c_str(), 0777), 0);
  }

  // Forks a child that takes uid/gid, connects, sends an Echo and waits for a byte or EOF.
  // Turns the server's loop meanwhile and returns the child's exit code.
  int connect_as(uid_t uid, gid_t gid) {
    // Everything the child needs is made before fork: it only makes raw syscalls.
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::memcpy(address.sun_path, socket_path_.c_str(), socket_path_.size() + 1);
    std::string request = request_bytes(1, "Echo", "hi");
    pid_t pid = ::fork();
    if (pid < 0) {
      ADD_FAILURE() << "fork: " << std::strerror(errno);
      return -1;
    }
    if (pid == 0) {
      ::alarm(20);  // never outlive a broken test
      if (::setresgid(gid, gid, gid) != 0 || ::setresuid(uid, uid, uid) != 0) _exit(kSetupFailed);
      int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
      if (fd < 0 ||
          ::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof(address)) != 0) {
        _exit(kSetupFailed);
      }
      // May fail with EPIPE if the server closed already; the read below tells either way.
      (void)!::send(fd, request.data(), request.size(), MSG_NOSIGNAL);
      char byte;
      ssize_t n = ::read(fd, &byte, 1);
      if (n > 0) _exit(kAnswered);
      _exit(n == 0 || errno == ECONNRESET ? kClosedWithoutAnswer : kSetupFailed);
    }
    int status = 0;
    bool exited = run_until(loop_, [&] { return ::waitpid(pid, &status, WNOHANG) == pid; });
    EXPECT_TRUE(exited) << "the child did not finish";
    if (!exited) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      return -1;
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }

  void expect_still_serving() {
    RawPeer peer(loop_, socket_path_);
    peer.write(request_bytes(1, "Echo", "still serving"));
    EXPECT_THAT(peer.read_response().second, Succeeded("still serving"));
  }
};

TEST_F(TtrpcPeerCredentialsTest, OtherUidIsClosedWithoutAnAnswer) {
  EXPECT_EQ(connect_as(65534, ::getegid()), kClosedWithoutAnswer);
  EXPECT_EQ(server_->connection_count(), 0u);
  EXPECT_EQ(closed_connections_, 0) << "a refused peer is not a served connection";
  expect_still_serving();
}

TEST_F(TtrpcPeerCredentialsTest, OtherGidIsClosedWithoutAnAnswer) {
  EXPECT_EQ(connect_as(::geteuid(), 65534), kClosedWithoutAnswer);
  expect_still_serving();
}

TEST_F(TtrpcPeerCredentialsTest, SameUidAndGidAreServed) {
  EXPECT_EQ(connect_as(::geteuid(), ::getegid()), kAnswered);
}

}  // namespace
}  // namespace cradle::ttrpc::testing
