// `cradle run` and `cradle create` against the fake daemon: the calls made, the Create request,
// the relay of stdio, exit codes and error sentences.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "support/fake_daemon.h"
#include "support/temp_dir.h"

namespace cradle::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

std::ptrdiff_t position(const std::vector<std::string>& calls, const std::string& method) {
  auto found = std::find(calls.begin(), calls.end(), method);
  return found == calls.end() ? -1 : found - calls.begin();
}

v1::CreateContainerRequest only_create(const FakeDaemon& daemon) {
  auto creates = daemon.requests<v1::CreateContainerRequest>("Containers.Create");
  EXPECT_EQ(creates.size(), 1u);
  return creates.empty() ? v1::CreateContainerRequest() : creates.front();
}

TEST(CliRun, RmPassesTheCommandThroughAndExitsWithItsStatus) {
  FakeDaemon daemon;
  daemon.set_script({.exit_status = 5});
  CliResult result = run_cli(daemon, {"run", "--rm", "busybox", "sh", "-c", "exit 5"});
  EXPECT_EQ(result.status, 5) << result.err;
  v1::CreateContainerRequest create = only_create(daemon);
  EXPECT_EQ(create.image(), "busybox");
  EXPECT_THAT(create.config().command(), ElementsAre("sh", "-c", "exit 5"));
  EXPECT_TRUE(create.config().auto_remove());
  // Returned only once the container was gone: the last call asked for its removal.
  EXPECT_EQ(daemon.calls().back(), "Containers.Delete");
  EXPECT_FALSE(daemon.container("fake_1").has_value());
}

TEST(CliRun, CreatesTheTaskAttachesAndStartsIt) {
  FakeDaemon daemon;
  CliResult result = run_cli(daemon, {"run", "--name", "web", "busybox"});
  EXPECT_EQ(result.status, 0) << result.err;
  std::vector<std::string> calls = daemon.calls();
  EXPECT_EQ(position(calls, "Containers.Create"), 0);
  EXPECT_EQ(position(calls, "Tasks.Create"), 1);
  // Attach and Start are separate gRPC streams: the daemon may see them in either order.
  EXPECT_GT(position(calls, "Tasks.Attach"), 1);
  EXPECT_GT(position(calls, "Tasks.Start"), 1);
  std::string id = daemon.container("web")->id();
  auto attach = daemon.requests<v1::AttachInput>("Tasks.Attach");
  ASSERT_FALSE(attach.empty());
  EXPECT_EQ(attach.front().ref().container_id(), id);
  EXPECT_EQ(attach.front().ref().exec_id(), "");
  auto starts = daemon.requests<v1::TaskRef>("Tasks.Start");
  ASSERT_EQ(starts.size(), 1u);
  EXPECT_EQ(starts.front().container_id(), id);
}

TEST(CliRun, StartsOnlyOnceTheDaemonAcknowledgedTheAttach) {
  // The process exits at once and --rm removes it then: an Attach the daemon saw only after
  // the Start would find nothing to attach to.
  FakeDaemon daemon;
  daemon.set_script({.stdout_text = "early\n", .exit_status = 9});
  for (int run = 0; run < 20; ++run) {
    CliResult result = run_cli(daemon, {"run", "--rm", "busybox"});
    ASSERT_EQ(result.status, 9) << result.err;
    ASSERT_EQ(result.out, "early\n");
  }
}

TEST(CliRun, WorksWithADaemonThatDoesNotAcknowledgeTheAttach) {
  FakeDaemon daemon;
  daemon.set_script({.stdout_text = "hi\n", .exit_status = 2, .acknowledge_attach = false});
  CliResult result = run_cli(daemon, {"run", "busybox"});
  EXPECT_EQ(result.status, 2) << result.err;
  EXPECT_EQ(result.out, "hi\n");
}

TEST(CliRun, RelaysStdoutAndStderrApart) {
  FakeDaemon daemon;
  daemon.set_script({.stdout_text = "hello\n", .stderr_text = "oops\n", .exit_status = 3});
  CliResult result = run_cli(daemon, {"run", "busybox", "sh", "-c", "echo hello; exit 3"});
  EXPECT_EQ(result.status, 3);
  EXPECT_EQ(result.out, "hello\n");
  EXPECT_EQ(result.err, "oops\n");
}

