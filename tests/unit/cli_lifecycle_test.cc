// start, kill, stop, rm, pause, unpause: the calls each makes, several names, and the errors.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <csignal>

#include "support/fake_daemon.h"

namespace cradle::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

v1::Container add(FakeDaemon& daemon, const std::string& name,
                  v1::TaskStatus status = v1::TASK_STATUS_RUNNING) {
  v1::Container container;
  container.set_name(name);
  container.set_status(status);
  return daemon.add_container(container);
}

std::vector<uint32_t> signals_sent(const FakeDaemon& daemon) {
  std::vector<uint32_t> signals;
  for (const auto& kill : daemon.requests<v1::KillRequest>("Tasks.Kill"))
    signals.push_back(kill.signal());
  return signals;
}

class CliKillSignal : public ::testing::TestWithParam<std::string> {};

TEST_P(CliKillSignal, IsSentAsNine) {
  FakeDaemon daemon;
  std::string id = add(daemon, "web").id();
  CliResult result = run_cli(daemon, {"kill", "-s", GetParam(), "web"});
  EXPECT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(result.out, "web\n");
  auto kills = daemon.requests<v1::KillRequest>("Tasks.Kill");
  ASSERT_EQ(kills.size(), 1u);
  EXPECT_EQ(kills[0].signal(), 9u);
  EXPECT_EQ(kills[0].ref().container_id(), id);
  EXPECT_EQ(kills[0].ref().exec_id(), "");
}

INSTANTIATE_TEST_SUITE_P(Spellings, CliKillSignal,
                         ::testing::Values("KILL", "9", "SIGKILL", "kill", "SigKill"));

TEST(CliKill, SendsKillByDefaultAndOtherSignalsByName) {
  FakeDaemon daemon;
  daemon.set_script({.ignored_signals = {SIGHUP, SIGKILL}});
  add(daemon, "web");
  EXPECT_EQ(run_cli(daemon, {"kill", "-s", "HUP", "web"}).status, 0);
  EXPECT_EQ(run_cli(daemon, {"kill", "web"}).status, 0);
  EXPECT_THAT(signals_sent(daemon), ElementsAre(SIGHUP, SIGKILL));
}

TEST(CliKill, AnUnknownSignalIsRefusedBeforeAnyCall) {
  FakeDaemon daemon;
  add(daemon, "web");
  for (const char* bad : {"FOO", "0", "65", "SIG"}) {
    CliResult result = run_cli(daemon, {"kill", "-s", bad, "web"});
    EXPECT_EQ(result.status, 125) << bad;
    EXPECT_THAT(result.err, HasSubstr("invalid signal")) << bad;
  }
  EXPECT_TRUE(daemon.calls().empty());
}

TEST(CliKill, AMissingContainerIsNamed) {
  FakeDaemon daemon;
  CliResult result = run_cli(daemon, {"kill", "web"});
  EXPECT_EQ(result.status, 125);
  EXPECT_EQ(result.err, "Error: no such container: web\n");
  EXPECT_EQ(result.out, "");
}

TEST(CliKill, AContainerWithoutARunningTaskIsNotRunning) {
  FakeDaemon daemon;
  add(daemon, "web", v1::TASK_STATUS_STOPPED);
  CliResult result = run_cli(daemon, {"kill", "web"});
  EXPECT_EQ(result.status, 125);
  EXPECT_EQ(result.err, "Error: container web is not running\n");
}

TEST(CliStop, SendsTermThenKillWhenTheContainerKeepsRunning) {
  FakeDaemon daemon;
  daemon.set_script({.ignored_signals = {SIGTERM}});
  add(daemon, "web");
  CliResult result = run_cli(daemon, {"stop", "-t", "1", "web"});
  EXPECT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(result.out, "web\n");
  EXPECT_THAT(signals_sent(daemon), ElementsAre(SIGTERM, SIGKILL));
  auto kills = daemon.requests<v1::KillRequest>("Tasks.Kill");
  EXPECT_TRUE(kills.back().all());  // KILL reaches every process of the container
  EXPECT_EQ(daemon.container("web")->status(), v1::TASK_STATUS_STOPPED);
  EXPECT_EQ(daemon.container("web")->exit_status(), 137u);
}

TEST(CliStop, StopsAtTermWhenThatSuffices) {
  FakeDaemon daemon;
  add(daemon, "web");
  CliResult result = run_cli(daemon, {"stop", "web"});
  EXPECT_EQ(result.status, 0) << result.err;
  EXPECT_THAT(signals_sent(daemon), ElementsAre(SIGTERM));
  EXPECT_EQ(daemon.container("web")->exit_status(), 143u);
}

