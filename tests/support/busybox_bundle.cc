#include "support/busybox_bundle.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "core/default_spec.h"

namespace cradle::testing {

BusyboxBundle::BusyboxBundle(std::vector<std::string> args) {
  DefaultSpecOptions options;
  options.args = std::move(args);
  config_ = default_spec(options);
  // Each bundle links the one busybox rootfs the build made: read-only by default, and tests
  // that write give themselves a tmpfs.
  if (::symlink(CRADLE_BUSYBOX_ROOTFS, rootfs().c_str()) != 0) {
    throw std::runtime_error("symlink the busybox rootfs into " + path());
  }
}

void BusyboxBundle::write() const {
  std::ofstream out(path() + "/config.json");
  out << config_.dump(2);
  if (!out) throw std::runtime_error("write config.json in " + path());
}

void add_mount(nlohmann::json& config, const std::string& destination, const std::string& type,
               const std::string& source, std::vector<std::string> options) {
  config["mounts"].push_back({{"destination", destination},
                              {"type", type},
                              {"source", source},
                              {"options", std::move(options)}});
}

void remove_namespace(nlohmann::json& config, const std::string& type) {
  auto& namespaces = config["linux"]["namespaces"];
  for (auto it = namespaces.begin(); it != namespaces.end(); ++it) {
    if ((*it)["type"] == type) {
      namespaces.erase(it);
      return;
    }
  }
}

void join_namespace(nlohmann::json& config, const std::string& type, const std::string& path) {
  for (auto& n : config["linux"]["namespaces"]) {
    if (n["type"] == type) n["path"] = path;
  }
}

void add_user_namespace(nlohmann::json& config, unsigned host_id) {
  config["linux"]["namespaces"].push_back({{"type", "user"}});
  nlohmann::json mapping = {{{"containerID", 0}, {"hostID", host_id}, {"size", 65536}}};
  config["linux"]["uidMappings"] = mapping;
  config["linux"]["gidMappings"] = mapping;
}

void copy_busybox_rootfs(const std::string& destination) {
  std::filesystem::copy(
      CRADLE_BUSYBOX_ROOTFS, destination,
      std::filesystem::copy_options::recursive | std::filesystem::copy_options::copy_symlinks);
}

}  // namespace cradle::testing
