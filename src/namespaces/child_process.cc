#include "namespaces/child_process.h"

#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <climits>
#include <cstring>

#include "base/unique_fd.h"
#include "namespaces/raw_syscalls.h"

namespace cradle::ns {
namespace {

void apply_rlimits(const ProcessPlan& process, const ChildHandoff& handoff) {
  for (std::uint32_t i = 0; i < process.rlimits.size(); ++i) {
    const Rlimit& r = process.rlimits[i];
    rlimit64 value{r.soft, r.hard};
    handoff.check(::prlimit64(0, static_cast<__rlimit_resource>(r.resource), &value, nullptr),
                  Stage::kRlimit, i);
  }
}

// The working directory is resolved without magic links, so a cwd of /proc/self/fd/N can never
// reach an fd of the host (CVE-2024-21626).
void enter_cwd(const ProcessPlan& process, const ChildHandoff& handoff) {
  UniqueFd cwd(sys_openat2(AT_FDCWD, process.cwd.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC,
                           RESOLVE_NO_MAGICLINKS));
  handoff.check(cwd.get(), Stage::kCwd);
  handoff.check(::fchdir(cwd.get()), Stage::kCwd);
}

bool is_executable_file(const char* path) {
  UniqueFd fd(sys_openat2(AT_FDCWD, path, O_PATH | O_CLOEXEC, RESOLVE_NO_MAGICLINKS));
  if (!fd) return false;
  struct stat st;
  if (::fstat(fd.get(), &st) < 0) return false;
  if (!S_ISREG(st.st_mode)) {
    errno = EACCES;
    return false;
  }
  return true;
}

// Finds args[0] as execvp would, but refuses any path through a magic link: until execve this
// process is the host's shim binary, and /proc/self/exe must never be what the image runs.
void find_executable(const ProcessPlan& process, char (&out)[PATH_MAX],
                     const ChildHandoff& handoff) {
  const char* name = process.args[0].c_str();
  std::size_t name_len = process.args[0].size();
  if (std::strchr(name, '/') != nullptr) {
    if (name_len >= PATH_MAX) handoff.fail(Stage::kExecLookup, 0, ENAMETOOLONG);
    std::memcpy(out, name, name_len + 1);
    if (!is_executable_file(out)) handoff.fail(Stage::kExecLookup);
    return;
  }
  const char* dir = process.search_path.c_str();
  int first_error = ENOENT;
  while (*dir != '\0') {
    const char* end = std::strchr(dir, ':');
    std::size_t dir_len = end ? static_cast<std::size_t>(end - dir) : std::strlen(dir);
    if (dir_len > 0 && dir_len + 1 + name_len < PATH_MAX) {
      std::memcpy(out, dir, dir_len);
      out[dir_len] = '/';
      std::memcpy(out + dir_len + 1, name, name_len + 1);
      if (is_executable_file(out)) return;
      if (errno != ENOENT && errno != ENOTDIR && first_error == ENOENT) first_error = errno;
    }
    if (end == nullptr) break;
    dir = end + 1;
  }
  handoff.fail(Stage::kExecLookup, 0, first_error);
}

void load_seccomp(const ProcessPlan& process, const ChildHandoff& handoff) {
  const SeccompProgram& program = *process.seccomp;
  sock_fprog prog{static_cast<unsigned short>(program.instructions.size()),
                  const_cast<sock_filter*>(program.instructions.data())};
  handoff.check(::syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, program.flags, &prog),
                Stage::kSeccomp);
}

void drop_bounding_set(const ProcessPlan& process, const ChildHandoff& handoff) {
  for (int cap = 0; cap <= process.last_capability; ++cap) {
    if (process.capabilities.bounding & (CapabilityMask{1} << cap)) continue;
    handoff.check(::prctl(PR_CAPBSET_DROP, cap, 0, 0, 0), Stage::kBoundingSet,
                  static_cast<std::uint32_t>(cap));
  }
}

void switch_user(const ProcessPlan& process, const ChildHandoff& handoff) {
  // Keep the permitted set across the uid change; capset below sets the exact sets.
  handoff.check(::prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0), Stage::kSetuid);
  handoff.check(::setgroups(process.additional_gids.size(), process.additional_gids.data()),
                Stage::kSetgroups);
  handoff.check(::setresgid(process.gid, process.gid, process.gid), Stage::kSetgid);
  handoff.check(::setresuid(process.uid, process.uid, process.uid), Stage::kSetuid);
  handoff.check(::prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0), Stage::kSetuid);
}

