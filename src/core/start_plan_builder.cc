#include "core/start_plan_builder.h"

#include <fcntl.h>
#include <linux/nsfs.h>
#include <sched.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <climits>
#include <cstdlib>

#include "base/error.h"
#include "base/file_io.h"
#include "namespaces/mount_options.h"
#include "namespaces/rootfs_symlinks.h"

namespace cradle {
namespace {

constexpr const char* kDefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

}  // namespace

int namespace_clone_flag(NamespaceType type) {
  switch (type) {
    case NamespaceType::kPid: return CLONE_NEWPID;
    case NamespaceType::kNetwork: return CLONE_NEWNET;
    case NamespaceType::kMount: return CLONE_NEWNS;
    case NamespaceType::kIpc: return CLONE_NEWIPC;
    case NamespaceType::kUts: return CLONE_NEWUTS;
    case NamespaceType::kUser: return CLONE_NEWUSER;
    case NamespaceType::kCgroup: return CLONE_NEWCGROUP;
    case NamespaceType::kTime: return CLONE_NEWTIME;
  }
  return 0;
}

namespace {

std::string field(const std::string& prefix, std::size_t index) {
  return prefix + "[" + std::to_string(index) + "]";
}

std::string absolute_in(const std::string& dir, const std::string& path) {
  return path.starts_with('/') ? path : dir + "/" + path;
}

// Opens a namespace file and proves it is a namespace of the kind the spec says.
ns::NamespaceJoin open_namespace(const Namespace& n, std::size_t index) {
  std::string where = field("linux.namespaces", index) + ".path";
  int fd = ::open(n.path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw_errno(where + ": open " + n.path);
  UniqueFd owned(fd);
  int actual = ::ioctl(fd, NS_GET_NSTYPE);
  if (actual < 0) {
    throw_invalid(where + ": " + n.path + " is not a namespace file");
  }
  if (actual != namespace_clone_flag(n.type)) {
    throw_invalid(where + ": " + n.path + " is a namespace of another kind");
  }
  return ns::NamespaceJoin{namespace_clone_flag(n.type), n.path, std::move(owned)};
}

std::string format_id_map(const std::vector<IdMapping>& mappings) {
  std::string out;
  for (const auto& m : mappings) {
    out += std::to_string(m.container_id) + " " + std::to_string(m.host_id) + " " +
           std::to_string(m.size) + "\n";
  }
  return out;
}

bool maps_zero(const std::vector<IdMapping>& mappings) {
  for (const auto& m : mappings)
    if (m.container_id == 0 && m.size > 0) return true;
  return false;
}

void plan_namespaces(const Spec& spec, ns::StartPlan& plan) {
  std::uint64_t new_flags = 0;
  bool joins_user = false;
  for (std::size_t i = 0; i < spec.linux.namespaces.size(); ++i) {
    const Namespace& n = spec.linux.namespaces[i];
    if (n.path.empty()) {
      new_flags |= static_cast<std::uint64_t>(namespace_clone_flag(n.type));
      continue;
    }
    if (n.type == NamespaceType::kMount) {
      throw_invalid(field("linux.namespaces", i) +
                    ".path: joining an existing mount namespace is not supported; the container "
                    "needs a mount namespace of its own");
    }
    ns::NamespaceJoin join = open_namespace(n, i);
    if (n.type == NamespaceType::kUser) {
      joins_user = true;
      plan.joins.push_back(std::move(join));
    } else {
      plan.parent_joins.push_back(std::move(join));
    }
  }
  if (!(new_flags & CLONE_NEWNS)) {
    throw_invalid("linux.namespaces: cradle needs a new mount namespace for the container");
  }
  // The shim's thread enters the namespaces joined by path around the clone3 (they are per
  // thread), so the child starts in them and clone3 makes all the new ones at once, owned by the
  // new user namespace if there is one. A user namespace joined by path can only be entered by
  // the single-threaded child, which then unshares the rest; a pid or time namespace would
  // already exist by then, owned by the wrong user namespace.
  const std::uint64_t only_at_clone = CLONE_NEWPID | CLONE_NEWTIME;
  if (joins_user) {
    if (new_flags & only_at_clone) {
      throw_invalid(
          "linux.namespaces: a new pid or time namespace inside a user namespace "
          "joined by path is not supported");
    }
    plan.unshare_flags = new_flags;
  } else {
    plan.clone_flags = new_flags;
  }
  if (new_flags & CLONE_NEWUSER) {
    plan.uid_map = format_id_map(spec.linux.uid_mappings);
    plan.gid_map = format_id_map(spec.linux.gid_mappings);
    plan.user_namespace_maps_root =
        maps_zero(spec.linux.uid_mappings) && maps_zero(spec.linux.gid_mappings);
  }
}

bool has_new(const Spec& spec, NamespaceType type) {
  const Namespace* n = spec.find_namespace(type);
  return n != nullptr && n->path.empty();
}

bool in_user_namespace(const Spec& spec) {
  return spec.find_namespace(NamespaceType::kUser);
}

ns::MountStep plan_mount(const Spec& spec, const Mount& m, std::size_t index,
                         const PlanContext& context, const std::string& rootfs) {
  std::string where = field("mounts", index);
  ns::MountOptions options;
  try {
    options = ns::parse_mount_options(m.options);
  } catch (const Error& e) {
    throw_invalid(where + ".options: " + e.what());
  }
  ns::MountStep step;
  step.destination = m.destination;
  step.attr_set = options.attr_set;
  step.attr_clear = options.attr_clear;
  step.propagation = options.propagation;
  step.propagation_recursive = options.propagation_recursive;
  step.fs_options = std::move(options.fs_options);

  if (m.destination == "/") throw_invalid(where + ".destination: cannot mount over the root");
  if (auto link = ns::find_escaping_symlink(rootfs, m.destination)) {
    throw_invalid(where + ".destination: \"" + m.destination + "\" goes through the symlink " +
                  link->link + " -> " + link->target + ", which points out of the rootfs");
  }

  if (options.bind || m.type == "bind") {
    step.kind = ns::MountStep::Kind::kBind;
    step.recursive = options.recursive;
    step.source = absolute_in(context.bundle_dir, m.source);
    struct stat st;
    if (::stat(step.source.c_str(), &st) != 0) throw_errno(where + ".source: " + step.source);
    step.destination_is_dir = S_ISDIR(st.st_mode);
    step.fs_options.clear();  // a bind has no filesystem to configure
    step.description = step.source + " on " + m.destination;
    return step;
  }
  step.kind = ns::MountStep::Kind::kFilesystem;
  step.fstype = m.type;
  step.source = m.source;
  step.description = m.type + " on " + m.destination;
  if (m.type == "cgroup" || m.type == "cgroup2") {
    if (has_new(spec, NamespaceType::kCgroup)) {
      step.fstype = "cgroup2";  // cgroup v1 is never touched
    } else {
      // Without a cgroup namespace a cgroup2 mount would show the host's whole tree: show the
      // container its own cgroup, as runc does in that case.
      step.kind = ns::MountStep::Kind::kBind;
      step.recursive = true;
      step.source = context.cgroup_host_path;
      step.fs_options.clear();
      step.description = "cgroup (the container's cgroup " + step.source + ") on " + m.destination;
    }
  } else if (m.type == "sysfs" && in_user_namespace(spec) &&
             !has_new(spec, NamespaceType::kNetwork)) {
    // The kernel only lets a user namespace mount sysfs for a network namespace it owns.
    step.fallback_bind_source = "/sys";
  }
  if (step.kind == ns::MountStep::Kind::kFilesystem && m.type.empty()) {
    throw_invalid(where + ".type: required for a mount that is not a bind mount");
  }
  return step;
}

bool mounts_at(const Spec& spec, const std::string& destination, const std::string& type = {}) {
  for (const auto& m : spec.mounts)
    if (m.destination == destination && (type.empty() || m.type == type)) return true;
  return false;
}

// The devices every container gets (runtime-spec "Default Devices"), then the spec's own; a
// spec device with the path of a default one replaces it.
void plan_devices(const Spec& spec, ns::StartPlan& plan) {
  struct Default {
    const char* path;
    unsigned major, minor;
  };
  static constexpr Default kDefaults[] = {{"/dev/null", 1, 3},    {"/dev/zero", 1, 5},
                                          {"/dev/full", 1, 7},    {"/dev/random", 1, 8},
                                          {"/dev/urandom", 1, 9}, {"/dev/tty", 5, 0}};
  bool user_ns = in_user_namespace(spec);
  auto add = [&](ns::DeviceStep step) {
    for (auto& existing : plan.devices) {
      if (existing.path == step.path) {
        existing = std::move(step);
        return;
      }
    }
    plan.devices.push_back(std::move(step));
  };
  for (const auto& d : kDefaults) {
    add(ns::DeviceStep{d.path, S_IFCHR | 0666, makedev(d.major, d.minor), 0, 0, user_ns});
  }
  for (std::size_t i = 0; i < spec.linux.devices.size(); ++i) {
    const Device& d = spec.linux.devices[i];
    mode_t type = d.type == 'b' ? S_IFBLK : d.type == 'p' ? S_IFIFO : S_IFCHR;
    ns::DeviceStep step{d.path,
                        type | (d.file_mode.value_or(0666) & 07777),
                        makedev(static_cast<unsigned>(d.major), static_cast<unsigned>(d.minor)),
                        d.uid.value_or(0),
                        d.gid.value_or(0),
                        user_ns};
    if (user_ns) {
      // mknod is not allowed in a user namespace: the host's node is bound instead.
      struct stat st;
      if (::stat(d.path.c_str(), &st) != 0) {
        throw_errno(field("linux.devices", i) + ".path: a user namespace binds the host's " +
                    d.path);
      }
    }
    add(std::move(step));
  }
  plan.dev_symlinks = {{"/proc/self/fd", "/dev/fd"},
                       {"/proc/self/fd/0", "/dev/stdin"},
                       {"/proc/self/fd/1", "/dev/stdout"},
                       {"/proc/self/fd/2", "/dev/stderr"}};
  if (::access("/proc/kcore", F_OK) == 0) plan.dev_symlinks.push_back({"/proc/kcore", "/dev/core"});
  if (mounts_at(spec, "/dev/pts", "devpts")) {
    plan.mount_dev_pts = true;
    plan.dev_symlinks.push_back({"pts/ptmx", "/dev/ptmx"});
  }
}

unsigned long propagation_flag(Propagation p) {
  switch (p) {
    case Propagation::kShared: return MS_SHARED;
    case Propagation::kPrivate: return MS_PRIVATE;
    case Propagation::kUnbindable: return MS_UNBINDABLE;
    case Propagation::kSlave:
    case Propagation::kUnset: return MS_SLAVE;  // runc's default
  }
  return MS_SLAVE;
}

std::string resolve_rootfs(const Spec& spec, const PlanContext& context) {
  std::string given = absolute_in(context.bundle_dir, spec.root.path);
  char resolved[PATH_MAX];
  if (::realpath(given.c_str(), resolved) == nullptr) throw_errno("root.path: " + given);
  struct stat st;
  if (::stat(resolved, &st) != 0) throw_errno("root.path: " + given);
  if (!S_ISDIR(st.st_mode)) throw_invalid("root.path: " + given + " is not a directory");
  if (std::string(resolved) == "/") throw_invalid("root.path: the host's / cannot be a rootfs");
  return resolved;
}

std::string search_path(const std::vector<std::string>& env) {
  for (const auto& e : env)
    if (e.starts_with("PATH=")) return e.substr(5);
  return kDefaultPath;
}

std::string capability_list(ns::CapabilityMask mask) {
  std::string out;
  for (int cap = 0; cap < 64; ++cap) {
    if (!(mask & (ns::CapabilityMask{1} << cap))) continue;
    if (!out.empty()) out += ", ";
    out += ns::capability_name(cap);
  }
  return out;
}

ns::CapabilitySets plan_capabilities(const ns::CapabilitySets& asked, int last_cap,
                                     const ns::WarningSink& warn) {
  ns::CapabilitySets caps = asked;
  ns::CapabilityMask known =
      last_cap >= 63 ? ~ns::CapabilityMask{0} : (ns::CapabilityMask{1} << (last_cap + 1)) - 1;
  ns::CapabilityMask unknown =
      (caps.bounding | caps.effective | caps.permitted | caps.inheritable | caps.ambient) & ~known;
  if (unknown) {
    warn("process.capabilities: " + capability_list(unknown) + " unknown to this kernel; left out");
    for (auto* set :
         {&caps.bounding, &caps.effective, &caps.permitted, &caps.inheritable, &caps.ambient}) {
      *set &= known;
    }
  }
  // The kernel raises an ambient capability only if it is permitted and inheritable.
  ns::CapabilityMask unraisable = caps.ambient & ~(caps.permitted & caps.inheritable);
  if (unraisable) {
    warn("process.capabilities.ambient: " + capability_list(unraisable) +
         " not both permitted and inheritable, so the kernel cannot raise them; left out");
    caps.ambient &= ~unraisable;
  }
  return caps;
}

}  // namespace

ns::ProcessPlan build_process_plan(const Process& process,
                                   const std::optional<ns::SeccompProfile>& seccomp,
                                   const ns::WarningSink& warn) {
  ns::ProcessPlan plan;
  plan.args = process.args;
  plan.env = process.env;
  plan.search_path = search_path(process.env);
  plan.cwd = process.cwd;
  plan.uid = process.user.uid;
  plan.gid = process.user.gid;
  plan.additional_gids = process.user.additional_gids;
  plan.umask = process.user.umask.value_or(022);
  plan.rlimits = process.rlimits;
  plan.last_capability = ns::last_kernel_capability();
  plan.capabilities = plan_capabilities(process.capabilities, plan.last_capability, warn);
  plan.no_new_privileges = process.no_new_privileges;
  if (seccomp) {
    try {
      plan.seccomp = ns::compile_seccomp(*seccomp);
    } catch (const Error& e) {
      throw Error(e.code(), std::string("linux.seccomp: ") + e.what(), e.sys_errno());
    }
  }
  plan.oom_score_adj = process.oom_score_adj;
  for (int sig = 1; sig < NSIG; ++sig) {
    struct sigaction current {};
    if (::sigaction(sig, nullptr, &current) == 0 && current.sa_handler == SIG_IGN) {
      plan.ignored_signals.push_back(sig);
    }
  }
  plan.terminal = process.terminal;
  if (process.console_size) {
    plan.console_width = process.console_size->width;
    plan.console_height = process.console_size->height;
  }
  return plan;
}

ns::StartPlan build_start_plan(const Spec& spec, const PlanContext& context,
                               const ns::WarningSink& warn) {
  ns::StartPlan plan;
  plan.id = context.id;
  plan.rootfs = resolve_rootfs(spec, context);
  plan.rootfs_readonly = spec.root.readonly;
  plan.rootfs_propagation = propagation_flag(spec.linux.rootfs_propagation);
  plan_namespaces(spec, plan);
  for (std::size_t i = 0; i < spec.mounts.size(); ++i) {
    plan.mounts.push_back(plan_mount(spec, spec.mounts[i], i, context, plan.rootfs));
  }
  plan_devices(spec, plan);
  for (const auto& [key, value] : spec.linux.sysctl) {
    std::string proc_path = key;
    for (char& c : proc_path)
      if (c == '.') c = '/';
    plan.sysctls.push_back({key, proc_path, value});
  }
  plan.masked_paths = spec.linux.masked_paths;
  plan.readonly_paths = spec.linux.readonly_paths;
  if (!spec.hostname.empty()) plan.hostname = spec.hostname;
  if (!spec.domainname.empty()) plan.domainname = spec.domainname;
  plan.process = build_process_plan(spec.process, spec.linux.seccomp, warn);
  plan.process.kill_on_parent_death = context.kill_on_parent_death;
  if (plan.process.terminal && !plan.mount_dev_pts) {
    throw_invalid("process.terminal: a terminal needs a devpts mount on /dev/pts");
  }
  plan.finalize();
  return plan;
}

}  // namespace cradle
