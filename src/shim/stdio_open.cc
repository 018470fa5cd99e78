#include "shim/stdio_open.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/error.h"

namespace cradle::shim {
namespace {

// `action` is the sentence an error starts with: "stdout: open FIFO /p for writing".
UniqueFd open_or_throw(const std::string& path, int flags, const std::string& action,
                       mode_t mode = 0) {
  int fd = ::open(path.c_str(), flags | O_CLOEXEC, mode);
  if (fd < 0) throw_errno(action);
  return UniqueFd(fd);
}

bool is_fifo(int fd) {
  struct stat st {};
  return ::fstat(fd, &st) == 0 && S_ISFIFO(st.st_mode);
}

// Like Go's os.MkdirAll(dir, 0755) in the runc shim.
void make_parent_dirs(const std::string& path, std::string_view stream) {
  for (auto slash = path.find('/', 1); slash != std::string::npos;
       slash = path.find('/', slash + 1)) {
    std::string dir = path.substr(0, slash);
    if (::mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST) {
      throw_errno(std::string(stream) + ": create directory " + dir + " for the log file");
    }
  }
}

}  // namespace

FifoEnds open_output_fifo(const std::string& path, std::string_view stream) {
  const std::string what = std::string(stream) + ": open " + path;
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) throw_errno(what);
  if (!S_ISFIFO(st.st_mode)) {
    return {open_or_throw(path, O_WRONLY | O_APPEND | O_NONBLOCK, what + " for appending"), {}};
  }
  FifoEnds ends;
  ends.keep_alive = open_or_throw(path, O_RDONLY | O_NONBLOCK, what + " for reading");
  ends.fd = open_or_throw(path, O_WRONLY | O_NONBLOCK, what + " for writing");
  return ends;
}

FifoEnds open_input_fifo(const std::string& path) {
  FifoEnds ends;
  ends.fd = open_or_throw(path, O_RDONLY | O_NONBLOCK, "stdin: open " + path + " for reading");
  if (!is_fifo(ends.fd.get())) {
    throw Error(ErrorCode::kInvalidArgument, "stdin: " + path + " is not a FIFO");
  }
  ends.keep_alive =
      open_or_throw(path, O_WRONLY | O_NONBLOCK, "stdin: open " + path + " for writing");
  return ends;
}

UniqueFd open_log_file(const std::string& path, std::string_view stream) {
  make_parent_dirs(path, stream);
  return open_or_throw(path, O_WRONLY | O_APPEND | O_CREAT | O_NONBLOCK,
                       std::string(stream) + ": open log file " + path, 0644);
}

UniqueFd open_dev_null(int flags) {
  return open_or_throw("/dev/null", flags, "open /dev/null for a stdio stream given as \"\"");
}

Pipe make_pipe() {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) throw_errno("create a pipe for stdio");
  return {UniqueFd(fds[0]), UniqueFd(fds[1])};
}

UniqueFd duplicate_fd(int fd, int min_fd) {
  int copy = ::fcntl(fd, F_DUPFD_CLOEXEC, min_fd);
  if (copy < 0) throw_errno("duplicate a stdio fd");
  return UniqueFd(copy);
}

}  // namespace cradle::shim
