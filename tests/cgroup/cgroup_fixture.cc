#include "cgroup_fixture.h"

#include <fcntl.h>
#include <linux/sched.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>

#include "base/error.h"
#include "base/file_io.h"
#include "cgroups/cgroup.h"
#include "cgroups/cgroup_file_format.h"

namespace cradle::cgroups {

namespace {

// clone3 into the cgroup; returns 0 in the child, which then runs only async-signal-safe code (it
// was not made by fork()).
pid_t clone_into(int cgroup_fd) {
  clone_args args{};
  args.flags = CLONE_INTO_CGROUP;
  args.exit_signal = SIGCHLD;
  args.cgroup = static_cast<std::uint64_t>(cgroup_fd);
  long pid = ::syscall(SYS_clone3, &args, sizeof args);
  if (pid < 0) throw_errno("clone3 into cgroup");
  return static_cast<pid_t>(pid);
}

int wait_status(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return status;
}

}  // namespace

bool exists(const std::string& path) {
  return std::filesystem::exists(path);
}

std::string trimmed(std::string text) {
  while (!text.empty() && text.back() == '\n')
    text.pop_back();
  return text;
}

std::set<std::string> subtree_control_of(const std::string& dir) {
  return parse_name_list(read_file(dir + "/cgroup.subtree_control"));
}

Child::Child(int cgroup_fd, Behaviour behaviour) {
  pid_t pid = clone_into(cgroup_fd);
  if (pid == 0) {
    if (behaviour == Behaviour::kSpin) {
      volatile unsigned long spins = 0;
      for (;;)
        spins = spins + 1;
    }
    for (;;)
      ::pause();
  }
  pid_ = pid;
}

Child::~Child() {
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    reap();
  }
}

int Child::reap() {
  int status = wait_status(pid_);
  pid_ = -1;
  return status;
}

int open_errno_in_cgroup(int cgroup_fd, const std::string& path, int flags) {
  const char* file = path.c_str();
  pid_t pid = clone_into(cgroup_fd);
  if (pid == 0) {
    int fd = ::open(file, flags | O_CLOEXEC);
    ::_exit(fd >= 0 ? 0 : errno);
  }
  int status = wait_status(pid);
  if (!WIFEXITED(status)) throw Error(ErrorCode::kInternal, "the child opening " + path + " died");
  return WEXITSTATUS(status);
}

void CgroupTest::SetUpTestSuite() {
  root_controllers_before_ = subtree_control_of(CgroupRoot::detect().mount_path);
}

void CgroupTest::TearDownTestSuite() {
  const CgroupRoot root = CgroupRoot::detect();
  const std::string parent = root.mount_path + "/" + kTestParent;
  if (!exists(parent)) return;
  const std::string mine = std::to_string(::getpid()) + "-";
  for (const auto& entry : std::filesystem::directory_iterator(parent)) {
    std::string name = entry.path().filename();
    if (!entry.is_directory() || !name.starts_with(mine)) continue;
    ADD_FAILURE() << "a test left the cgroup " << entry.path();
    if (auto left = Cgroup::open_existing(root, std::string(kTestParent) + "/" + name)) {
      left->remove();
    }
  }
  if (::rmdir(parent.c_str()) != 0) {
    if (errno == EBUSY || errno == ENOTEMPTY || errno == ENOENT) return;  // not the last one
    ADD_FAILURE() << "could not remove " << parent << ": " << std::strerror(errno);
    return;
  }
  for (const std::string& controller : subtree_control_of(root.mount_path)) {
    if (root_controllers_before_.contains(controller)) continue;
    write_file(root.mount_path + "/cgroup.subtree_control", "-" + controller);
  }
}

std::string CgroupTest::unique_path(const std::string& suffix) const {
  return std::string(kTestParent) + "/" + std::to_string(::getpid()) + "-" +
         ::testing::UnitTest::GetInstance()->current_test_info()->name() + suffix;
}

}  // namespace cradle::cgroups
