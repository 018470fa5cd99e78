#include "cli/context.h"

#include <cerrno>

namespace cradle::cli {

bool write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t written = ::write(fd, data.data(), data.size());
    if (written < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data.remove_prefix(static_cast<std::size_t>(written));
  }
  return true;
}

void Context::out(std::string_view text) const {
  write_all(env.out_fd, text);
}

void Context::err(std::string_view text) const {
  write_all(env.err_fd, text);
}

}  // namespace cradle::cli
