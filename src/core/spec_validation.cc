// The rules of config.json that tie sections together, checked on the parsed Spec.
#include "base/error.h"
#include "core/spec_parser_sections.h"

namespace cradle::spec_parser {

namespace {

// OCI: hostname and domainname need the container to have its own uts namespace; setting them in
// a joined one would change it for every other member.
void check_uts_name(const Spec& spec, std::string_view key, const std::string& value) {
  if (value.empty()) return;
  const Namespace* uts = spec.find_namespace(NamespaceType::kUts);
  if (uts == nullptr) fail_at(key, "needs a new uts namespace, and linux.namespaces has none");
  if (!uts->path.empty()) {
    fail_at(key, "needs a new uts namespace, not the one joined at " + quote(uts->path));
  }
}

void check_id_mappings(const Spec& spec) {
  const Namespace* user = spec.find_namespace(NamespaceType::kUser);
  const std::pair<std::string_view, const std::vector<IdMapping>*> mappings[] = {
      {"linux.uidMappings", &spec.linux.uid_mappings},
      {"linux.gidMappings", &spec.linux.gid_mappings},
  };
  for (const auto& [key, list] : mappings) {
    if (user == nullptr && !list->empty()) {
      fail_at(key, "needs a user namespace, and linux.namespaces has none");
    }
    // A joined user namespace comes with its mappings; a new one has none until they are written.
    if (user != nullptr && user->path.empty() && list->empty()) {
      fail_at(key, "required by a new user namespace");
    }
  }
}

void check_mount_namespace(const Spec& spec) {
  if (spec.find_namespace(NamespaceType::kMount) == nullptr) {
    fail_at("linux.namespaces",
            "must include a mount namespace: cradle sets up the root filesystem in one");
  }
}

void check_mounts(const Spec& spec) {
  for (std::size_t i = 0; i < spec.mounts.size(); ++i) {
    const Mount& mount = spec.mounts[i];
    if (mount.uid_mappings.empty() && mount.gid_mappings.empty()) continue;
    std::string key = mount.uid_mappings.empty() ? "gidMappings" : "uidMappings";
    throw Error(ErrorCode::kUnimplemented,
                "mounts[" + std::to_string(i) + "]." + key + ": idmapped mounts are not supported");
  }
}

bool is_ipc_sysctl(std::string_view name) {
  return name.starts_with("kernel.shm") || name.starts_with("kernel.msg") ||
         name.starts_with("kernel.sem") || name.starts_with("fs.mqueue.");
}

// Only sysctls of a namespace the container has are its own to set; the rest are the host's
// (runc's rules, minus its check that a joined network namespace is not the host's).
void check_sysctl(const Spec& spec, const std::string& name) {
  const std::string key = json_member_path("linux.sysctl", name);
  if (is_ipc_sysctl(name)) {
    if (spec.find_namespace(NamespaceType::kIpc) != nullptr) return;
    fail_at(key, "not allowed in the host's ipc namespace (linux.namespaces has no ipc namespace)");
  }
  if (name.starts_with("net.")) {
    if (spec.find_namespace(NamespaceType::kNetwork) != nullptr) return;
    fail_at(key,
            "not allowed in the host's network namespace (linux.namespaces has no network "
            "namespace)");
  }
  if (spec.find_namespace(NamespaceType::kUts) != nullptr) {
    if (name == "kernel.domainname") return;
    if (name == "kernel.hostname") fail_at(key, "not allowed: use the hostname field");
  }
  fail_at(key, "not allowed: it is not in a namespace of the container");
}

}  // namespace

void validate_spec(const Spec& spec) {
  check_uts_name(spec, "hostname", spec.hostname);
  check_uts_name(spec, "domainname", spec.domainname);
  check_id_mappings(spec);
  check_mount_namespace(spec);
  check_mounts(spec);
  for (const auto& [name, value] : spec.linux.sysctl)
    check_sysctl(spec, name);
}

}  // namespace cradle::spec_parser
