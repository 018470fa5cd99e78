// memory.max on real containers: a process allocating past it is killed by the OOM killer and the
// OOM watcher reports it with the container's id; stats report what the workload uses.
#include <sys/epoll.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "base/event_loop.h"
#include "core/container.h"
#include "core/spec_parser.h"
#include "resource_test.h"

namespace cradle::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::Ge;

constexpr std::int64_t kLimit = 32 << 20;
// dd's buffer is bs bytes, filled by reading /dev/zero: 64 MiB of anonymous memory at once.
const std::vector<std::string> kAllocate64M = {"dd", "if=/dev/zero", "of=/dev/null", "bs=64M",
                                               "count=1"};

class Memory : public ResourceTest {};

TEST_F(Memory, AProcessAllocatingPastTheLimitIsKilled) {
  BusyboxBundle bundle(kAllocate64M);
  set_resource(bundle, "memory", {{"limit", kLimit}});
  ProcessResult r = run(bundle);
  EXPECT_EQ(r.status, 128 + SIGKILL) << r.err;
}

TEST_F(Memory, WithinTheLimitTheSameAllocationSucceeds) {
  BusyboxBundle bundle(kAllocate64M);
  set_resource(bundle, "memory", {{"limit", 4 * kLimit}});
  ProcessResult r = run(bundle);
  EXPECT_EQ(r.status, 0) << r.err;
}

// The shim's task service path: the container made in this process, its OOM watcher driven by an
// epoll loop next to the init's pidfd, the event carrying the container's id.
TEST_F(Memory, TheOomWatcherReportsTheKillWithTheContainersId) {
  BusyboxBundle bundle(kAllocate64M);
  set_resource(bundle, "memory", {{"limit", kLimit}});
  bundle.write();
  ContainerConfig config;
  config.id = unique_id("oom");
  config.bundle_dir = bundle.path();
  auto container = Container::create(load_spec(bundle.path()), config, [](const std::string&) {});
  std::vector<std::string> oom_events;
  cgroups::OomWatcher watcher =
      container->watch_oom([&](const std::string& id) { oom_events.push_back(id); });
  bool exited = false;
  EventLoop loop;
  loop.add(watcher.fd(), EPOLLIN, [&](std::uint32_t) { watcher.handle(); });
  loop.add(container->pidfd(), EPOLLIN, [&](std::uint32_t) { exited = true; });

  container->start();
  EXPECT_TRUE(wait_until(
      [&] {
        loop.run_once(std::chrono::milliseconds(100));
        return exited && !oom_events.empty();
      },
      "the init's exit and the OOM event"));
  loop.remove(watcher.fd());
  loop.remove(container->pidfd());
  ns::ExitStatus status = container->wait();
  EXPECT_TRUE(status.signaled && status.signal == SIGKILL) << status.shell_status();
  EXPECT_THAT(oom_events, ElementsAre(config.id));
  EXPECT_EQ(watcher.oom_kills(), 1u);
  EXPECT_EQ(container->stats().memory->events.oom_kill, 1u);
  container->destroy();
}

TEST_F(Memory, StatsReportTheWorkloadsMemoryAndCpu) {
  // 24 MiB in a tmpfs file stays charged to the container while it waits; the loop burns cpu.
  BusyboxBundle bundle(
      {"sh", "-c",
       std::string("dd if=/dev/zero of=/dev/shm/fill bs=1M count=24 2>/dev/null; i=0; "
                   "while [ $i -lt 20000 ]; do i=$((i+1)); done; ") +
           kSignalReady + "; " + kAwaitGo});
  set_resource(bundle, "memory", {{"limit", 256 << 20}});
  set_resource(bundle, "pids", {{"limit", 100}});
  ASSERT_NO_FATAL_FAILURE(start(bundle));

  cgroups::CgroupStats stats = cgroups::read_stats(cgroup().fd());
  ASSERT_TRUE(stats.memory.has_value());
  EXPECT_THAT(stats.memory->current, Ge(24u << 20));
  EXPECT_THAT(stats.memory->stat.at("shmem"), Ge(24u << 20));
  EXPECT_EQ(stats.memory->max, 256u << 20);
  ASSERT_TRUE(stats.cpu.has_value());
  EXPECT_GT(stats.cpu->user_usec, 0u);
  EXPECT_GE(stats.cpu->usage_usec, stats.cpu->user_usec);
  ASSERT_TRUE(stats.pids.has_value());
  EXPECT_GE(stats.pids->current, 1u);
  EXPECT_EQ(stats.pids->max, 100u);

  go();
  ProcessResult r = finish(bundle);
  EXPECT_EQ(r.status, 0) << r.err;
}

}  // namespace
}  // namespace cradle::testing
