#include "shim_run.h"

#include <sys/stat.h>
#include <unistd.h>

#include <atomic>

#include "base/file_io.h"
#include "cgroups/cgroup_root.h"

namespace cradle::testing {

std::string unique_id(const std::string& prefix) {
  static std::atomic<int> counter{0};
  return prefix + "-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
}

std::string run_cgroup_path(const std::string& id) {
  return cgroups::CgroupRoot::detect().mount_path + "/cradle/" + id;
}

bool host_mounts_mention(const std::string& text) {
  return read_file("/proc/self/mountinfo").find(text) != std::string::npos;
}

std::vector<std::string> ShimRunTest::run_command(const BusyboxBundle& bundle) {
  bundle.write();
  id_ = unique_id("it");
  return {CRADLE_SHIM_BINARY, "run", "--bundle", bundle.path(), "--id", id_};
}

void ShimRunTest::check_nothing_left(const BusyboxBundle& bundle) {
  struct stat st;
  EXPECT_NE(::stat(run_cgroup_path(id_).c_str(), &st), 0)
      << "the container's cgroup is still there: " << run_cgroup_path(id_);
  EXPECT_FALSE(host_mounts_mention(bundle.path())) << "a mount of the bundle leaked to the host";
}

ProcessResult ShimRunTest::run(const BusyboxBundle& bundle, const std::string& input) {
  ProcessResult result = run_process(run_command(bundle), input);
  check_nothing_left(bundle);
  return result;
}

}  // namespace cradle::testing
