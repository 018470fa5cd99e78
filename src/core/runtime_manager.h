// The daemon's shims: one per container with a task, started with the shim `start` contract,
// found again after a daemon restart from their bundles' `address` files, and watched through a
// pidfd so the death of a shim is noticed at once, not at the next call.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "base/unique_fd.h"
#include "core/shim_client.h"

namespace cradle {

class RuntimeManager {
 public:
  // Called from the watcher thread when a shim process died without being shut down.
  using ShimDied = std::function<void(const std::string& ns, const std::string& id)>;

  RuntimeManager(ShimLauncher& launcher, std::string state_dir, ShimDied on_death);
  ~RuntimeManager();

  // <state>/shims/<ns>/<id>: the container's bundle.
  std::string bundle_dir(const std::string& ns, const std::string& id) const;

  // Starts the shim of a container whose bundle (config.json, rootfs/) is ready.
  ShimClient& start(const std::string& ns, const std::string& id);
  // Reconnects to the shim serving a bundle, if it is alive; nullptr otherwise.
  ShimClient* reconnect(const std::string& ns, const std::string& id);
  // The shim of a container; kNotFound "container <id> has no task" when it has none. Shared: a
  // call in flight (a Wait blocked for minutes) keeps the client alive while stop() forgets it.
  std::shared_ptr<ShimClient> get(const std::string& ns, const std::string& id);
  bool has(const std::string& ns, const std::string& id);

  // Shuts the shim down (it exits) and forgets it; its bundle directory is removed.
  void stop(const std::string& ns, const std::string& id);
  // After a shim died: its `delete` action cleans up by cgroup; forgets it, removes the bundle.
  void clean_up_dead(const std::string& ns, const std::string& id);

  // Bundles present on disk: (namespace, id) pairs, for reconciling after a restart.
  std::vector<std::pair<std::string, std::string>> bundles_on_disk() const;

 private:
  struct Shim {
    std::shared_ptr<ShimClient> client;
    pid_t pid = 0;
    UniqueFd pidfd;
  };
  using Key = std::pair<std::string, std::string>;
  ShimClient& adopt(const Key& key, std::unique_ptr<ShimClient> client);
  void watch();
  void wake_watcher();
  std::unique_ptr<Shim> take(const Key& key);

  ShimLauncher& launcher_;
  std::string state_dir_;
  ShimDied on_death_;
  std::mutex mutex_;
  std::map<Key, std::unique_ptr<Shim>> shims_;
  UniqueFd wake_;  // eventfd: the watcher rebuilds its set of pidfds
  std::atomic<bool> stopping_{false};
  std::thread watcher_;
};

}  // namespace cradle
