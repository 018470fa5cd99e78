// cradle-bench-launch: starts and times the commands of the start-latency benchmark, so that
// what is measured is the command alone (from just before clone3 to its reaping, on
// CLOCK_MONOTONIC) and not the Python driver's own process handling. Every contender is started
// the same way: one clone3 and one exec.
//
// Usage: cradle-bench-launch [--ns-of PID] [--cgroup DIR] [--output FILE] [--jobs J] [--count N]
//                            -- PROGRAM [ARG...]
//   --ns-of PID   enter the mount and cgroup namespaces of PID first (the benchmark's sandbox,
//                 where /sys/fs/cgroup is only cgroup v2), so no wrapper process is timed
//   --cgroup DIR  move into this cgroup v2 directory first (a host path, before the namespaces
//                 are entered: a cgroup namespace forbids moves from outside its root), so the
//                 commands start in it
//   --output FILE the commands' stdout and stderr (appended; the file is truncated first);
//                 default /dev/null
//   --jobs/--count  run COUNT commands, JOBS at a time; "{i}" in an argument becomes the index
// Prints one JSON line per command on stdout: {"i":0,"start_ns":1,"end_ns":2,"status":0}, with
// status the exit code or 128+N for signal N (127: the exec failed). Exits 125 when it cannot
// start at all, else 0: the commands' statuses are the caller's to judge.
#include <fcntl.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>
#include <vector>

namespace {

struct Options {
  std::string ns_of;
  std::string cgroup;
  std::string output = "/dev/null";
  int jobs = 1;
  int count = 1;
  std::vector<std::string> argv;
};

[[noreturn]] void fail(const std::string& message) {
  std::fprintf(stderr, "cradle-bench-launch: %s\n", message.c_str());
  std::exit(125);
}

[[noreturn]] void fail_errno(const std::string& what) {
  fail(what + ": " + std::strerror(errno));
}

Options parse(int argc, char** argv) {
  Options o;
  int i = 1;
  for (; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--") {
      ++i;
      break;
    }
    if (i + 1 >= argc) fail("missing value of " + arg);
    std::string value = argv[++i];
    if (arg == "--ns-of") {
      o.ns_of = value;
    } else if (arg == "--cgroup") {
      o.cgroup = value;
    } else if (arg == "--output") {
      o.output = value;
    } else if (arg == "--jobs") {
      o.jobs = std::atoi(value.c_str());
    } else if (arg == "--count") {
      o.count = std::atoi(value.c_str());
    } else {
      fail("unknown option " + arg);
    }
  }
  for (; i < argc; ++i)
    o.argv.emplace_back(argv[i]);
  if (o.argv.empty()) fail("no command after --");
  if (o.jobs < 1 || o.count < 1) fail("--jobs and --count must be at least 1");
  return o;
}

long long monotonic_ns() {
  timespec t{};
  ::clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1'000'000'000LL + t.tv_nsec;
}

void enter_namespaces_of(const std::string& pid) {
  // Both opened before either is entered: after the mount namespace, /proc may differ.
  int cgroup_ns = ::open(("/proc/" + pid + "/ns/cgroup").c_str(), O_RDONLY | O_CLOEXEC);
  int mount_ns = ::open(("/proc/" + pid + "/ns/mnt").c_str(), O_RDONLY | O_CLOEXEC);
  if (cgroup_ns < 0 || mount_ns < 0) fail_errno("open the namespaces of " + pid);
  if (::setns(cgroup_ns, CLONE_NEWCGROUP) != 0) fail_errno("enter the cgroup namespace of " + pid);
  if (::setns(mount_ns, CLONE_NEWNS) != 0) fail_errno("enter the mount namespace of " + pid);
  ::close(cgroup_ns);
  ::close(mount_ns);
}

std::vector<std::string> with_index(const std::vector<std::string>& argv, int index) {
  std::vector<std::string> out = argv;
  for (std::string& arg : out) {
    for (std::size_t at = arg.find("{i}"); at != std::string::npos; at = arg.find("{i}", at)) {
      arg.replace(at, 3, std::to_string(index));
    }
  }
  return out;
}

void move_into_cgroup(const std::string& dir) {
  std::string procs = dir + "/cgroup.procs";
  int fd = ::open(procs.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0 || ::write(fd, "0", 1) != 1) fail_errno("move into " + dir);
  ::close(fd);
}

// Clones and execs argv with stdout and stderr on output_fd.
pid_t spawn(const std::vector<std::string>& argv, int output_fd) {
  std::vector<char*> args;
  for (const std::string& a : argv)
    args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  clone_args clone{};
  clone.exit_signal = SIGCHLD;
  long pid = ::syscall(SYS_clone3, &clone, sizeof clone);
  if (pid < 0) fail_errno("clone3");
  if (pid == 0) {
    ::dup2(output_fd, STDOUT_FILENO);
    ::dup2(output_fd, STDERR_FILENO);
    ::execvp(args[0], args.data());
    ::_exit(127);
  }
  return static_cast<pid_t>(pid);
}

struct Running {
  int index;
  long long start_ns;
};

}  // namespace

int main(int argc, char** argv) {
  Options o = parse(argc, argv);
  int output_fd =
      ::open(o.output.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0644);
  if (output_fd < 0) fail_errno("open " + o.output);
  if (!o.cgroup.empty()) move_into_cgroup(o.cgroup);
  if (!o.ns_of.empty()) enter_namespaces_of(o.ns_of);

  std::map<pid_t, Running> running;
  int next = 0;
  while (next < o.count || !running.empty()) {
    while (next < o.count && static_cast<int>(running.size()) < o.jobs) {
      std::vector<std::string> command = with_index(o.argv, next);
      long long start = monotonic_ns();
      running[spawn(command, output_fd)] = Running{next, start};
      ++next;
    }
    int status = 0;
    pid_t pid = ::waitpid(-1, &status, 0);
    long long end = monotonic_ns();
    if (pid < 0) {
      if (errno == EINTR) continue;
      fail_errno("waitpid");
    }
    auto it = running.find(pid);
    if (it == running.end()) continue;
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    std::printf("{\"i\":%d,\"start_ns\":%lld,\"end_ns\":%lld,\"status\":%d}\n", it->second.index,
                it->second.start_ns, end, code);
    running.erase(it);
  }
  return 0;
}
