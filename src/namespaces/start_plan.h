// The start plan: everything the container's first process must do between clone3 and execve,
// decided and checked in the parent. The child walks it with raw syscalls and no allocation, so
// every string here is final and every pointer array is built before the clone (see finalize()).
#pragma once

#include <linux/capability.h>
#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/unique_fd.h"
#include "namespaces/capabilities.h"
#include "namespaces/rlimits.h"
#include "namespaces/seccomp.h"

namespace cradle::ns {

// One mount, resolved. The child creates `destination` inside the rootfs (a directory, or an
// empty file when the source is a file), builds a detached mount with the new mount API and
// attaches it onto the destination's fd, so no path string is trusted after resolution.
struct MountStep {
  enum class Kind {
    kFilesystem,  // fsopen(fstype) + fsconfig(options) + fsmount
    kBind,        // open_tree(source, OPEN_TREE_CLONE [| AT_RECURSIVE])
  };
  Kind kind = Kind::kFilesystem;
  std::string fstype;       // kFilesystem: "proc", "tmpfs", "cgroup2", ...
  std::string source;       // kFilesystem: the source name; kBind: an absolute host path
  std::string destination;  // absolute, inside the container
  bool recursive = false;   // rbind: the attributes apply to every mount of the tree
  bool destination_is_dir = true;
  unsigned attr_set = 0;          // MOUNT_ATTR_* to set
  unsigned attr_clear = 0;        // MOUNT_ATTR_* to clear (e.g. MOUNT_ATTR__ATIME before a new one)
  unsigned long propagation = 0;  // MS_SHARED, MS_SLAVE, MS_PRIVATE or MS_UNBINDABLE; 0: leave
  bool propagation_recursive = false;
  // fsconfig parameters: a key alone is a flag ("newinstance"), key=value a string.
  std::vector<std::pair<std::string, std::string>> fs_options;
  // When the filesystem mount is refused (sysfs in a user namespace without its own network
  // namespace, cgroup2 without a cgroup namespace), bind this host path instead.
  std::string fallback_bind_source;
  // The spec's own words, for error messages ("mount proc on /proc").
  std::string description;
};

// A device node the container gets in /dev: mknod, or (in a user namespace, where mknod is not
// allowed) a bind mount of the host's node onto an empty file.
struct DeviceStep {
  std::string path;  // absolute, inside the container, under /dev
  mode_t mode = 0;   // S_IFCHR/S_IFBLK/S_IFIFO | permissions
  dev_t device = 0;
  uid_t uid = 0;
  gid_t gid = 0;
  bool bind_from_host = false;
};

struct SymlinkStep {
  std::string target;
  std::string path;  // inside the container
};

struct SysctlStep {
  std::string key;        // net.ipv4.ip_forward
  std::string proc_path;  // net/ipv4/ip_forward, relative to /proc/sys
  std::string value;
};

struct NamespaceJoin {
  int nstype = 0;  // CLONE_NEWNET, ...
  std::string path;
  UniqueFd fd;  // opened and type-checked in the parent
};

// What any process started in the container does last: identity, limits, privileges, exec.
// The init uses it after the container is built; exec'd processes use it alone.
struct ProcessPlan {
  std::vector<std::string> args;
  std::vector<std::string> env;
  std::string search_path;  // PATH from env, or the default, for finding args[0]
  std::string cwd = "/";
  uid_t uid = 0;
  gid_t gid = 0;
  std::vector<gid_t> additional_gids;
  mode_t umask = 022;
  std::vector<Rlimit> rlimits;
  CapabilitySets capabilities;
  int last_capability = 40;
  bool no_new_privileges = false;
  std::optional<SeccompProgram> seccomp;
  std::optional<int> oom_score_adj;
  bool terminal = false;
  // The process dies with the shim (PR_SET_PDEATHSIG): for `cradle-shim run`, whose container
  // must not outlive the command.
  bool kill_on_parent_death = false;
  // Signals the shim ignores (SIG_IGN survives execve), reset to default in the child; the
  // child also unblocks every signal, since a blocked mask survives execve as well.
  std::vector<int> ignored_signals;
  // Installed as the process's stdin/stdout/stderr; -1 keeps what the shim has. Ignored when
  // the process gets a terminal.
  int stdio[3] = {-1, -1, -1};
  unsigned console_width = 0;
  unsigned console_height = 0;

  // Built by finalize(): null-terminated arrays pointing into args/env.
  std::vector<char*> argv;
  std::vector<char*> envp;
  void finalize();
};

// The whole plan of a container's init.
struct StartPlan {
  std::string id;
  std::string rootfs;  // absolute host path
  bool rootfs_readonly = false;
  unsigned long rootfs_propagation = 0;  // MS_SLAVE | MS_REC by default, as runc
  std::uint64_t clone_flags = 0;         // CLONE_NEW* created by clone3 itself
  std::uint64_t unshare_flags = 0;       // CLONE_NEW* created in the child after the joins
  // A new user namespace maps uid and gid 0, so the child can become root in it before building
  // the rootfs (files it creates must belong to a mapped id).
  bool user_namespace_maps_root = false;
  // A user namespace joined by path: entered by the child (a threaded shim cannot).
  std::vector<NamespaceJoin> joins;
  // Every other namespace joined by path: the shim's cloning thread enters them around clone3,
  // so the child is born in them (pid and time ones only ever apply to children anyway).
  std::vector<NamespaceJoin> parent_joins;
  std::string uid_map;  // "0 100000 65536\n", written by the parent
  std::string gid_map;
  std::vector<MountStep> mounts;
  std::vector<DeviceStep> devices;
  std::vector<SymlinkStep> dev_symlinks;
  bool mount_dev_pts = false;  // a devpts is mounted: /dev/ptmx links to pts/ptmx
  std::vector<SysctlStep> sysctls;
  std::vector<std::string> masked_paths;
  std::vector<std::string> readonly_paths;
  std::optional<std::string> hostname;
  std::optional<std::string> domainname;
  ProcessPlan process;

  // Builds the pointer arrays the child uses. Call once the plan no longer changes.
  void finalize() { process.finalize(); }
};

// A process exec'd into a running container: it joins the init's namespaces through its pidfd
// and the container's cgroup, then runs the same tail as the init.
struct ExecPlan {
  int setns_flags = 0;              // the CLONE_NEW* namespaces the container has of its own
  bool join_pid_namespace = false;  // entered by the parent, since it applies to children only
  ProcessPlan process;

  void finalize() { process.finalize(); }
};

}  // namespace cradle::ns
