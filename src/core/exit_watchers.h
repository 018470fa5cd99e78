// Waiting for a process's exit without holding a call to its shim open. A watch is an eventfd
// that becomes readable once the process's TaskExit reached the daemon (or its shim died), so an
// attach can wait for new output and for the exit in one poll, and a client that leaves early
// leaves nothing behind (a blocking Wait to the shim would hold a thread and a connection until
// the process ends, however long that is).
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <tuple>

#include "base/unique_fd.h"
#include "core/container_options.h"

namespace cradle {

class ExitWatchers {
 public:
  class Watch {
   public:
    ~Watch();
    Watch(const Watch&) = delete;
    Watch& operator=(const Watch&) = delete;

    // Readable once the exit is known.
    int fd() const { return fd_.get(); }
    // The exit, once fd() is readable; nullopt before.
    std::optional<ExitInfo> exit() const;

   private:
    friend class ExitWatchers;
    Watch(ExitWatchers& owner, std::string ns, std::string container_id, std::string exec_id);
    void fire(const ExitInfo& exit);

    ExitWatchers& owner_;
    std::string ns_, container_id_, exec_id_;
    UniqueFd fd_;
    std::optional<ExitInfo> exit_;  // guarded by owner_.mutex_
  };

  // A watch for the init (exec_id empty, or equal to the container's id) or an exec process.
  std::unique_ptr<Watch> watch(const std::string& ns, const std::string& container_id,
                               const std::string& exec_id);
  // The process exited: every watch of it fires.
  void notify(const std::string& ns, const std::string& container_id, const std::string& exec_id,
              const ExitInfo& exit);
  // The container's shim died: every watch of the container fires.
  void notify_container(const std::string& ns, const std::string& container_id,
                        const ExitInfo& exit);

 private:
  using Key = std::tuple<std::string, std::string, std::string>;  // ns, container, exec ("": init)
  static Key key(const std::string& ns, const std::string& container_id,
                 const std::string& exec_id);

  mutable std::mutex mutex_;
  std::multimap<Key, Watch*> watches_;
};

}  // namespace cradle
