// A binary:// logger (reference §5.1), started as the runc shim starts one (containerd 1.6,
// pkg/process NewBinaryIO and NewBinaryCmd, runtime/v2/logging): the binary at the URL's path,
// argv = path then the query's key/value pairs, an environment of exactly CONTAINER_ID and
// CONTAINER_NAMESPACE, /dev/null as its own stdio, fd 3 = a pipe carrying the container's stdout,
// fd 4 = one carrying its stderr, fd 5 = a pipe it writes one byte to or closes once it is ready.
// No other fd of the shim reaches it, and it starts with default signal handling and an empty
// signal mask whatever the shim blocks or ignores.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "base/event_loop.h"
#include "base/unique_fd.h"

namespace cradle::shim {

struct LoggerCommand {
  std::string path;
  std::vector<std::string> args;
  std::string container_id;
  std::string ns;
};

// How long a logger has to flush and exit after SIGTERM before it gets SIGKILL: the runc shim's
// binaryIOProcTermTimeout.
inline constexpr std::chrono::seconds kLoggerStopGrace{12};

class LoggerProcess {
 public:
  // Starts the logger; throws if it cannot be executed.
  LoggerProcess(EventLoop& loop, const LoggerCommand& command);
  // SIGTERM, so the logger can flush; SIGKILL after kLoggerStopGrace. The loop waits for the
  // exit and reaps it (through a pidfd), so this never blocks.
  ~LoggerProcess();
  LoggerProcess(const LoggerProcess&) = delete;
  LoggerProcess& operator=(const LoggerProcess&) = delete;

  // The write end of the pipe the logger reads as fd 3 (stream 1, stdout) or fd 4 (stream 2,
  // stderr); blocking. Take both right after the start: the logger sees EOF on its fd only once
  // every copy of the write end is closed, this one included.
  UniqueFd take_writer(int stream);
  // Closes the writers nobody took, so the logger reads EOF on those fds at once.
  void close_untaken_writers();

  // Runs `ready` once the logger wrote its byte to fd 5 or closed it (also by exiting, as the
  // runc shim counts EOF as ready); at once if that happened already.
  void on_ready(std::function<void()> ready);

 private:
  void ready_now();

  EventLoop& loop_;
  pid_t pid_ = -1;  // ours to signal until the loop reaps it: no other process can reuse it
  UniqueFd pidfd_;
  UniqueFd writers_[2];
  UniqueFd ready_pipe_;
  bool ready_ = false;
  std::function<void()> ready_callback_;
};

}  // namespace cradle::shim
