// The OCI runtime spec (config.json, runtime-spec 1.1/1.2), typed. Produced by parse_spec(), which
// has already validated it: names are resolved (capabilities, rlimits, seccomp actions), enums are
// enums, and paths the runtime will use are absolute.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "cgroups/resources.h"
#include "namespaces/capabilities.h"
#include "namespaces/rlimits.h"
#include "namespaces/seccomp.h"

namespace cradle {

struct User {
  uid_t uid = 0;
  gid_t gid = 0;
  std::optional<mode_t> umask;
  std::vector<gid_t> additional_gids;
};

struct ConsoleSize {
  unsigned height = 0;
  unsigned width = 0;
};

struct Process {
  bool terminal = false;
  std::optional<ConsoleSize> console_size;
  User user;
  std::vector<std::string> args;
  std::vector<std::string> env;  // "KEY=value"
  std::string cwd = "/";
  ns::CapabilitySets capabilities;
  std::vector<ns::Rlimit> rlimits;
  bool no_new_privileges = false;
  std::optional<int> oom_score_adj;
  std::string apparmor_profile;
  std::string selinux_label;
};

struct Root {
  std::string path;  // as written: relative paths are relative to the bundle
  bool readonly = false;
};

struct IdMapping {
  std::uint32_t container_id = 0;
  std::uint32_t host_id = 0;
  std::uint32_t size = 0;
};

struct Mount {
  std::string destination;  // absolute, inside the container
  std::string type;         // may be empty for bind mounts
  std::string source;
  std::vector<std::string> options;
  // Idmapped mounts (OCI 1.1): parsed, but refused by the validator until supported.
  std::vector<IdMapping> uid_mappings;
  std::vector<IdMapping> gid_mappings;
};

struct Hook {
  std::string path;
  std::vector<std::string> args;
  std::vector<std::string> env;
  std::optional<int> timeout_seconds;
};

struct Hooks {
  std::vector<Hook> prestart;  // deprecated by OCI, run with createRuntime
  std::vector<Hook> create_runtime;
  std::vector<Hook> create_container;
  std::vector<Hook> start_container;
  std::vector<Hook> poststart;
  std::vector<Hook> poststop;
};

enum class NamespaceType { kPid, kNetwork, kMount, kIpc, kUts, kUser, kCgroup, kTime };

struct Namespace {
  NamespaceType type = NamespaceType::kPid;
  std::string path;  // empty: create a new one; otherwise join this one
};

struct Device {
  char type = 'c';  // 'c', 'b', 'u' (unbuffered char) or 'p' (fifo)
  std::string path;
  std::int64_t major = 0;
  std::int64_t minor = 0;
  std::optional<mode_t> file_mode;
  std::optional<uid_t> uid;
  std::optional<gid_t> gid;
};

enum class Propagation { kUnset, kShared, kSlave, kPrivate, kUnbindable };

struct Linux {
  std::vector<Namespace> namespaces;
  std::vector<IdMapping> uid_mappings;
  std::vector<IdMapping> gid_mappings;
  std::vector<Device> devices;
  std::map<std::string, std::string> sysctl;
  std::optional<ns::SeccompProfile> seccomp;
  Propagation rootfs_propagation = Propagation::kUnset;
  bool rootfs_propagation_recursive = true;  // "rslave" vs "slave"
  std::vector<std::string> masked_paths;
  std::vector<std::string> readonly_paths;
  std::string cgroups_path;
  std::optional<cgroups::Resources> resources;
  std::string mount_label;
};

struct Spec {
  std::string oci_version;
  Process process;
  Root root;
  std::string hostname;
  std::string domainname;
  std::vector<Mount> mounts;
  Hooks hooks;
  std::map<std::string, std::string> annotations;
  Linux linux;

  // The namespace entry of this type, if the spec asks for one.
  const Namespace* find_namespace(NamespaceType type) const {
    for (const auto& n : linux.namespaces)
      if (n.type == type) return &n;
    return nullptr;
  }
};

}  // namespace cradle
