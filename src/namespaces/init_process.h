// The parent's side of starting a container's init: one clone3 into the container's cgroup with
// its namespaces, the handoff (id maps, oom_score_adj, ready), then "go" and the exec.
#pragma once

#include <sys/types.h>

#include <functional>
#include <string>

#include "base/unique_fd.h"
#include "namespaces/start_plan.h"

namespace cradle::ns {

// How a process ended, as a shell reports it: the exit code, or 128 + the signal.
struct ExitStatus {
  int code = 0;
  bool signaled = false;
  int signal = 0;
  int shell_status() const { return signaled ? 128 + signal : code; }
};

// Called for the warnings a start may produce (e.g. a clamped oom_score_adj).
using WarningSink = std::function<void(const std::string&)>;

class InitProcess {
 public:
  // Clones the init and runs it up to the handoff: when this returns, the container exists and
  // its init waits for start(). On failure the child is gone and an Error names the step. The
  // plan must be finalized and must outlive the InitProcess. cgroup_fd < 0: stay in ours.
  static InitProcess create(const StartPlan& plan, int cgroup_fd, const WarningSink& warn);

  InitProcess(InitProcess&& other) noexcept;
  InitProcess& operator=(InitProcess&&) = delete;
  // Kills and reaps the init if it was never waited for.
  ~InitProcess();

  // Tells the init to exec; returns once it has (or throws the reason it could not).
  void start();

  pid_t pid() const { return pid_; }
  int pidfd() const { return pidfd_.get(); }
  // The master side of the container's terminal, when the plan asked for one.
  UniqueFd take_pty_master() { return std::move(pty_master_); }

  // Blocks until the init exits and reaps it.
  ExitStatus wait();
  // Reaps it if it has exited; nullopt if it still runs.
  std::optional<ExitStatus> try_wait();

 private:
  InitProcess(const StartPlan* plan, pid_t pid, UniqueFd pidfd, UniqueFd handoff)
      : plan_(plan), pid_(pid), pidfd_(std::move(pidfd)), handoff_(std::move(handoff)) {}
  void run_handoff(const WarningSink& warn);
  void write_id_maps();
  void kill_and_reap() noexcept;

  const StartPlan* plan_ = nullptr;
  pid_t pid_ = -1;
  UniqueFd pidfd_;
  UniqueFd handoff_;
  UniqueFd pty_master_;
  bool reaped_ = false;
};

// Applies the spec's oom_score_adj to pid. Lowering it below the shim's own needs
// CAP_SYS_RESOURCE; without it the value is clamped to the shim's own, with a warning, as
// containerd does, rather than failing the start or being dropped silently.
void apply_oom_score_adj(pid_t pid, int wanted, const WarningSink& warn);

}  // namespace cradle::ns
