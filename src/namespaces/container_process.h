// The parent's side of starting a process in a container: the container's init (one clone3 into
// its cgroup with its namespaces, id maps, oom_score_adj) or a process exec'd into a running
// container (clone3 into its cgroup and pid namespace, setns into the rest through the init's
// pidfd). Both then follow the handoff: ready, "go", exec.
#pragma once

#include <sys/types.h>

#include <functional>
#include <optional>
#include <string>

#include "base/unique_fd.h"
#include "namespaces/handoff.h"
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

class ContainerProcess {
 public:
  // Clones the init and runs it up to the handoff: when this returns, the container exists and
  // its init waits for start(). On failure the child is gone and an Error names the step. The
  // plan must be finalized and outlive the process. cgroup_fd < 0: stay in the caller's cgroup.
  static ContainerProcess create_init(const StartPlan& plan, int cgroup_fd,
                                      const WarningSink& warn);

  // Clones a process into the running container whose init is init_pidfd, up to the handoff.
  static ContainerProcess create_exec(const ExecPlan& plan, int init_pidfd, int cgroup_fd,
                                      const WarningSink& warn);

  ContainerProcess(ContainerProcess&& other) noexcept;
  ContainerProcess& operator=(ContainerProcess&&) = delete;
  // Kills and reaps the process if it was never reaped.
  ~ContainerProcess();

  // Tells the process to exec; returns once it has (or throws the reason it could not).
  void start();

  pid_t pid() const { return pid_; }
  int pidfd() const { return pidfd_.get(); }
  // The master side of the process's terminal, when its plan asked for one.
  UniqueFd take_pty_master() { return std::move(pty_master_); }

  // Blocks until the process exits and reaps it.
  ExitStatus wait();
  // Reaps it if it has exited; nullopt if it still runs.
  std::optional<ExitStatus> try_wait();

 private:
  using Describe = std::function<std::string(const HandoffMessage&)>;
  ContainerProcess(pid_t pid, UniqueFd pidfd, UniqueFd handoff, Describe describe)
      : pid_(pid),
        pidfd_(std::move(pidfd)),
        handoff_(std::move(handoff)),
        describe_(std::move(describe)) {}
  // Serves the child until it reports ready; id_maps answers a new user namespace.
  void run_handoff(const std::function<void()>& write_id_maps);
  [[noreturn]] void throw_failure(const HandoffMessage& msg);
  void kill_and_reap() noexcept;

  pid_t pid_ = -1;
  UniqueFd pidfd_;
  UniqueFd handoff_;
  UniqueFd pty_master_;
  Describe describe_;
  bool reaped_ = false;
};

// Applies the spec's oom_score_adj to pid. Lowering it below the shim's own needs
// CAP_SYS_RESOURCE; without it the value is clamped to the shim's own, with a warning, as
// containerd does, rather than failing the start or being dropped silently.
void apply_oom_score_adj(pid_t pid, int wanted, const WarningSink& warn);

}  // namespace cradle::ns
