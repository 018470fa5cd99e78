// cradle-bench-floor: the floor under every container start. One clone3 with the namespaces of
// runc's default spec (pid, network, ipc, uts, mount), exec of a program in the child, and a wait.
// No cgroup, no mounts, no pivot_root, no handoff, no spec: what any runtime pays at the least.
//
// Usage: cradle-bench-floor [--namespaces pid,network,ipc,uts,mount] PROGRAM [ARG...]
// Exits with the program's status (128+N when killed by signal N); 125 when it cannot start it.
#include <linux/sched.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>

namespace {

// "pid,network" -> CLONE_NEWPID | CLONE_NEWNET; -1 for an unknown name.
long namespace_flags(std::string_view list) {
  struct Name {
    std::string_view name;
    long flag;
  };
  static constexpr Name kNames[] = {{"pid", CLONE_NEWPID},  {"network", CLONE_NEWNET},
                                    {"ipc", CLONE_NEWIPC},  {"uts", CLONE_NEWUTS},
                                    {"mount", CLONE_NEWNS}, {"cgroup", CLONE_NEWCGROUP},
                                    {"user", CLONE_NEWUSER}};
  long flags = 0;
  while (!list.empty()) {
    std::size_t comma = list.find(',');
    std::string_view item = list.substr(0, comma);
    list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
    if (item.empty()) continue;
    bool known = false;
    for (const Name& n : kNames) {
      if (n.name == item) {
        flags |= n.flag;
        known = true;
      }
    }
    if (!known) return -1;
  }
  return flags;
}

}  // namespace

int main(int argc, char** argv) {
  std::string_view namespaces = "pid,network,ipc,uts,mount";
  int first = 1;
  if (argc > 2 && std::string_view(argv[1]) == "--namespaces") {
    namespaces = argv[2];
    first = 3;
  }
  if (first >= argc) {
    std::fprintf(stderr, "usage: cradle-bench-floor [--namespaces LIST] PROGRAM [ARG...]\n");
    return 125;
  }
  long flags = namespace_flags(namespaces);
  if (flags < 0) {
    std::fprintf(stderr, "cradle-bench-floor: unknown namespace in \"%.*s\"\n",
                 static_cast<int>(namespaces.size()), namespaces.data());
    return 125;
  }

  clone_args args{};
  args.flags = static_cast<unsigned long long>(flags);
  args.exit_signal = SIGCHLD;
  long pid = ::syscall(SYS_clone3, &args, sizeof args);
  if (pid < 0) {
    std::fprintf(stderr, "cradle-bench-floor: clone3: %s\n", std::strerror(errno));
    return 125;
  }
  if (pid == 0) {
    ::execv(argv[first], argv + first);
    ::_exit(127);
  }
  int status = 0;
  while (::waitpid(static_cast<pid_t>(pid), &status, 0) < 0 && errno == EINTR) {
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
