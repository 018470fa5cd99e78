#include "core/spec_builder.h"

#include <unistd.h>

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstdio>
#include <cstring>

#include "base/error.h"
#include "core/capability_options.h"
#include "core/container_defaults.h"
#include "core/container_mounts.h"
#include "core/host_devices.h"
#include "core/lexical_path.h"
#include "core/process_env.h"
#include "core/spec_builder_internal.h"
#include "core/user_lookup.h"

namespace cradle {

namespace spec_builder {

nlohmann::json user_json(const ResolvedUser& user) {
  nlohmann::json json{{"uid", user.uid}, {"gid", user.gid}};
  if (!user.additional_gids.empty()) json["additionalGids"] = user.additional_gids;
  return json;
}

std::string working_dir_option(const std::string& dir) {
  if (!dir.starts_with('/')) throw_invalid("--workdir " + dir + ": must be an absolute path");
  return clean_path(dir);
}

void add_home(std::vector<std::string>& env, const ResolvedUser& user) {
  if (!env_value(env, "HOME")) env.push_back("HOME=" + user.home);
}

}  // namespace spec_builder

namespace {

using nlohmann::json;
using namespace spec_builder;

constexpr const char* kDefaultPath =
    "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
constexpr std::size_t kShortIdLength = 12;      // docker's hostname: the short id
constexpr std::int64_t kMinMemory = 6 << 20;    // docker's minimum memory limit
constexpr std::int64_t kCpuPeriod = 100000;     // µs, docker's and the kernel's default
constexpr double kMinCpus = 0.01;               // a quota of 1000 µs, the kernel's minimum
constexpr double kMaxCpus = 1 << 20;            // keeps the quota far from overflowing
constexpr std::size_t kMaxHostnameLength = 64;  // HOST_NAME_MAX

// true for --network host, false for none; anything else is refused (no bridge, no CNI yet).
bool uses_host_network(const ContainerOptions& options) {
  if (options.network == "host") return true;
  if (options.network == "none" || options.network.empty()) return false;
  throw_invalid("--network " + options.network + ": only none and host are supported");
}

// Labels of letters, digits and inner hyphens, joined by dots: what sethostname and DNS accept.
bool is_valid_hostname(std::string_view name) {
  if (name.empty() || name.size() > kMaxHostnameLength) return false;
  for (;;) {
    auto dot = name.find('.');
    std::string_view label = name.substr(0, dot);
    if (label.empty() || label.front() == '-' || label.back() == '-') return false;
    if (!std::ranges::all_of(label, [](char c) {
          return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c == '-';
        })) {
      return false;
    }
    if (dot == std::string_view::npos) return true;
    name.remove_prefix(dot + 1);
  }
}

// As docker: --hostname, else the host's own name with the host's network, else the short id.
std::string container_hostname(const ContainerOptions& options, const SpecContext& context,
                               bool host_network) {
  if (!options.hostname.empty()) {
    if (!is_valid_hostname(options.hostname)) {
      throw_invalid("--hostname " + options.hostname +
                    ": not a valid hostname (dot-separated labels of letters, digits and inner "
                    "hyphens, at most 64 characters)");
    }
    return options.hostname;
  }
  if (host_network) {
    char name[HOST_NAME_MAX + 1] = {};
    if (::gethostname(name, sizeof name - 1) != 0) throw_errno("--network host: gethostname");
    return name;
  }
  return context.id.substr(0, kShortIdLength);
}

// Docker's rules: --entrypoint replaces the image's Entrypoint and drops its Cmd; a command
// replaces the Cmd.
std::vector<std::string> container_args(const ImageConfig& image, const ContainerOptions& options) {
  const bool own_entrypoint = !options.entrypoint.empty();
  std::vector<std::string> args = own_entrypoint ? options.entrypoint : image.entrypoint;
  const auto& cmd = own_entrypoint || !options.command.empty() ? options.command : image.cmd;
  args.insert(args.end(), cmd.begin(), cmd.end());
  if (args.empty()) {
    throw_invalid("no command: the image has no Entrypoint or Cmd, and none was given");
  }
  if (options.init) args.insert(args.begin(), {kInitInContainer, "--"});
  return args;
}

std::string container_cwd(const ImageConfig& image, const ContainerOptions& options) {
  if (!options.working_dir.empty()) return working_dir_option(options.working_dir);
  // An image's relative WorkingDir is relative to "/", as docker reads it.
  return image.working_dir.empty() ? "/" : clean_path("/" + image.working_dir);
}

// Docker's order: PATH, HOSTNAME and TERM first, then the image's Env and the user's --env over
// them; HOME last when nothing set it.
std::vector<std::string> container_env(const ImageConfig& image, const ContainerOptions& options,
                                       const std::string& hostname, const ResolvedUser& user) {
  std::vector<std::string> env = {kDefaultPath, "HOSTNAME=" + hostname};
  if (options.tty) env.push_back("TERM=xterm");
  merge_env(env, image.env, "the image's Env");
  merge_env(env, options.env, "--env");
  add_home(env, user);
  return env;
}

json process_json(const ImageConfig& image, const ContainerOptions& options,
                  const SpecContext& context, const std::string& hostname) {
  const std::string& user_option = options.user.empty() ? image.user : options.user;
  ResolvedUser user = resolve_user(context.image_rootfs, user_option);
  auto caps = capability_names(container_capabilities(options));
  // As docker: a non-root user gets only the bounding set, as execve would leave it; effective and
  // permitted capabilities would otherwise survive the switch from root.
  json capabilities{{"bounding", caps}};
  if (user.uid == 0) {
    capabilities["effective"] = caps;
    capabilities["permitted"] = caps;
  }
  return json{
      {"terminal", options.tty},
      {"user", user_json(user)},
      {"args", container_args(image, options)},
      {"env", container_env(image, options, hostname, user)},
      {"cwd", container_cwd(image, options)},
      {"capabilities", std::move(capabilities)},
      // containerd's limit; docker would pass on its daemon's.
      {"rlimits", {{{"type", "RLIMIT_NOFILE"}, {"hard", 1024}, {"soft", 1024}}}},
      {"noNewPrivileges", false},
  };
}

json resources_json(const ContainerOptions& options) {
  const ResourceOptions& r = options.resources;
  json resources{{"devices", default_device_rules(options.privileged)}};
  if (r.memory_bytes < 0) {
    throw_invalid("--memory " + std::to_string(r.memory_bytes) + ": must not be negative");
  }
  if (r.memory_bytes > 0 && r.memory_bytes < kMinMemory) {
    throw_invalid("--memory " + std::to_string(r.memory_bytes) +
                  ": below the minimum of 6 MiB (6291456 bytes)");
  }
  if (r.memory_bytes > 0) resources["memory"] = {{"limit", r.memory_bytes}};
  if (r.cpus != 0) {
    if (!(r.cpus >= kMinCpus && r.cpus <= kMaxCpus)) {  // also refuses NaN
      char cpus[32];
      std::snprintf(cpus, sizeof cpus, "%g", r.cpus);
      throw_invalid("--cpus " + std::string(cpus) + ": must be between 0.01 and 1048576");
    }
    resources["cpu"] = {{"quota", std::llround(r.cpus * static_cast<double>(kCpuPeriod))},
                        {"period", kCpuPeriod}};
  }
  // Docker reads 0 and negative numbers as no limit.
  if (r.pids_limit > 0) resources["pids"] = {{"limit", r.pids_limit}};
  return resources;
}

json namespaces_json(bool host_network) {
  json namespaces = json::array();
  for (const char* type : {"pid", "ipc", "uts", "mount", "network", "cgroup"}) {
    if (host_network && std::strcmp(type, "network") == 0) continue;
    namespaces.push_back({{"type", type}});
  }
  return namespaces;
}

json linux_json(const ContainerOptions& options, const SpecContext& context, bool host_network) {
  json linux{{"namespaces", namespaces_json(host_network)}, {"resources", resources_json(options)}};
  if (!context.cgroups_path.empty()) linux["cgroupsPath"] = context.cgroups_path;
  if (options.privileged) {
    // As docker --privileged: every host device, nothing hidden, nothing read-only.
    linux["devices"] = host_devices();
  } else {
    linux["maskedPaths"] = default_masked_paths();
    linux["readonlyPaths"] = default_readonly_paths();
  }
  return linux;
}

}  // namespace

nlohmann::json build_container_spec(const ImageConfig& image, const ContainerOptions& options,
                                    const SpecContext& context) {
  const bool host_network = uses_host_network(options);
  const std::string hostname = container_hostname(options, context, host_network);
  return json{
      {"ociVersion", "1.2.0"},
      {"process", process_json(image, options, context, hostname)},
      {"root", {{"path", "rootfs"}, {"readonly", options.read_only}}},
      {"hostname", hostname},
      {"mounts", container_mounts(options, context, host_network)},
      {"linux", linux_json(options, context, host_network)},
  };
}

}  // namespace cradle
