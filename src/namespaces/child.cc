#include "namespaces/child.h"

#include <fcntl.h>
#include <linux/magic.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <termios.h>
#include <unistd.h>

#include <climits>
#include <cstring>

#include "namespaces/child_fs.h"
#include "namespaces/child_handoff.h"
#include "namespaces/child_process.h"
#include "namespaces/child_terminal.h"
#include "namespaces/raw_syscalls.h"

namespace cradle::ns {
namespace {

void enter_user_namespace(const StartPlan& plan, const ChildHandoff& handoff) {
  handoff.send(HandoffType::kUserNamespaceReady);
  handoff.wait_for(HandoffType::kIdMapsWritten);
  // Until now the child is the overflow uid in its namespace, which may not own files; root of
  // the namespace can. The spec's own user is taken later, like any container process.
  if (plan.user_namespace_maps_root) {
    handoff.check(::setresgid(0, 0, 0), Stage::kBecomeRootInUserNamespace);
    handoff.check(::setresuid(0, 0, 0), Stage::kBecomeRootInUserNamespace);
  }
}

void setup_namespaces(const StartPlan& plan, const ChildHandoff& handoff) {
  if (plan.clone_flags & CLONE_NEWUSER) enter_user_namespace(plan, handoff);
  for (std::uint32_t i = 0; i < plan.joins.size(); ++i) {
    handoff.check(::setns(plan.joins[i].fd.get(), plan.joins[i].nstype), Stage::kJoinNamespace, i);
  }
  if (plan.unshare_flags != 0) {
    handoff.check(::unshare(static_cast<int>(plan.unshare_flags)), Stage::kUnshare);
    if (plan.unshare_flags & CLONE_NEWUSER) enter_user_namespace(plan, handoff);
  }
}

// pivot_root(2) refuses a new root whose parent mount is shared; with a shared rootfs
// propagation, make the nearest mount above the rootfs private (as runc and crun do).
void make_rootfs_parent_private(const StartPlan& plan, const ChildHandoff& handoff) {
  char path[PATH_MAX];
  std::size_t len = plan.rootfs.size();
  if (len >= sizeof path) handoff.fail(Stage::kRootParentPrivate, 0, ENAMETOOLONG);
  std::memcpy(path, plan.rootfs.c_str(), len + 1);
  for (;;) {
    char* slash = std::strrchr(path, '/');
    if (slash == nullptr) handoff.fail(Stage::kRootParentPrivate, 0, EINVAL);
    slash == path ? slash[1] = '\0' : * slash = '\0';
    if (::mount(nullptr, path, nullptr, MS_PRIVATE, nullptr) == 0) return;
    if (errno != EINVAL || slash == path) handoff.fail(Stage::kRootParentPrivate);
  }
}

int prepare_rootfs(const StartPlan& plan, const ChildHandoff& handoff) {
  handoff.check(::mount(nullptr, "/", nullptr, MS_REC | plan.rootfs_propagation, nullptr),
                Stage::kRootPropagation);
  if (plan.rootfs_propagation & MS_SHARED) make_rootfs_parent_private(plan, handoff);
  // pivot_root needs the new root to be a mount point of its own.
  handoff.check(
      ::mount(plan.rootfs.c_str(), plan.rootfs.c_str(), nullptr, MS_BIND | MS_REC, nullptr),
      Stage::kRootfsBind);
  int root_fd = ::open(plan.rootfs.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
  handoff.check(root_fd, Stage::kOpenRootfs);
  return root_fd;
}

int make_filesystem_mount(const MountStep& step) {
  UniqueFd fs(::fsopen(step.fstype.c_str(), FSOPEN_CLOEXEC));
  if (fs.get() < 0) return -1;
  if (!step.source.empty() &&
      ::fsconfig(fs.get(), FSCONFIG_SET_STRING, "source", step.source.c_str(), 0) < 0) {
    return -1;
  }
  for (const auto& [key, value] : step.fs_options) {
    int rc = value.empty()
                 ? ::fsconfig(fs.get(), FSCONFIG_SET_FLAG, key.c_str(), nullptr, 0)
                 : ::fsconfig(fs.get(), FSCONFIG_SET_STRING, key.c_str(), value.c_str(), 0);
    if (rc < 0) return -1;
  }
  if (::fsconfig(fs.get(), FSCONFIG_CMD_CREATE, nullptr, nullptr, 0) < 0) return -1;
  return ::fsmount(fs.get(), FSMOUNT_CLOEXEC, step.attr_set);
}

int clone_tree(const char* source, bool recursive) {
  return ::open_tree(AT_FDCWD, source,
                     OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | (recursive ? AT_RECURSIVE : 0));
}

void do_mount(int root_fd, const MountStep& step, std::uint32_t index,
              const ChildHandoff& handoff) {
  UniqueFd target(open_in_root(root_fd, step.destination.c_str(),
                               step.destination_is_dir ? CreateAs::kDirectory : CreateAs::kFile));
  handoff.check(target.get(), Stage::kMountPoint, index);

  UniqueFd mnt(step.kind == MountStep::Kind::kBind ? clone_tree(step.source.c_str(), step.recursive)
                                                   : make_filesystem_mount(step));
  if (mnt.get() < 0 && errno == EPERM && !step.fallback_bind_source.empty()) {
    mnt.reset(clone_tree(step.fallback_bind_source.c_str(), true));
  }
  handoff.check(mnt.get(), Stage::kMount, index);
  // A filesystem mount got its attributes from fsmount; a bind gets them on the detached tree,
  // so it is never visible in the container with weaker flags than asked for.
  if (step.kind == MountStep::Kind::kBind || !step.fallback_bind_source.empty()) {
    handoff.check(set_mount_attr(mnt.get(), step.attr_set, step.attr_clear, 0, step.recursive),
                  Stage::kMount, index);
  }
  handoff.check(::move_mount(mnt.get(), "", target.get(), "",
                             MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH),
                Stage::kMount, index);
  if (step.propagation != 0) {
    handoff.check(set_mount_attr(mnt.get(), 0, 0, step.propagation, step.propagation_recursive),
                  Stage::kMountPropagation, index);
  }
}

void make_device(int root_fd, const DeviceStep& dev, std::uint32_t index,
                 const ChildHandoff& handoff) {
  const char* name = nullptr;
  UniqueFd parent(open_parent_in_root(root_fd, dev.path.c_str(), &name));
  handoff.check(parent.get(), Stage::kDevice, index);
  if (dev.bind_from_host) {
    int fd = ::openat(parent.get(), name, O_CREAT | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0644);
    handoff.check(fd, Stage::kDevice, index);
    ::close(fd);
    UniqueFd node(clone_tree(dev.path.c_str(), false));
    handoff.check(node.get(), Stage::kDevice, index);
    handoff.check(::move_mount(node.get(), "", parent.get(), name, MOVE_MOUNT_F_EMPTY_PATH),
                  Stage::kDevice, index);
    return;
  }
  if (::mknodat(parent.get(), name, dev.mode, dev.device) < 0) {
    // An image that ships its own /dev entries: replace them with the node the spec asks for.
    handoff.check(errno == EEXIST ? ::unlinkat(parent.get(), name, 0) : -1, Stage::kDevice, index);
    handoff.check(::mknodat(parent.get(), name, dev.mode, dev.device), Stage::kDevice, index);
  }
  handoff.check(::fchownat(parent.get(), name, dev.uid, dev.gid, AT_SYMLINK_NOFOLLOW),
                Stage::kDevice, index);
}

void make_dev_symlink(int root_fd, const SymlinkStep& link, std::uint32_t index,
                      const ChildHandoff& handoff) {
  const char* name = nullptr;
  UniqueFd parent(open_parent_in_root(root_fd, link.path.c_str(), &name));
  handoff.check(parent.get(), Stage::kDevSymlink, index);
  if (::symlinkat(link.target.c_str(), parent.get(), name) < 0) {
    // /dev/ptmx may be a device node in an image's /dev; the container's must be the link.
    handoff.check(errno == EEXIST ? ::unlinkat(parent.get(), name, 0) : -1, Stage::kDevSymlink,
                  index);
    handoff.check(::symlinkat(link.target.c_str(), parent.get(), name), Stage::kDevSymlink, index);
  }
}

void pivot_into(int root_fd, const ChildHandoff& handoff) {
  handoff.check(::fchdir(root_fd), Stage::kPivotRoot);
  // pivot_root(".", ".") stacks the old root on top of the new one; detaching it leaves the new
  // root alone, with no directory needed for the old one. Make it a slave first so the detach
  // never propagates back to the host.
  handoff.check(sys_pivot_root(".", "."), Stage::kPivotRoot);
  handoff.check(::mount(nullptr, ".", nullptr, MS_SLAVE | MS_REC, nullptr), Stage::kPivotRoot);
  handoff.check(::umount2(".", MNT_DETACH), Stage::kPivotRoot);
  handoff.check(::chdir("/"), Stage::kPivotRoot);
}

void write_sysctls(const StartPlan& plan, const ChildHandoff& handoff) {
  if (plan.sysctls.empty()) return;
  // Only through a procfs we can prove is one: an image cannot fake /proc/sys with a directory.
  UniqueFd proc_sys(sys_openat2(AT_FDCWD, "/proc/sys", O_PATH | O_DIRECTORY | O_CLOEXEC,
                                RESOLVE_NO_MAGICLINKS | RESOLVE_NO_SYMLINKS));
  handoff.check(proc_sys.get(), Stage::kSysctl);
  struct statfs fs;
  handoff.check(::fstatfs(proc_sys.get(), &fs), Stage::kSysctl);
  if (fs.f_type != PROC_SUPER_MAGIC) handoff.fail(Stage::kSysctl, 0, EXDEV);
  for (std::uint32_t i = 0; i < plan.sysctls.size(); ++i) {
    const SysctlStep& s = plan.sysctls[i];
    UniqueFd fd(sys_openat2(proc_sys.get(), s.proc_path.c_str(), O_WRONLY | O_CLOEXEC,
                            RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS));
    handoff.check(fd.get(), Stage::kSysctl, i);
    handoff.check(::write(fd.get(), s.value.data(), s.value.size()), Stage::kSysctl, i);
  }
}

// Hides a path: an empty read-only tmpfs over a directory, /dev/null over anything else.
void mask_paths(const StartPlan& plan, int dev_null, const ChildHandoff& handoff) {
  for (std::uint32_t i = 0; i < plan.masked_paths.size(); ++i) {
    UniqueFd target(sys_openat2(AT_FDCWD, plan.masked_paths[i].c_str(),
                                O_PATH | O_NOFOLLOW | O_CLOEXEC, RESOLVE_NO_MAGICLINKS));
    if (target.get() < 0 && errno == ENOENT) continue;
    handoff.check(target.get(), Stage::kMaskPath, i);
    struct stat st;
    handoff.check(::fstat(target.get(), &st), Stage::kMaskPath, i);
    if (S_ISLNK(st.st_mode)) continue;
    UniqueFd cover;
    if (S_ISDIR(st.st_mode)) {
      UniqueFd fs(::fsopen("tmpfs", FSOPEN_CLOEXEC));
      handoff.check(fs.get(), Stage::kMaskPath, i);
      handoff.check(::fsconfig(fs.get(), FSCONFIG_SET_STRING, "size", "0", 0), Stage::kMaskPath, i);
      handoff.check(::fsconfig(fs.get(), FSCONFIG_CMD_CREATE, nullptr, nullptr, 0),
                    Stage::kMaskPath, i);
      cover.reset(::fsmount(fs.get(), FSMOUNT_CLOEXEC, MOUNT_ATTR_RDONLY));
    } else {
      cover.reset(::open_tree(dev_null, "", AT_EMPTY_PATH | OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC));
    }
    handoff.check(cover.get(), Stage::kMaskPath, i);
    handoff.check(::move_mount(cover.get(), "", target.get(), "",
                               MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH),
                  Stage::kMaskPath, i);
  }
}

void make_paths_readonly(const StartPlan& plan, const ChildHandoff& handoff) {
  for (std::uint32_t i = 0; i < plan.readonly_paths.size(); ++i) {
    UniqueFd target(sys_openat2(AT_FDCWD, plan.readonly_paths[i].c_str(),
                                O_PATH | O_NOFOLLOW | O_CLOEXEC, RESOLVE_NO_MAGICLINKS));
    if (target.get() < 0 && errno == ENOENT) continue;
    handoff.check(target.get(), Stage::kReadonlyPath, i);
    // A path inside a mount is not a mount of its own: bind it onto itself, read-only.
    UniqueFd tree(::open_tree(target.get(), "",
                              AT_EMPTY_PATH | OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE));
    handoff.check(tree.get(), Stage::kReadonlyPath, i);
    handoff.check(set_mount_attr(tree.get(), MOUNT_ATTR_RDONLY, 0, 0, true), Stage::kReadonlyPath,
                  i);
    handoff.check(::move_mount(tree.get(), "", target.get(), "",
                               MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH),
                  Stage::kReadonlyPath, i);
  }
}

// The container's own /dev/null, proven to be the real device (CVE-2025-31133): the host's is
// out of reach once the old root is detached.
int open_dev_null(const ChildHandoff& handoff) {
  int fd = sys_openat2(AT_FDCWD, "/dev/null", O_PATH | O_NOFOLLOW | O_CLOEXEC, RESOLVE_NO_SYMLINKS);
  handoff.check(fd, Stage::kMaskPath);
  struct stat st;
  handoff.check(::fstat(fd, &st), Stage::kMaskPath);
  if (!S_ISCHR(st.st_mode) || st.st_rdev != makedev(1, 3)) handoff.fail(Stage::kMaskPath, 0, EXDEV);
  return fd;
}

// Builds the container's filesystem view and pivots into it. Returns the pty master (or -1).
int build_container(const StartPlan& plan, const ChildHandoff& handoff) {
  {
    UniqueFd root(prepare_rootfs(plan, handoff));
    for (std::uint32_t i = 0; i < plan.mounts.size(); ++i)
      do_mount(root.get(), plan.mounts[i], i, handoff);
    for (std::uint32_t i = 0; i < plan.devices.size(); ++i)
      make_device(root.get(), plan.devices[i], i, handoff);
    for (std::uint32_t i = 0; i < plan.dev_symlinks.size(); ++i) {
      make_dev_symlink(root.get(), plan.dev_symlinks[i], i, handoff);
    }
    // A missing working directory is made, as docker does for WORKDIR; now, while the rootfs
    // may still be written.
    handoff.check(
        UniqueFd(open_in_root(root.get(), plan.process.cwd.c_str(), CreateAs::kDirectory)).get(),
        Stage::kCwd);
    handoff.mark_phase(2);
    pivot_into(root.get(), handoff);
    handoff.mark_phase(3);
  }
  int master = plan.process.terminal ? open_terminal(plan.process, handoff, true) : -1;
  write_sysctls(plan, handoff);
  if (!plan.masked_paths.empty()) {
    UniqueFd dev_null(open_dev_null(handoff));
    mask_paths(plan, dev_null.get(), handoff);
  }
  make_paths_readonly(plan, handoff);
  if (plan.rootfs_readonly) {
    handoff.check(set_mount_attr_at(AT_FDCWD, "/", MOUNT_ATTR_RDONLY), Stage::kRootReadonly);
  }
  if (plan.hostname) {
    handoff.check(::sethostname(plan.hostname->data(), plan.hostname->size()), Stage::kHostname);
  }
  if (plan.domainname) {
    handoff.check(::setdomainname(plan.domainname->data(), plan.domainname->size()),
                  Stage::kDomainname);
  }
  return master;
}

}  // namespace

[[noreturn]] void run_init_child(const StartPlan& plan, int handoff_fd) {
  ChildHandoff handoff(handoff_fd);
  handoff.mark_phase(0);
  begin_child(plan.process, handoff);
  setup_namespaces(plan, handoff);
  handoff.mark_phase(1);
  int pty_master = build_container(plan, handoff);
  exec_process(plan.process, handoff, pty_master);
}

[[noreturn]] void run_exec_child(const ExecPlan& plan, int init_pidfd, int handoff_fd) {
  ChildHandoff handoff(handoff_fd);
  begin_child(plan.process, handoff);
  // One call joins them all, the user namespace first, and takes the init's root and cwd.
  handoff.check(::setns(init_pidfd, plan.setns_flags), Stage::kJoinNamespace);
  int pty_master = plan.process.terminal ? open_terminal(plan.process, handoff, false) : -1;
  exec_process(plan.process, handoff, pty_master);
}

}  // namespace cradle::ns
