#include "base/file_io.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>

#include "base/error.h"

namespace cradle {

UniqueFd open_at(int dir_fd, const std::string& path, int flags, mode_t mode) {
  int fd = ::openat(dir_fd, path.c_str(), flags | O_CLOEXEC, mode);
  if (fd < 0) throw_errno("open " + path);
  return UniqueFd(fd);
}

static std::string read_all(int fd, const std::string& path) {
  std::string out;
  char buf[4096];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw_errno("read " + path);
    }
    if (n == 0) return out;
    out.append(buf, static_cast<size_t>(n));
  }
}

std::string read_file(const std::string& path) {
  return read_file_at(AT_FDCWD, path);
}

std::string read_file_at(int dir_fd, const std::string& path) {
  UniqueFd fd = open_at(dir_fd, path, O_RDONLY);
  return read_all(fd.get(), path);
}

bool write_fully(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

void write_all(int fd, std::string_view data, const std::string& what) {
  if (!write_fully(fd, data)) throw_errno("write " + what);
}

void set_nonblocking(int fd) {
  int flags = ::fcntl(fd, F_GETFL);
  if (flags < 0 || ::fcntl(fd, F_SETFL, flags | O_NONBLOCK) != 0) throw_errno("fcntl O_NONBLOCK");
}

void write_file_at(int dir_fd, const std::string& path, std::string_view value) {
  UniqueFd fd = open_at(dir_fd, path, O_WRONLY);
  ssize_t n = ::write(fd.get(), value.data(), value.size());
  if (n < 0) throw_errno("write " + std::string(value) + " to " + path);
  if (static_cast<size_t>(n) != value.size()) {
    throw Error(ErrorCode::kInternal, "short write to " + path);
  }
}

void write_file(const std::string& path, std::string_view value) {
  write_file_at(AT_FDCWD, path, value);
}

void write_file_atomic(const std::string& path, std::string_view value, mode_t mode,
                       Durability durability) {
  std::string tmp = path + ".tmp";
  {
    UniqueFd fd = open_at(AT_FDCWD, tmp, O_WRONLY | O_CREAT | O_TRUNC, mode);
    write_all(fd.get(), value, tmp);
    if (durability == Durability::kSurvivesPowerLoss && ::fsync(fd.get()) != 0)
      throw_errno("fsync " + tmp);
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    throw_errno(err, "rename " + tmp + " to " + path);
  }
}

}  // namespace cradle
