#include "core/exit_watchers.h"

#include <sys/eventfd.h>

#include "base/error.h"

namespace cradle {

ExitWatchers::Watch::Watch(ExitWatchers& owner, std::string ns, std::string container_id,
                           std::string exec_id)
    : owner_(owner),
      ns_(std::move(ns)),
      container_id_(std::move(container_id)),
      exec_id_(std::move(exec_id)),
      fd_(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {
  if (!fd_) throw_errno("eventfd");
}

ExitWatchers::Watch::~Watch() {
  std::lock_guard lock(owner_.mutex_);
  auto [begin, end] = owner_.watches_.equal_range(key(ns_, container_id_, exec_id_));
  for (auto it = begin; it != end; ++it) {
    if (it->second == this) {
      owner_.watches_.erase(it);
      break;
    }
  }
}

std::optional<ExitInfo> ExitWatchers::Watch::exit() const {
  std::lock_guard lock(owner_.mutex_);
  return exit_;
}

void ExitWatchers::Watch::fire(const ExitInfo& exit) {
  if (exit_) return;
  exit_ = exit;
  // Cannot fail: the counter is far from its maximum.
  ::eventfd_write(fd_.get(), 1);
}

ExitWatchers::Key ExitWatchers::key(const std::string& ns, const std::string& container_id,
                                    const std::string& exec_id) {
  return {ns, container_id, exec_id == container_id ? "" : exec_id};
}

std::unique_ptr<ExitWatchers::Watch> ExitWatchers::watch(const std::string& ns,
                                                         const std::string& container_id,
                                                         const std::string& exec_id) {
  std::unique_ptr<Watch> w(new Watch(*this, ns, container_id, exec_id));
  std::lock_guard lock(mutex_);
  watches_.emplace(key(ns, container_id, exec_id), w.get());
  return w;
}

void ExitWatchers::notify(const std::string& ns, const std::string& container_id,
                          const std::string& exec_id, const ExitInfo& exit) {
  std::lock_guard lock(mutex_);
  auto [begin, end] = watches_.equal_range(key(ns, container_id, exec_id));
  for (auto it = begin; it != end; ++it)
    it->second->fire(exit);
}

void ExitWatchers::notify_container(const std::string& ns, const std::string& container_id,
                                    const ExitInfo& exit) {
  std::lock_guard lock(mutex_);
  for (auto it = watches_.lower_bound({ns, container_id, ""});
       it != watches_.end() && std::get<0>(it->first) == ns &&
       std::get<1>(it->first) == container_id;
       ++it) {
    it->second->fire(exit);
  }
}

}  // namespace cradle
