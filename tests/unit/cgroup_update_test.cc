// Translation::kUpdate: what an update of a running container writes. Unlike a create, a field
// given with its "no limit" value writes the kernel's default, so that an update can lift a limit;
// those writes need no controller.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cgroups/resources_v2.h"

namespace cradle::cgroups {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

CgroupWrite restore(std::string file, std::string value, std::string controller,
                    std::string resource) {
  return {std::move(file), std::move(value), std::move(controller), std::move(resource),
          /*restores_default=*/true};
}
CgroupWrite set(std::string file, std::string value, std::string controller, std::string resource) {
  return {std::move(file), std::move(value), std::move(controller), std::move(resource)};
}

std::vector<CgroupWrite> update(const Resources& resources) {
  return translate_resources(resources, Translation::kUpdate);
}

TEST(CgroupUpdate, UnlimitedMemoryAndSwapWriteMax) {
  EXPECT_THAT(
      update(Resources{.memory = MemoryResources{.limit = -1, .swap = -1}}),
      ElementsAre(restore("memory.max", "max", "memory", "linux.resources.memory.limit"),
                  restore("memory.swap.max", "max", "memory", "linux.resources.memory.swap")));
  // A create leaves them to the kernel.
  EXPECT_THAT(translate_resources(Resources{.memory = MemoryResources{.limit = -1, .swap = -1}}),
              IsEmpty());
}

TEST(CgroupUpdate, ZeroStillMeansUnsetAsGoProducersSendIt) {
  EXPECT_THAT(update(Resources{.memory = MemoryResources{.limit = 0},
                               .cpu = CpuResources{.shares = 0, .quota = 0, .period = 0},
                               .pids = PidsResources{.limit = 0}}),
              IsEmpty());
}

TEST(CgroupUpdate, ALimitIsWrittenAsInACreate) {
  EXPECT_THAT(
      update(Resources{.memory = MemoryResources{.limit = 268435456}}),
      ElementsAre(set("memory.max", "268435456", "memory", "linux.resources.memory.limit")));
  EXPECT_THAT(update(Resources{.pids = PidsResources{.limit = 64}}),
              ElementsAre(set("pids.max", "64", "pids", "linux.resources.pids.limit")));
}

TEST(CgroupUpdate, UnlimitedPidsWriteMax) {
  EXPECT_THAT(update(Resources{.pids = PidsResources{.limit = -1}}),
              ElementsAre(restore("pids.max", "max", "pids", "linux.resources.pids.limit")));
}

TEST(CgroupUpdate, DefaultSharesRestoreTheDefaultWeight) {
  EXPECT_THAT(update(Resources{.cpu = CpuResources{.shares = 1024}}),
              ElementsAre(restore("cpu.weight", "100", "cpu", "linux.resources.cpu.shares")));
}

TEST(CgroupUpdate, AQuotaWithoutAPeriodKeepsThePeriod) {
  EXPECT_THAT(update(Resources{.cpu = CpuResources{.quota = 50000}}),
              ElementsAre(set("cpu.max", "50000", "cpu", "linux.resources.cpu.quota")));
  EXPECT_THAT(update(Resources{.cpu = CpuResources{.quota = -1}}),
              ElementsAre(restore("cpu.max", "max", "cpu", "linux.resources.cpu.quota")));
}

TEST(CgroupUpdate, AQuotaWithAPeriodWritesBoth) {
  EXPECT_THAT(update(Resources{.cpu = CpuResources{.quota = 20000, .period = 50000}}),
              ElementsAre(set("cpu.max", "20000 50000", "cpu", "linux.resources.cpu.quota")));
  EXPECT_THAT(update(Resources{.cpu = CpuResources{.quota = -1, .period = 100000}}),
              ElementsAre(restore("cpu.max", "max 100000", "cpu", "linux.resources.cpu.quota")));
}

TEST(CgroupUpdate, ZeroBurstAndIdleRestoreTheirDefaults) {
  EXPECT_THAT(update(Resources{.cpu = CpuResources{.burst = 0, .idle = 0}}),
              ElementsAre(restore("cpu.max.burst", "0", "cpu", "linux.resources.cpu.burst"),
                          restore("cpu.idle", "0", "cpu", "linux.resources.cpu.idle")));
}

TEST(CgroupUpdate, AZeroThrottleRateLiftsTheDevicesLimit) {
  Resources resources{.block_io = BlockIoResources{
                          .throttle_read_bps_device = {{.major = 8, .minor = 0, .rate = 0}},
                          .throttle_write_iops_device = {{.major = 8, .minor = 0, .rate = 100}}}};
  EXPECT_THAT(
      update(resources),
      ElementsAre(
          restore("io.max", "8:0 rbps=max", "io", "linux.resources.blockIO.throttleReadBpsDevice"),
          set("io.max", "8:0 wiops=100", "io", "linux.resources.blockIO.throttleWriteIOPSDevice")));
}

TEST(CgroupUpdate, RestoringADefaultNeedsNoController) {
  Resources lift{.memory = MemoryResources{.limit = -1},
                 .cpu = CpuResources{.shares = 1024, .quota = -1},
                 .pids = PidsResources{.limit = -1}};
  EXPECT_NO_THROW(check_resources_supported(lift, {"hugetlb"}, Translation::kUpdate));
  EXPECT_THAT(controllers_needed(lift, Translation::kUpdate), IsEmpty());
  Resources raise{.memory = MemoryResources{.limit = 1 << 30}, .pids = PidsResources{.limit = -1}};
  EXPECT_THAT(controllers_needed(raise, Translation::kUpdate), ElementsAre("memory"));
}

}  // namespace
}  // namespace cradle::cgroups
