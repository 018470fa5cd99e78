// The built `cradle` binary: signals to the CLI reach the container (without -t), and the
// container's exit status becomes the CLI's.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <csignal>

#include "support/fake_daemon.h"
#include "support/subprocess.h"

namespace cradle::testing {
namespace {

using ::testing::ElementsAre;

TEST(CliBinary, ForwardsTermToTheContainerAndExitsWithItsStatus) {
  FakeDaemon daemon;
  daemon.set_script({.exit_at_start = false});
  BackgroundProcess cli(
      {CRADLE_CLI_BINARY, "--socket", daemon.socket_path(), "run", "busybox", "sleep", "100"});
  // The CLI handles signals from before it starts the process.
  ASSERT_TRUE(daemon.wait_for_requests("Tasks.Start"));
  ::kill(cli.pid(), SIGTERM);
  ProcessResult result = cli.wait();
  EXPECT_EQ(result.status, 128 + SIGTERM) << result.err;
  std::vector<uint32_t> signals;
  for (const auto& kill : daemon.requests<v1::KillRequest>("Tasks.Kill"))
    signals.push_back(kill.signal());
  EXPECT_THAT(signals, ElementsAre(SIGTERM));
}

TEST(CliBinary, AnInterruptStillEndsAStreamingCommand) {
  // The CLI blocks its signals to watch them on a thread; one it does not handle must still do
  // what it would have done.
  FakeDaemon daemon;
  daemon.set_events({}, /*keep_open=*/true);
  BackgroundProcess cli({CRADLE_CLI_BINARY, "--socket", daemon.socket_path(), "events"});
  ASSERT_TRUE(daemon.wait_for_requests("Events.Subscribe"));
  ::kill(cli.pid(), SIGINT);
  EXPECT_EQ(cli.wait().status, 128 + SIGINT);
}

TEST(CliBinary, ReportsADaemonErrorWith125) {
  FakeDaemon daemon;
  ProcessResult result =
      run_process({CRADLE_CLI_BINARY, "--socket", daemon.socket_path(), "inspect", "web"});
  EXPECT_EQ(result.status, 125);
  EXPECT_EQ(result.err, "Error: no such container: web\n");
  EXPECT_EQ(result.out, "[]\n");
}

}  // namespace
}  // namespace cradle::testing
