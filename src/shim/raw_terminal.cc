#include "shim/raw_terminal.h"

#include <sys/ioctl.h>
#include <unistd.h>

namespace cradle::shim {

RawTerminal::RawTerminal(int fd) : fd_(fd) {
  if (!::isatty(fd) || ::tcgetattr(fd, &saved_) != 0) return;
  termios raw = saved_;
  ::cfmakeraw(&raw);
  active_ = ::tcsetattr(fd, TCSANOW, &raw) == 0;
}

RawTerminal::~RawTerminal() {
  if (active_) ::tcsetattr(fd_, TCSANOW, &saved_);
}

bool copy_window_size(int from, int to) {
  winsize size{};
  if (::ioctl(from, TIOCGWINSZ, &size) != 0) return false;
  return ::ioctl(to, TIOCSWINSZ, &size) == 0;
}

}  // namespace cradle::shim
