#include "base/event_loop.h"

#include <cerrno>

#include "base/error.h"

namespace cradle {

EventLoop::EventLoop() : epoll_(::epoll_create1(EPOLL_CLOEXEC)) {
  if (!epoll_) throw_errno("epoll_create1");
}

void EventLoop::add(int fd, std::uint32_t events, FdCallback callback) {
  epoll_event ev{};
  ev.events = events;
  ev.data.fd = fd;
  if (::epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, fd, &ev) != 0) throw_errno("epoll_ctl add");
  fds_[fd] = std::make_shared<FdCallback>(std::move(callback));
}

void EventLoop::modify(int fd, std::uint32_t events) {
  epoll_event ev{};
  ev.events = events;
  ev.data.fd = fd;
  if (::epoll_ctl(epoll_.get(), EPOLL_CTL_MOD, fd, &ev) != 0) throw_errno("epoll_ctl modify");
}

void EventLoop::remove(int fd) {
  if (fds_.erase(fd) == 0) return;
  // The fd may already be closed by its owner's error path; then the kernel dropped it already.
  if (::epoll_ctl(epoll_.get(), EPOLL_CTL_DEL, fd, nullptr) != 0 && errno != EBADF &&
      errno != ENOENT) {
    throw_errno("epoll_ctl remove");
  }
}

EventLoop::TimerId EventLoop::add_timer(std::chrono::milliseconds delay, Task task) {
  TimerId id = next_timer_++;
  timers_.emplace(Clock::now() + delay, std::make_pair(id, std::move(task)));
  return id;
}

void EventLoop::cancel_timer(TimerId id) {
  for (auto it = timers_.begin(); it != timers_.end(); ++it) {
    if (it->second.first == id) {
      timers_.erase(it);
      return;
    }
  }
}

void EventLoop::post(Task task) {
  posted_.push_back(std::move(task));
}

int EventLoop::next_timeout_ms(std::chrono::milliseconds cap) const {
  if (!posted_.empty()) return 0;
  auto timeout = cap;
  if (!timers_.empty()) {
    auto until =
        std::chrono::ceil<std::chrono::milliseconds>(timers_.begin()->first - Clock::now());
    timeout = std::min(timeout, std::max(until, std::chrono::milliseconds(0)));
  }
  return static_cast<int>(timeout.count());
}

void EventLoop::fire_timers() {
  auto now = Clock::now();
  while (!timers_.empty() && timers_.begin()->first <= now) {
    Task task = std::move(timers_.begin()->second.second);
    timers_.erase(timers_.begin());
    task();
  }
}

void EventLoop::run_posted() {
  std::vector<Task> tasks;
  tasks.swap(posted_);
  for (auto& task : tasks)
    task();
}

void EventLoop::run_once(std::chrono::milliseconds timeout) {
  epoll_event events[64];
  int n = ::epoll_wait(epoll_.get(), events, 64, next_timeout_ms(timeout));
  if (n < 0 && errno != EINTR) throw_errno("epoll_wait");
  for (int i = 0; i < n; ++i) {
    auto it = fds_.find(events[i].data.fd);
    if (it == fds_.end()) continue;  // removed by an earlier callback of this turn
    std::shared_ptr<FdCallback> callback = it->second;
    (*callback)(events[i].events);
  }
  fire_timers();
  run_posted();
}

void EventLoop::run() {
  stopped_ = false;
  constexpr std::chrono::milliseconds kIdle{60'000};
  while (!stopped_)
    run_once(kIdle);
}

}  // namespace cradle