TEST(CliRun, InteractiveSendsStdinThenItsEnd) {
  FakeDaemon daemon;
  daemon.set_script({.exit_at_start = false, .exit_on_close_stdin = true, .exit_status = 0});
  CliResult result = run_cli(daemon, {"run", "-i", "busybox", "cat"}, {.stdin_text = "abc\n"});
  EXPECT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(result.out, "abc\n");  // the fake echoes stdin
  EXPECT_TRUE(only_create(daemon).config().stdin_open());
  std::string sent;
  bool closed = false;
  for (const auto& input : daemon.requests<v1::AttachInput>("Tasks.Attach")) {
    EXPECT_FALSE(closed) << "input after the end of input";
    sent += input.stdin();
    closed = closed || input.close_stdin();
  }
  EXPECT_EQ(sent, "abc\n");
  EXPECT_TRUE(closed);
}

TEST(CliRun, WithoutInteractiveSendsNoStdin) {
  FakeDaemon daemon;
  CliResult result = run_cli(daemon, {"run", "busybox", "cat"}, {.stdin_text = "ignored"});
  EXPECT_EQ(result.status, 0);
  for (const auto& input : daemon.requests<v1::AttachInput>("Tasks.Attach"))
    EXPECT_THAT(input.stdin(), IsEmpty());
}

TEST(CliRun, DetachedPrintsTheFullIdAndDoesNotAttach) {
  FakeDaemon daemon;
  CliResult result = run_cli(daemon, {"run", "-d", "--name", "web", "busybox", "sleep", "9"});
  EXPECT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(result.out, daemon.container("web")->id() + "\n");
  EXPECT_EQ(daemon.container("web")->id().size(), 64u);
  EXPECT_THAT(daemon.calls(), ElementsAre("Containers.Create", "Tasks.Create", "Tasks.Start"));
}

TEST(CliRun, WordsAfterTheImageBelongToTheCommandEvenWhenTheyLookLikeOptionsOrVerbs) {
  FakeDaemon daemon;
  run_cli(daemon, {"run", "-d", "busybox", "ps", "--name", "x", "-it"});
  EXPECT_THAT(only_create(daemon).config().command(), ElementsAre("ps", "--name", "x", "-it"));
  EXPECT_EQ(only_create(daemon).name(), "");
}

TEST(CliRun, AnUnknownOptionBeforeTheImageIsRefused) {
  FakeDaemon daemon;
  CliResult result = run_cli(daemon, {"run", "--bogus", "busybox"});
  EXPECT_EQ(result.status, 125);
  EXPECT_THAT(result.err, HasSubstr("--bogus"));
  EXPECT_THAT(daemon.calls(), IsEmpty());
}

TEST(CliRun, WithoutAnImageSaysSo) {
  FakeDaemon daemon;
  CliResult result = run_cli(daemon, {"run", "--rm"});
  EXPECT_EQ(result.status, 125);
  EXPECT_THAT(result.err, HasSubstr("an image is needed"));
}

TEST(CliRun, ANameInUseIsTheDaemonsSentence) {
  FakeDaemon daemon;
  v1::Container web;
  web.set_name("web");
  daemon.add_container(web);
  CliResult result = run_cli(daemon, {"run", "--name", "web", "busybox"});
  EXPECT_EQ(result.status, 125);
  EXPECT_EQ(result.err, "Error: the name \"web\" is already in use\n");
}

TEST(CliRun, ANetworkTheDaemonRefusesIsReportedAsItSaysIt) {
  FakeDaemon daemon;
  daemon.fail("Containers.Create",
              grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                           "network \"bridge\" is not supported: use none or host"));
  CliResult result = run_cli(daemon, {"run", "--network", "bridge", "busybox"});
  EXPECT_EQ(result.status, 125);
  EXPECT_EQ(result.err, "Error: network \"bridge\" is not supported: use none or host\n");
  EXPECT_EQ(only_create(daemon).config().network(), "bridge");
}

