// Helpers for the stdio relay tests: FIFOs made as ctr makes them, a client's non-blocking ends,
// and bounded loop turns (a broken relay fails an expectation instead of hanging the suite).
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <functional>
#include <string>

#include "base/event_loop.h"
#include "base/unique_fd.h"
#include "support/temp_dir.h"

namespace cradle::shim::stdio_test {

// Turns the loop until `done` holds, for at most 20 s; returns whether it held.
inline bool run_until(EventLoop& loop, const std::function<bool()>& done) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    loop.run_once(std::chrono::milliseconds(10));
  }
  return true;
}

// A few turns that handle whatever is ready now: enough for the relay to react to an event that
// already happened (each turn handles every ready fd).
inline void run_turns(EventLoop& loop, int turns = 5) {
  for (int i = 0; i < turns; ++i)
    loop.run_once(std::chrono::milliseconds(0));
}

inline std::string make_fifo(const std::string& dir, const std::string& name) {
  std::string path = dir + "/" + name;
  if (::mkfifo(path.c_str(), 0700) != 0) ADD_FAILURE() << "mkfifo " << path;
  return path;
}

inline UniqueFd open_nonblocking(const std::string& path, int flags) {
  UniqueFd fd(::open(path.c_str(), flags | O_NONBLOCK | O_CLOEXEC));
  if (!fd) ADD_FAILURE() << "open " << path << ": " << std::strerror(errno);
  return fd;
}

// Reads what fd holds now (at most `limit` bytes) into out; sets eof once read returns 0 (or
// EIO, a pty whose other side is gone).
struct Reader {
  explicit Reader(UniqueFd fd = {}) : fd(std::move(fd)) {}

  UniqueFd fd;
  std::string data;
  bool eof = false;

  void read_available(std::size_t limit = SIZE_MAX) {
    char buf[65536];
    while (!eof && limit > 0) {
      ssize_t n = ::read(fd.get(), buf, std::min(sizeof buf, limit));
      if (n > 0) {
        data.append(buf, static_cast<std::size_t>(n));
        limit -= static_cast<std::size_t>(n);
      } else if (n == 0 || errno == EIO) {
        eof = true;
      } else {
        return;
      }
    }
  }
};

inline void write_all(int fd, const std::string& data) {
  ASSERT_EQ(::write(fd, data.data(), data.size()), static_cast<ssize_t>(data.size()));
}

// Bytes that differ at every offset within a period of 251 (a prime), so a window taken from the
// wrong place does not compare equal.
inline std::string pattern(std::size_t size) {
  std::string out(size, '\0');
  for (std::size_t i = 0; i < size; ++i)
    out[i] = static_cast<char>('!' + (i * 7) % 251 % 90);
  return out;
}

// Plays a container process that writes `data` to fd with blocking writes and exits 0 once all
// of it was written. The caller closes its own copies of the process ends afterwards.
inline pid_t spawn_writer(int fd, const std::string& data) {
  pid_t pid = ::fork();
  if (pid == 0) {
    std::size_t done = 0;
    while (done < data.size()) {
      ssize_t n = ::write(fd, data.data() + done, data.size() - done);
      if (n <= 0) ::_exit(1);
      done += static_cast<std::size_t>(n);
    }
    ::_exit(0);
  }
  return pid;
}

// Turns the loop until pid exits and reaps it; returns its exit code (128 + N for signal N), or
// -1 if it did not exit in time.
inline int wait_on_loop(EventLoop& loop, pid_t pid) {
  int status = 0;
  if (!run_until(loop, [&] { return ::waitpid(pid, &status, WNOHANG) == pid; })) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

// Turns the loop, reading what reaches `reader`, until it reads end of file.
inline bool read_until_eof(EventLoop& loop, Reader& reader) {
  return run_until(loop, [&] {
    reader.read_available();
    return reader.eof;
  });
}

// The relay expects SIGPIPE ignored, as in the shim.
class StdioTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { ::signal(SIGPIPE, SIG_IGN); }

  cradle::testing::TempDir dir_;
  EventLoop loop_;
};

}  // namespace cradle::shim::stdio_test
