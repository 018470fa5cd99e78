// The cgroup v2 file parsers, on contents as the kernel writes them, and read_stats on a directory
// laid out like a cgroup (missing files are absent controllers, not errors).
#include <fcntl.h>
#include <unistd.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "base/error.h"
#include "base/file_io.h"
#include "base/unique_fd.h"
#include "cgroups/cgroup_file_format.h"
#include "cgroups/stats.h"
#include "support/error_matcher.h"
#include "support/temp_dir.h"

namespace cradle::cgroups {
namespace {

using ::cradle::testing::IsError;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Pair;
using ::testing::Throws;

constexpr std::string_view kCpuStat =
    "usage_usec 1520371\n"
    "user_usec 1003020\n"
    "system_usec 517351\n"
    "core_sched.force_idle_usec 0\n"
    "nr_periods 120\n"
    "nr_throttled 7\n"
    "throttled_usec 35012\n"
    "nr_bursts 0\n"
    "burst_usec 0\n";

constexpr std::string_view kMemoryEvents =
    "low 1\n"
    "high 22\n"
    "max 333\n"
    "oom 4\n"
    "oom_kill 5\n"
    "oom_group_kill 0\n";

constexpr std::string_view kIoStat =
    "8:0 rbytes=1458176 wbytes=4096 rios=121 wios=1 dbytes=0 dios=0\n"
    "253:1 rbytes=90112 wbytes=0 rios=22 wios=0 dbytes=0 dios=0\n";

TEST(CgroupStatsParse, CpuStatKeepsTheSixCounters) {
  EXPECT_EQ(parse_cpu_stat(kCpuStat), (CpuStats{.usage_usec = 1520371,
                                                .user_usec = 1003020,
                                                .system_usec = 517351,
                                                .nr_periods = 120,
                                                .nr_throttled = 7,
                                                .throttled_usec = 35012}));
}

TEST(CgroupStatsParse, CpuStatWithoutTheCpuControllerHasNoThrottling) {
  EXPECT_EQ(parse_cpu_stat("usage_usec 10\nuser_usec 6\nsystem_usec 4\n"),
            (CpuStats{.usage_usec = 10, .user_usec = 6, .system_usec = 4}));
}

TEST(CgroupStatsParse, MemoryEvents) {
  EXPECT_EQ(parse_memory_events(kMemoryEvents),
            (MemoryEvents{.low = 1, .high = 22, .max = 333, .oom = 4, .oom_kill = 5}));
}

TEST(CgroupStatsParse, IoStatPerDevice) {
  EXPECT_THAT(
      parse_io_stat(kIoStat),
      ElementsAre(
          IoDeviceStats{
              .major = 8, .minor = 0, .rbytes = 1458176, .wbytes = 4096, .rios = 121, .wios = 1},
          IoDeviceStats{
              .major = 253, .minor = 1, .rbytes = 90112, .wbytes = 0, .rios = 22, .wios = 0}));
  EXPECT_THAT(parse_io_stat(""), IsEmpty());
}

TEST(CgroupStatsParse, IoStatWithABadDeviceIsAnError) {
  EXPECT_THAT([] { parse_io_stat("sda rbytes=1\n"); },
              Throws<Error>(IsError(ErrorCode::kInternal, "malformed device \"sda\" in io.stat")));
}

TEST(CgroupFileFormat, FlatKeyedKeepsEveryKey) {
  EXPECT_THAT(parse_flat_keyed("anon 4096\nfile 8192\nkernel 512\n", "memory.stat"),
              ElementsAre(Pair("anon", 4096u), Pair("file", 8192u), Pair("kernel", 512u)));
}

TEST(CgroupFileFormat, FlatKeyedMalformedLineIsAnErrorNamingIt) {
  EXPECT_THAT(
      [] { parse_flat_keyed("anon 4096\nfile lots\n", "memory.stat"); },
      Throws<Error>(IsError(ErrorCode::kInternal, "malformed line \"file lots\" in memory.stat")));
}

TEST(CgroupFileFormat, LimitValueIsANumberOrMax) {
  EXPECT_EQ(parse_limit_value("104857600\n", "memory.max"), 104857600u);
  EXPECT_EQ(parse_limit_value("max\n", "memory.max"), kNoLimit);
  EXPECT_THROW(parse_limit_value("-1\n", "memory.max"), Error);
  EXPECT_THROW(parse_limit_value("\n", "memory.max"), Error);
}

TEST(CgroupFileFormat, NestedKeyedAcceptsMax) {
  std::vector<NestedKeyedLine> lines = parse_nested_keyed("8:0 rbps=max wbps=100\n", "io.max");
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].key, "8:0");
  EXPECT_THAT(lines[0].values, ElementsAre(Pair("rbps", kNoLimit), Pair("wbps", 100u)));
}

