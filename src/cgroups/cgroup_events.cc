#include "cgroups/cgroup_events.h"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include "base/error.h"
#include "base/file_io.h"

namespace cradle::cgroups {

namespace {

// kernfs regenerates the file on each read from offset 0, and a read is also what re-arms the
// POLLPRI notification; so the file is read from 0 each time rather than reopened.
FlatKeyed reread_events(int fd, const std::string& events_path) {
  std::string text;
  char buf[512];
  for (;;) {
    ssize_t n = ::pread(fd, buf, sizeof buf, static_cast<off_t>(text.size()));
    if (n < 0) {
      if (errno == EINTR) continue;
      throw_errno("read " + events_path);
    }
    if (n == 0) break;
    text.append(buf, static_cast<size_t>(n));
  }
  return parse_flat_keyed(text, events_path);
}

bool shows(const FlatKeyed& events, std::string_view key, std::uint64_t value) {
  auto it = events.find(key);
  return it != events.end() && it->second == value;
}

}  // namespace

FlatKeyed read_cgroup_events(const std::string& events_path) {
  return parse_flat_keyed(read_file(events_path), events_path);
}

void wait_for_cgroup_event(const std::string& events_path, std::string_view key,
                           std::uint64_t value, std::chrono::milliseconds timeout) {
  UniqueFd fd = open_at(AT_FDCWD, events_path, O_RDONLY);
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (shows(reread_events(fd.get(), events_path), key, value)) return;
    auto left =
        std::chrono::ceil<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      throw Error(ErrorCode::kUnavailable, events_path + " did not show \"" + std::string(key) +
                                               " " + std::to_string(value) + "\" within " +
                                               std::to_string(timeout.count()) + " ms");
    }
    // POLLIN is always ready on kernfs files; only POLLPRI says the content changed.
    pollfd pfd{fd.get(), POLLPRI, 0};
    if (::poll(&pfd, 1, static_cast<int>(left.count())) < 0 && errno != EINTR) {
      throw_errno("poll " + events_path);
    }
  }
}

}  // namespace cradle::cgroups
