#include "cli/terminal.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include "base/error.h"

namespace cradle::cli {

bool is_terminal(int fd) {
  return ::isatty(fd) == 1;
}

RawMode::RawMode(int fd) : fd_(fd) {
  if (::tcgetattr(fd_, &saved_) != 0) throw_errno("read the terminal's settings");
  termios raw = saved_;
  ::cfmakeraw(&raw);
  if (::tcsetattr(fd_, TCSANOW, &raw) != 0) throw_errno("put the terminal in raw mode");
}

RawMode::~RawMode() {
  // TCSADRAIN: what the container wrote in raw mode reaches the screen before the settings
  // change back.
  ::tcsetattr(fd_, TCSADRAIN, &saved_);
}

std::optional<WindowSize> window_size(int fd) {
  winsize size{};
  if (::ioctl(fd, TIOCGWINSZ, &size) != 0 || size.ws_col == 0) return std::nullopt;
  return WindowSize{size.ws_col, size.ws_row};
}

}  // namespace cradle::cli
