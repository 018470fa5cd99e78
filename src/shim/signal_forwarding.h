// Blocks the signals a foreground run forwards to its container and delivers them through a
// signalfd instead, so the event loop sees each one exactly once. The mask is restored when the
// object goes away.
#pragma once

#include <signal.h>

#include <initializer_list>

#include "base/unique_fd.h"

namespace cradle::shim {

class SignalForwarding {
 public:
  explicit SignalForwarding(std::initializer_list<int> signals);
  ~SignalForwarding();
  SignalForwarding(const SignalForwarding&) = delete;
  SignalForwarding& operator=(const SignalForwarding&) = delete;

  int fd() const { return fd_.get(); }
  // The next pending signal, or 0 if none.
  int next();

 private:
  sigset_t previous_{};
  UniqueFd fd_;
};

}  // namespace cradle::shim
