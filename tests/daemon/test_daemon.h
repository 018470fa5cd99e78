// A cradled of the test's own: its root, state and socket in a temp directory, started and
// killed by pid, and the `cradle` CLI pointed at it.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "support/subprocess.h"
#include "support/temp_dir.h"

namespace cradle::testing {

class TestDaemon {
 public:
  TestDaemon();   // starts it and waits until it answers
  ~TestDaemon();  // removes every container it has, then stops it

  // `cradle --socket <ours> ARGS...`
  ProcessResult cli(const std::vector<std::string>& args, const std::string& input = {}) const;
  // The same inside a pseudo-terminal (for -it): what the terminal showed.
  ProcessResult cli_in_terminal(const std::vector<std::string>& args,
                                const std::string& keys) const;

  // SIGKILL, by pid: the containers and their shims live on.
  void kill_hard();
  // Starts it again on the same root and state.
  void start();

  pid_t pid() const { return pid_; }
  const std::string& root() const { return root_; }
  const std::string& state() const { return state_; }
  std::string socket() const { return state_ + "/cradled.sock"; }

 private:
  void wait_until_ready() const;

  TempDir dir_;
  std::string root_;
  std::string state_;
  pid_t pid_ = -1;
};

// The shim processes serving containers of `state` (their bundles are under it).
std::vector<pid_t> shim_pids(const std::string& state);

}  // namespace cradle::testing
