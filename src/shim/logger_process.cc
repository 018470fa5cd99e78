#include "shim/logger_process.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <memory>

#include "base/c_strings.h"
#include "base/error.h"
#include "base/file_io.h"
#include "base/scope_guard.h"
#include "namespaces/raw_syscalls.h"
#include "shim/stdio_open.h"

namespace cradle::shim {
namespace {

// The logger's fds 3, 4 and 5, in that order.
constexpr int kFirstLoggerFd = 3;
constexpr int kLoggerFdCount = 3;

int sys_pidfd_open(pid_t pid) {
  return static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
}

// A copy of fd numbered above the logger's fds, so that the dup2s onto 3, 4 and 5 in the child
// cannot overwrite a source that happens to sit on one of them.
UniqueFd dup_above_logger_fds(int fd) {
  return duplicate_fd(fd, kFirstLoggerFd + kLoggerFdCount);
}

void check_spawn_setup(int rc) {
  if (rc != 0) throw_errno(rc, "prepare the logger's start");
}

// Waits on the loop for a stopped logger to exit, SIGKILLs it after the grace period, and reaps
// it. Owns the pidfd from now on; lives in the loop's callbacks, not in any object.
void reap_on_loop(EventLoop& loop, UniqueFd pidfd) {
  struct Reaper {
    UniqueFd pidfd;
    EventLoop::TimerId kill_timer = 0;
  };
  auto reaper = std::make_shared<Reaper>();
  reaper->pidfd = std::move(pidfd);
  int fd = reaper->pidfd.get();
  reaper->kill_timer = loop.add_timer(
      kLoggerStopGrace, [reaper] { ns::sys_pidfd_send_signal(reaper->pidfd.get(), SIGKILL); });
  loop.add(fd, EPOLLIN, [&loop, reaper](std::uint32_t) {
    // A pidfd turns readable when its process exited. ECHILD means the shim's own reaper
    // (waitpid(-1) as subreaper) collected it first, which is as good.
    siginfo_t info{};
    ::waitid(P_PIDFD, static_cast<id_t>(reaper->pidfd.get()), &info, WEXITED | WNOHANG);
    loop.cancel_timer(reaper->kill_timer);
    loop.remove(reaper->pidfd.get());
  });
}

}  // namespace

LoggerProcess::LoggerProcess(EventLoop& loop, const LoggerCommand& command) : loop_(loop) {
  Pipe out = make_pipe();
  Pipe err = make_pipe();
  Pipe ready = make_pipe();
  UniqueFd child_fds[kLoggerFdCount] = {dup_above_logger_fds(out.read.get()),
                                        dup_above_logger_fds(err.read.get()),
                                        dup_above_logger_fds(ready.write.get())};

  posix_spawn_file_actions_t actions;
  check_spawn_setup(::posix_spawn_file_actions_init(&actions));
  ScopeGuard destroy_actions([&] { ::posix_spawn_file_actions_destroy(&actions); });
  for (int i = 0; i < kLoggerFdCount; ++i) {
    check_spawn_setup(
        ::posix_spawn_file_actions_adddup2(&actions, child_fds[i].get(), kFirstLoggerFd + i));
  }
  check_spawn_setup(::posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0));
  check_spawn_setup(::posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0));
  check_spawn_setup(::posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0));
  check_spawn_setup(
      ::posix_spawn_file_actions_addclosefrom_np(&actions, kFirstLoggerFd + kLoggerFdCount));

  posix_spawnattr_t attr;
  check_spawn_setup(::posix_spawnattr_init(&attr));
  ScopeGuard destroy_attr([&] { ::posix_spawnattr_destroy(&attr); });
  sigset_t none;
  sigset_t all;
  sigemptyset(&none);
  sigfillset(&all);
  check_spawn_setup(::posix_spawnattr_setsigmask(&attr, &none));
  check_spawn_setup(::posix_spawnattr_setsigdefault(&attr, &all));
  check_spawn_setup(
      ::posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF));

  std::vector<std::string> argv_strings{command.path};
  argv_strings.insert(argv_strings.end(), command.args.begin(), command.args.end());
  std::vector<std::string> env_strings{"CONTAINER_ID=" + command.container_id,
                                       "CONTAINER_NAMESPACE=" + command.ns};
  auto argv = c_strings(argv_strings);
  auto envp = c_strings(env_strings);
  pid_t pid = -1;
  int rc = ::posix_spawn(&pid, command.path.c_str(), &actions, &attr, argv.data(), envp.data());
  if (rc != 0) throw_errno(rc, "start logger " + command.path);

  pid_ = pid;
  // Until the loop watches it, a failure must not leave it running; it has done nothing yet.
  ScopeGuard kill_on_error([pid] {
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
  });
  pidfd_.reset(sys_pidfd_open(pid));
  if (!pidfd_) throw_errno("open a pidfd for logger " + command.path);
  writers_[0] = std::move(out.write);
  writers_[1] = std::move(err.write);
  ready_pipe_ = std::move(ready.read);
  set_nonblocking(ready_pipe_.get());
  loop_.add(ready_pipe_.get(), EPOLLIN, [this](std::uint32_t) {
    char byte;
    if (::read(ready_pipe_.get(), &byte, 1) < 0 && (errno == EAGAIN || errno == EINTR)) return;
    ready_now();
  });
  kill_on_error.dismiss();
}

LoggerProcess::~LoggerProcess() {
  if (ready_pipe_) loop_.remove(ready_pipe_.get());
  ns::sys_pidfd_send_signal(pidfd_.get(), SIGTERM);
  try {
    reap_on_loop(loop_, std::move(pidfd_));
  } catch (...) {
    // The loop could not take it (out of memory): kill it now; the shim's reaper collects it.
    ::kill(pid_, SIGKILL);
  }
}

UniqueFd LoggerProcess::take_writer(int stream) {
  return std::move(writers_[stream - 1]);
}

void LoggerProcess::close_untaken_writers() {
  for (auto& writer : writers_)
    writer.reset();
}

void LoggerProcess::on_ready(std::function<void()> ready) {
  if (ready_) return ready();
  ready_callback_ = std::move(ready);
}

void LoggerProcess::ready_now() {
  loop_.remove(ready_pipe_.get());
  ready_pipe_.reset();
  ready_ = true;
  auto callback = std::move(ready_callback_);
  if (callback) callback();
}

}  // namespace cradle::shim
