// core's ShimClient over containerd's shim v2 ttrpc API: the daemon's way to drive cradle-shim
// (or any shim v2 binary). Calls may come from many threads at once: each takes a connection
// from a small pool, so a Wait that blocks for hours holds one connection and nothing else.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "api/ttrpc/blocking_client.h"
#include "core/shim_client.h"

namespace cradle::api {

class TtrpcShimClient : public ShimClient {
 public:
  explicit TtrpcShimClient(std::string socket_path) : socket_path_(std::move(socket_path)) {}

  ShimConnection connect(const std::string& id) override;
  std::uint32_t create(const std::string& id, const std::string& bundle,
                       const std::vector<ns::HostMount>& rootfs, const TaskIo& io) override;
  std::uint32_t start(const std::string& id, const std::string& exec_id) override;
  ShimProcessState state(const std::string& id, const std::string& exec_id) override;
  ShimExit wait(const std::string& id, const std::string& exec_id) override;
  void kill(const std::string& id, const std::string& exec_id, int signal, bool all) override;
  ShimExit remove(const std::string& id, const std::string& exec_id) override;
  void exec(const std::string& id, const std::string& exec_id, const TaskIo& io,
            const std::string& process_json) override;
  std::vector<std::uint32_t> pids(const std::string& id) override;
  void pause(const std::string& id) override;
  void resume(const std::string& id) override;
  void resize(const std::string& id, const std::string& exec_id, unsigned width,
              unsigned height) override;
  void close_stdin(const std::string& id, const std::string& exec_id) override;
  void update(const std::string& id, const std::string& resources_json) override;
  cgroups::CgroupStats stats(const std::string& id) override;
  void shutdown(const std::string& id) override;

 private:
  // One call on a pooled connection; throws Error mapped from the ttrpc status.
  std::string call(const char* method, const std::string& payload);

  std::string socket_path_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<ttrpc::BlockingTtrpcClient>> idle_;
};

}  // namespace cradle::api
