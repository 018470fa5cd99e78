#include "resource_test.h"

#include <unistd.h>

#include <filesystem>
#include <thread>

#include "base/file_io.h"
#include "cgroups/cgroup_root.h"

namespace cradle::testing {

bool wait_until(const std::function<bool()>& until, const std::string& what) {
  const auto deadline = std::chrono::steady_clock::now() + kWaitLimit;
  while (!until()) {
    if (std::chrono::steady_clock::now() > deadline) {
      ADD_FAILURE() << "gave up after " << kWaitLimit.count() << " s waiting for " << what;
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return true;
}

ResourceTest::~ResourceTest() {
  // A test that failed half-way: the shim dies with SIGKILL (its destructor), which leaves the
  // cgroup; remove it (and what is still in it) so the next test starts clean.
  shim_.reset();
  if (!id_.empty()) {
    if (auto left =
            cgroups::Cgroup::open_existing(cgroups::CgroupRoot::detect(), "cradle/" + id_)) {
      left->remove();
    }
  }
}

void ResourceTest::set_resource(BusyboxBundle& bundle, const std::string& section,
                                const nlohmann::json& value) {
  bundle.config()["linux"]["resources"][section] = value;
}

void ResourceTest::start(BusyboxBundle& bundle) {
  add_mount(bundle.config(), "/shared", "bind", shared_.path(), {"rbind", "rw"});
  shim_.emplace(run_command(bundle));
  const std::string ready = shared_.path() + "/ready";
  ASSERT_TRUE(wait_until([&] { return std::filesystem::exists(ready); },
                         "the workload of container " + id_ + " to touch /shared/ready"));
  cgroup_ = cgroups::Cgroup::open_existing(cgroups::CgroupRoot::detect(), "cradle/" + id_);
  ASSERT_TRUE(cgroup_.has_value()) << "container " << id_ << " runs without its cgroup";
}

void ResourceTest::go() {
  write_file_atomic(shared_.path() + "/go", "");
}

ProcessResult ResourceTest::finish(const BusyboxBundle& bundle) {
  ProcessResult result = shim_->wait();
  shim_.reset();
  cgroup_.reset();
  check_nothing_left(bundle);
  return result;
}

std::string ResourceTest::cgroup_file(const std::string& name) {
  std::string text = read_file(cgroup_->path() + "/" + name);
  while (!text.empty() && text.back() == '\n')
    text.pop_back();
  return text;
}

}  // namespace cradle::testing
