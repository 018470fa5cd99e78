#include "base/phase_trace.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

namespace cradle {
namespace {

// The trace file, opened once: CRADLE_TRACE is part of the process's own configuration.
int trace_fd() {
  static const int fd = [] {
    const char* path = std::getenv("CRADLE_TRACE");
    if (path == nullptr || *path == '\0') return -1;
    return ::open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  }();
  return fd;
}

}  // namespace

void trace_mark_at(const char* mark, std::int64_t ns) {
  int fd = trace_fd();
  if (fd < 0) return;
  char line[160];
  int n = std::snprintf(line, sizeof line, "{\"pid\":%d,\"mark\":\"%s\",\"ns\":%lld}\n", ::getpid(),
                        mark, static_cast<long long>(ns));
  if (n > 0) static_cast<void>(::write(fd, line, static_cast<std::size_t>(n)));
}

void trace_mark(const char* mark) {
  if (trace_fd() < 0) return;
  trace_mark_at(mark, monotonic_ns());
}

}  // namespace cradle
