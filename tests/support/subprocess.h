// Runs a program with the given stdin and collects its exit status, stdout and stderr.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace cradle::testing {

struct ProcessResult {
  int status = -1;  // the exit code, or 128 + signal
  std::string out;
  std::string err;
};

ProcessResult run_process(const std::vector<std::string>& argv, const std::string& input = {});

// Like run_process, with stdin an open pipe that never reaches end of file before the program
// exits (some programs act on a closed input: script(1) hangs up its terminal).
ProcessResult run_process_with_open_stdin(const std::vector<std::string>& argv);

// A program started in the background; wait() collects it like run_process.
class BackgroundProcess {
 public:
  explicit BackgroundProcess(const std::vector<std::string>& argv);
  ~BackgroundProcess();
  pid_t pid() const { return pid_; }
  ProcessResult wait();

 private:
  pid_t pid_ = -1;
  int out_fd_ = -1;
  int err_fd_ = -1;
};

}  // namespace cradle::testing
