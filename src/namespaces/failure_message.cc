#include "namespaces/failure_message.h"

#include <sched.h>

#include <cstring>

#include "namespaces/capabilities.h"
#include "namespaces/rlimits.h"

namespace cradle::ns {
namespace {

template <typename T>
const T* at(const std::vector<T>& items, std::uint32_t index) {
  return index < items.size() ? &items[index] : nullptr;
}

std::string namespace_kind(int nstype) {
  switch (nstype) {
    case CLONE_NEWUSER: return "user";
    case CLONE_NEWNET: return "network";
    case CLONE_NEWNS: return "mount";
    case CLONE_NEWIPC: return "ipc";
    case CLONE_NEWUTS: return "uts";
    case CLONE_NEWPID: return "pid";
    case CLONE_NEWCGROUP: return "cgroup";
    case CLONE_NEWTIME: return "time";
  }
  return "unknown";
}

std::string what_failed(const StartPlan& plan, Stage stage, std::uint32_t i) {
  switch (stage) {
    case Stage::kJoinNamespace:
      if (auto* j = at(plan.joins, i)) {
        return "join the " + namespace_kind(j->nstype) + " namespace " + j->path;
      }
      return "join a namespace";
    case Stage::kUnshare: return "create namespaces";
    case Stage::kBecomeRootInUserNamespace: return "become root in the user namespace";
    case Stage::kRootPropagation: return "set the mount propagation of /";
    case Stage::kRootParentPrivate: return "make the mount above " + plan.rootfs + " private";
    case Stage::kRootfsBind: return "bind mount the rootfs " + plan.rootfs;
    case Stage::kOpenRootfs: return "open the rootfs " + plan.rootfs;
    case Stage::kMountPoint:
      if (auto* m = at(plan.mounts, i)) return "create the mount point " + m->destination;
      return "create a mount point";
    case Stage::kMount:
      if (auto* m = at(plan.mounts, i)) return "mount " + m->description;
      return "mount";
    case Stage::kMountPropagation:
      if (auto* m = at(plan.mounts, i)) return "set the propagation of " + m->destination;
      return "set a mount's propagation";
    case Stage::kDevice:
      if (auto* d = at(plan.devices, i)) return "create the device " + d->path;
      return "create a device";
    case Stage::kDevSymlink:
      if (auto* l = at(plan.dev_symlinks, i)) return "create the symlink " + l->path;
      return "create a symlink in /dev";
    case Stage::kPivotRoot: return "pivot_root into " + plan.rootfs;
    case Stage::kConsole: return "mount the terminal on /dev/console";
    case Stage::kSysctl:
      if (auto* s = at(plan.sysctls, i)) return "write sysctl " + s->key;
      return "open /proc/sys for sysctls";
    case Stage::kMaskPath:
      if (auto* p = at(plan.masked_paths, i)) return "mask " + *p;
      return "open the container's /dev/null for masking";
    case Stage::kReadonlyPath:
      if (auto* p = at(plan.readonly_paths, i)) return "make " + *p + " read-only";
      return "make a path read-only";
    case Stage::kRootReadonly: return "make the root filesystem read-only";
    case Stage::kHostname: return "set the hostname";
    case Stage::kDomainname: return "set the domainname";
    default: return {};
  }
}

std::string process_step(const ProcessPlan& process, Stage stage, std::uint32_t i) {
  switch (stage) {
    case Stage::kHandoff: return "talk to the runtime over the handoff socket";
    case Stage::kSetsid: return "start a new session";
    case Stage::kJoinNamespace: return "join the container's namespaces";
    case Stage::kTerminal: return "set up the terminal";
    case Stage::kRlimit:
      return "set " + (i < process.rlimits.size() ? rlimit_name(process.rlimits[i].resource)
                                                  : std::string("an rlimit"));
    case Stage::kCwd: return "enter the working directory " + process.cwd;
    case Stage::kSetgroups: return "set the additional groups";
    case Stage::kSetgid: return "setgid " + std::to_string(process.gid);
    case Stage::kSetuid: return "setuid " + std::to_string(process.uid);
    case Stage::kBoundingSet:
      return "drop " + capability_name(static_cast<int>(i)) + " from the bounding set";
    case Stage::kCapset: return "set the capabilities";
    case Stage::kAmbient:
      return "raise the ambient capability " + capability_name(static_cast<int>(i));
    case Stage::kNoNewPrivileges: return "set no_new_privs";
    case Stage::kSeccomp: return "load the seccomp filter";
    case Stage::kUmask: return "set the umask";
    case Stage::kExecLookup: return "find the executable " + process.args[0];
    case Stage::kExec: return "exec " + process.args[0];
    default: return "set up the process";
  }
}

}  // namespace

std::string describe_process_failure(const ProcessPlan& process, const HandoffMessage& failure) {
  if (failure.stage == Stage::kExecLookup && failure.error == ENOENT &&
      process.args[0].find('/') == std::string::npos) {
    return "executable file \"" + process.args[0] + "\" not found in $PATH (" +
           process.search_path + ")";
  }
  return process_step(process, failure.stage, failure.index) + ": " + std::strerror(failure.error);
}

std::string describe_failure(const StartPlan& plan, const HandoffMessage& failure) {
  std::string what = what_failed(plan, failure.stage, failure.index);
  if (what.empty()) return describe_process_failure(plan.process, failure);
  return what + ": " + std::strerror(failure.error);
}

}  // namespace cradle::ns
