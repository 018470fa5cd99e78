#include "support/subprocess.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <stdexcept>

namespace cradle::testing {
namespace {

pid_t spawn(const std::vector<std::string>& argv, int in_fd, int out_fd, int err_fd) {
  std::vector<char*> args;
  for (const auto& a : argv)
    args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    ::dup2(in_fd, 0);
    ::dup2(out_fd, 1);
    ::dup2(err_fd, 2);
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  return pid;
}

void make_pipe(int fds[2]) {
  if (::pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
}

// Reads both pipes to their end without letting either fill up.
void drain(int out_fd, int err_fd, ProcessResult& result) {
  pollfd fds[2] = {{out_fd, POLLIN, 0}, {err_fd, POLLIN, 0}};
  std::string* sinks[2] = {&result.out, &result.err};
  int open = 2;
  while (open > 0) {
    if (::poll(fds, 2, -1) < 0) continue;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      char buf[4096];
      ssize_t n = ::read(fds[i].fd, buf, sizeof buf);
      if (n > 0) {
        sinks[i]->append(buf, static_cast<std::size_t>(n));
      } else {
        ::close(fds[i].fd);
        fds[i].fd = -1;
        --open;
      }
    }
  }
}

int wait_status(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

// Runs argv with `input` on its stdin; with keep_stdin_open, the stdin pipe stays open (and
// empty) until the process has exited, for commands that end when their stdin does.
ProcessResult run_with_stdin(const std::vector<std::string>& argv, const std::string& input,
                             bool keep_stdin_open) {
  int in[2], out[2], err[2];
  make_pipe(in);
  make_pipe(out);
  make_pipe(err);
  pid_t pid = spawn(argv, in[0], out[1], err[1]);
  ::close(in[0]);
  ::close(out[1]);
  ::close(err[1]);
  // Small inputs only: they fit the pipe, so writing before reading cannot deadlock.
  if (!input.empty() && ::write(in[1], input.data(), input.size()) < 0) {
    throw std::runtime_error("write stdin failed");
  }
  if (!keep_stdin_open) ::close(in[1]);
  ProcessResult result;
  drain(out[0], err[0], result);
  result.status = wait_status(pid);
  if (keep_stdin_open) ::close(in[1]);
  return result;
}

}  // namespace

ProcessResult run_process(const std::vector<std::string>& argv, const std::string& input) {
  return run_with_stdin(argv, input, /*keep_stdin_open=*/false);
}

ProcessResult run_process_with_open_stdin(const std::vector<std::string>& argv) {
  return run_with_stdin(argv, "", /*keep_stdin_open=*/true);
}

BackgroundProcess::BackgroundProcess(const std::vector<std::string>& argv) {
  int out[2], err[2];
  make_pipe(out);
  make_pipe(err);
  int null_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  pid_ = spawn(argv, null_fd, out[1], err[1]);
  ::close(null_fd);
  ::close(out[1]);
  ::close(err[1]);
  out_fd_ = out[0];
  err_fd_ = err[0];
}

BackgroundProcess::~BackgroundProcess() {
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    wait();
  }
}

ProcessResult BackgroundProcess::wait() {
  ProcessResult result;
  drain(out_fd_, err_fd_, result);
  result.status = wait_status(pid_);
  pid_ = -1;
  return result;
}

}  // namespace cradle::testing
