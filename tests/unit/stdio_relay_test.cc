// The stdio relay with FIFOs, as ctr uses it: the test plays ctr (FIFOs from mkfifo, its own
// ends) and the container (writes to and reads from the process's ends, or a forked writer).
#include "shim/stdio_relay.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>

#include "base/error.h"
#include "stdio_test_util.h"
#include "support/error_matcher.h"

namespace cradle::shim {
namespace {

using ::cradle::testing::IsError;
using stdio_test::Reader;
using stdio_test::run_turns;
using stdio_test::run_until;
using ::testing::Throws;

class StdioRelayTest : public stdio_test::StdioTest {
 protected:
  StdioRelayTest()
      : stdin_(stdio_test::make_fifo(dir_.path(), "c-stdin")),
        stdout_(stdio_test::make_fifo(dir_.path(), "c-stdout")),
        stderr_(stdio_test::make_fifo(dir_.path(), "c-stderr")) {}

  StdioConfig config() const { return {stdin_, stdout_, stderr_, false, "c", "default"}; }

  // The client's reader of an output FIFO, opened as a non-blocking reader (ctr's blocking open
  // would complete at the same point: once the relay has a writer).
  Reader client_reader(const std::string& path) {
    return Reader(stdio_test::open_nonblocking(path, O_RDONLY));
  }

  // Plays a container that writes `data` to its stdout and exits; returns its exit code, which
  // is 0 once every one of its writes completed.
  int write_as_the_process(StdioRelay& relay, const std::string& data) {
    pid_t writer = stdio_test::spawn_writer(relay.process_fd(1), data);
    relay.close_process_ends();
    return stdio_test::wait_on_loop(loop_, writer);
  }

