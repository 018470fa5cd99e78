// A stock containerd of the test's own (reference §7.3): its own root, state and socket, in a
// private mount namespace where /sys/fs/cgroup is only the cgroup v2 tree (so nothing it starts
// can reach the host's v1 hierarchies) and /run is a private tmpfs, and in a cgroup namespace
// rooted at a cgroup of its own. Stopped by pid; everything it made is removed.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "support/subprocess.h"
#include "support/temp_dir.h"

namespace cradle::testing {

class PrivateContainerd {
 public:
  // Starts containerd and waits until it answers; PATH gives it build/bin, so the runtime
  // io.containerd.cradle.v2 is build/bin/containerd-shim-cradle-v2.
  PrivateContainerd();
  ~PrivateContainerd();

  // Runs `ctr -a <socket> ARGS...` in containerd's namespaces.
  ProcessResult ctr(const std::vector<std::string>& args, const std::string& input = {}) const;
  // The same inside a pseudo-terminal (for `ctr run -t`): output is what the terminal showed.
  ProcessResult ctr_in_terminal(const std::vector<std::string>& args) const;

  // Kills containerd (SIGKILL, by pid) and starts it again in the same namespaces.
  void restart();

  pid_t pid() const { return pid_; }
  const std::string& dir() const { return dir_.path(); }
  // The host path of the cgroup v2 directory this containerd's namespace is rooted at.
  const std::string& cgroup() const { return cgroup_; }

 private:
  void launch(const std::string& enter_namespaces_of);
  void wait_until_ready() const;
  void stop();
  std::vector<std::string> in_namespaces(const std::vector<std::string>& argv) const;

  TempDir dir_;
  std::string cgroup_;
  pid_t pid_ = -1;
};

// The busybox image the build packed (build/images/busybox.tar), imported into `containerd`.
void import_busybox(const PrivateContainerd& containerd);
inline constexpr const char* kBusyboxImage = "docker.io/library/busybox:latest";

}  // namespace cradle::testing
