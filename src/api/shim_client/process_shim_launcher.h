// Starts shim processes the way containerd does (reference §2.2, §2.5): `<shim> -namespace NS
// -address <cradled's socket> -publish-binary <cradled> -id ID start` in the bundle, with
// TTRPC_ADDRESS naming cradled's events endpoint; `... -bundle B delete` to clean up.
#pragma once

#include <string>

#include "core/shim_client.h"

namespace cradle::api {

struct ShimLauncherConfig {
  std::string shim_binary;     // cradle-shim
  std::string daemon_address;  // cradled's gRPC socket (the shim hashes it into its own path)
  std::string daemon_binary;   // passed as -publish-binary
  std::string events_address;  // cradled's ttrpc events socket, for TTRPC_ADDRESS
};

class ProcessShimLauncher : public ShimLauncher {
 public:
  explicit ProcessShimLauncher(ShimLauncherConfig config) : config_(std::move(config)) {}
  std::string start(const std::string& ns, const std::string& id,
                    const std::string& bundle) override;
  std::unique_ptr<ShimClient> connect(const std::string& address) override;
  void cleanup(const std::string& ns, const std::string& id, const std::string& bundle) override;

 private:
  std::vector<std::string> base_args(const std::string& ns, const std::string& id) const;
  ShimLauncherConfig config_;
};

}  // namespace cradle::api
