#include "interop/private_containerd.h"

#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <stdexcept>
#include <thread>

#include "base/file_io.h"
#include "cgroups/cgroup_root.h"

namespace cradle::testing {
namespace {

void write_config(const std::string& dir) {
  std::ofstream config(dir + "/config.toml");
  config << "version = 2\n"
         << "root = \"" << dir << "/root\"\n"
         << "state = \"" << dir << "/state\"\n"
         << "disabled_plugins = [\"io.containerd.grpc.v1.cri\", "
            "\"io.containerd.snapshotter.v1.btrfs\", \"io.containerd.snapshotter.v1.zfs\", "
            "\"io.containerd.snapshotter.v1.aufs\", \"io.containerd.snapshotter.v1.devmapper\"]\n"
         << "[grpc]\n  address = \"" << dir << "/containerd.sock\"\n"
         << "[debug]\n  address = \"\"\n  level = \"info\"\n"
         << "[metrics]\n  address = \"\"\n"
         << "[plugins.\"io.containerd.internal.v1.opt\"]\n  path = \"" << dir << "/opt\"\n";
  if (!config) throw std::runtime_error("cannot write " + dir + "/config.toml");
}

std::string bin_dir() {
  std::string shim = CRADLE_SHIM_BINARY;
  return shim.substr(0, shim.rfind('/'));
}

}  // namespace

PrivateContainerd::PrivateContainerd() {
  write_config(dir());
  cgroup_ =
      cgroups::CgroupRoot::detect().mount_path + "/cradle-interop-" + std::to_string(::getpid());
  if (::mkdir(cgroup_.c_str(), 0755) != 0) throw std::runtime_error("mkdir " + cgroup_);
  launch("");
}

PrivateContainerd::~PrivateContainerd() {
  stop();
  // Whatever containers the tests left: kill them, then remove the whole cgroup tree.
  run_process({"/bin/sh", "-c",
               "find '" + cgroup_ +
                   "' -depth -type d | while read d; do "
                   "[ -f \"$d/cgroup.kill\" ] && echo 1 > \"$d/cgroup.kill\"; done; sleep 0.2; "
                   "find '" +
                   cgroup_ + "' -depth -type d -exec rmdir {} \\;"});
}

void PrivateContainerd::launch(const std::string& enter_namespaces_of) {
  // Inside: cgroup2 over /sys/fs/cgroup hides the v1 hierarchies; a private /run keeps
  // /run/containerd and /run/cradle apart from the host's; containerd lives in /daemon.
  std::string inside =
      "set -e; mkdir -p /sys/fs/cgroup/daemon; echo $$ > /sys/fs/cgroup/daemon/cgroup.procs; "
      "export PATH=" +
      bin_dir() + ":$PATH; exec containerd --config " + dir() + "/config.toml >>" + dir() +
      "/containerd.log 2>&1";
  std::vector<std::string> argv;
  if (enter_namespaces_of.empty()) {
    std::string setup = "set -e; echo $$ > " + cgroup_ +
                        "/cgroup.procs; exec unshare -m -C "
                        "--propagation private /bin/sh -c 'mount -t cgroup2 cgroup2 /sys/fs/cgroup "
                        "&& mount -t tmpfs tmpfs /run && exec /bin/sh -c \"$0\"' '" +
                        inside + "'";
    argv = {"/usr/bin/setsid", "/bin/sh", "-c", setup};
  } else {
    argv = {"/usr/bin/setsid",
            "/usr/bin/nsenter",
            "-t",
            enter_namespaces_of,
            "-m",
            "-C",
            "/bin/sh",
            "-c",
            inside};
  }
  pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork");
  if (pid == 0) {
    std::vector<char*> args;
    for (auto& a : argv)
      args.push_back(a.data());
    args.push_back(nullptr);
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  pid_ = pid;  // setsid, sh and unshare all exec: this pid becomes containerd's
  wait_until_ready();
}

void PrivateContainerd::wait_until_ready() const {
  for (int i = 0; i < 200; ++i) {
    if (ctr({"version"}).status == 0) return;
    int status;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  std::string log;
  try {
    log = read_file(dir() + "/containerd.log");
  } catch (...) {
  }
  throw std::runtime_error("containerd did not come up; its log:\n" + log);
}

void PrivateContainerd::stop() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  ::waitpid(pid_, nullptr, 0);
  pid_ = -1;
}

void PrivateContainerd::restart() {
  // A shim keeps the namespaces alive while containerd is down: enter them through it.
  ProcessResult shims = run_process({"/usr/bin/pgrep", "-f", "containerd-shim-cradle-v2"});
  std::string shim_pid = shims.out.substr(0, shims.out.find('\n'));
  if (shim_pid.empty()) throw std::runtime_error("no shim running to find the namespaces by");
  stop();
  launch(shim_pid);
}

std::vector<std::string> PrivateContainerd::in_namespaces(
    const std::vector<std::string>& argv) const {
  std::vector<std::string> full = {"/usr/bin/nsenter", "-t", std::to_string(pid_), "-m", "-C"};
  full.insert(full.end(), argv.begin(), argv.end());
  return full;
}

ProcessResult PrivateContainerd::ctr(const std::vector<std::string>& args,
                                     const std::string& input) const {
  std::vector<std::string> argv = {"/usr/bin/ctr", "-a", dir() + "/containerd.sock"};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_process(in_namespaces(argv), input);
}

ProcessResult PrivateContainerd::ctr_in_terminal(const std::vector<std::string>& args) const {
  std::string command = "/usr/bin/ctr -a " + dir() + "/containerd.sock";
  for (const auto& a : args)
    command += " '" + a + "'";
  // script(1) gives the command a pty for stdin/stdout and copies what it shows; the pty gets a
  // size, which ctr passes on to the container with ResizePty.
  return run_process_with_open_stdin(
      in_namespaces({"/usr/bin/script", "-qec", "stty rows 40 cols 100; " + command, "/dev/null"}));
}

void import_busybox(const PrivateContainerd& containerd) {
  ProcessResult r = containerd.ctr({"images", "import", CRADLE_BUSYBOX_TAR});
  if (r.status != 0) throw std::runtime_error("ctr images import failed: " + r.err);
}

}  // namespace cradle::testing
