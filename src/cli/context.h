// What every verb works with: the daemon, the process's stdio, a clock and a way to sleep. The
// real program passes the real ones; tests pass memfds, a fixed clock and an instant sleep, and
// run the CLI in-process against a fake daemon.
#pragma once

#include <unistd.h>

#include <chrono>
#include <functional>
#include <string_view>
#include <thread>

#include "base/file_io.h"
#include "cli/daemon_client.h"
#include "cli/format.h"

namespace cradle::cli {

class SignalWatcher;

struct Environment {
  int in_fd = STDIN_FILENO;
  int out_fd = STDOUT_FILENO;
  int err_fd = STDERR_FILENO;
  std::function<TimePoint()> now = [] { return std::chrono::system_clock::now(); };
  std::function<void(std::chrono::milliseconds)> sleep = [](std::chrono::milliseconds delay) {
    std::this_thread::sleep_for(delay);
  };
  // Null in tests run in-process: signals then keep their default action.
  SignalWatcher* signals = nullptr;
};

struct Context {
  const Environment& env;
  const DaemonClient& daemon;

  void out(std::string_view text) const;
  void err(std::string_view text) const;
};

}  // namespace cradle::cli
