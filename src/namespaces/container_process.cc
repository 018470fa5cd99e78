#include "namespaces/container_process.h"

#include <sched.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <cstring>
#include <utility>

#include "base/error.h"
#include "base/file_io.h"
#include "base/phase_trace.h"
#include "namespaces/child.h"
#include "namespaces/failure_message.h"
#include "namespaces/handoff_channel.h"
#include "namespaces/namespace_switch.h"
#include "namespaces/raw_syscalls.h"

namespace cradle::ns {
namespace {

ExitStatus to_exit_status(const siginfo_t& info) {
  ExitStatus status;
  if (info.si_code == CLD_EXITED) {
    status.code = info.si_status;
  } else {
    status.signaled = true;
    status.signal = info.si_status;
  }
  return status;
}

// clone3 with a pidfd, into cgroup_fd if given; in the child, runs `child` (which never returns).
template <typename Child>
std::pair<pid_t, UniqueFd> clone_into(std::uint64_t flags, int cgroup_fd, int parent_end,
                                      Child child) {
  int pidfd = -1;
  clone_args args{};
  args.flags = CLONE_PIDFD | flags | (cgroup_fd >= 0 ? CLONE_INTO_CGROUP : 0);
  args.pidfd = reinterpret_cast<std::uintptr_t>(&pidfd);
  args.exit_signal = SIGCHLD;
  args.cgroup = static_cast<std::uint64_t>(cgroup_fd >= 0 ? cgroup_fd : 0);
  long pid = sys_clone3(&args);
  if (pid == 0) {
    ::close(parent_end);
    child();
  }
  if (pid < 0) throw_errno("clone3 a container process");
  return {static_cast<pid_t>(pid), UniqueFd(pidfd)};
}

}  // namespace

ContainerProcess ContainerProcess::create_init(const StartPlan& plan, int cgroup_fd,
                                               const WarningSink& warn) {
  auto [parent_end, child_end] = make_handoff_channel();
  std::vector<NamespaceEntry> joins;
  for (const auto& j : plan.parent_joins) {
    joins.push_back({j.fd.get(), j.nstype, "the namespace " + j.path});
  }
  std::pair<pid_t, UniqueFd> cloned;
  {
    NamespaceSwitch switched(joins);
    int child_fd = child_end.get();
    cloned = clone_into(plan.clone_flags, cgroup_fd, parent_end.get(),
                        [&plan, child_fd] { run_init_child(plan, child_fd); });
  }
  trace_mark("clone3");
  ContainerProcess process(cloned.first, std::move(cloned.second), std::move(parent_end),
                           [&plan](const HandoffMessage& m) { return describe_failure(plan, m); });
  child_end.reset();
  if (plan.process.oom_score_adj) {
    apply_oom_score_adj(process.pid_, *plan.process.oom_score_adj, warn);
  }
  pid_t pid = process.pid_;
  process.run_handoff([&plan, pid] {
    std::string proc = "/proc/" + std::to_string(pid);
    write_file(proc + "/uid_map", plan.uid_map);
    write_file(proc + "/gid_map", plan.gid_map);
  });
  return process;
}

ContainerProcess ContainerProcess::create_exec(const ExecPlan& plan, int init_pidfd, int cgroup_fd,
                                               const WarningSink& warn) {
  auto [parent_end, child_end] = make_handoff_channel();
  std::pair<pid_t, UniqueFd> cloned;
  {
    // The pid namespace applies to children only: the shim's thread enters it for the clone.
    std::vector<NamespaceEntry> pid_ns;
    if (plan.join_pid_namespace)
      pid_ns.push_back({init_pidfd, CLONE_NEWPID, "the container's pid namespace"});
    NamespaceSwitch switched(pid_ns);
    int child_fd = child_end.get();
    cloned = clone_into(0, cgroup_fd, parent_end.get(), [&plan, init_pidfd, child_fd] {
      run_exec_child(plan, init_pidfd, child_fd);
    });
  }
  ContainerProcess process(
      cloned.first, std::move(cloned.second), std::move(parent_end),
      [&plan](const HandoffMessage& m) { return describe_process_failure(plan.process, m); });
  child_end.reset();
  if (plan.process.oom_score_adj) {
    apply_oom_score_adj(process.pid_, *plan.process.oom_score_adj, warn);
  }
  process.run_handoff(nullptr);
  return process;
}

ContainerProcess::ContainerProcess(ContainerProcess&& other) noexcept
    : pid_(std::exchange(other.pid_, -1)),
      pidfd_(std::move(other.pidfd_)),
      handoff_(std::move(other.handoff_)),
      pty_master_(std::move(other.pty_master_)),
      describe_(std::move(other.describe_)),
      reaped_(other.reaped_) {}

ContainerProcess::~ContainerProcess() {
  if (pid_ > 0 && !reaped_) kill_and_reap();
}

void ContainerProcess::kill_and_reap() noexcept {
  sys_pidfd_send_signal(pidfd_.get(), SIGKILL);
  siginfo_t info{};
  while (::waitid(static_cast<idtype_t>(P_PIDFD), static_cast<id_t>(pidfd_.get()), &info,
                  WEXITED) != 0 &&
         errno == EINTR) {
  }
  reaped_ = true;
}

void ContainerProcess::throw_failure(const HandoffMessage& msg) {
  throw Error(error_code_for_errno(msg.error), describe_(msg), msg.error);
}

void ContainerProcess::run_handoff(const std::function<void()>& write_id_maps) {
  for (;;) {
    HandoffMessage msg;
    UniqueFd passed;
    if (!receive_handoff(handoff_.get(), msg, &passed)) {
      ExitStatus status = wait();
      throw Error(ErrorCode::kInternal,
                  "the container process exited during setup without saying why (status " +
                      std::to_string(status.shell_status()) + ")");
    }
    switch (msg.type) {
      case HandoffType::kUserNamespaceReady:
        if (!write_id_maps) throw Error(ErrorCode::kInternal, "unexpected id map request");
        write_id_maps();
        send_handoff(handoff_.get(), HandoffType::kIdMapsWritten);
        break;
      case HandoffType::kReady:
        pty_master_ = std::move(passed);
        trace_mark_at("child_started", msg.phase_ns[0]);
        trace_mark_at("child_namespaces", msg.phase_ns[1]);
        trace_mark_at("child_mounts", msg.phase_ns[2]);
        trace_mark_at("child_pivot_root", msg.phase_ns[3]);
        trace_mark("ready");
        return;
      case HandoffType::kFailed: throw_failure(msg);
      default:
        throw Error(ErrorCode::kInternal, "unexpected handoff message from a container process");
    }
  }
}

void ContainerProcess::start() {
  trace_mark("go");
  send_handoff(handoff_.get(), HandoffType::kGo);
  HandoffMessage msg;
  if (!receive_handoff(handoff_.get(), msg, nullptr)) {
    handoff_.reset();  // EOF: the close-on-exec end closed, the exec happened
    trace_mark("exec");
    return;
  }
  if (msg.type == HandoffType::kFailed) throw_failure(msg);
  throw Error(ErrorCode::kInternal, "unexpected handoff message from a container process");
}

ExitStatus ContainerProcess::wait() {
  siginfo_t info{};
  while (::waitid(static_cast<idtype_t>(P_PIDFD), static_cast<id_t>(pidfd_.get()), &info,
                  WEXITED) != 0) {
    if (errno != EINTR) throw_errno("wait for a container process");
  }
  reaped_ = true;
  return to_exit_status(info);
}

std::optional<ExitStatus> ContainerProcess::try_wait() {
  siginfo_t info{};
  if (::waitid(static_cast<idtype_t>(P_PIDFD), static_cast<id_t>(pidfd_.get()), &info,
               WEXITED | WNOHANG) != 0) {
    throw_errno("wait for a container process");
  }
  if (info.si_pid == 0) return std::nullopt;
  reaped_ = true;
  return to_exit_status(info);
}

void apply_oom_score_adj(pid_t pid, int wanted, const WarningSink& warn) {
  std::string path = "/proc/" + std::to_string(pid) + "/oom_score_adj";
  try {
    write_file(path, std::to_string(wanted));
  } catch (const Error& e) {
    if (e.sys_errno() != EACCES) throw;
    // The child inherited the shim's own value, which is what it keeps.
    std::string own = read_file("/proc/self/oom_score_adj");
    while (!own.empty() && own.back() == '\n')
      own.pop_back();
    warn("process.oomScoreAdj " + std::to_string(wanted) + " is below this runtime's own (" + own +
         ") and lowering it needs CAP_SYS_RESOURCE, which the runtime lacks: clamped to " + own);
  }
}

}  // namespace cradle::ns
