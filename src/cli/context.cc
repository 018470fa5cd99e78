#include "cli/context.h"

#include <cerrno>

namespace cradle::cli {

void Context::out(std::string_view text) const {
  write_fully(env.out_fd, text);
}

void Context::err(std::string_view text) const {
  write_fully(env.err_fd, text);
}

}  // namespace cradle::cli
