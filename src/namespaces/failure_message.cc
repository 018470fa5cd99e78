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
    case CLONE_NEWUSER:
      return "user";
    case CLONE_NEWNET:
      return "network";
    case CLONE_NEWNS:
      return "mount";
    case CLONE_NEWIPC:
      return "ipc";
    case CLONE_NEWUTS:
      return "uts";
    case CLONE_NEWPID:
      return "pid";
    case CLONE_NEWCGROUP:
      return "cgroup";
    case CLONE_NEWTIME:
      return "time";
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
    case Stage::kUnshare:
      return "create namespaces";
    case Stage::kBecomeRootInUserNamespace:
      return "become root in the user namespace";
    case Stage::kRootPropagation:
      return "set the mount propagation of /";
    case Stage::kRootParentPrivate:
      return "make the mount above " + plan.rootfs + " private";
    case Stage::kRootfsBind:
      return "bind mount the rootfs " + plan.rootfs;
    case Stage::kOpenRootfs:
      return "open the rootfs " + plan.rootfs;
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
    case Stage::kPivotRoot:
      return "pivot_root into " + plan.rootfs;
    case Stage::kConsole:
      return "mount the terminal on /dev/console";
    case Stage::kSysctl:
      if (auto* s = at(plan.sysctls, i)) return "write sysctl " + s->key;
      return "open /proc/sys for sysctls";
    case Stage::kMaskPath:
      if (auto* p = at(plan.masked_paths, i)) return "mask " + *p;
      return "open the container's /dev/null for masking";
    case Stage::kReadonlyPath:
      if (auto* p = at(plan.readonly_paths, i)) return "make " + *p + " read-only";
      return "make a path read-only";
    case Stage::kRootReadonly:
      return "make the root filesystem read-only";
    case Stage::kHostname:
      return "set the hostname";
    case Stage::kDomainname:
      return "set the domainname";
    default:
      return {};
  }
}

}  // namespace

std::string describe_process_failure(const ProcessPlan& process, const HandoffMessage& failure) {
  std::uint32_t i = failure.index;
  std::string what;
  switch (failure.stage) {
    case Stage::kHandoff:
      what = "talk to the runtime over the handoff socket";
      break;
    case Stage::kSetsid:
      what = "start a new session";
      break;
    case Stage::kTerminal:
      what = "set up the terminal";
      break;
    case Stage::kRlimit:
      what = "set " + (i < process.rlimits.size() ? rlimit_name(process.rlimits[i].resource)
                                                  : std::string("an rlimit"));
      break;
    case Stage::kCwd:
      what = "enter the working directory " + process.cwd;
      break;
    case Stage::kSetgroups:
      what = "set the additional groups";
      break;
    case Stage::kSetgid:
      what = "setgid " + std::to_string(process.gid);
      break;
    case Stage::kSetuid:
      what = "setuid " + std::to_string(process.uid);
      break;
    case Stage::kBoundingSet:
      what = "drop " + capability_name(static_cast<int>(i)) + " from the bounding set";
      break;
    case Stage::kCapset:
      what = "set the capabilities";
      break;
    case Stage::kAmbient:
      what = "raise the ambient capability " + capability_name(static_cast<int>(i));
      break;
    case Stage::kNoNewPrivileges:
      what = "set no_new_privs";
      break;
    case Stage::kSeccomp:
      what = "load the seccomp filter";
      break;
    case Stage::kUmask:
      what = "set the umask";
      break;
    case Stage::kExecLookup:
      if (failure.error == ENOENT && process.args[0].find('/') == std::string::npos) {
        return "executable file \"" + process.args[0] + "\" not found in $PATH (" +
               process.search_path + ")";
      }
      what = "find the executable " + process.args[0];
      break;
    case Stage::kExec:
      what = "exec " + process.args[0];
      break;
    default:
      what = "set up the process";
      break;
  }
  return what + ": " + std::strerror(failure.error);
}

std::string describe_failure(const StartPlan& plan, const HandoffMessage& failure) {
  std::string what = what_failed(plan, failure.stage, failure.index);
  if (what.empty()) return describe_process_failure(plan.process, failure);
  return what + ": " + std::strerror(failure.error);
}

}  // namespace cradle::ns
