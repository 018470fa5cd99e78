#include "cli/signals.h"

#include <poll.h>
#include <pthread.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>

#include <cerrno>
#include <csignal>

#include "base/error.h"

namespace cradle::cli {
namespace {

sigset_t watched_signals() {
  sigset_t set;
  sigemptyset(&set);
  for (int signal : {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH})
    sigaddset(&set, signal);
  return set;
}

// The default action of a blocked signal nobody handles: unblocked on this thread and raised
// again, it ends the process the way the shell expects (killed by SIGINT, not "exit 130").
void take_default_action(int signal) {
  if (signal == SIGWINCH) return;
  ::signal(signal, SIG_DFL);
  sigset_t one;
  sigemptyset(&one);
  sigaddset(&one, signal);
  ::pthread_sigmask(SIG_UNBLOCK, &one, nullptr);
  ::raise(signal);
}

}  // namespace

SignalWatcher::SignalWatcher() {
  sigset_t set = watched_signals();
  if (int err = ::pthread_sigmask(SIG_BLOCK, &set, nullptr); err != 0)
    throw_errno(err, "block signals");
  signal_fd_.reset(::signalfd(-1, &set, SFD_CLOEXEC));
  if (!signal_fd_) throw_errno("signalfd");
  stop_fd_.reset(::eventfd(0, EFD_CLOEXEC));
  if (!stop_fd_) throw_errno("eventfd");
  thread_ = std::thread([this] { run(); });
}

SignalWatcher::~SignalWatcher() {
  uint64_t one = 1;
  [[maybe_unused]] ssize_t ignored = ::write(stop_fd_.get(), &one, sizeof one);
  thread_.join();
}

void SignalWatcher::run() {
  // This thread reads the signalfd only; signals stay blocked here too.
  pollfd fds[] = {{signal_fd_.get(), POLLIN, 0}, {stop_fd_.get(), POLLIN, 0}};
  for (;;) {
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      return;
    }
    if (fds[1].revents != 0) return;
    signalfd_siginfo info;
    if (::read(signal_fd_.get(), &info, sizeof info) == sizeof info)
      dispatch(static_cast<int>(info.ssi_signo));
  }
}

void SignalWatcher::dispatch(int signal) {
  std::lock_guard lock(mutex_);
  if (handler_)
    handler_(signal);
  else
    take_default_action(signal);
}

SignalWatcher::Scope::Scope(SignalWatcher* watcher, Handler handler) : watcher_(watcher) {
  if (watcher_ == nullptr) return;
  std::lock_guard lock(watcher_->mutex_);
  watcher_->handler_ = std::move(handler);
}

SignalWatcher::Scope::~Scope() {
  if (watcher_ == nullptr) return;
  std::lock_guard lock(watcher_->mutex_);
  watcher_->handler_ = nullptr;
}

}  // namespace cradle::cli
