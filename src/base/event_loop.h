// A single-threaded epoll loop: fd readiness callbacks, one-shot timers and posted tasks. The
// shim serves everything (ttrpc calls, pidfds, signals, stdio copying) from one of these, so it
// needs no locks; a handler that would block instead registers a callback and returns.
#pragma once

#include <sys/epoll.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <unordered_map>
#include <vector>

#include "base/unique_fd.h"

namespace cradle {

class EventLoop {
 public:
  using FdCallback = std::function<void(std::uint32_t events)>;
  using Task = std::function<void()>;
  using TimerId = std::uint64_t;
  using Clock = std::chrono::steady_clock;

  EventLoop();
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;

  // Watches fd for `events` (EPOLLIN, EPOLLOUT, ...). The loop does not own fd; remove it before
  // closing it. A callback may add, modify or remove any fd, its own included.
  void add(int fd, std::uint32_t events, FdCallback callback);
  void modify(int fd, std::uint32_t events);
  void remove(int fd);
  bool watching(int fd) const { return fds_.contains(fd); }

  // Runs `task` once after `delay`; cancel() before then drops it.
  TimerId add_timer(std::chrono::milliseconds delay, Task task);
  void cancel_timer(TimerId id);

  // Runs `task` on the next turn of the loop, after the current callback returns.
  void post(Task task);

  // Turns the loop until stop() is called.
  void run();
  void stop() { stopped_ = true; }
  // One turn: waits at most `timeout` for something to happen and handles it. For tests.
  void run_once(std::chrono::milliseconds timeout);

 private:
  int next_timeout_ms(std::chrono::milliseconds cap) const;
  void fire_timers();
  void run_posted();

  UniqueFd epoll_;
  // shared_ptr: a callback that removes its own fd must stay alive until it returns.
  std::unordered_map<int, std::shared_ptr<FdCallback>> fds_;
  std::multimap<Clock::time_point, std::pair<TimerId, Task>> timers_;
  TimerId next_timer_ = 1;
  std::vector<Task> posted_;
  bool stopped_ = false;
};

}  // namespace cradle
