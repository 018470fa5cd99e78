// How the daemon's core talks to shims, without knowing their wire format: the ttrpc
// implementation lives in api/ (api/shim_client_ttrpc.h) and cradled hands it in; tests hand in
// fakes. One ShimClient per shim; a shim serves one container.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "cgroups/stats.h"
#include "namespaces/host_mount.h"

namespace cradle {

enum class ShimStatus { kUnknown, kCreated, kRunning, kStopped, kPaused };

struct ShimProcessState {
  std::uint32_t pid = 0;
  ShimStatus status = ShimStatus::kUnknown;
  std::uint32_t exit_status = 0;
  std::int64_t exited_at_ns = 0;
};

struct ShimExit {
  std::uint32_t pid = 0;
  std::uint32_t exit_status = 0;
  std::int64_t exited_at_ns = 0;
};

// The stdio of a process, as the shim takes it: "" (/dev/null), a FIFO path, or a log URI.
struct TaskIo {
  std::string stdin_path;
  std::string stdout_path;
  std::string stderr_path;
  bool terminal = false;
};

struct ShimConnection {
  pid_t shim_pid = 0;
  std::uint32_t task_pid = 0;
};

// Every call may be made from any thread, concurrently (Wait blocks until the process exits and
// must not hold up others). Failures throw cradle::Error with the shim's code and message.
class ShimClient {
 public:
  virtual ~ShimClient() = default;
  virtual ShimConnection connect(const std::string& id) = 0;
  virtual std::uint32_t create(const std::string& id, const std::string& bundle,
                               const std::vector<ns::HostMount>& rootfs, const TaskIo& io) = 0;
  virtual std::uint32_t start(const std::string& id, const std::string& exec_id) = 0;
  virtual ShimProcessState state(const std::string& id, const std::string& exec_id) = 0;
  virtual ShimExit wait(const std::string& id, const std::string& exec_id) = 0;
  virtual void kill(const std::string& id, const std::string& exec_id, int signal, bool all) = 0;
  virtual ShimExit remove(const std::string& id, const std::string& exec_id) = 0;
  virtual void exec(const std::string& id, const std::string& exec_id, const TaskIo& io,
                    const std::string& process_json) = 0;
  virtual std::vector<std::uint32_t> pids(const std::string& id) = 0;
  virtual void pause(const std::string& id) = 0;
  virtual void resume(const std::string& id) = 0;
  virtual void resize(const std::string& id, const std::string& exec_id, unsigned width,
                      unsigned height) = 0;
  virtual void close_stdin(const std::string& id, const std::string& exec_id) = 0;
  virtual void update(const std::string& id, const std::string& resources_json) = 0;
  virtual cgroups::CgroupStats stats(const std::string& id) = 0;
  virtual void shutdown(const std::string& id) = 0;
};

// Starts shim processes with containerd's `start`/`delete` contract and connects to them.
class ShimLauncher {
 public:
  virtual ~ShimLauncher() = default;
  // Runs the shim's `start` in `bundle` and returns the address it printed.
  virtual std::string start(const std::string& ns, const std::string& id,
                            const std::string& bundle) = 0;
  virtual std::unique_ptr<ShimClient> connect(const std::string& address) = 0;
  // Runs the shim's `delete`: kills what is left of the container, unmounts, removes its
  // cgroup, whether or not the shim still lives.
  virtual void cleanup(const std::string& ns, const std::string& id, const std::string& bundle) = 0;
};

}  // namespace cradle