TEST(CliStop, AStoppedContainerNeedsNothing) {
  FakeDaemon daemon;
  add(daemon, "web", v1::TASK_STATUS_STOPPED);
  CliResult result = run_cli(daemon, {"stop", "web"});
  EXPECT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(result.out, "web\n");
  EXPECT_TRUE(signals_sent(daemon).empty());
}

TEST(CliRm, RemovesEachAndGoesOnPastAFailure) {
  FakeDaemon daemon;
  add(daemon, "a", v1::TASK_STATUS_STOPPED);
  add(daemon, "b", v1::TASK_STATUS_NONE);
  CliResult result = run_cli(daemon, {"rm", "a", "missing", "b"});
  EXPECT_EQ(result.status, 125);
  EXPECT_EQ(result.out, "a\nb\n");
  EXPECT_EQ(result.err, "Error: no such container: missing\n");
  EXPECT_FALSE(daemon.container("a"));
  EXPECT_FALSE(daemon.container("b"));
}

TEST(CliRm, ARunningContainerNeedsForce) {
  FakeDaemon daemon;
  add(daemon, "web");
  CliResult refused = run_cli(daemon, {"rm", "web"});
  EXPECT_EQ(refused.status, 125);
  EXPECT_EQ(refused.err, "Error: container web is running: stop it or force removal\n");
  EXPECT_TRUE(daemon.container("web"));

  CliResult forced = run_cli(daemon, {"rm", "-f", "web"});
  EXPECT_EQ(forced.status, 0) << forced.err;
  EXPECT_FALSE(daemon.container("web"));
  EXPECT_TRUE(daemon.requests<v1::DeleteContainerRequest>("Containers.Delete").back().force());
}

TEST(CliPause, PausesAndUnpausesByFullId) {
  FakeDaemon daemon;
  std::string id = add(daemon, "web").id();
  EXPECT_EQ(run_cli(daemon, {"pause", id.substr(0, 6)}).out, id.substr(0, 6) + "\n");
  EXPECT_EQ(daemon.container("web")->status(), v1::TASK_STATUS_PAUSED);
  EXPECT_EQ(run_cli(daemon, {"unpause", "web"}).status, 0);
  EXPECT_EQ(daemon.container("web")->status(), v1::TASK_STATUS_RUNNING);
  EXPECT_EQ(daemon.requests<v1::TaskRef>("Tasks.Pause").at(0).container_id(), id);
  EXPECT_EQ(daemon.requests<v1::TaskRef>("Tasks.Resume").at(0).container_id(), id);
}

TEST(CliStart, CreatesAndStartsTheTaskOfACreatedContainer) {
  FakeDaemon daemon;
  daemon.set_script({.exit_at_start = false});
  add(daemon, "web", v1::TASK_STATUS_NONE);
  CliResult result = run_cli(daemon, {"start", "web"});
  EXPECT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(result.out, "web\n");
  EXPECT_THAT(daemon.calls(), ElementsAre("Containers.Get", "Tasks.Create", "Tasks.Start"));
  EXPECT_EQ(daemon.container("web")->status(), v1::TASK_STATUS_RUNNING);
}

TEST(CliStart, ReplacesTheTaskOfAnExitedContainer) {
  FakeDaemon daemon;
  add(daemon, "web", v1::TASK_STATUS_NONE);
  ASSERT_EQ(run_cli(daemon, {"start", "web"}).status, 0);  // exits at once: STOPPED
  ASSERT_EQ(daemon.container("web")->status(), v1::TASK_STATUS_STOPPED);
  CliResult result = run_cli(daemon, {"start", "web"});
  EXPECT_EQ(result.status, 0) << result.err;
  std::vector<std::string> calls = daemon.calls();
  EXPECT_THAT(std::vector<std::string>(calls.end() - 4, calls.end()),
              ElementsAre("Containers.Get", "Tasks.Delete", "Tasks.Create", "Tasks.Start"));
}

TEST(CliStart, AttachRelaysOutputAndExitsWithTheStatus) {
  FakeDaemon daemon;
  daemon.set_script({.stdout_text = "out\n", .exit_status = 7});
  add(daemon, "web", v1::TASK_STATUS_NONE);
  CliResult result = run_cli(daemon, {"start", "-a", "web"});
  EXPECT_EQ(result.status, 7) << result.err;
  EXPECT_EQ(result.out, "out\n");
}

TEST(CliStart, AttachTakesOneContainer) {
  FakeDaemon daemon;
  CliResult result = run_cli(daemon, {"start", "-a", "a", "b"});
  EXPECT_EQ(result.status, 125);
  EXPECT_THAT(result.err, HasSubstr("one container"));
}

}  // namespace
}  // namespace cradle::testing
