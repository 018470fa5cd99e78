// Freezing and killing a container with many processes: the whole cgroup stops at once, and
// cgroup.kill ends every process, frozen or not.
#include <signal.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cgroups/cgroup_events.h"
#include "resource_test.h"
#include "support/process_state.h"

namespace cradle::testing {
namespace {

using ::testing::Each;
using ::testing::SizeIs;

constexpr int kSleepers = 20;

class Freeze : public ResourceTest {};

TEST_F(Freeze, FreezeStopsEveryProcessAndKillEndsThemAll) {
  // The shell, kSleepers sleeps and a spinning subshell.
  BusyboxBundle bundle({"sh", "-c",
                        "i=0; while [ $i -lt " + std::to_string(kSleepers) +
                            " ]; do sleep 1000 & i=$((i+1)); done; (while :; do :; done) & " +
                            kSignalReady + "; wait"});
  set_resource(bundle, "pids", {{"limit", 64}});
  ASSERT_NO_FATAL_FAILURE(start(bundle));
  ASSERT_TRUE(wait_until([&] { return cgroup().pids().size() == kSleepers + 2; },
                         "all processes of the workload to start"));

  cgroup().freeze(true);
  EXPECT_EQ(cgroups::read_cgroup_events(cgroup().path() + "/cgroup.events").at("frozen"), 1u);
  std::vector<char> states;
  for (pid_t pid : cgroup().pids())
    states.push_back(process_state(pid));
  EXPECT_THAT(states, SizeIs(kSleepers + 2));
  EXPECT_THAT(states, Each('S'));  // frozen tasks, the spinner included, show as sleeping

  cgroup().kill();
  ProcessResult r = finish(bundle);
  EXPECT_EQ(r.status, 128 + SIGKILL);
}

TEST_F(Freeze, ThawingResumesTheWorkload) {
  BusyboxBundle bundle({"sh", "-c", std::string(kSignalReady) + "; " + kAwaitGo + "; echo done"});
  ASSERT_NO_FATAL_FAILURE(start(bundle));
  cgroup().freeze(true);
  go();  // the frozen shell cannot see it yet
  cgroup().freeze(false);
  ProcessResult r = finish(bundle);
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "done\n");
}

}  // namespace
}  // namespace cradle::testing