void set_capabilities(const ProcessPlan& process, const ChildHandoff& handoff) {
  const CapabilitySets& caps = process.capabilities;
  __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
  __user_cap_data_struct data[2];
  for (int word = 0; word < 2; ++word) {
    int shift = 32 * word;
    data[word].effective = static_cast<std::uint32_t>(caps.effective >> shift);
    data[word].permitted = static_cast<std::uint32_t>(caps.permitted >> shift);
    data[word].inheritable = static_cast<std::uint32_t>(caps.inheritable >> shift);
  }
  handoff.check(::syscall(SYS_capset, &header, data), Stage::kCapset);
  handoff.check(::prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0), Stage::kAmbient);
  for (int cap = 0; cap <= process.last_capability; ++cap) {
    if (!(caps.ambient & (CapabilityMask{1} << cap))) continue;
    handoff.check(::prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0), Stage::kAmbient,
                  static_cast<std::uint32_t>(cap));
  }
}

}  // namespace

void begin_child(const ProcessPlan& process, const ChildHandoff& handoff) {
  // No core dumps and no ptrace from the container while this is still the host's binary.
  handoff.check(::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0), Stage::kHandoff);
  if (process.kill_on_parent_death) {
    handoff.check(::prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0), Stage::kHandoff);
  }
  for (int fd = 0; fd <= 2; ++fd) {
    int from = process.stdio[fd];
    if (from >= 0 && from != fd) handoff.check(::dup2(from, fd), Stage::kHandoff);
  }
  // Nothing of the shim's survives execve: every fd but stdio becomes close-on-exec (the handoff
  // socket already is, and its closing is how the parent learns the exec happened).
  handoff.check(::close_range(3, ~0U, CLOSE_RANGE_CLOEXEC), Stage::kHandoff);
  handoff.check(::setsid(), Stage::kSetsid);
  struct sigaction dfl {};
  dfl.sa_handler = SIG_DFL;
  for (int sig : process.ignored_signals) {
    handoff.check(::sigaction(sig, &dfl, nullptr), Stage::kHandoff);
  }
  sigset_t none;
  sigemptyset(&none);
  handoff.check(::sigprocmask(SIG_SETMASK, &none, nullptr), Stage::kHandoff);
  ::umask(0);
}

[[noreturn]] void exec_process(const ProcessPlan& process, const ChildHandoff& handoff,
                               int pty_master) {
  apply_rlimits(process, handoff);
  enter_cwd(process, handoff);
  char executable[PATH_MAX];
  find_executable(process, executable, handoff);

  handoff.send(HandoffType::kReady, pty_master);
  if (pty_master >= 0) ::close(pty_master);
  handoff.wait_for(HandoffType::kGo);

  // Without no_new_privs the kernel only lets a process holding CAP_SYS_ADMIN load a filter, so
  // load it while still root; the calls below must then pass it (as they must in runc).
  if (process.seccomp && !process.no_new_privileges) load_seccomp(process, handoff);
  drop_bounding_set(process, handoff);
  switch_user(process, handoff);
  set_capabilities(process, handoff);
  if (process.kill_on_parent_death) {
    // A credential change clears the parent-death signal; set it again for the new identity.
    handoff.check(::prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0), Stage::kHandoff);
  }
  ::umask(process.umask);
  if (process.no_new_privileges) {
    handoff.check(::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), Stage::kNoNewPrivileges);
    if (process.seccomp) load_seccomp(process, handoff);
  }
  ::execve(executable, process.argv.data(), process.envp.data());
  handoff.fail(Stage::kExec);
}

}  // namespace cradle::ns
