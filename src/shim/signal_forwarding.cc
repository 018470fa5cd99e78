#include "shim/signal_forwarding.h"

#include <sys/signalfd.h>
#include <unistd.h>

#include "base/error.h"

namespace cradle::shim {

SignalForwarding::SignalForwarding(std::initializer_list<int> signals) {
  sigset_t set;
  sigemptyset(&set);
  for (int sig : signals)
    sigaddset(&set, sig);
  if (::sigprocmask(SIG_BLOCK, &set, &previous_) != 0) throw_errno("block signals");
  int fd = ::signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
  if (fd < 0) {
    int err = errno;
    ::sigprocmask(SIG_SETMASK, &previous_, nullptr);
    throw_errno(err, "create a signalfd");
  }
  fd_.reset(fd);
}

SignalForwarding::~SignalForwarding() {
  ::sigprocmask(SIG_SETMASK, &previous_, nullptr);
}

int SignalForwarding::next() {
  signalfd_siginfo info;
  ssize_t n = ::read(fd_.get(), &info, sizeof info);
  if (n != sizeof info) return 0;
  return static_cast<int>(info.ssi_signo);
}

}  // namespace cradle::shim
