// `cradle stats`: CPU % from two samples, memory against its limit, pids; which containers.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cli/stats.h"
#include "support/fake_daemon.h"

namespace cradle::testing {
namespace {

v1::StatsResponse sample(uint64_t cpu_usec, int64_t read_at_usec, uint64_t memory, uint64_t limit,
                         uint64_t pids) {
  v1::StatsResponse stats;
  stats.set_cpu_usage_usec(cpu_usec);
  stats.mutable_read_at()->set_seconds(1714564800 + read_at_usec / 1'000'000);
  stats.mutable_read_at()->set_nanos(static_cast<int32_t>(read_at_usec % 1'000'000 * 1000));
  stats.set_memory_bytes(memory);
  stats.set_memory_limit_bytes(limit);
  stats.set_pids(pids);
  return stats;
}

TEST(CliStats, CpuPercentIsCpuTimeOverWallTime) {
  EXPECT_EQ(cli::cpu_percent(sample(1'000'000, 0, 0, 0, 0), sample(1'500'000, 1'000'000, 0, 0, 0)),
            "50.00%");
  // Two CPUs busy for half a second.
  EXPECT_EQ(cli::cpu_percent(sample(0, 0, 0, 0, 0), sample(1'000'000, 500'000, 0, 0, 0)),
            "200.00%");
  EXPECT_EQ(cli::cpu_percent(sample(5, 7, 0, 0, 0), sample(5, 7, 0, 0, 0)), "0.00%");
}

TEST(CliStats, NoStreamPrintsOneTableFromTwoSamples) {
  FakeDaemon daemon;
  for (const char* name : {"web", "db"}) {
    v1::Container container;
    container.set_name(name);
    container.set_status(v1::TASK_STATUS_RUNNING);
    daemon.add_container(container);
  }
  v1::Container stopped;
  stopped.set_name("stopped");
  stopped.set_status(v1::TASK_STATUS_STOPPED);
  daemon.add_container(stopped);
  // Samples in call order: web, db, then web, db again.
  daemon.set_stats({sample(1'000'000, 0, 1572864, 67108864, 3), sample(0, 0, 1024, 0, 1),
                    sample(1'250'000, 1'000'000, 1572864, 67108864, 3),
                    sample(0, 1'000'000, 1024, 0, 1)});
  CliResult result = run_cli(daemon, {"stats", "--no-stream"});
  EXPECT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(result.out,
            "NAME      CPU %     MEM USAGE / LIMIT   PIDS\n"
            "web       25.00%    1.5MiB / 64MiB      3\n"
            "db        0.00%     1KiB / unlimited    1\n");
}

TEST(CliStats, NamedContainersOnly) {
  FakeDaemon daemon;
  v1::Container web;
  web.set_name("web");
  web.set_status(v1::TASK_STATUS_RUNNING);
  std::string id = daemon.add_container(web).id();
  CliResult result = run_cli(daemon, {"stats", "--no-stream", "web"});
  EXPECT_EQ(result.status, 0) << result.err;
  auto samples = daemon.requests<v1::TaskRef>("Tasks.Stats");
  ASSERT_EQ(samples.size(), 2u);
  EXPECT_EQ(samples[0].container_id(), id);
  EXPECT_TRUE(daemon.requests<v1::ListContainersRequest>("Containers.List").empty());
}

TEST(CliStats, AMissingContainerIsNamed) {
  FakeDaemon daemon;
  CliResult result = run_cli(daemon, {"stats", "--no-stream", "nosuch"});
  EXPECT_EQ(result.status, 125);
  EXPECT_EQ(result.err, "Error: no such container: nosuch\n");
}

}  // namespace
}  // namespace cradle::testing
