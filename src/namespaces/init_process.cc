#include "namespaces/init_process.h"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <cstring>
#include <optional>
#include <utility>

#include "base/error.h"
#include "base/file_io.h"
#include "namespaces/child.h"
#include "namespaces/failure_message.h"
#include "namespaces/handoff_channel.h"
#include "namespaces/raw_syscalls.h"

namespace cradle::ns {
namespace {

const char* own_namespace_file(int nstype) {
  switch (nstype) {
    case CLONE_NEWNET:
      return "/proc/thread-self/ns/net";
    case CLONE_NEWIPC:
      return "/proc/thread-self/ns/ipc";
    case CLONE_NEWUTS:
      return "/proc/thread-self/ns/uts";
    case CLONE_NEWCGROUP:
      return "/proc/thread-self/ns/cgroup";
    case CLONE_NEWPID:
      return "/proc/thread-self/ns/pid";
    case CLONE_NEWTIME:
      return "/proc/thread-self/ns/time";
  }
  throw Error(ErrorCode::kInternal, "no per-thread namespace of type " + std::to_string(nstype));
}

// The shim's thread enters the namespaces the spec joins by path just for the clone3, so the
// child is born in them, and returns to its own right after. Namespaces are per thread, so this
// is safe in a threaded shim as long as the same thread clones.
class ParentNamespaceSwitch {
 public:
  explicit ParentNamespaceSwitch(const std::vector<NamespaceJoin>& joins) {
    try {
      for (const auto& join : joins) {
        UniqueFd saved = open_at(AT_FDCWD, own_namespace_file(join.nstype), O_RDONLY);
        if (::setns(join.fd.get(), join.nstype) != 0) {
          throw_errno("join the namespace " + join.path);
        }
        saved_.push_back({join.nstype, std::move(saved)});
      }
    } catch (...) {
      restore();
      throw;
    }
  }
  ~ParentNamespaceSwitch() { restore(); }

 private:
  void restore() noexcept {
    for (auto& [nstype, fd] : saved_) {
      // Failing to return would leave every later child of this shim in the wrong namespace.
      if (::setns(fd.get(), nstype) != 0) std::abort();
    }
    saved_.clear();
  }

  std::vector<std::pair<int, UniqueFd>> saved_;
};

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

}  // namespace

InitProcess InitProcess::create(const StartPlan& plan, int cgroup_fd, const WarningSink& warn) {
  auto [parent_end, child_end] = make_handoff_channel();
  int pidfd = -1;
  long pid;
  {
    ParentNamespaceSwitch switched(plan.parent_joins);
    clone_args args{};
    args.flags = CLONE_PIDFD | plan.clone_flags | (cgroup_fd >= 0 ? CLONE_INTO_CGROUP : 0);
    args.pidfd = reinterpret_cast<std::uintptr_t>(&pidfd);
    args.exit_signal = SIGCHLD;
    args.cgroup = static_cast<std::uint64_t>(cgroup_fd >= 0 ? cgroup_fd : 0);
    pid = sys_clone3(&args);
    if (pid == 0) {
      ::close(parent_end.get());
      run_init_child(plan, child_end.get());
    }
    if (pid < 0) throw_errno("clone3 the container's init");
  }
  InitProcess init(&plan, static_cast<pid_t>(pid), UniqueFd(pidfd), std::move(parent_end));
  child_end.reset();
  init.run_handoff(warn);
  return init;
}

InitProcess::InitProcess(InitProcess&& other) noexcept
    : plan_(other.plan_),
      pid_(std::exchange(other.pid_, -1)),
      pidfd_(std::move(other.pidfd_)),
      handoff_(std::move(other.handoff_)),
      pty_master_(std::move(other.pty_master_)),
      reaped_(other.reaped_) {}

InitProcess::~InitProcess() {
  if (pid_ > 0 && !reaped_) kill_and_reap();
}

void InitProcess::kill_and_reap() noexcept {
  sys_pidfd_send_signal(pidfd_.get(), SIGKILL);
  siginfo_t info{};
  while (::waitid(static_cast<idtype_t>(P_PIDFD), static_cast<id_t>(pidfd_.get()), &info,
                  WEXITED) != 0 &&
         errno == EINTR) {
  }
  reaped_ = true;
}

void InitProcess::write_id_maps() {
  std::string proc = "/proc/" + std::to_string(pid_);
  write_file(proc + "/uid_map", plan_->uid_map);
  write_file(proc + "/gid_map", plan_->gid_map);
}

void InitProcess::run_handoff(const WarningSink& warn) {
  if (plan_->process.oom_score_adj) apply_oom_score_adj(pid_, *plan_->process.oom_score_adj, warn);
  for (;;) {
    HandoffMessage msg;
    UniqueFd passed;
    if (!receive_handoff(handoff_.get(), msg, &passed)) {
      ExitStatus status = wait();
      throw Error(ErrorCode::kInternal,
                  "the container's init exited during setup without saying why (status " +
                      std::to_string(status.shell_status()) + ")");
    }
    switch (msg.type) {
      case HandoffType::kUserNamespaceReady:
        write_id_maps();
        send_handoff(handoff_.get(), HandoffType::kIdMapsWritten);
        break;
      case HandoffType::kReady:
        pty_master_ = std::move(passed);
        return;
      case HandoffType::kFailed:
        throw Error(error_code_for_errno(msg.error), describe_failure(*plan_, msg), msg.error);
      default:
        throw Error(ErrorCode::kInternal, "unexpected handoff message from the container's init");
    }
  }
}

void InitProcess::start() {
  send_handoff(handoff_.get(), HandoffType::kGo);
  HandoffMessage msg;
  if (!receive_handoff(handoff_.get(), msg, nullptr)) {
    handoff_.reset();  // EOF: the close-on-exec end closed, the exec happened
    return;
  }
  if (msg.type == HandoffType::kFailed) {
    throw Error(error_code_for_errno(msg.error), describe_failure(*plan_, msg), msg.error);
  }
  throw Error(ErrorCode::kInternal, "unexpected handoff message from the container's init");
}

ExitStatus InitProcess::wait() {
  siginfo_t info{};
  while (::waitid(static_cast<idtype_t>(P_PIDFD), static_cast<id_t>(pidfd_.get()), &info,
                  WEXITED) != 0) {
    if (errno != EINTR) throw_errno("wait for the container's init");
  }
  reaped_ = true;
  return to_exit_status(info);
}

std::optional<ExitStatus> InitProcess::try_wait() {
  siginfo_t info{};
  if (::waitid(static_cast<idtype_t>(P_PIDFD), static_cast<id_t>(pidfd_.get()), &info,
               WEXITED | WNOHANG) != 0) {
    throw_errno("wait for the container's init");
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
