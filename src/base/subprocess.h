// Running a helper program to completion: the daemon runs shims' `start` and `delete` actions
// this way. The child gets no fd of ours but stdio (close_range), and its own process group.
#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace cradle {

struct CommandResult {
  int status = -1;     // the exit code, or 128 + the signal
  std::string output;  // stdout and stderr together, as containerd reads a shim's `start`
  std::string out;     // stdout alone, when separate_stderr
  std::string err;
};

struct CommandOptions {
  std::string cwd;               // empty: ours
  std::vector<std::string> env;  // KEY=value added to (and overriding) ours
  bool separate_stderr = false;
  // Killed (SIGKILL to its process group) when it runs longer; the result's status is then 137.
  std::chrono::milliseconds timeout{0};
};

// Waits for the program to exit and for the end of its output (a daemonized child that kept the
// pipe would hold this up: the shim's `start` must hand its daemon no end of it).
CommandResult run_command(const std::vector<std::string>& argv, const CommandOptions& options);

}  // namespace cradle
