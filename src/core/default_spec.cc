#include "core/default_spec.h"

#include "core/container_defaults.h"

namespace cradle {

nlohmann::json default_spec(const DefaultSpecOptions& options) {
  using nlohmann::json;
  const json caps = {"CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"};
  return json{
      {"ociVersion", "1.2.0"},
      {"process",
       {{"terminal", options.terminal},
        {"user", {{"uid", 0}, {"gid", 0}}},
        {"args", options.args},
        {"env",
         {"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "TERM=xterm"}},
        {"cwd", "/"},
        {"capabilities", {{"bounding", caps}, {"effective", caps}, {"permitted", caps}}},
        {"rlimits", {{{"type", "RLIMIT_NOFILE"}, {"hard", 1024}, {"soft", 1024}}}},
        {"noNewPrivileges", true}}},
      {"root", {{"path", "rootfs"}, {"readonly", options.readonly_root}}},
      {"hostname", options.hostname},
      {"mounts", default_mounts(/*privileged=*/false)},
      {"linux",
       {{"resources", {{"devices", {{{"allow", false}, {"access", "rwm"}}}}}},
        {"namespaces",
         {{{"type", "pid"}},
          {{"type", "network"}},
          {{"type", "ipc"}},
          {{"type", "uts"}},
          {{"type", "mount"}},
          {{"type", "cgroup"}}}},
        {"maskedPaths", default_masked_paths()},
        {"readonlyPaths", default_readonly_paths()}}}};
}

}  // namespace cradle
