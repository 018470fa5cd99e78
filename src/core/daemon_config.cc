#include "core/daemon_config.h"

#include <yaml-cpp/yaml.h>

#include <set>

#include "base/error.h"

namespace cradle {

DaemonConfig load_daemon_config(const std::string& path, bool required) {
  DaemonConfig config;
  YAML::Node root;
  try {
    root = YAML::LoadFile(path);
  } catch (const YAML::BadFile&) {
    if (required) throw Error(ErrorCode::kNotFound, "config " + path + ": cannot be read");
    return config;
  } catch (const YAML::Exception& e) {
    throw_invalid("config " + path + ": " + e.what());
  }
  if (root.IsNull()) return config;
  if (!root.IsMap()) throw_invalid("config " + path + ": must be a mapping of keys to values");
  const std::set<std::string> known = {
      "root",        "state",         "socket",           "shim_binary",
      "init_binary", "builtin_image", "default_namespace"};
  for (const auto& entry : root) {
    std::string key = entry.first.as<std::string>();
    if (!known.contains(key)) throw_invalid("config " + path + ": unknown key \"" + key + "\"");
    if (!entry.second.IsScalar())
      throw_invalid("config " + path + ": " + key + " must be a string");
    std::string value = entry.second.as<std::string>();
    if (key == "root") config.root = value;
    if (key == "state") config.state = value;
    if (key == "socket") config.socket = value;
    if (key == "shim_binary") config.shim_binary = value;
    if (key == "init_binary") config.init_binary = value;
    if (key == "builtin_image") config.builtin_image = value;
    if (key == "default_namespace") config.default_namespace = value;
  }
  return config;
}

}  // namespace cradle