TEST(CgroupFileFormat, NameAndPidLists) {
  EXPECT_THAT(parse_name_list("cpuset cpu io memory hugetlb pids rdma misc\n"),
              ElementsAre("cpu", "cpuset", "hugetlb", "io", "memory", "misc", "pids", "rdma"));
  EXPECT_THAT(parse_name_list("\n"), IsEmpty());
  EXPECT_THAT(parse_pid_list("1\n42\n31337\n", "cgroup.procs"), ElementsAre(1, 42, 31337));
  EXPECT_THROW(parse_pid_list("1\nx\n", "cgroup.procs"), Error);
}

// A temporary directory holding files named like a cgroup's.
class FakeCgroupDir : public ::testing::Test {
 protected:
  void put(const std::string& file, std::string_view text) {
    write_file_atomic(dir_.path() + "/" + file, text);
  }

  cradle::testing::TempDir dir_;
  UniqueFd fd_ = open_at(AT_FDCWD, dir_.path(), O_RDONLY | O_DIRECTORY);
};

TEST_F(FakeCgroupDir, OnlyCoreFilesLeaveTheControllersAbsent) {
  put("cpu.stat", "usage_usec 10\nuser_usec 6\nsystem_usec 4\n");
  CgroupStats stats = read_stats(fd_.get());
  ASSERT_TRUE(stats.cpu.has_value());
  EXPECT_EQ(stats.cpu->usage_usec, 10u);
  EXPECT_FALSE(stats.memory.has_value());
  EXPECT_FALSE(stats.pids.has_value());
  EXPECT_THAT(stats.io, IsEmpty());
}

TEST_F(FakeCgroupDir, EveryControllerPresent) {
  put("cpu.stat", kCpuStat);
  put("memory.current", "1212416\n");
  put("memory.max", "max\n");
  put("memory.stat", "anon 4096\nfile 8192\nkernel 512\n");
  put("memory.events", kMemoryEvents);
  put("pids.current", "3\n");
  put("pids.max", "100\n");
  put("io.stat", kIoStat);
  CgroupStats stats = read_stats(fd_.get());

  ASSERT_TRUE(stats.cpu.has_value());
  EXPECT_EQ(stats.cpu->nr_throttled, 7u);
  ASSERT_TRUE(stats.memory.has_value());
  EXPECT_EQ(stats.memory->current, 1212416u);
  EXPECT_EQ(stats.memory->max, kNoLimit);
  EXPECT_THAT(stats.memory->stat,
              ElementsAre(Pair("anon", 4096u), Pair("file", 8192u), Pair("kernel", 512u)));
  EXPECT_EQ(stats.memory->events.oom_kill, 5u);
  ASSERT_TRUE(stats.pids.has_value());
  EXPECT_EQ(stats.pids->current, 3u);
  EXPECT_EQ(stats.pids->max, 100u);
  ASSERT_EQ(stats.io.size(), 2u);
  EXPECT_EQ(stats.io[1].major, 253u);
}

TEST_F(FakeCgroupDir, AMalformedFileIsAnError) {
  put("pids.current", "three\n");
  EXPECT_THROW(read_stats(fd_.get()), Error);
}

}  // namespace
}  // namespace cradle::cgroups
