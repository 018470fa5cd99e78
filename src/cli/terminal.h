// The CLI's own terminal during `run -it` / `exec -it`: raw mode for exactly as long as a
// RawMode object lives, and the window size the container's terminal should have.
#pragma once

#include <termios.h>

#include <cstdint>
#include <optional>

namespace cradle::cli {

bool is_terminal(int fd);

// Keys go to the container as typed (Ctrl-C included: ISIG is off), nothing is echoed locally
// and output is not post-processed (the container's pty already did). The destructor puts back
// the settings it found, on every way out of the scope.
class RawMode {
 public:
  explicit RawMode(int fd);
  ~RawMode();
  RawMode(const RawMode&) = delete;
  RawMode& operator=(const RawMode&) = delete;

 private:
  int fd_;
  termios saved_;
};

struct WindowSize {
  uint32_t width = 0;
  uint32_t height = 0;
};

// The size of the terminal on fd, if it is one that knows its size.
std::optional<WindowSize> window_size(int fd);

}  // namespace cradle::cli
