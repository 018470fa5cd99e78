// The config.json `cradle-shim spec` writes: the same defaults as `runc spec` (namespaces,
// mounts, masked and read-only paths, a small capability set, no_new_privs), for a rootfs in
// the bundle's "rootfs" directory.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace cradle {

struct DefaultSpecOptions {
  std::vector<std::string> args = {"sh"};
  bool terminal = false;
  std::string hostname = "cradle";
  bool readonly_root = true;
};

nlohmann::json default_spec(const DefaultSpecOptions& options);

}  // namespace cradle
