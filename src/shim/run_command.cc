#include "shim/run_command.h"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <climits>
#include <cstdio>
#include <cstdlib>
#include <optional>

#include "base/error.h"
#include "base/file_io.h"
#include "base/phase_trace.h"
#include "core/container.h"
#include "core/spec_parser.h"
#include "shim/raw_terminal.h"
#include "shim/signal_forwarding.h"

namespace cradle::shim {
namespace {

std::string absolute_dir(const std::string& dir) {
  char resolved[PATH_MAX];
  if (::realpath(dir.c_str(), resolved) == nullptr) throw_errno("bundle " + dir);
  return resolved;
}

std::string base_name(const std::string& path) {
  auto slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// Copies what fd has now to out; false once fd reports end of file or an error (a pty master
// reads EIO when the last slave closed).
bool pump(int fd, int out) {
  char buf[16384];
  ssize_t n = ::read(fd, buf, sizeof buf);
  if (n < 0 && (errno == EINTR || errno == EAGAIN)) return true;
  if (n <= 0) return false;
  // Given up when the reader is gone: the container must not die or block because nobody reads
  // its output any more.
  write_fully(out, std::string_view(buf, static_cast<std::size_t>(n)));
  return true;
}

// Relays between the caller and the container until its init exits. With a terminal, stdin goes
// to the pty and the pty to stdout; without one the container has the caller's stdio itself.
ns::ExitStatus relay_until_exit(Container& container, SignalForwarding& signals, int pty_master) {
  bool stdin_open = pty_master >= 0;
  bool pty_open = pty_master >= 0;
  for (;;) {
    pollfd fds[4] = {{signals.fd(), POLLIN, 0},
                     {container.pidfd(), POLLIN, 0},
                     {pty_open ? pty_master : -1, POLLIN, 0},
                     {stdin_open ? STDIN_FILENO : -1, POLLIN, 0}};
    if (::poll(fds, 4, -1) < 0) {
      if (errno == EINTR) continue;
      throw_errno("poll");
    }
    if (fds[0].revents & POLLIN) {
      while (int sig = signals.next()) {
        if (sig == SIGWINCH) {
          if (pty_master >= 0) copy_window_size(STDIN_FILENO, pty_master);
        } else {
          container.signal(sig);
        }
      }
    }
    if (fds[2].revents & (POLLIN | POLLHUP | POLLERR)) pty_open = pump(pty_master, STDOUT_FILENO);
    // End of input only stops the copying: a pty has no end of file to pass on (its VEOF
    // character means something else once the program switches the terminal to raw mode).
    if (fds[3].revents & (POLLIN | POLLHUP | POLLERR)) stdin_open = pump(STDIN_FILENO, pty_master);
    if (fds[1].revents & POLLIN) {
      ns::ExitStatus status = container.wait();
      if (pty_open) {
        ::fcntl(pty_master, F_SETFL, ::fcntl(pty_master, F_GETFL) | O_NONBLOCK);
        while (pump(pty_master, STDOUT_FILENO)) {
          pollfd more{pty_master, POLLIN, 0};
          if (::poll(&more, 1, 0) <= 0) break;
        }
      }
      return status;
    }
  }
}

}  // namespace

int run_container(const RunOptions& options) {
  ContainerConfig config;
  config.bundle_dir = absolute_dir(options.bundle_dir);
  config.id = options.id.empty() ? base_name(config.bundle_dir) : options.id;
  config.kill_on_parent_death = true;
  Spec spec = load_spec(config.bundle_dir);
  trace_mark("spec_loaded");

  // Blocked before the container exists, so a Ctrl-C during the start is not lost.
  SignalForwarding signals({SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH});
  auto warn = [](const std::string& message) {
    std::fprintf(stderr, "cradle-shim: warning: %s\n", message.c_str());
  };
  std::unique_ptr<Container> container = Container::create(std::move(spec), config, warn);
  UniqueFd pty_master = container->take_pty_master();
  std::optional<RawTerminal> raw_terminal;
  if (pty_master) {
    raw_terminal.emplace(STDIN_FILENO);
    if (!container->spec().process.console_size) copy_window_size(STDIN_FILENO, pty_master.get());
  }
  container->start();
  ns::ExitStatus status = relay_until_exit(*container, signals, pty_master.get());
  trace_mark("exited");
  container->destroy();
  trace_mark("cleaned_up");
  return status.shell_status();
}

}  // namespace cradle::shim
