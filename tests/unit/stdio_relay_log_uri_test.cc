// The stdio relay with containerd's log URIs: file:// and binary:// (a logger process).
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <termios.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "base/error.h"
#include "base/file_io.h"
#include "shim/stdio_relay.h"
#include "stdio_test_util.h"
#include "support/error_matcher.h"

namespace cradle::shim {
namespace {

using ::cradle::testing::IsError;
using stdio_test::run_until;
using ::testing::Throws;

class StdioRelayLogUriTest : public stdio_test::StdioTest {
 protected:
  std::string path(const std::string& name) const { return dir_.path() + "/" + name; }

  bool exists(const std::string& name) const {
    struct stat st {};
    return ::stat(path(name).c_str(), &st) == 0;
  }
};

TEST_F(StdioRelayLogUriTest, FileAppendsBothStreamsToOneFile) {
  std::ofstream(path("log")) << "old\n";
  std::string uri = "file://" + path("log");
  auto relay = StdioRelay::create(loop_, StdioConfig{"", uri, uri, false, "c", "default"});
  stdio_test::write_all(relay->process_fd(1), "out\n");
  EXPECT_TRUE(run_until(loop_, [&] { return read_file(path("log")) == "old\nout\n"; }));
  stdio_test::write_all(relay->process_fd(2), "err\n");
  relay->close_process_ends();
  bool done = false;
  relay->on_output_done([&] { done = true; }, std::chrono::minutes(1));
  EXPECT_TRUE(run_until(loop_, [&] { return done; }));
  EXPECT_EQ(read_file(path("log")), "old\nout\nerr\n");
}

TEST_F(StdioRelayLogUriTest, FileIsCreatedWithItsDirectories) {
  std::string uri = "file://" + path("a/b/log");
  auto relay = StdioRelay::create(loop_, StdioConfig{"", uri, "", false, "c", "default"});
  struct stat st {};
  ASSERT_EQ(::stat(path("a/b/log").c_str(), &st), 0);
  mode_t umask = ::umask(0);
  ::umask(umask);
  EXPECT_EQ(st.st_mode & 0777, 0644u & ~umask);
}

// A logger that records its pid, arguments, initial environment and whether it inherited
// `inheritable_fd` (an fd of the shim without close-on-exec), reports ready by closing fd 5,
// copies fds 3 and 4 to files until EOF, then stays until it is stopped.
std::string write_logger_script(const std::string& dir, int inheritable_fd = 99) {
  std::string script = dir + "/logger.sh";
  std::ofstream(script) << "#!/bin/sh\n"
                        << "d=" << dir << "\n"
                        << "echo $$ > $d/pid\n"
                        << "printf '[%s]' \"$@\" > $d/args\n"
                        << "tr '\\0' '\\n' < /proc/$$/environ > $d/env\n"
                        << "if [ -e /proc/$$/fd/" << inheritable_fd
                        << " ]; then echo leaked; else echo clean; fi > $d/fds\n"
                        << "exec 5>&-\n"
                        << "cat <&3 > $d/out\n"
                        << "cat <&4 > $d/err\n"
                        << "touch $d/copied\n"
                        << "exec sleep 1000\n";
  ::chmod(script.c_str(), 0755);
  return script;
}

TEST_F(StdioRelayLogUriTest, BinaryStartsALoggerWithTheStreamsOnFds3And4) {
  // What the shim may have without close-on-exec (an fd inherited from containerd, say).
  UniqueFd inheritable(::fcntl(STDERR_FILENO, F_DUPFD, 100));
  ASSERT_TRUE(inheritable);
  std::string uri = "binary://" + write_logger_script(dir_.path(), inheritable.get()) +
                    "?mode=fast&tag=a%20b&flag";
  auto relay = StdioRelay::create(loop_, StdioConfig{"", uri, uri, false, "c1", "ns1"});
  bool ready = false;
  bool pid_written_at_ready = false;
  relay->on_ready([&] {
    ready = true;
    pid_written_at_ready = exists("pid");
  });
  EXPECT_TRUE(run_until(loop_, [&] { return ready; }));
  EXPECT_TRUE(pid_written_at_ready);

  stdio_test::write_all(relay->process_fd(1), "to stdout\n");
  stdio_test::write_all(relay->process_fd(2), "to stderr\n");
  relay->close_process_ends();
  // No copying in the shim: output is done as soon as asked.
  bool done = false;
  relay->on_output_done([&] { done = true; });
  EXPECT_TRUE(done);
  EXPECT_TRUE(run_until(loop_, [&] { return exists("copied"); }));

  EXPECT_EQ(read_file(path("out")), "to stdout\n");
  EXPECT_EQ(read_file(path("err")), "to stderr\n");
  EXPECT_EQ(read_file(path("args")), "[mode][fast][tag][a b][flag][]");
  EXPECT_EQ(read_file(path("env")), "CONTAINER_ID=c1\nCONTAINER_NAMESPACE=ns1\n");
  EXPECT_EQ(read_file(path("fds")), "clean\n");

  // Destroying the relay stops the logger (SIGTERM) and the loop reaps it.
  pid_t pid = std::stoi(read_file(path("pid")));
  relay.reset();
  EXPECT_TRUE(run_until(loop_, [&] { return ::kill(pid, 0) != 0 && errno == ESRCH; }));
}

TEST_F(StdioRelayLogUriTest, BinaryInTerminalModeGetsThePtyOutputOnFd3) {
  std::string uri = "binary://" + write_logger_script(dir_.path());
  auto relay = StdioRelay::create(loop_, StdioConfig{"", uri, "", true, "c1", "ns1"});
  UniqueFd master(::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC));
  ASSERT_TRUE(master);
  ASSERT_EQ(::grantpt(master.get()), 0);
  ASSERT_EQ(::unlockpt(master.get()), 0);
  UniqueFd slave(::open(::ptsname(master.get()), O_RDWR | O_NOCTTY | O_CLOEXEC));
  ASSERT_TRUE(slave);
  termios raw{};
  ::tcgetattr(slave.get(), &raw);
  ::cfmakeraw(&raw);
  ::tcsetattr(slave.get(), TCSANOW, &raw);
  relay->attach_pty(std::move(master));

  stdio_test::write_all(slave.get(), "on the terminal");
  slave.reset();
  EXPECT_TRUE(run_until(loop_, [&] { return exists("copied"); }));
  EXPECT_EQ(read_file(path("out")), "on the terminal");
  EXPECT_EQ(read_file(path("err")), "");
}

TEST_F(StdioRelayLogUriTest, BinaryErrorsAreSentences) {
  std::string script = write_logger_script(dir_.path());
  EXPECT_THAT(
      [&] {
        StdioRelay::create(loop_, StdioConfig{"", "binary://" + script,
                                              "binary://" + script + "?x=1", false, "c", "n"});
      },
      Throws<Error>(IsError(ErrorCode::kInvalidArgument,
                            "stdout and stderr name different binary:// loggers; one process has "
                            "one")));
  EXPECT_THAT(
      [&] {
        StdioRelay::create(loop_,
                           StdioConfig{"", "binary://" + path("nologger"), "", false, "c", "n"});
      },
      Throws<Error>(IsError(ErrorCode::kNotFound,
                            "start logger " + path("nologger") + ": No such file or directory")));
}

}  // namespace
}  // namespace cradle::shim
