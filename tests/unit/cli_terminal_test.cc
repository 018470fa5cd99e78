// `run -it` with a pty as the CLI's terminal: raw mode while the container runs (Ctrl-C reaches
// it as a byte), the window size sent, and the terminal's settings back afterwards, also when
// the relay fails.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include <atomic>
#include <stdexcept>
#include <thread>

#include "base/unique_fd.h"
#include "cli/terminal.h"
#include "support/fake_daemon.h"

namespace cradle::testing {
namespace {

using ::testing::HasSubstr;

// A pty pair: the test types on the master, the CLI's stdin is the slave.
struct Pty {
  Pty() {
    master.reset(::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC));
    if (!master || ::grantpt(master.get()) != 0 || ::unlockpt(master.get()) != 0)
      throw std::runtime_error("posix_openpt failed");
    slave.reset(::open(::ptsname(master.get()), O_RDWR | O_NOCTTY | O_CLOEXEC));
    if (!slave) throw std::runtime_error("open the pty's slave failed");
    winsize size{};
    size.ws_col = 132;
    size.ws_row = 43;
    ::ioctl(master.get(), TIOCSWINSZ, &size);
  }

  termios settings() const {
    termios now{};
    ::tcgetattr(slave.get(), &now);
    return now;
  }

  UniqueFd master;
  UniqueFd slave;
};

void expect_same(const termios& a, const termios& b) {
  EXPECT_EQ(a.c_iflag, b.c_iflag);
  EXPECT_EQ(a.c_oflag, b.c_oflag);
  EXPECT_EQ(a.c_cflag, b.c_cflag);
  EXPECT_EQ(a.c_lflag, b.c_lflag);
}

// Types `keys` on the master once the CLI has sent the window size: by then it is in raw mode.
std::thread type_when_attached(const FakeDaemon& daemon, const Pty& pty, std::string keys) {
  return std::thread([&daemon, &pty, keys] {
    if (daemon.wait_for_requests("Tasks.Attach", 2)) [[maybe_unused]]
      ssize_t ignored = ::write(pty.master.get(), keys.data(), keys.size());
  });
}

TEST(CliTerminal, RawModeGuardRestoresTheSettings) {
  Pty pty;
  termios before = pty.settings();
  ASSERT_TRUE(before.c_lflag & ICANON);
  {
    cli::RawMode raw(pty.slave.get());
    termios during = pty.settings();
    EXPECT_FALSE(during.c_lflag & (ICANON | ECHO | ISIG));
    EXPECT_FALSE(during.c_oflag & OPOST);
  }
  expect_same(pty.settings(), before);
}

TEST(CliTerminal, WindowSizeOfAPty) {
  Pty pty;
  auto size = cli::window_size(pty.slave.get());
  ASSERT_TRUE(size.has_value());
  EXPECT_EQ(size->width, 132u);
  EXPECT_EQ(size->height, 43u);
  UniqueFd null(::open("/dev/null", O_RDONLY | O_CLOEXEC));
  EXPECT_FALSE(cli::window_size(null.get()).has_value());
}

TEST(CliTerminal, RunItIsRawWhileAttachedAndRestoredAfter) {
  Pty pty;
  termios before = pty.settings();
  FakeDaemon daemon;
  std::atomic<bool> checked = false;
  std::atomic<tcflag_t> lflag_during = 0;
  daemon.set_script({.exit_at_start = false,
                     .exit_on_input = "q",
                     .exit_status = 4,
                     .on_input = [&](const v1::AttachInput& input) {
                       if (input.stdin().empty() || checked) return;
                       lflag_during = pty.settings().c_lflag;
                       checked = true;
                     }});
  std::thread typist = type_when_attached(daemon, pty, "\x03q");
  CliResult result =
      run_cli(daemon, {"run", "-it", "busybox", "sh"}, {.stdin_fd = pty.slave.get()});
  typist.join();

  EXPECT_EQ(result.status, 4) << result.err;
  ASSERT_TRUE(checked);
  EXPECT_FALSE(lflag_during & (ICANON | ECHO | ISIG));
  expect_same(pty.settings(), before);

  auto create = daemon.requests<v1::CreateContainerRequest>("Containers.Create").at(0);
  EXPECT_TRUE(create.config().tty());
  EXPECT_TRUE(create.config().stdin_open());
  std::string typed;
  bool resized = false;
  for (const auto& input : daemon.requests<v1::AttachInput>("Tasks.Attach")) {
    typed += input.stdin();
    if (input.width() != 0) {
      EXPECT_EQ(input.width(), 132u);
      EXPECT_EQ(input.height(), 43u);
      resized = true;
    }
  }
  EXPECT_TRUE(resized);
  // Ctrl-C is a byte for the container, not a signal for the CLI.
  EXPECT_EQ(typed, "\x03q");
}

TEST(CliTerminal, RestoredWhenTheRelayFails) {
  Pty pty;
  termios before = pty.settings();
  FakeDaemon daemon;
  daemon.set_script(
      {.exit_at_start = false,
       .attach_error = grpc::Status(grpc::StatusCode::INTERNAL, "the shim went away")});
  CliResult result =
      run_cli(daemon, {"run", "-it", "busybox", "sh"}, {.stdin_fd = pty.slave.get()});
  EXPECT_EQ(result.status, 125);
  EXPECT_EQ(result.err, "Error: the shim went away\n");
  expect_same(pty.settings(), before);
}

}  // namespace
}  // namespace cradle::testing
