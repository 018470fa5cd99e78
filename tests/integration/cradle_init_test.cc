// cradle-init run directly as pid 1 of a fresh pid namespace (with its own /proc), as it is in a
// --init container: it must exit with its command's status, reap orphans, and pass signals on.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <optional>
#include <string>
#include <vector>

#include "base/unique_fd.h"
#include "support/temp_dir.h"

namespace cradle {
namespace {

// How long a test waits for what should happen at once before it gives up and fails: a bound
// against hanging, not a measurement.
constexpr int kGiveUpMs = 30000;

std::vector<std::string> sh(const std::string& script) {
  return {"/bin/sh", "-c", script};
}

class InitProcess {
 public:
  // Starts cradle-init -- command as pid 1 of a new pid namespace, stdout into a pipe.
  explicit InitProcess(std::vector<std::string> command) {
    std::vector<std::string> argv = {CRADLE_INIT_BINARY, "--"};
    argv.insert(argv.end(), command.begin(), command.end());
    std::vector<char*> args;
    for (auto& a : argv)
      args.push_back(a.data());
    args.push_back(nullptr);
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe2 failed");
    out_ = UniqueFd(fds[0]);
    UniqueFd write_end(fds[1]);
    // clone without a new stack behaves as fork; the child only makes syscalls before exec.
    long pid = ::syscall(SYS_clone, CLONE_NEWPID | CLONE_NEWNS | SIGCHLD, nullptr, nullptr, nullptr,
                         nullptr);
    if (pid < 0) throw std::runtime_error("clone failed");
    if (pid == 0) {
      // A /proc of the new pid namespace, in a mount namespace nobody else sees.
      if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0 ||
          ::mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, nullptr) != 0 ||
          ::dup2(write_end.get(), STDOUT_FILENO) < 0) {
        ::_exit(120);
      }
      ::execv(args[0], args.data());
      ::_exit(121);
    }
    pid_ = static_cast<pid_t>(pid);
  }

  ~InitProcess() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);  // its namespace goes with it
      ::waitpid(pid_, nullptr, 0);
    }
  }

  pid_t pid() const { return pid_; }

  // The exit code (128+N for signal N), or nullopt if it did not exit in time.
  std::optional<int> wait() {
    UniqueFd pidfd(static_cast<int>(::syscall(SYS_pidfd_open, pid_, 0)));
    pollfd p{pidfd.get(), POLLIN, 0};
    if (!pidfd || ::poll(&p, 1, kGiveUpMs) != 1) return std::nullopt;
    int status = 0;
    if (::waitpid(pid_, &status, 0) != pid_) return std::nullopt;
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }

  // Everything written to stdout until every writer is gone, or nullopt if a writer stays.
  std::optional<std::string> read_to_end() {
    std::string text;
    for (;;) {
      pollfd p{out_.get(), POLLIN, 0};
      if (::poll(&p, 1, kGiveUpMs) != 1) return std::nullopt;
      char buf[256];
      ssize_t n = ::read(out_.get(), buf, sizeof buf);
      if (n < 0) return std::nullopt;
      if (n == 0) return text;
      text.append(buf, static_cast<std::size_t>(n));
    }
  }

  // One line of stdout (without its newline), or nullopt.
  std::optional<std::string> read_line() {
    std::string line;
    for (;;) {
      pollfd p{out_.get(), POLLIN, 0};
      char c;
      if (::poll(&p, 1, kGiveUpMs) != 1 || ::read(out_.get(), &c, 1) != 1) return std::nullopt;
      if (c == '\n') return line;
      line += c;
    }
  }

 private:
  pid_t pid_ = -1;
  UniqueFd out_;
};

TEST(CradleInit, ExitsWithTheCommandsCodeAndTakesItsNamespaceAlong) {
  // The background sleep holds stdout open: stdout reaching its end proves it is gone, killed
  // with the pid namespace when its pid 1 (cradle-init) left.
  InitProcess init(sh("sleep 100 & exit 3"));
  EXPECT_EQ(init.wait(), 3);
  EXPECT_EQ(init.read_to_end(), "");
}

TEST(CradleInit, ReapsOrphansWhileTheCommandRuns) {
  testing::TempDir dir;
  // A cat orphaned to pid 1 (its parent subshell exits at once), blocked on a fifo until the
  // script writes to it; once it exits, only its parent, cradle-init, can make /proc/PID go.
  InitProcess init(sh("d=" + dir.path() + "; mkfifo $d/fifo || exit 10\n" +
                      "( cat $d/fifo >/dev/null & echo $! >$d/pid )\n"
                      "pid=$(cat $d/pid); [ -e /proc/$pid ] && echo orphan\n"
                      "echo >$d/fifo\n"
                      "while [ -e /proc/$pid ]; do sleep 0.01; done\n"
                      "exit 7"));
  ASSERT_EQ(init.read_line(), "orphan");
  // A zombie left unreaped keeps /proc/PID and the loop going: no exit at all.
  EXPECT_EQ(init.wait(), 7);
}

std::string signal_name(const ::testing::TestParamInfo<int>& info) {
  return sigabbrev_np(info.param);
}

class CradleInitForwardsToATrap : public ::testing::TestWithParam<int> {};

TEST_P(CradleInitForwardsToATrap, TheSignalReachesTheCommand) {
  int sig = GetParam();
  // sh runs a trap once the wait it is in is interrupted, so no sleep has to end first.
  InitProcess init(sh("trap 'exit 42' " + std::string(sigabbrev_np(sig)) +
                      "; sleep 1000 & echo ready; wait $!"));
  ASSERT_EQ(init.read_line(), "ready");
  ASSERT_EQ(::kill(init.pid(), sig), 0);
  EXPECT_EQ(init.wait(), 42);
}

INSTANTIATE_TEST_SUITE_P(Signals, CradleInitForwardsToATrap,
                         ::testing::Values(SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2,
                                           SIGWINCH),
                         signal_name);

class CradleInitForwardsFatal : public ::testing::TestWithParam<int> {};

TEST_P(CradleInitForwardsFatal, TheSignalKillsTheCommandAndGives128PlusIt) {
  int sig = GetParam();
  InitProcess init(sh("echo ready; exec sleep 1000"));
  ASSERT_EQ(init.read_line(), "ready");
  ASSERT_EQ(::kill(init.pid(), sig), 0);
  EXPECT_EQ(init.wait(), 128 + sig);
}

// Not SIGQUIT: it would leave a core dump behind.
INSTANTIATE_TEST_SUITE_P(Signals, CradleInitForwardsFatal,
                         ::testing::Values(SIGTERM, SIGINT, SIGHUP, SIGUSR1, SIGUSR2), signal_name);

TEST(CradleInit, CommandKilledBySigkillGives137) {
  InitProcess init(sh("kill -KILL $$"));
  EXPECT_EQ(init.wait(), 137);
}

TEST(CradleInit, CommandItCannotRunGives127Or126LikeAShell) {
  testing::TempDir dir;
  InitProcess missing({dir.path() + "/missing"});
  EXPECT_EQ(missing.wait(), 127);
  InitProcess not_executable({dir.path()});
  EXPECT_EQ(not_executable.wait(), 126);
}

}  // namespace
}  // namespace cradle
