// pids, cpu, cpuset and io limits on real containers, each checked by what the workload meets or
// by the cgroup's own counters and files.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "base/file_io.h"
#include "cgroups/stats.h"
#include "resource_test.h"

namespace cradle::testing {
namespace {

using ::testing::HasSubstr;

class Limits : public ResourceTest {};

TEST_F(Limits, PidsMaxMakesForkFail) {
  // The shell is one of the 4: three sleeps fit, the fourth fork fails.
  BusyboxBundle bundle({"sh", "-c",
                        "i=0; while [ $i -lt 8 ]; do sleep 1000 & i=$((i+1)); echo forked $i; "
                        "done"});
  set_resource(bundle, "pids", {{"limit", 4}});
  ProcessResult r = run(bundle);
  EXPECT_NE(r.status, 0);
  EXPECT_EQ(r.out, "forked 1\nforked 2\nforked 3\n");
  EXPECT_THAT(r.err, HasSubstr("can't fork: Resource temporarily unavailable"));
}

TEST_F(Limits, CpuMaxThrottlesASpinningWorkload) {
  BusyboxBundle bundle({"sh", "-c", std::string(kSignalReady) + "; while :; do :; done"});
  set_resource(bundle, "cpu", {{"quota", 10000}, {"period", 100000}});
  ASSERT_NO_FATAL_FAILURE(start(bundle));
  EXPECT_EQ(cgroup_file("cpu.max"), "10000 100000");
  EXPECT_TRUE(
      wait_until([&] { return cgroups::parse_cpu_stat(cgroup_file("cpu.stat")).nr_throttled > 0; },
                 "cpu.stat's nr_throttled to rise"));

  cgroup().kill();
  EXPECT_EQ(finish(bundle).status, 128 + SIGKILL);
}

TEST_F(Limits, CpusetPinsTheContainer) {
  BusyboxBundle bundle({"grep", "-E", "^(Cpus|Mems)_allowed_list", "/proc/self/status"});
  set_resource(bundle, "cpu", {{"cpus", "1"}, {"mems", "0"}});
  ProcessResult r = run(bundle);
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "Cpus_allowed_list:\t1\nMems_allowed_list:\t0\n");
}

// The guest's ram disk (brd): the one block device the VM lane has.
std::string ram_disk_numbers() {
  std::string dev = read_file("/sys/block/ram0/dev");
  while (!dev.empty() && dev.back() == '\n')
    dev.pop_back();
  return dev;
}

TEST_F(Limits, IoWeightAndIoMaxAreWrittenAsAsked) {
  const std::string dev = ram_disk_numbers();  // "1:0"
  const int major = std::stoi(dev.substr(0, dev.find(':')));
  const int minor = std::stoi(dev.substr(dev.find(':') + 1));
  BusyboxBundle bundle({"cat", "/sys/fs/cgroup/io.weight", "/sys/fs/cgroup/io.max"});
  set_resource(
      bundle, "blockIO",
      {{"weight", 500},
       {"throttleReadBpsDevice", {{{"major", major}, {"minor", minor}, {"rate", 1048576}}}},
       {"throttleWriteIOPSDevice", {{{"major", major}, {"minor", minor}, {"rate", 100}}}}});
  ProcessResult r = run(bundle);
  EXPECT_EQ(r.status, 0) << r.err;
  // blkio weight 500 of [10, 1000] is io.weight 4950 of [1, 10000].
  EXPECT_EQ(r.out, "default 4950\n" + dev + " rbps=1048576 wbps=max riops=max wiops=100\n");
}

}  // namespace
}  // namespace cradle::testing
