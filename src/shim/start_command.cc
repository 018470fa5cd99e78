#include "shim/start_command.h"

#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>

#include "base/error.h"
#include "base/file_io.h"
#include "core/container_id.h"
#include "shim/shim_daemon.h"
#include "shim/shim_socket.h"

namespace cradle::shim {
namespace {

// containerd passes the runtime options as a google.protobuf.Any on stdin (nothing for plain
// ctr). They configure runc-specific things; reading them keeps containerd's write from failing.
void drain_stdin() {
  char buf[4096];
  while (::read(STDIN_FILENO, buf, sizeof buf) > 0) {
  }
}

// The daemon must hold neither end of the pipe containerd reads `start`'s output from, or
// containerd waits for it to exit. Its stderr goes to the bundle's log FIFO, which containerd
// reads into its own log (held open by containerd, so this open does not block).
void detach_stdio() {
  int null_fd = ::open("/dev/null", O_RDWR | O_CLOEXEC);
  int log_fd = ::open("log", O_WRONLY | O_NONBLOCK | O_CLOEXEC);
  if (null_fd < 0) ::_exit(1);
  ::dup2(null_fd, STDIN_FILENO);
  ::dup2(null_fd, STDOUT_FILENO);
  ::dup2(log_fd >= 0 ? log_fd : null_fd, STDERR_FILENO);
  ::close(null_fd);
  if (log_fd >= 0) ::close(log_fd);
}

}  // namespace

int start_shim(const ShimFlags& flags) {
  validate_container_id(flags.id);
  drain_stdin();
  std::string path = shim_socket_path(flags);
  std::string address = "unix://" + path;
  if (::mkdir(kShimSocketDir, 0700) != 0 && errno != EEXIST) {
    // /run/cradle may be missing too.
    ::mkdir("/run/cradle", 0711);
    if (::mkdir(kShimSocketDir, 0700) != 0 && errno != EEXIST)
      throw_errno("mkdir " + std::string(kShimSocketDir));
  }
  if (unix_socket_alive(path)) {
    // A shim already serves this container (a containerd restart re-running start): reuse it.
    write_file_atomic("address", address, 0644, Durability::kUntilReboot);
    std::fputs(address.c_str(), stdout);
    return 0;
  }
  UniqueFd listener = listen_unix(path);
  write_file_atomic("address", address, 0644, Durability::kUntilReboot);

  pid_t pid = ::fork();
  if (pid < 0) throw_errno("fork the shim daemon");
  if (pid > 0) {
    std::fputs(address.c_str(), stdout);
    return 0;
  }
  ::setsid();
  detach_stdio();
  return serve_shim(flags, std::move(listener), path);
}

}  // namespace cradle::shim
