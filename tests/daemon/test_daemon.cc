#include "daemon/test_daemon.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <stdexcept>
#include <thread>

#include "base/file_io.h"

namespace cradle::testing {

TestDaemon::TestDaemon() {
  root_ = dir_.path() + "/root";
  state_ = dir_.path() + "/state";
  // A config of its own, so the machine's /etc/cradle/config.yaml plays no part.
  write_file_atomic(dir_.path() + "/config.yaml", "default_namespace: default\n");
  start();
}

TestDaemon::~TestDaemon() {
  if (pid_ > 0) {
    ProcessResult ps = cli({"ps", "-a", "-q"});
    std::string ids = ps.out;
    std::size_t pos = 0;
    while (pos < ids.size()) {
      std::size_t end = ids.find('\n', pos);
      if (end == std::string::npos) end = ids.size();
      std::string id = ids.substr(pos, end - pos);
      if (!id.empty()) cli({"rm", "-f", id});
      pos = end + 1;
    }
    ::kill(pid_, SIGTERM);
    ::waitpid(pid_, nullptr, 0);
  }
  // Shims of containers the daemon could not remove: end them, by pid.
  for (pid_t shim : shim_pids(state_))
    ::kill(shim, SIGKILL);
  run_process(
      {"/bin/sh", "-c", "umount -R -l '" + dir_.path() + "'/root/snapshots/* 2>/dev/null; true"});
}

void TestDaemon::start() {
  std::string daemon = std::string(CRADLE_BIN_DIR) + "/cradled";
  pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork");
  if (pid == 0) {
    ::setsid();
    std::string log = dir_.path() + "/cradled.log";
    FILE* out = std::freopen(log.c_str(), "a", stderr);
    if (out == nullptr) ::_exit(127);
    ::execl(daemon.c_str(), daemon.c_str(), "--root", root_.c_str(), "--state", state_.c_str(),
            "--socket", socket().c_str(), "--config", (dir_.path() + "/config.yaml").c_str(),
            nullptr);
    ::_exit(127);
  }
  pid_ = pid;
  wait_until_ready();
}

void TestDaemon::wait_until_ready() const {
  for (int i = 0; i < 200; ++i) {
    if (cli({"version"}).status == 0) return;
    int status;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  std::string log;
  try {
    log = read_file(dir_.path() + "/cradled.log");
  } catch (...) {
  }
  throw std::runtime_error("cradled did not come up; its log:\n" + log);
}

void TestDaemon::kill_hard() {
  ::kill(pid_, SIGKILL);
  ::waitpid(pid_, nullptr, 0);
  pid_ = -1;
}

ProcessResult TestDaemon::cli(const std::vector<std::string>& args,
                              const std::string& input) const {
  std::vector<std::string> argv = {std::string(CRADLE_BIN_DIR) + "/cradle", "--socket", socket()};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_process(argv, input);
}

ProcessResult TestDaemon::cli_in_terminal(const std::vector<std::string>& args,
                                          const std::string& keys) const {
  std::string command = std::string(CRADLE_BIN_DIR) + "/cradle --socket " + socket();
  for (const auto& a : args)
    command += " '" + a + "'";
  // script(1) runs it on a pty; the keys arrive as typed (stdin is a pipe into script).
  return run_process({"/usr/bin/script", "-qec", "stty rows 30 cols 90; " + command, "/dev/null"},
                     keys);
}

std::vector<pid_t> shim_pids(const std::string& state) {
  std::vector<pid_t> out;
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    std::string name = entry.path().filename();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::error_code ec;
    auto cwd = std::filesystem::read_symlink(entry.path() / "cwd", ec);
    if (ec || !cwd.string().starts_with(state + "/shims/")) continue;
    std::string comm;
    try {
      comm = read_file(entry.path().string() + "/comm");
    } catch (...) {
      continue;
    }
    if (comm.starts_with("cradle-shim")) out.push_back(std::stoi(name));
  }
  return out;
}

}  // namespace cradle::testing