  std::string stdin_, stdout_, stderr_;
};

TEST_F(StdioRelayTest, CopiesStdoutAndStderrToTheirFifos) {
  Reader out = client_reader(stdout_);
  Reader err = client_reader(stderr_);
  auto relay = StdioRelay::create(loop_, config());
  stdio_test::write_all(relay->process_fd(1), "to stdout\n");
  stdio_test::write_all(relay->process_fd(2), "to stderr\n");
  relay->close_process_ends();

  EXPECT_TRUE(run_until(loop_, [&] {
    out.read_available();
    err.read_available();
    return out.eof && err.eof;
  }));
  EXPECT_EQ(out.data, "to stdout\n");
  EXPECT_EQ(err.data, "to stderr\n");
  EXPECT_EQ(relay->dropped_bytes(1), 0u);
}

TEST_F(StdioRelayTest, AReaderThatComesLateGetsWhatWasWrittenBefore) {
  auto relay = StdioRelay::create(loop_, config());
  // More than the FIFO holds, so part of it waits in the relay's buffer.
  std::string data = stdio_test::pattern(300 * 1024);
  EXPECT_EQ(write_as_the_process(*relay, data), 0);

  Reader out = client_reader(stdout_);
  EXPECT_TRUE(stdio_test::read_until_eof(loop_, out));
  EXPECT_EQ(out.data.size(), data.size());
  EXPECT_TRUE(out.data == data);
  EXPECT_EQ(relay->dropped_bytes(1), 0u);
}

TEST_F(StdioRelayTest, WithNobodyReadingTheContainerNeverBlocksAndTheOldestBytesAreDropped) {
  auto relay = StdioRelay::create(loop_, config());
  const std::string data = stdio_test::pattern(5 << 20);
  // The writer exits 0 only once every one of its blocking writes completed.
  ASSERT_EQ(write_as_the_process(*relay, data), 0);
  EXPECT_GT(relay->dropped_bytes(1), 0u);

  // A reader attaching now gets what the FIFO held (the start) and then what the relay kept: all
  // that was not dropped, in order, ending with the last kOutputBufferBytes.
  Reader out = client_reader(stdout_);
  ASSERT_TRUE(stdio_test::read_until_eof(loop_, out));
  ASSERT_EQ(out.data.size() + relay->dropped_bytes(1), data.size());
  ASSERT_GT(out.data.size(), kOutputBufferBytes);
  const std::size_t fifo_surely_holds = 4096;
  EXPECT_TRUE(out.data.compare(0, fifo_surely_holds, data, 0, fifo_surely_holds) == 0);
  EXPECT_TRUE(out.data.compare(out.data.size() - kOutputBufferBytes, kOutputBufferBytes, data,
                               data.size() - kOutputBufferBytes, kOutputBufferBytes) == 0);
}

TEST_F(StdioRelayTest, StdinReachesTheProcessAndOnlyCloseStdinLetsEofThrough) {
  auto relay = StdioRelay::create(loop_, config());
  Reader container(UniqueFd(::fcntl(relay->process_fd(0), F_DUPFD_CLOEXEC, 0)));
  ASSERT_TRUE(container.fd);
  ::fcntl(container.fd.get(), F_SETFL, O_NONBLOCK);
  relay->close_process_ends();

  UniqueFd client = stdio_test::open_nonblocking(stdin_, O_WRONLY);
  stdio_test::write_all(client.get(), "abc");
  EXPECT_TRUE(run_until(loop_, [&] {
    container.read_available();
    return container.data == "abc";
  }));
  // The client goes away (detach): the relay's own writer keeps the FIFO from reporting EOF.
  client.reset();
  run_turns(loop_);
  container.read_available();
  EXPECT_FALSE(container.eof);

  // It comes back and writes more.
  client = stdio_test::open_nonblocking(stdin_, O_WRONLY);
  stdio_test::write_all(client.get(), "def");
  EXPECT_TRUE(run_until(loop_, [&] {
    container.read_available();
    return container.data == "abcdef";
  }));

  // CloseIO while the client still holds its writer: no EOF yet.
  relay->close_stdin();
  run_turns(loop_);
  container.read_available();
  EXPECT_FALSE(container.eof);

  client.reset();
  EXPECT_TRUE(run_until(loop_, [&] {
    container.read_available();
    return container.eof;
  }));
  EXPECT_EQ(container.data, "abcdef");
}

TEST_F(StdioRelayTest, OutputDoneComesOnlyAfterTheLastByteIsInTheFifo) {
  auto relay = StdioRelay::create(loop_, config());
  const std::string data = stdio_test::pattern(300 * 1024);
  pid_t writer = stdio_test::spawn_writer(relay->process_fd(1), data);
  relay->close_process_ends();

  // A slow client: at most 4 KiB a turn, so the relay's buffer is not empty when the pipe ends.
  Reader out = client_reader(stdout_);
  bool done = false;
  std::size_t had_at_done = 0;
  bool eof_at_done = false;
  relay->on_output_done(
      [&] {
        // Like ctr once Wait returned: take what the FIFO holds now, then stop reading.
        out.read_available();
        done = true;
        had_at_done = out.data.size();
        eof_at_done = out.eof;
      },
      std::chrono::minutes(1));
  EXPECT_TRUE(run_until(loop_, [&] {
    if (!done) out.read_available(4096);
    return done;
  }));
  EXPECT_EQ(had_at_done, data.size());
  EXPECT_TRUE(eof_at_done);
  EXPECT_TRUE(out.data == data);
  EXPECT_EQ(stdio_test::wait_on_loop(loop_, writer), 0);
}

TEST_F(StdioRelayTest, OutputDoneComesAtTheLimitWhenNobodyReadsAndCopyingGoesOn) {
  auto relay = StdioRelay::create(loop_, config());
  const std::string data = stdio_test::pattern(300 * 1024);
  ASSERT_EQ(write_as_the_process(*relay, data), 0);

  int done_calls = 0;
  relay->on_output_done([&] { ++done_calls; }, std::chrono::milliseconds(20));
  EXPECT_EQ(done_calls, 0);  // the buffer cannot drain: nobody reads
  EXPECT_TRUE(run_until(loop_, [&] { return done_calls > 0; }));

  Reader out = client_reader(stdout_);
  EXPECT_TRUE(stdio_test::read_until_eof(loop_, out));
  EXPECT_TRUE(out.data == data);
  EXPECT_EQ(done_calls, 1);
}

TEST_F(StdioRelayTest, OutputDoneIsImmediateOnceEverythingIsOut) {
  Reader out = client_reader(stdout_);
  Reader err = client_reader(stderr_);
  auto relay = StdioRelay::create(loop_, config());
  relay->close_process_ends();
  EXPECT_TRUE(run_until(loop_, [&] {
    out.read_available();
    err.read_available();
    return out.eof && err.eof;
  }));
  bool done = false;
  relay->on_output_done([&] { done = true; });
  EXPECT_TRUE(done);
}

TEST_F(StdioRelayTest, EmptyPathsAreDevNull) {
  auto relay = StdioRelay::create(loop_, StdioConfig{});
  for (int n = 0; n < 3; ++n) {
    struct stat st {};
    ASSERT_EQ(::fstat(relay->process_fd(n), &st), 0) << n;
    EXPECT_TRUE(S_ISCHR(st.st_mode)) << n;
    EXPECT_EQ(st.st_rdev, makedev(1, 3)) << n;
  }
  EXPECT_EQ(::fcntl(relay->process_fd(0), F_GETFL) & O_ACCMODE, O_RDONLY);
  EXPECT_EQ(::fcntl(relay->process_fd(1), F_GETFL) & O_ACCMODE, O_WRONLY);
  bool done = false;
  relay->on_output_done([&] { done = true; });
  EXPECT_TRUE(done);
  bool ready = false;
  relay->on_ready([&] { ready = true; });
  EXPECT_TRUE(ready);
}

std::set<int> open_fds() {
  std::set<int> fds;
  DIR* dir = ::opendir("/proc/self/fd");
  while (dirent* entry = ::readdir(dir)) {
    if (entry->d_name[0] != '.') fds.insert(std::atoi(entry->d_name));
  }
  int own = ::dirfd(dir);
  ::closedir(dir);
  fds.erase(own);
  return fds;
}

TEST_F(StdioRelayTest, EveryFdIsCloseOnExecTheProcessEndsBlockAndNoneIsLeftBehind) {
  Reader out = client_reader(stdout_);
  UniqueFd client_stdin;  // opened once the relay's reader exists
  std::set<int> before = open_fds();
  {
    auto relay = StdioRelay::create(loop_, config());
    client_stdin = stdio_test::open_nonblocking(stdin_, O_WRONLY);
    before.insert(client_stdin.get());
    for (int fd : open_fds()) {
      if (before.contains(fd)) continue;
      EXPECT_TRUE(::fcntl(fd, F_GETFD) & FD_CLOEXEC) << fd;
    }
    for (int n = 0; n < 3; ++n)
      EXPECT_FALSE(::fcntl(relay->process_fd(n), F_GETFL) & O_NONBLOCK) << n;
    stdio_test::write_all(client_stdin.get(), "in");
    stdio_test::write_all(relay->process_fd(1), "out");
    run_turns(loop_);
    relay->close_process_ends();
    run_turns(loop_);
  }
  EXPECT_EQ(open_fds(), before);
}

TEST_F(StdioRelayTest, RefusesWhatItCannotRelayWithASentence) {
  auto create = [&](std::string in, std::string out) {
    return [&loop = loop_, in, out] {
      StdioRelay::create(loop, StdioConfig{in, out, "", false, "c", "default"});
    };
  };
  EXPECT_THAT(
      create("", "syslog:///x"),
      Throws<Error>(IsError(ErrorCode::kInvalidArgument,
                            "stdout: unsupported stdio scheme \"syslog\" (want a FIFO path, "
                            "file://, binary:// or crilog://)")));
  EXPECT_THAT(create("file:///tmp/in", ""),
              Throws<Error>(IsError(ErrorCode::kInvalidArgument,
                                    "stdin: /tmp/in must be given as a FIFO path or \"\"")));
  const std::string missing = dir_.path() + "/missing";
  EXPECT_THAT(create("", missing),
              Throws<Error>(IsError(ErrorCode::kNotFound,
                                    "stdout: open " + missing + ": No such file or directory")));
  const std::string plain = dir_.path() + "/plain";
  UniqueFd(::creat(plain.c_str(), 0600));
  EXPECT_THAT(create(plain, ""), Throws<Error>(IsError(ErrorCode::kInvalidArgument,
                                                       "stdin: " + plain + " is not a FIFO")));
}

}  // namespace
}  // namespace cradle::shim
