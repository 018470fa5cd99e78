// Puts the caller's terminal in raw mode for as long as a container's terminal is attached to
// it, and restores it afterwards (also when the run fails).
#pragma once

#include <termios.h>

namespace cradle::shim {

class RawTerminal {
 public:
  // Does nothing if fd is not a terminal.
  explicit RawTerminal(int fd);
  ~RawTerminal();
  RawTerminal(const RawTerminal&) = delete;
  RawTerminal& operator=(const RawTerminal&) = delete;

  bool active() const { return active_; }

 private:
  int fd_;
  bool active_ = false;
  termios saved_{};
};

// Copies the window size of the terminal `from` to the pty `to`; false if `from` is no terminal.
bool copy_window_size(int from, int to);

}  // namespace cradle::shim
