// The stdio relay in terminal mode, with a real pty from posix_openpt: the test holds the slave
// as the container would.
#include <fcntl.h>
#include <sys/ioctl.h>
#include <termios.h>

#include <gtest/gtest.h>

#include "base/error.h"
#include "shim/stdio_relay.h"
#include "stdio_test_util.h"

namespace cradle::shim {
namespace {

using stdio_test::Reader;
using stdio_test::run_turns;
using stdio_test::run_until;

class StdioRelayTerminalTest : public stdio_test::StdioTest {
 protected:
  StdioRelayTerminalTest()
      : stdin_(stdio_test::make_fifo(dir_.path(), "t-stdin")),
        stdout_(stdio_test::make_fifo(dir_.path(), "t-stdout")) {
    master_.reset(::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC));
    EXPECT_TRUE(master_);
    EXPECT_EQ(::grantpt(master_.get()), 0);
    EXPECT_EQ(::unlockpt(master_.get()), 0);
    slave_.fd.reset(::open(::ptsname(master_.get()), O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC));
    EXPECT_TRUE(slave_.fd);
    // Raw, so bytes pass unchanged and are not echoed back.
    termios raw{};
    ::tcgetattr(slave_.fd.get(), &raw);
    ::cfmakeraw(&raw);
    ::tcsetattr(slave_.fd.get(), TCSANOW, &raw);
  }

  StdioConfig config() const { return {stdin_, stdout_, "", true, "c", "default"}; }

  std::string stdin_, stdout_;
  UniqueFd master_;
  Reader slave_;  // the container's terminal
};

TEST_F(StdioRelayTerminalTest, CarriesBothWaysResizesAndEndsWhenTheSlaveCloses) {
  Reader out(stdio_test::open_nonblocking(stdout_, O_RDONLY));
  auto relay = StdioRelay::create(loop_, config());
  for (int n = 0; n < 3; ++n)
    EXPECT_EQ(relay->process_fd(n), -1) << n;
  EXPECT_FALSE(relay->resize(80, 24));  // no pty yet
  UniqueFd client = stdio_test::open_nonblocking(stdin_, O_WRONLY);
  relay->attach_pty(std::move(master_));

  stdio_test::write_all(client.get(), "ping");
  EXPECT_TRUE(run_until(loop_, [&] {
    slave_.read_available();
    return slave_.data == "ping";
  }));
  stdio_test::write_all(slave_.fd.get(), "pong");
  EXPECT_TRUE(run_until(loop_, [&] {
    out.read_available();
    return out.data == "pong";
  }));

  EXPECT_TRUE(relay->resize(132, 43));
  winsize size{};
  ASSERT_EQ(::ioctl(slave_.fd.get(), TIOCGWINSZ, &size), 0);
  EXPECT_EQ(size.ws_col, 132);
  EXPECT_EQ(size.ws_row, 43);

  bool done = false;
  relay->on_output_done([&] { done = true; }, std::chrono::minutes(1));
  stdio_test::write_all(slave_.fd.get(), "bye");
  slave_.fd.reset();  // the master now reads EIO: the end of the output
  EXPECT_TRUE(run_until(loop_, [&] { return done; }));
  out.read_available();
  EXPECT_EQ(out.data, "pongbye");
  EXPECT_TRUE(out.eof);
}

TEST_F(StdioRelayTerminalTest, StdinEofHangsUpTheTerminal) {
  Reader out(stdio_test::open_nonblocking(stdout_, O_RDONLY));
  auto relay = StdioRelay::create(loop_, config());
  UniqueFd client = stdio_test::open_nonblocking(stdin_, O_WRONLY);
  relay->attach_pty(std::move(master_));
  stdio_test::write_all(slave_.fd.get(), "before");
  bool done = false;
  relay->on_output_done([&] { done = true; }, std::chrono::minutes(1));

  relay->close_stdin();
  run_turns(loop_);
  EXPECT_FALSE(done);  // the client still holds its writer
  client.reset();
  EXPECT_TRUE(run_until(loop_, [&] { return done; }));
  EXPECT_FALSE(relay->resize(80, 24));
  // The master is gone: the container's terminal is hung up.
  EXPECT_EQ(::write(slave_.fd.get(), "x", 1), -1);
  EXPECT_EQ(errno, EIO);
  out.read_available();
  EXPECT_EQ(out.data, "before");
  EXPECT_TRUE(out.eof);
}

TEST_F(StdioRelayTerminalTest, AttachPtyNeedsTerminalModeAndHappensOnce) {
  auto relay = StdioRelay::create(loop_, config());
  relay->attach_pty(UniqueFd(::dup(master_.get())));
  EXPECT_THROW(relay->attach_pty(std::move(master_)), Error);
  auto pipes = StdioRelay::create(loop_, StdioConfig{});
  EXPECT_THROW(pipes->attach_pty(UniqueFd(::open("/dev/null", O_RDWR | O_CLOEXEC))), Error);
}

}  // namespace
}  // namespace cradle::shim
