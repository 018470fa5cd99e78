// The shim's task API carries resources through, as containerd uses it: the limits of the spec
// are in place after Create, Update changes them on the running container, and Stats reports
// them with the workload's usage (io.containerd.cgroups.v2.Metrics).
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/file_io.h"
#include "github.com/containerd/cgroups/v2/stats/metrics.pb.h"
#include "github.com/containerd/containerd/runtime/v2/task/shim.pb.h"
#include "integration/shim_api_client.h"
#include "integration/shim_run.h"
#include "support/temp_dir.h"

namespace cradle::testing {
namespace {

namespace task = containerd::task::v2;

constexpr std::uint64_t kMiB = 1 << 20;

class ShimApiResources : public ::testing::Test {
 protected:
  ShimApiResources() : events_(scratch_.path() + "/events.sock") {}

  // A shim whose container runs `sleep` under the spec's memory and pids limits.
  void create_and_start() {
    bundle_ = std::make_unique<BusyboxBundle>(std::vector<std::string>{"sleep", "1000"});
    ::unlink(bundle_->rootfs().c_str());
    ASSERT_EQ(::mkdir(bundle_->rootfs().c_str(), 0711), 0);
    bundle_->config()["root"]["path"] = "rootfs";
    bundle_->config()["linux"]["cgroupsPath"] = "/cradle/" + id_;
    bundle_->config()["linux"]["resources"]["memory"] = {{"limit", 64 * kMiB}};
    bundle_->config()["linux"]["resources"]["pids"] = {{"limit", 20}};
    shim_ = std::make_unique<ShimUnderTest>(*bundle_, id_, scratch_.path() + "/events.sock");

    shim_->call<task::CreateTaskResponse>("Create", busybox_create_request(id_, bundle_->path()));
    shim_->call<task::StartResponse>("Start", with_id<task::StartRequest>());
  }

  template <typename Request>
  Request with_id() {
    Request r;
    r.set_id(id_);
    return r;
  }

  std::string cgroup_file(const std::string& name) const {
    return read_file(run_cgroup_path(id_) + "/" + name);
  }

  io::containerd::cgroups::v2::Metrics stats() {
    auto response = shim_->call<task::StatsResponse>("Stats", with_id<task::StatsRequest>());
    EXPECT_EQ(response.stats().type_url(), "io.containerd.cgroups.v2.Metrics");
    io::containerd::cgroups::v2::Metrics metrics;
    EXPECT_TRUE(metrics.ParseFromString(response.stats().value()));
    return metrics;
  }

  void TearDown() override {
    if (!shim_) return;
    auto kill = with_id<task::KillRequest>();
    kill.set_signal(SIGKILL);
    kill.set_all(true);
    shim_->call_raw("Kill", kill.SerializeAsString());
    shim_->call<task::WaitResponse>("Wait", with_id<task::WaitRequest>());
    shim_->call<task::DeleteResponse>("Delete", with_id<task::DeleteRequest>());
    shim_->call_raw("Shutdown", with_id<task::ShutdownRequest>().SerializeAsString());
    EXPECT_NE(::access(run_cgroup_path(id_).c_str(), F_OK), 0) << "the container's cgroup is left";
  }

  TempDir scratch_;
  EventsRecorder events_;
  std::string id_ = unique_id("res-api");
  std::unique_ptr<BusyboxBundle> bundle_;
  std::unique_ptr<ShimUnderTest> shim_;
};

TEST_F(ShimApiResources, UpdateChangesTheRunningContainersLimitsAndStatsReportThem) {
  create_and_start();
  EXPECT_EQ(cgroup_file("memory.max"), std::to_string(64 * kMiB) + "\n");
  EXPECT_EQ(cgroup_file("pids.max"), "20\n");

  // containerd sends the new resources as runtime-spec LinuxResources JSON.
  auto update = with_id<task::UpdateTaskRequest>();
  update.mutable_resources()->set_type_url(
      "types.containerd.io/opencontainers/runtime-spec/1/LinuxResources");
  update.mutable_resources()->set_value(
      R"({"memory":{"limit":134217728},"pids":{"limit":50},"cpu":{"quota":50000,"period":100000}})");
  shim_->call_raw("Update", update.SerializeAsString());
  EXPECT_EQ(cgroup_file("memory.max"), "134217728\n");
  EXPECT_EQ(cgroup_file("pids.max"), "50\n");
  EXPECT_EQ(cgroup_file("cpu.max"), "50000 100000\n");

  io::containerd::cgroups::v2::Metrics metrics = stats();
  EXPECT_EQ(metrics.memory().usage_limit(), 128 * kMiB);
  EXPECT_GT(metrics.memory().usage(), 0u);
  EXPECT_EQ(metrics.pids().limit(), 50u);
  EXPECT_GE(metrics.pids().current(), 1u);
  EXPECT_GT(metrics.cpu().usage_usec(), 0u);
}

TEST_F(ShimApiResources, ARefusedUpdateIsAnErrorAndChangesNothing) {
  create_and_start();
  auto update = with_id<task::UpdateTaskRequest>();
  update.mutable_resources()->set_type_url(
      "types.containerd.io/opencontainers/runtime-spec/1/LinuxResources");
  update.mutable_resources()->set_value(R"({"memory":{"disableOOMKiller":true}})");
  EXPECT_THROW(shim_->call_raw("Update", update.SerializeAsString()), Error);
  EXPECT_EQ(cgroup_file("memory.max"), std::to_string(64 * kMiB) + "\n");
  EXPECT_EQ(cgroup_file("pids.max"), "20\n");
}

}  // namespace
}  // namespace cradle::testing
