#include "core/container_mounts.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "base/error.h"
#include "core/container_defaults.h"
#include "core/lexical_path.h"
#include "core/spec_builder_internal.h"

namespace cradle {

namespace {

using nlohmann::json;
using spec_builder::kInitInContainer;

std::size_t path_depth(const std::string& path) {
  return static_cast<std::size_t>(std::ranges::count(path, '/'));
}

json bind_mount(const std::string& destination, const std::string& source, bool read_only) {
  json options = {"rbind"};
  if (read_only) options.push_back("ro");
  options.push_back("rprivate");
  return json{{"destination", destination},
              {"type", "bind"},
              {"source", source},
              {"options", std::move(options)}};
}

// The user's bind mounts, checked, parents before children as docker sorts them.
std::vector<json> user_mounts(const ContainerOptions& options) {
  std::vector<std::pair<std::size_t, json>> mounts;
  std::set<std::string> destinations;
  for (const auto& m : options.mounts) {
    const std::string what = "--volume " + m.source + ":" + m.destination;
    if (!m.source.starts_with('/')) throw_invalid(what + ": the source must be an absolute path");
    struct stat st;
    if (::stat(m.source.c_str(), &st) != 0) {
      int err = errno;
      throw Error(ErrorCode::kInvalidArgument,
                  what + ": the source " + m.source + " cannot be used: " + std::strerror(err),
                  err);
    }
    if (!m.destination.starts_with('/')) {
      throw_invalid(what + ": the destination must be an absolute path");
    }
    std::string destination = clean_path(m.destination);
    if (destination == "/") throw_invalid(what + ": the destination must not be /");
    if (!destinations.insert(destination).second) {
      throw_invalid(what + ": " + destination + " is already a mount destination");
    }
    mounts.emplace_back(path_depth(destination), bind_mount(destination, m.source, m.read_only));
  }
  std::ranges::stable_sort(mounts, {}, &std::pair<std::size_t, json>::first);
  std::vector<json> out;
  for (auto& [depth, mount] : mounts)
    out.push_back(std::move(mount));
  return out;
}

json init_mount(const SpecContext& context) {
  if (context.init_path.empty()) {
    throw Error(ErrorCode::kFailedPrecondition, "--init: no init binary is configured");
  }
  if (::access(context.init_path.c_str(), X_OK) != 0) {
    int err = errno;
    throw Error(
        ErrorCode::kFailedPrecondition,
        "--init: the init binary " + context.init_path + " cannot be used: " + std::strerror(err),
        err);
  }
  return {{"destination", kInitInContainer},
          {"type", "bind"},
          {"source", context.init_path},
          {"options", {"bind", "ro"}}};
}

}  // namespace

json container_mounts(const ContainerOptions& options, const SpecContext& context,
                      bool host_network) {
  std::vector<json> user = user_mounts(options);
  std::set<std::string> user_destinations;
  for (const auto& m : user)
    user_destinations.insert(m["destination"].get<std::string>());
  json mounts = json::array();
  // A user's mount replaces a default one at the same place; one on /dev replaces /dev/*'s too.
  for (auto& m : default_mounts(options.privileged)) {
    const auto destination = m["destination"].get<std::string>();
    if (user_destinations.contains(destination)) continue;
    if (user_destinations.contains("/dev") && destination.starts_with("/dev/")) continue;
    mounts.push_back(std::move(m));
  }
  if (host_network) {
    // As ctr --net-host: the host's name resolution, read-only.
    for (const char* file : {"/etc/hosts", "/etc/resolv.conf"}) {
      if (!user_destinations.contains(file) && ::access(file, F_OK) == 0) {
        mounts.push_back(bind_mount(file, file, true));
      }
    }
  }
  for (auto& m : user)
    mounts.push_back(std::move(m));
  if (options.init) mounts.push_back(init_mount(context));
  return mounts;
}

}  // namespace cradle
