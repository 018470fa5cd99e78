// Bundles for integration tests: the default spec (`cradle-shim spec`) over the built-in busybox
// rootfs, which each test adjusts as JSON before running it.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "support/temp_dir.h"

namespace cradle::testing {

class BusyboxBundle {
 public:
  explicit BusyboxBundle(std::vector<std::string> args);

  nlohmann::json& config() { return config_; }
  // Writes config.json; called by run helpers, or by a test that writes a bad one itself.
  void write() const;
  const std::string& path() const { return dir_.path(); }
  std::string rootfs() const { return dir_.path() + "/rootfs"; }

 private:
  TempDir dir_;
  nlohmann::json config_;
};

// Adds a mount to the bundle's config.
void add_mount(nlohmann::json& config, const std::string& destination, const std::string& type,
               const std::string& source, std::vector<std::string> options);

// Namespace edits of a bundle's config.
void remove_namespace(nlohmann::json& config, const std::string& type);
void join_namespace(nlohmann::json& config, const std::string& type, const std::string& path);
// A new user namespace mapping container ids 0-65535 to host ids host_id and up.
void add_user_namespace(nlohmann::json& config, unsigned host_id);

// A writable copy of the busybox rootfs, for tests that change the image.
void copy_busybox_rootfs(const std::string& destination);

}  // namespace cradle::testing
