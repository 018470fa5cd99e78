// OCI linux.resources -> cgroup v2 files: every translation, every refusal, and the defaults that
// must produce no write (so that they work on a hybrid host whose v2 tree lacks the controller).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "base/error.h"
#include "cgroups/resources_v2.h"
#include "support/error_matcher.h"

namespace cradle::cgroups {
namespace {

using ::cradle::testing::IsError;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Throws;

// The controllers a hybrid host's v2 tree has, as on the machine the tests run on.
const std::set<std::string> kHybridControllers = {"hugetlb"};

CgroupWrite write(std::string file, std::string value, std::string controller,
                  std::string resource) {
  return {std::move(file), std::move(value), std::move(controller), std::move(resource)};
}

void expect_invalid(const Resources& resources, const std::string& message) {
  EXPECT_THAT([&] { translate_resources(resources); },
              Throws<Error>(IsError(ErrorCode::kInvalidArgument, message)));
}

void expect_unsupported(const Resources& resources, const std::string& message) {
  EXPECT_THAT([&] { check_resources_supported(resources, kHybridControllers); },
              Throws<Error>(IsError(ErrorCode::kFailedPrecondition, message)));
}

Resources with_memory(MemoryResources memory) {
  return Resources{.memory = memory};
}
Resources with_cpu(CpuResources cpu) {
  return Resources{.cpu = cpu};
}
Resources with_pids(std::int64_t limit) {
  return Resources{.pids = PidsResources{limit}};
}
Resources with_block_io(BlockIoResources io) {
  return Resources{.block_io = io};
}
Resources with_unified(std::map<std::string, std::string> unified) {
  return Resources{.unified = std::move(unified)};
}

// --- memory -------------------------------------------------------------------------------------

TEST(CgroupResourcesMemory, LimitBecomesMemoryMax) {
  EXPECT_THAT(
      translate_resources(with_memory({.limit = 104857600})),
      ElementsAre(write("memory.max", "104857600", "memory", "linux.resources.memory.limit")));
}

TEST(CgroupResourcesMemory, UnlimitedOrUnsetLimitWritesNothing) {
  EXPECT_THAT(translate_resources(with_memory({.limit = -1})), IsEmpty());
  EXPECT_THAT(translate_resources(with_memory({.limit = 0})), IsEmpty());
  EXPECT_THAT(translate_resources(with_memory({})), IsEmpty());
}

TEST(CgroupResourcesMemory, ReservationBecomesMemoryLow) {
  EXPECT_THAT(
      translate_resources(with_memory({.reservation = 52428800})),
      ElementsAre(write("memory.low", "52428800", "memory", "linux.resources.memory.reservation")));
  EXPECT_THAT(
      translate_resources(with_memory({.reservation = -1})),
      ElementsAre(write("memory.low", "max", "memory", "linux.resources.memory.reservation")));
  EXPECT_THAT(translate_resources(with_memory({.reservation = 0})), IsEmpty());
}

TEST(CgroupResourcesMemory, SwapIsMemoryPlusSwapSoSwapMaxIsTheDifference) {
  EXPECT_THAT(
      translate_resources(with_memory({.limit = 104857600, .swap = 209715200})),
      ElementsAre(write("memory.max", "104857600", "memory", "linux.resources.memory.limit"),
                  write("memory.swap.max", "104857600", "memory", "linux.resources.memory.swap")));
}

TEST(CgroupResourcesMemory, SwapEqualToLimitMeansNoSwap) {
  EXPECT_THAT(translate_resources(with_memory({.limit = 1000, .swap = 1000})),
              ElementsAre(write("memory.max", "1000", "memory", "linux.resources.memory.limit"),
                          write("memory.swap.max", "0", "memory", "linux.resources.memory.swap")));
}

TEST(CgroupResourcesMemory, UnlimitedOrUnsetSwapWritesNoSwapMax) {
  EXPECT_THAT(translate_resources(with_memory({.limit = 1000, .swap = -1})),
              ElementsAre(write("memory.max", "1000", "memory", "linux.resources.memory.limit")));
  EXPECT_THAT(translate_resources(with_memory({.limit = 1000, .swap = 0})),
              ElementsAre(write("memory.max", "1000", "memory", "linux.resources.memory.limit")));
  EXPECT_THAT(translate_resources(with_memory({.limit = -1, .swap = -1})), IsEmpty());
}

TEST(CgroupResourcesMemory, SwapBelowLimitIsRefused) {
  expect_invalid(with_memory({.limit = 200, .swap = 100}),
                 "linux.resources.memory.swap (memory+swap, 100) is less than "
                 "linux.resources.memory.limit (200)");
}

TEST(CgroupResourcesMemory, SwapWithoutLimitIsRefused) {
  const std::string message =
      "linux.resources.memory.swap (memory+swap) needs linux.resources.memory.limit: cgroup v2 "
      "limits swap alone, as memory.swap.max = swap - limit";
  expect_invalid(with_memory({.swap = 100}), message);
  expect_invalid(with_memory({.limit = -1, .swap = 100}), message);
}

TEST(CgroupResourcesMemory, ValuesBelowMinusOneAreRefused) {
  expect_invalid(with_memory({.limit = -2}),
                 "linux.resources.memory.limit is -2; give a positive number, or -1 for no limit");
  expect_invalid(with_memory({.reservation = -7}),
                 "linux.resources.memory.reservation is -7; give a positive number, or -1 for no "
                 "limit");
  expect_invalid(with_memory({.limit = 10, .swap = -3}),
                 "linux.resources.memory.swap is -3; give a positive number, or -1 for no limit");
}

TEST(CgroupResourcesMemory, KernelLimitsAreV1OnlyUnlessUnlimited) {
  expect_invalid(
      with_memory({.kernel = 1048576}),
      "linux.resources.memory.kernel is a cgroup v1 setting that cgroup v2 does not have "
      "(cgroup v2 counts kernel memory in memory.max); remove it");
  expect_invalid(with_memory({.kernel_tcp = 0}),
                 "linux.resources.memory.kernelTCP is a cgroup v1 setting that cgroup v2 does not "
                 "have (cgroup v2 counts TCP buffers in memory.max); remove it");
  EXPECT_THAT(translate_resources(with_memory({.kernel = -1, .kernel_tcp = -1})), IsEmpty());
}

TEST(CgroupResourcesMemory, AnySwappinessIsRefused) {
  expect_invalid(with_memory({.swappiness = 0}),
                 "linux.resources.memory.swappiness is a cgroup v1 setting that cgroup v2 does not "
                 "have (cgroup v2 has no per-cgroup swappiness); remove it");
}

TEST(CgroupResourcesMemory, DisablingTheOomKillerIsRefused) {
  expect_invalid(with_memory({.disable_oom_killer = true}),
                 "linux.resources.memory.disableOOMKiller is a cgroup v1 setting that cgroup v2 "
                 "does not have (cgroup v2 cannot turn the OOM killer off); remove it");
  EXPECT_THAT(translate_resources(with_memory({.disable_oom_killer = false})), IsEmpty());
}

TEST(CgroupResourcesMemory, NonHierarchicalAccountingIsRefused) {
  expect_invalid(with_memory({.use_hierarchy = false}),
                 "linux.resources.memory.useHierarchy is a cgroup v1 setting that cgroup v2 does "
                 "not have (cgroup v2 accounting is always hierarchical); remove it");
  EXPECT_THAT(
      translate_resources(with_memory({.use_hierarchy = true, .check_before_update = true})),
      IsEmpty());
}

// --- cpu ----------------------------------------------------------------------------------------

TEST(CgroupResourcesCpu, SharesConvertLinearlyToWeight) {
  EXPECT_EQ(cpu_shares_to_weight(2), 1u);
  EXPECT_EQ(cpu_shares_to_weight(512), 20u);
  EXPECT_EQ(cpu_shares_to_weight(1024), 39u);
  EXPECT_EQ(cpu_shares_to_weight(2048), 79u);
  EXPECT_EQ(cpu_shares_to_weight(100000), 3815u);
  EXPECT_EQ(cpu_shares_to_weight(262144), 10000u);
}

TEST(CgroupResourcesCpu, SharesOutsideTheV1RangeAreClamped) {
  EXPECT_EQ(cpu_shares_to_weight(1), 1u);
  EXPECT_EQ(cpu_shares_to_weight(1000000), 10000u);
}

TEST(CgroupResourcesCpu, SharesBecomeCpuWeight) {
  EXPECT_THAT(translate_resources(with_cpu({.shares = 2048})),
              ElementsAre(write("cpu.weight", "79", "cpu", "linux.resources.cpu.shares")));
}

TEST(CgroupResourcesCpu, DefaultOrUnsetSharesWriteNothing) {
  EXPECT_THAT(translate_resources(with_cpu({.shares = 1024})), IsEmpty());
  EXPECT_THAT(translate_resources(with_cpu({.shares = 0})), IsEmpty());
}

TEST(CgroupResourcesCpu, QuotaAndPeriodBecomeCpuMax) {
  EXPECT_THAT(translate_resources(with_cpu({.quota = 50000, .period = 200000})),
              ElementsAre(write("cpu.max", "50000 200000", "cpu", "linux.resources.cpu.quota")));
}

TEST(CgroupResourcesCpu, QuotaAloneUsesTheDefaultPeriod) {
  EXPECT_THAT(translate_resources(with_cpu({.quota = 50000})),
              ElementsAre(write("cpu.max", "50000 100000", "cpu", "linux.resources.cpu.quota")));
  EXPECT_THAT(translate_resources(with_cpu({.quota = 50000, .period = 0})),
              ElementsAre(write("cpu.max", "50000 100000", "cpu", "linux.resources.cpu.quota")));
}

TEST(CgroupResourcesCpu, PeriodWithoutQuotaWritesMaxQuota) {
  EXPECT_THAT(translate_resources(with_cpu({.quota = -1, .period = 50000})),
              ElementsAre(write("cpu.max", "max 50000", "cpu", "linux.resources.cpu.period")));
  EXPECT_THAT(translate_resources(with_cpu({.period = 50000})),
              ElementsAre(write("cpu.max", "max 50000", "cpu", "linux.resources.cpu.period")));
}

TEST(CgroupResourcesCpu, NoQuotaWithTheDefaultPeriodWritesNothing) {
  EXPECT_THAT(translate_resources(with_cpu({.quota = -1})), IsEmpty());
  EXPECT_THAT(translate_resources(with_cpu({.quota = 0})), IsEmpty());
  EXPECT_THAT(translate_resources(with_cpu({.quota = -1, .period = 100000})), IsEmpty());
}

TEST(CgroupResourcesCpu, QuotaBelowMinusOneIsRefused) {
  expect_invalid(with_cpu({.quota = -5}),
                 "linux.resources.cpu.quota is -5; give a positive number, or -1 for no limit");
}

TEST(CgroupResourcesCpu, BurstIdleCpusAndMems) {
  EXPECT_THAT(translate_resources(with_cpu(
                  {.quota = 20000, .burst = 10000, .cpus = "2-3", .mems = "0", .idle = 1})),
              ElementsAre(write("cpu.max", "20000 100000", "cpu", "linux.resources.cpu.quota"),
                          write("cpu.max.burst", "10000", "cpu", "linux.resources.cpu.burst"),
                          write("cpu.idle", "1", "cpu", "linux.resources.cpu.idle"),
                          write("cpuset.cpus", "2-3", "cpuset", "linux.resources.cpu.cpus"),
                          write("cpuset.mems", "0", "cpuset", "linux.resources.cpu.mems")));
}

TEST(CgroupResourcesCpu, DefaultBurstIdleAndEmptyCpusetWriteNothing) {
  EXPECT_THAT(translate_resources(with_cpu({.burst = 0, .cpus = "", .mems = "", .idle = 0})),
              IsEmpty());
}

TEST(CgroupResourcesCpu, RealtimeIsRefused) {
  expect_invalid(with_cpu({.realtime_runtime = 950000}),
                 "linux.resources.cpu.realtimeRuntime is a cgroup v1 setting that cgroup v2 does "
                 "not have (cgroup v2 cannot reserve realtime CPU time); remove it");
  expect_invalid(with_cpu({.realtime_period = 1000000}),
                 "linux.resources.cpu.realtimePeriod is a cgroup v1 setting that cgroup v2 does "
                 "not have (cgroup v2 cannot reserve realtime CPU time); remove it");
  EXPECT_THAT(translate_resources(with_cpu({.realtime_runtime = 0, .realtime_period = 0})),
              IsEmpty());
}

// --- pids ---------------------------------------------------------------------------------------

TEST(CgroupResourcesPids, LimitBecomesPidsMax) {
  EXPECT_THAT(translate_resources(with_pids(32771)),
              ElementsAre(write("pids.max", "32771", "pids", "linux.resources.pids.limit")));
}

TEST(CgroupResourcesPids, ZeroAndMinusOneMeanNoLimitAndWriteNothing) {
  EXPECT_THAT(translate_resources(with_pids(0)), IsEmpty());
  EXPECT_THAT(translate_resources(with_pids(-1)), IsEmpty());
}

TEST(CgroupResourcesPids, BelowMinusOneIsRefused) {
  expect_invalid(with_pids(-2),
                 "linux.resources.pids.limit is -2; give a positive number, or 0 or -1 for no "
                 "limit");
}

// --- block io -----------------------------------------------------------------------------------

TEST(CgroupResourcesBlockIo, WeightConvertsLinearlyToIoWeight) {
  EXPECT_EQ(blkio_weight_to_io_weight(10), 1u);
  EXPECT_EQ(blkio_weight_to_io_weight(100), 910u);
  EXPECT_EQ(blkio_weight_to_io_weight(500), 4950u);
  EXPECT_EQ(blkio_weight_to_io_weight(1000), 10000u);
}

TEST(CgroupResourcesBlockIo, WeightBecomesDefaultIoWeight) {
  EXPECT_THAT(
      translate_resources(with_block_io({.weight = 500})),
      ElementsAre(write("io.weight", "default 4950", "io", "linux.resources.blockIO.weight")));
}

TEST(CgroupResourcesBlockIo, WeightOutsideTheV1RangeIsRefused) {
  expect_invalid(with_block_io({.weight = 5}),
                 "linux.resources.blockIO.weight is 5; it must be in [10, 1000]");
  expect_invalid(with_block_io({.weight = 1001}),
                 "linux.resources.blockIO.weight is 1001; it must be in [10, 1000]");
}

TEST(CgroupResourcesBlockIo, UnsetWeightWritesNothing) {
  EXPECT_THAT(translate_resources(with_block_io({})), IsEmpty());
  EXPECT_THAT(translate_resources(with_block_io({.weight = 0})), IsEmpty());
}

TEST(CgroupResourcesBlockIo, WeightDeviceBecomesPerDeviceIoWeight) {
  BlockIoResources io{.weight_device = {{.major = 8, .minor = 0, .weight = 800},
                                        {.major = 8, .minor = 16, .weight = 10}}};
  EXPECT_THAT(
      translate_resources(with_block_io(io)),
      ElementsAre(
          write("io.weight", "8:0 7980", "io", "linux.resources.blockIO.weightDevice[0].weight"),
          write("io.weight", "8:16 1", "io", "linux.resources.blockIO.weightDevice[1].weight")));
}

TEST(CgroupResourcesBlockIo, LeafWeightsAreRefused) {
  expect_invalid(with_block_io({.leaf_weight = 10}),
                 "linux.resources.blockIO.leafWeight is a cgroup v1 setting that cgroup v2 does "
                 "not have (it weighed a cgroup's own tasks against its children); remove it");
  expect_invalid(with_block_io({.weight_device = {{.major = 8, .minor = 0, .leaf_weight = 300}}}),
                 "linux.resources.blockIO.weightDevice[0].leafWeight is a cgroup v1 setting that "
                 "cgroup v2 does not have (it weighed a cgroup's own tasks against its children); "
                 "remove it");
}

TEST(CgroupResourcesBlockIo, ThrottlesBecomeOneIoMaxLinePerDeviceAndKey) {
  BlockIoResources io{
      .throttle_read_bps_device = {{8, 0, 600}, {8, 16, 700}},
      .throttle_write_bps_device = {{8, 0, 800}},
      .throttle_read_iops_device = {{8, 0, 90}},
      .throttle_write_iops_device = {{8, 16, 300}},
  };
  EXPECT_THAT(
      translate_resources(with_block_io(io)),
      ElementsAre(
          write("io.max", "8:0 rbps=600", "io", "linux.resources.blockIO.throttleReadBpsDevice"),
          write("io.max", "8:16 rbps=700", "io", "linux.resources.blockIO.throttleReadBpsDevice"),
          write("io.max", "8:0 wbps=800", "io", "linux.resources.blockIO.throttleWriteBpsDevice"),
          write("io.max", "8:0 riops=90", "io", "linux.resources.blockIO.throttleReadIOPSDevice"),
          write("io.max", "8:16 wiops=300", "io",
                "linux.resources.blockIO.throttleWriteIOPSDevice")));
}

TEST(CgroupResourcesBlockIo, ZeroRateMeansNoLimitAndWritesNothing) {
  EXPECT_THAT(translate_resources(with_block_io({.throttle_read_bps_device = {{8, 0, 0}}})),
              IsEmpty());
}

TEST(CgroupResourcesBlockIo, NegativeDeviceNumbersAreRefused) {
  expect_invalid(with_block_io({.throttle_write_iops_device = {{-1, 0, 5}}}),
                 "linux.resources.blockIO.throttleWriteIOPSDevice has device -1:0; major and minor "
                 "must not be negative");
}

// --- hugetlb, network, rdma, devices ------------------------------------------------------------

TEST(CgroupResourcesHugetlb, LimitsBothFaultsAndReservations) {
  Resources resources{.hugepage_limits = {{"2MB", 209715200}, {"1GB", 1073741824}}};
  EXPECT_THAT(
      translate_resources(resources),
      ElementsAre(
          write("hugetlb.2MB.max", "209715200", "hugetlb", "linux.resources.hugepageLimits[0]"),
          write("hugetlb.2MB.rsvd.max", "209715200", "hugetlb",
                "linux.resources.hugepageLimits[0]"),
          write("hugetlb.1GB.max", "1073741824", "hugetlb", "linux.resources.hugepageLimits[1]"),
          write("hugetlb.1GB.rsvd.max", "1073741824", "hugetlb",
                "linux.resources.hugepageLimits[1]")));
}

TEST(CgroupResourcesHugetlb, MalformedPageSizeIsRefused) {
  expect_invalid(Resources{.hugepage_limits = {{"2M", 1}}},
                 "linux.resources.hugepageLimits[0].pageSize \"2M\" is not a size like \"2MB\", "
                 "\"64KB\" or \"1GB\"");
  expect_invalid(Resources{.hugepage_limits = {{"../2MB", 1}}},
                 "linux.resources.hugepageLimits[0].pageSize \"../2MB\" is not a size like "
                 "\"2MB\", \"64KB\" or \"1GB\"");
}

TEST(CgroupResourcesNetwork, ClassIdAndPrioritiesAreRefused) {
  expect_invalid(Resources{.network = NetworkResources{.class_id = 1048577}},
                 "linux.resources.network.classID is a cgroup v1 setting that cgroup v2 does not "
                 "have (the net_cls controller exists only in v1); remove it");
  expect_invalid(Resources{.network = NetworkResources{.priorities = {{"eth0", 500}}}},
                 "linux.resources.network.priorities is a cgroup v1 setting that cgroup v2 does "
                 "not have (the net_prio controller exists only in v1); remove it");
  EXPECT_THAT(translate_resources(Resources{.network = NetworkResources{}}), IsEmpty());
}

TEST(CgroupResourcesRdma, LimitsBecomeRdmaMaxWithMaxForTheUnsetOne) {
  Resources resources{.rdma = {{"mlx4_0", {.hca_objects = 1000}},
                               {"mlx5_1", {.hca_handles = 3, .hca_objects = 10000}}}};
  EXPECT_THAT(translate_resources(resources),
              ElementsAre(write("rdma.max", "mlx4_0 hca_handle=max hca_object=1000", "rdma",
                                "linux.resources.rdma[\"mlx4_0\"]"),
                          write("rdma.max", "mlx5_1 hca_handle=3 hca_object=10000", "rdma",
                                "linux.resources.rdma[\"mlx5_1\"]")));
  EXPECT_THAT(translate_resources(Resources{.rdma = {{"mlx5_1", {.hca_handles = 3}}}}),
              ElementsAre(write("rdma.max", "mlx5_1 hca_handle=3 hca_object=max", "rdma",
                                "linux.resources.rdma[\"mlx5_1\"]")));
}

TEST(CgroupResourcesRdma, EntryWithoutLimitsIsRefused) {
  expect_invalid(Resources{.rdma = {{"mlx5_1", {}}}},
                 "linux.resources.rdma[\"mlx5_1\"] sets neither hcaHandles nor hcaObjects");
}

TEST(CgroupResourcesDevices, AreNotCgroupFilesOnV2) {
  Resources resources{
      .devices = {{.allow = false, .access = "rwm"},
                  {.allow = true, .type = 'c', .major = 1, .minor = 3, .access = "rw"}}};
  EXPECT_THAT(translate_resources(resources), IsEmpty());
}

// --- unified ------------------------------------------------------------------------------------

TEST(CgroupResourcesUnified, KeysAreWrittenAsGivenOwnedByTheirPrefix) {
  EXPECT_THAT(translate_resources(
                  with_unified({{"memory.high", "1073741824"}, {"cgroup.max.descendants", "10"}})),
              ElementsAre(write("cgroup.max.descendants", "10", "cgroup",
                                "linux.resources.unified[\"cgroup.max.descendants\"]"),
                          write("memory.high", "1073741824", "memory",
                                "linux.resources.unified[\"memory.high\"]")));
}

TEST(CgroupResourcesUnified, MultiLineValuesAreWrittenALineAtATime) {
  EXPECT_THAT(translate_resources(with_unified(
                  {{"io.max", "259:0 rbps=2097152 wiops=120\n253:0 rbps=2097152 wiops=120\n"}})),
              ElementsAre(write("io.max", "259:0 rbps=2097152 wiops=120", "io",
                                "linux.resources.unified[\"io.max\"]"),
                          write("io.max", "253:0 rbps=2097152 wiops=120", "io",
                                "linux.resources.unified[\"io.max\"]")));
}

TEST(CgroupResourcesUnified, ComesAfterTheTypedSettingsSoItOverridesThem) {
  Resources resources{.memory = MemoryResources{.limit = 1000},
                      .unified = {{"memory.max", "2000"}}};
  EXPECT_THAT(translate_resources(resources),
              ElementsAre(write("memory.max", "1000", "memory", "linux.resources.memory.limit"),
                          write("memory.max", "2000", "memory",
                                "linux.resources.unified[\"memory.max\"]")));
}

TEST(CgroupResourcesUnified, RuntimeOwnedCoreFilesAreRefused) {
  for (const char* key :
       {"cgroup.procs", "cgroup.threads", "cgroup.subtree_control", "cgroup.kill"}) {
    expect_invalid(with_unified({{key, "1"}}), "linux.resources.unified[\"" + std::string(key) +
                                                   "\"] is a cgroup core file that the runtime "
                                                   "itself manages");
  }
}

TEST(CgroupResourcesUnified, PathsAndNonFileNamesAreRefused) {
  expect_invalid(with_unified({{"../memory.max", "1"}}),
                 "linux.resources.unified[\"../memory.max\"] names a path; keys name files of the "
                 "container's own cgroup");
  expect_invalid(with_unified({{"memory", "1"}}),
                 "linux.resources.unified[\"memory\"] is not a cgroup v2 interface file name, like "
                 "\"memory.high\"");
  expect_invalid(with_unified({{".max", "1"}}),
                 "linux.resources.unified[\".max\"] is not a cgroup v2 interface file name, like "
                 "\"memory.high\"");
  expect_invalid(with_unified({{"memory.high extra", "1"}}),
                 "linux.resources.unified[\"memory.high extra\"] is not a cgroup v2 interface "
                 "file name, like \"memory.high\"");
}

// --- the whole and the controllers --------------------------------------------------------------

// What containerd sends for a container without limits: every value means "the default".
Resources containerd_defaults() {
  return Resources{
      .memory = MemoryResources{.limit = -1, .swap = -1},
      .cpu = CpuResources{.shares = 1024, .quota = -1, .period = 100000},
      .pids = PidsResources{.limit = 0},
      .block_io = BlockIoResources{},
      .devices = {{.allow = false, .access = "rwm"}},
  };
}

TEST(CgroupResourcesAll, DefaultsProduceNoWrites) {
  EXPECT_THAT(translate_resources(containerd_defaults()), IsEmpty());
  EXPECT_THAT(controllers_needed(containerd_defaults()), IsEmpty());
}

TEST(CgroupResourcesAll, WritesComeInControllerOrder) {
  Resources resources{
      .memory = MemoryResources{.limit = 1000},
      .cpu = CpuResources{.shares = 2048, .cpus = "0"},
      .pids = PidsResources{.limit = 10},
      .block_io = BlockIoResources{.weight = 500},
      .hugepage_limits = {{"2MB", 0}},
      .rdma = {{"mlx5_1", {.hca_handles = 1}}},
      .unified = {{"memory.high", "900"}},
  };
  std::vector<std::string> files;
  for (const CgroupWrite& w : translate_resources(resources))
    files.push_back(w.file);
  EXPECT_THAT(files,
              ElementsAre("memory.max", "cpu.weight", "cpuset.cpus", "pids.max", "io.weight",
                          "hugetlb.2MB.max", "hugetlb.2MB.rsvd.max", "rdma.max", "memory.high"));
  EXPECT_THAT(controllers_needed(resources),
              ElementsAre("cpu", "cpuset", "hugetlb", "io", "memory", "pids", "rdma"));
}

TEST(CgroupResourcesAll, CoreFilesNeedNoController) {
  EXPECT_THAT(controllers_needed(with_unified({{"cgroup.max.depth", "2"}})), IsEmpty());
}

TEST(CgroupResourcesSupported, MemoryLimitOnAHybridHostNamesTheResourceAndController) {
  expect_unsupported(
      with_memory({.limit = 104857600}),
      "linux.resources.memory.limit needs the cgroup v2 \"memory\" controller, which this host's "
      "cgroup v2 tree does not have (a hybrid host keeps it in cgroup v1)");
}

TEST(CgroupResourcesSupported, UnifiedKeyNamesItsController) {
  expect_unsupported(with_unified({{"pids.max", "5"}}),
                     "linux.resources.unified[\"pids.max\"] needs the cgroup v2 \"pids\" "
                     "controller, which this host's cgroup v2 tree does not have (a hybrid host "
                     "keeps it in cgroup v1)");
}

TEST(CgroupResourcesSupported, DefaultsPassOnAHybridHost) {
  EXPECT_NO_THROW(check_resources_supported(containerd_defaults(), kHybridControllers));
}

TEST(CgroupResourcesSupported, WhatTheHybridTreeHasPasses) {
  Resources resources{.hugepage_limits = {{"2MB", 4194304}},
                      .unified = {{"cgroup.max.descendants", "5"}}};
  EXPECT_NO_THROW(check_resources_supported(resources, kHybridControllers));
}

TEST(CgroupResourcesSupported, V1OnlySettingsAreRefusedBeforeControllersAreLookedAt) {
  EXPECT_THAT(
      [] { check_resources_supported(with_memory({.swappiness = 60}), kHybridControllers); },
      Throws<Error>(IsError(ErrorCode::kInvalidArgument,
                            "linux.resources.memory.swappiness is a cgroup v1 setting that "
                            "cgroup v2 does not have (cgroup v2 has no per-cgroup "
                            "swappiness); remove it")));
}

}  // namespace
}  // namespace cradle::cgroups
