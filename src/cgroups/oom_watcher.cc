#include "cgroups/oom_watcher.h"

#include <sys/inotify.h>
#include <unistd.h>

#include <utility>

#include "base/error.h"
#include "base/file_io.h"
#include "cgroups/stats.h"

namespace cradle::cgroups {

OomWatcher::OomWatcher(const std::string& cgroup_dir, Callback on_oom_kill)
    : events_path_(cgroup_dir + "/memory.events"),
      on_oom_kill_(std::move(on_oom_kill)),
      inotify_(::inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) {
  if (!inotify_) throw_errno("inotify_init1 for " + events_path_);
  if (::inotify_add_watch(inotify_.get(), events_path_.c_str(), IN_MODIFY) < 0) {
    if (errno == ENOENT) {
      throw Error(ErrorCode::kFailedPrecondition,
                  "watch " + events_path_ +
                      " for OOM kills: there is no such file (the cgroup v2 \"memory\" "
                      "controller is not enabled for this cgroup)",
                  ENOENT);
    }
    throw_errno("inotify_add_watch " + events_path_);
  }
  // Read after the watch exists: a kill between the two is then seen by the next handle().
  oom_kills_ = read_oom_kills();
}

std::uint64_t OomWatcher::read_oom_kills() const {
  return parse_memory_events(read_file(events_path_)).oom_kill;
}

bool OomWatcher::handle() {
  bool gone = false;
  alignas(inotify_event) char buf[4096];
  for (;;) {
    ssize_t n = ::read(inotify_.get(), buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN) break;
      throw_errno("read inotify events of " + events_path_);
    }
    for (ssize_t at = 0; at < n;) {
      const auto* event = reinterpret_cast<const inotify_event*>(buf + at);
      // IN_IGNORED: the watch went with the file, i.e. the cgroup was removed.
      if (event->mask & IN_IGNORED) gone = true;
      at += static_cast<ssize_t>(sizeof(inotify_event) + event->len);
    }
  }
  if (gone) return false;
  std::uint64_t now = 0;
  try {
    now = read_oom_kills();
  } catch (const Error& e) {
    if (e.sys_errno() == ENOENT) return false;  // removed before IN_IGNORED arrived
    throw;
  }
  if (now > oom_kills_) {
    oom_kills_ = now;
    on_oom_kill_(now);
  }
  return true;
}

}  // namespace cradle::cgroups
