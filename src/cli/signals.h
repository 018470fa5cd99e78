// The signals the CLI acts on (INT, TERM, HUP, QUIT, USR1, USR2, WINCH), received on a thread of
// their own through a signalfd. A signalfd only sees signals that every thread blocks, so the
// watcher must exist before gRPC starts its threads: main() creates it first thing.
#pragma once

#include <functional>
#include <mutex>
#include <thread>

#include "base/unique_fd.h"

namespace cradle::cli {

class SignalWatcher {
 public:
  using Handler = std::function<void(int signal)>;

  SignalWatcher();
  ~SignalWatcher();
  SignalWatcher(const SignalWatcher&) = delete;
  SignalWatcher& operator=(const SignalWatcher&) = delete;

  // The handler sees the signals that arrive while the returned scope lives; once it is gone the
  // handler is not running and will not run again. Without a handler a signal does what it
  // would have done unblocked: WINCH nothing, the others end the process.
  class Scope {
   public:
    Scope(SignalWatcher* watcher, Handler handler);
    ~Scope();
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;

   private:
    SignalWatcher* watcher_;
  };

 private:
  void run();
  void dispatch(int signal);

  UniqueFd signal_fd_;
  UniqueFd stop_fd_;
  std::mutex mutex_;
  Handler handler_;
  std::thread thread_;
};

}  // namespace cradle::cli
