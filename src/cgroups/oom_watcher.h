// Tells when the kernel's OOM killer killed a process of a cgroup: its memory.events counts the
// kills in "oom_kill" (the cgroup and its descendants, whichever OOM killer acted). "oom" is not
// used: it counts times the cgroup hit its limit and the OOM killer was invoked, which may
// reclaim enough without killing anything. kernfs raises IN_MODIFY on memory.events whenever a
// counter changes, so an inotify fd becomes readable then: the watcher is driven by that fd from
// an epoll loop (base/event_loop.h), with no thread and no polling.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "base/unique_fd.h"

namespace cradle::cgroups {

class OomWatcher {
 public:
  // Called with oom_kill's new value each time it rose.
  using Callback = std::function<void(std::uint64_t oom_kills)>;

  // Watches <cgroup_dir>/memory.events; kills before this call are not reported. Throws
  // kFailedPrecondition if the cgroup has no memory.events (the memory controller is not enabled
  // for it, as on a hybrid host), and on a failed inotify call.
  OomWatcher(const std::string& cgroup_dir, Callback on_oom_kill);

  // Non-blocking; readable when memory.events changed. Watch it for EPOLLIN and call handle().
  int fd() const { return inotify_.get(); }

  // Drains the fd, re-reads memory.events and calls back if oom_kill rose. Returns false once the
  // cgroup is gone (its files were removed): then the fd stays quiet and the watcher can go.
  bool handle();

  std::uint64_t oom_kills() const { return oom_kills_; }

 private:
  std::uint64_t read_oom_kills() const;

  std::string events_path_;
  Callback on_oom_kill_;
  UniqueFd inotify_;
  std::uint64_t oom_kills_ = 0;
};

}  // namespace cradle::cgroups
