#include "shim/shim_daemon.h"

#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

#include "api/ttrpc/server.h"
#include "base/error.h"
#include "base/event_loop.h"
#include "shim/event_publisher.h"
#include "shim/signal_forwarding.h"
#include "shim/task_service.h"

namespace cradle::shim {
namespace {

constexpr std::chrono::seconds kFlushOnExit{3};  // the Go shims give their publisher 5 s at most

// Reaps every child that has exited, the shim's own and adopted orphans alike.
void reap_children(TaskService& tasks) {
  for (;;) {
    siginfo_t info{};
    if (::waitid(P_ALL, 0, &info, WEXITED | WNOHANG) != 0 || info.si_pid == 0) return;
    int status = info.si_code == CLD_EXITED ? info.si_status : 128 + info.si_status;
    tasks.child_exited(info.si_pid, status);
  }
}

}  // namespace

int serve_shim(const ShimFlags& flags, UniqueFd listener, const std::string& socket_path) {
  // Processes of the container that lose their parent come to the shim, not to the host's init.
  if (::prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0) throw_errno("become a child subreaper");
  // A client or FIFO reader that went away must not kill the shim.
  ::signal(SIGPIPE, SIG_IGN);

  EventLoop loop;
  const char* ttrpc_address = std::getenv("TTRPC_ADDRESS");
  EventPublisher events(loop, ttrpc_address ? ttrpc_address : "", flags.ns);
  bool stopping = false;
  auto stop = [&] {
    if (std::exchange(stopping, true)) return;
    events.flush(kFlushOnExit, [&loop] { loop.stop(); });
  };
  TaskService tasks(loop, flags, events, stop);
  ttrpc::TtrpcServer server(loop, std::move(listener));
  tasks.register_with(server);

  SignalForwarding signals({SIGCHLD, SIGTERM, SIGINT});
  loop.add(signals.fd(), EPOLLIN, [&](std::uint32_t) {
    while (int sig = signals.next()) {
      if (sig == SIGCHLD) {
        reap_children(tasks);
      } else {
        stop();
      }
    }
  });
  // Children that exited before the signalfd existed.
  reap_children(tasks);
  loop.run();
  loop.remove(signals.fd());
  ::unlink(socket_path.c_str());
  return 0;
}

}  // namespace cradle::shim
