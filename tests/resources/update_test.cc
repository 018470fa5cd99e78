// Updating a running container through the Cgroup API on its cgroup (cradle/<id>), as the shim's
// Update will: a limit raised or lifted takes effect for the running workload, and new device
// rules replace the device filter.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "resource_test.h"

namespace cradle::testing {
namespace {

class Update : public ResourceTest {};

TEST_F(Update, RaisingTheMemoryLimitLetsTheWorkloadAllocate) {
  BusyboxBundle bundle({"sh", "-c",
                        std::string(kSignalReady) + "; " + kAwaitGo +
                            "; dd if=/dev/zero of=/dev/null bs=64M count=1 2>/dev/null "
                            "&& echo allocated"});
  set_resource(bundle, "memory", {{"limit", 32 << 20}});
  set_resource(bundle, "pids", {{"limit", 8}});
  ASSERT_NO_FATAL_FAILURE(start(bundle));
  ASSERT_EQ(cgroup_file("memory.max"), std::to_string(32 << 20));

  cgroup().update(cgroups::Resources{.memory = cgroups::MemoryResources{.limit = 256 << 20},
                                     .pids = cgroups::PidsResources{.limit = -1}});
  EXPECT_EQ(cgroup_file("memory.max"), std::to_string(256 << 20));
  EXPECT_EQ(cgroup_file("pids.max"), "max");

  go();
  ProcessResult r = finish(bundle);
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "allocated\n");
}

TEST_F(Update, LiftingLimitsWritesTheKernelsDefaults) {
  BusyboxBundle bundle({"sh", "-c", std::string(kSignalReady) + "; " + kAwaitGo});
  set_resource(bundle, "memory", {{"limit", 64 << 20}});
  set_resource(bundle, "cpu", {{"shares", 512}, {"quota", 20000}, {"period", 100000}});
  ASSERT_NO_FATAL_FAILURE(start(bundle));

  cgroup().update(cgroups::Resources{
      .memory = cgroups::MemoryResources{.limit = -1},
      .cpu = cgroups::CpuResources{.shares = 1024, .quota = -1},
  });
  EXPECT_EQ(cgroup_file("memory.max"), "max");
  EXPECT_EQ(cgroup_file("cpu.weight"), "100");
  EXPECT_EQ(cgroup_file("cpu.max"), "max 100000");

  go();
  EXPECT_EQ(finish(bundle).status, 0);
}

TEST_F(Update, NewDeviceRulesReplaceTheFilter) {
  BusyboxBundle bundle({"sh", "-c",
                        std::string("echo x > /dev/kmsg || echo denied; ") + kSignalReady + "; " +
                            kAwaitGo + "; echo cradle-update-test > /dev/kmsg && echo allowed"});
  bundle.config()["linux"]["devices"] = {
      {{"path", "/dev/kmsg"}, {"type", "c"}, {"major", 1}, {"minor", 11}, {"fileMode", 0600}}};
  ASSERT_NO_FATAL_FAILURE(start(bundle));

  cgroup().update(cgroups::Resources{
      .devices = {{.allow = false, .type = 'a', .major = -1, .minor = -1, .access = "rwm"},
                  {.allow = true, .type = 'c', .major = 1, .minor = 11, .access = "w"}}});

  go();
  ProcessResult r = finish(bundle);
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "denied\nallowed\n");
  EXPECT_EQ(r.err, "sh: can't create /dev/kmsg: Operation not permitted\n");
}

}  // namespace
}  // namespace cradle::testing