TEST(CliRun, WithoutADaemonExplainsWhereItLooked) {
  TempDir dir;
  std::string socket = dir.path() + "/cradled.sock";
  CliResult result = run_cli_at(socket, {"run", "busybox"});
  EXPECT_EQ(result.status, 125);
  EXPECT_EQ(result.err,
            "Error: cannot connect to the cradle daemon at " + socket + ": is cradled running?\n");
}

TEST(CliRun, ACommandNotInPathExits127AndRmRemovesTheContainer) {
  FakeDaemon daemon;
  daemon.fail("Tasks.Start", grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                                          "exec: \"nosuch\": executable file not found in $PATH"));
  CliResult result = run_cli(daemon, {"run", "--rm", "--name", "web", "busybox", "nosuch"});
  EXPECT_EQ(result.status, 127);
  EXPECT_EQ(result.err, "Error: exec: \"nosuch\": executable file not found in $PATH\n");
  auto deletes = daemon.requests<v1::DeleteContainerRequest>("Containers.Delete");
  ASSERT_EQ(deletes.size(), 1u);
  EXPECT_TRUE(deletes.front().force());
  EXPECT_FALSE(daemon.container("web").has_value());
}

TEST(CliRun, ACommandThatMayNotBeExecutedExits126) {
  FakeDaemon daemon;
  daemon.fail("Tasks.Create", grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                                           "exec /etc/passwd: permission denied"));
  CliResult result = run_cli(daemon, {"run", "busybox", "/etc/passwd"});
  EXPECT_EQ(result.status, 126);
  // Without --rm the container stays, as docker leaves it.
  EXPECT_TRUE(daemon.requests<v1::DeleteContainerRequest>("Containers.Delete").empty());
}

TEST(CliRun, OtherFailedPreconditionsExit125) {
  FakeDaemon daemon;
  daemon.fail("Tasks.Start",
              grpc::Status(grpc::StatusCode::FAILED_PRECONDITION, "mount /data: no such device"));
  EXPECT_EQ(run_cli(daemon, {"run", "busybox"}).status, 125);
}

TEST(CliRun, InteractiveTerminalNeedsATerminal) {
  FakeDaemon daemon;
  CliResult result = run_cli(daemon, {"run", "-it", "busybox", "sh"});
  EXPECT_EQ(result.status, 125);
  EXPECT_THAT(result.err, HasSubstr("not a TTY"));
  EXPECT_THAT(daemon.calls(), IsEmpty());
}

TEST(CliRun, TheNamespaceCanComeFromTheEnvironment) {
  ::setenv("CRADLE_NAMESPACE", "from-env", 1);
  FakeDaemon daemon;
  run_cli(daemon, {"ps"});
  ::unsetenv("CRADLE_NAMESPACE");
  EXPECT_THAT(daemon.namespaces(), ElementsAre("from-env"));
}

TEST(CliRun, EveryCallCarriesTheNamespace) {
  FakeDaemon daemon;
  run_cli(daemon, {"-n", "prod", "run", "--rm", "busybox"});
  ASSERT_FALSE(daemon.namespaces().empty());
  for (const auto& ns : daemon.namespaces())
    EXPECT_EQ(ns, "prod");
}

TEST(CliRun, TheNamespaceDefaultsToDefault) {
  ::unsetenv("CRADLE_NAMESPACE");
  FakeDaemon daemon;
  run_cli(daemon, {"ps"});
  EXPECT_THAT(daemon.namespaces(), ElementsAre("default"));
}

TEST(CliCreate, PrintsTheIdAndRecordsRm) {
  FakeDaemon daemon;
  CliResult result = run_cli(daemon, {"create", "--rm", "--name", "web", "busybox", "true"});
  EXPECT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(result.out, daemon.container("web")->id() + "\n");
  EXPECT_TRUE(only_create(daemon).config().auto_remove());
  EXPECT_THAT(only_create(daemon).config().command(), ElementsAre("true"));
  EXPECT_THAT(daemon.calls(), ElementsAre("Containers.Create"));
}

}  // namespace
}  // namespace cradle::testing
