#include "core/runtime_manager.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>

#include "base/error.h"
#include "base/file_io.h"

namespace cradle {
namespace {

int pidfd_open(pid_t pid) {
  return static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
}

void make_dirs(const std::string& path) {
  std::error_code ec;
  std::filesystem::create_directories(path, ec);
  if (ec) throw_errno(ec.value(), "create " + path);
}

}  // namespace

RuntimeManager::RuntimeManager(ShimLauncher& launcher, std::string state_dir, ShimDied on_death)
    : launcher_(launcher),
      state_dir_(std::move(state_dir)),
      on_death_(std::move(on_death)),
      wake_(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {
  if (!wake_) throw_errno("eventfd");
  watcher_ = std::thread([this] { watch(); });
}

RuntimeManager::~RuntimeManager() {
  stopping_ = true;
  wake_watcher();
  watcher_.join();
}

std::string RuntimeManager::bundle_dir(const std::string& ns, const std::string& id) const {
  return state_dir_ + "/shims/" + ns + "/" + id;
}

void RuntimeManager::wake_watcher() {
  std::uint64_t one = 1;
  static_cast<void>(::write(wake_.get(), &one, sizeof one));
}

ShimClient& RuntimeManager::adopt(const Key& key, std::unique_ptr<ShimClient> client) {
  auto shim = std::make_unique<Shim>();
  shim->pid = client->connect(key.second).shim_pid;
  shim->pidfd.reset(pidfd_open(shim->pid));
  if (!shim->pidfd)
    throw_errno("watch the shim of " + key.second + " (pid " + std::to_string(shim->pid) + ")");
  shim->client = std::move(client);
  ShimClient& out = *shim->client;
  {
    std::lock_guard lock(mutex_);
    shims_[key] = std::move(shim);
  }
  wake_watcher();
  return out;
}

ShimClient& RuntimeManager::start(const std::string& ns, const std::string& id) {
  std::string bundle = bundle_dir(ns, id);
  make_dirs(bundle);
  std::string address = launcher_.start(ns, id, bundle);
  return adopt({ns, id}, launcher_.connect(address));
}

ShimClient* RuntimeManager::reconnect(const std::string& ns, const std::string& id) {
  std::string address;
  try {
    address = read_file(bundle_dir(ns, id) + "/address");
    return &adopt({ns, id}, launcher_.connect(address));
  } catch (const Error&) {
    return nullptr;
  }
}

std::shared_ptr<ShimClient> RuntimeManager::get(const std::string& ns, const std::string& id) {
  std::lock_guard lock(mutex_);
  auto it = shims_.find({ns, id});
  if (it == shims_.end()) throw Error(ErrorCode::kNotFound, "container " + id + " has no task");
  return it->second->client;
}

bool RuntimeManager::has(const std::string& ns, const std::string& id) {
  std::lock_guard lock(mutex_);
  return shims_.contains({ns, id});
}

std::unique_ptr<RuntimeManager::Shim> RuntimeManager::take(const Key& key) {
  std::unique_ptr<Shim> shim;
  {
    std::lock_guard lock(mutex_);
    auto it = shims_.find(key);
    if (it == shims_.end()) return nullptr;
    shim = std::move(it->second);
    shims_.erase(it);
  }
  wake_watcher();
  return shim;
}

void RuntimeManager::stop(const std::string& ns, const std::string& id) {
  std::unique_ptr<Shim> shim = take({ns, id});
  if (shim) {
    try {
      shim->client->shutdown(id);
    } catch (const Error&) {
      // A shim that exits while answering closes the connection: that is the answer.
    }
  }
  std::error_code ec;
  std::filesystem::remove_all(bundle_dir(ns, id), ec);
}

void RuntimeManager::clean_up_dead(const std::string& ns, const std::string& id) {
  take({ns, id});
  std::string bundle = bundle_dir(ns, id);
  try {
    launcher_.cleanup(ns, id, bundle);
  } catch (const Error& e) {
    std::fprintf(stderr, "cradled: %s\n", e.what());
  }
  std::error_code ec;
  std::filesystem::remove_all(bundle, ec);
}

std::vector<std::pair<std::string, std::string>> RuntimeManager::bundles_on_disk() const {
  std::vector<std::pair<std::string, std::string>> out;
  std::error_code ec;
  for (const auto& ns : std::filesystem::directory_iterator(state_dir_ + "/shims", ec)) {
    if (!ns.is_directory()) continue;
    for (const auto& bundle : std::filesystem::directory_iterator(ns.path(), ec)) {
      if (bundle.is_directory()) out.emplace_back(ns.path().filename(), bundle.path().filename());
    }
  }
  return out;
}

void RuntimeManager::watch() {
  while (!stopping_) {
    std::vector<pollfd> fds{{wake_.get(), POLLIN, 0}};
    std::vector<Key> keys{{}};
    {
      std::lock_guard lock(mutex_);
      for (const auto& [key, shim] : shims_) {
        fds.push_back({shim->pidfd.get(), POLLIN, 0});
        keys.push_back(key);
      }
    }
    if (::poll(fds.data(), fds.size(), -1) < 0) continue;
    if (fds[0].revents & POLLIN) {
      std::uint64_t value;
      static_cast<void>(::read(wake_.get(), &value, sizeof value));
    }
    for (std::size_t i = 1; i < fds.size(); ++i) {
      if (!(fds[i].revents & POLLIN)) continue;
      // Still registered means nobody shut it down: it died. It is forgotten here, so its pidfd
      // is not polled again, and reported on a thread of its own: cleaning up runs the shim's
      // `delete`, which must not hold up the watch over the others.
      std::unique_ptr<Shim> dead;
      {
        std::lock_guard lock(mutex_);
        auto it = shims_.find(keys[i]);
        if (it != shims_.end() && it->second->pidfd.get() == fds[i].fd) {
          dead = std::move(it->second);
          shims_.erase(it);
        }
      }
      if (dead && !stopping_) {
        std::thread([this, key = keys[i]] { on_death_(key.first, key.second); }).detach();
      }
    }
  }
}

}  // namespace cradle
