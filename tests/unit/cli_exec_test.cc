// `cradle exec`: Tasks.Exec with the process's config, then attach, start and its exit code.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/fake_daemon.h"

namespace cradle::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

class CliExec : public ::testing::Test {
 protected:
  CliExec() {
    v1::Container web;
    web.set_name("web");
    web.set_status(v1::TASK_STATUS_RUNNING);
    id_ = daemon_.add_container(web).id();
  }

  FakeDaemon daemon_;
  std::string id_;
};

TEST_F(CliExec, RunsTheCommandAndExitsWithItsCode) {
  daemon_.set_script({.stdout_text = "hi\n", .exit_status = 3});
  CliResult result = run_cli(daemon_, {"exec", "-u", "nobody", "-e", "A=1", "-w", "/tmp", "web",
                                       "sh", "-c", "echo hi; exit 3"});
  EXPECT_EQ(result.status, 3) << result.err;
  EXPECT_EQ(result.out, "hi\n");

  auto execs = daemon_.requests<v1::ExecRequest>("Tasks.Exec");
  ASSERT_EQ(execs.size(), 1u);
  EXPECT_EQ(execs[0].container_id(), id_);
  const v1::ProcessConfig& process = execs[0].process();
  EXPECT_THAT(process.args(), ElementsAre("sh", "-c", "echo hi; exit 3"));
  EXPECT_THAT(process.env(), ElementsAre("A=1"));
  EXPECT_EQ(process.user(), "nobody");
  EXPECT_EQ(process.working_dir(), "/tmp");
  EXPECT_FALSE(process.tty());
  EXPECT_FALSE(process.stdin_open());

  // The exec id the daemon chose names the process in Attach and Start.
  auto attach = daemon_.requests<v1::AttachInput>("Tasks.Attach");
  ASSERT_FALSE(attach.empty());
  EXPECT_EQ(attach[0].ref().container_id(), id_);
  EXPECT_EQ(attach[0].ref().exec_id(), "exec-1");
  auto starts = daemon_.requests<v1::TaskRef>("Tasks.Start");
  ASSERT_EQ(starts.size(), 1u);
  EXPECT_EQ(starts[0].exec_id(), "exec-1");
}

TEST_F(CliExec, InteractiveRelaysStdin) {
  daemon_.set_script({.exit_at_start = false, .exit_on_close_stdin = true});
  CliResult result = run_cli(daemon_, {"exec", "-i", "web", "cat"}, {.stdin_text = "line\n"});
  EXPECT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(result.out, "line\n");
  EXPECT_TRUE(daemon_.requests<v1::ExecRequest>("Tasks.Exec").at(0).process().stdin_open());
}

TEST_F(CliExec, DetachedStartsWithoutAttaching) {
  CliResult result = run_cli(daemon_, {"exec", "-d", "web", "sleep", "5"});
  EXPECT_EQ(result.status, 0) << result.err;
  EXPECT_THAT(daemon_.calls(), ElementsAre("Containers.Get", "Tasks.Exec", "Tasks.Start"));
}

TEST_F(CliExec, ACommandNotInPathExits127) {
  daemon_.fail("Tasks.Start", grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                                           "exec: \"nosuch\": executable file not found in $PATH"));
  CliResult result = run_cli(daemon_, {"exec", "web", "nosuch"});
  EXPECT_EQ(result.status, 127);
  EXPECT_THAT(result.err, HasSubstr("not found in $PATH"));
}

TEST_F(CliExec, NeedsARunningContainer) {
  v1::Container idle;
  idle.set_name("idle");
  idle.set_status(v1::TASK_STATUS_STOPPED);
  daemon_.add_container(idle);
  CliResult result = run_cli(daemon_, {"exec", "idle", "true"});
  EXPECT_EQ(result.status, 125);
  EXPECT_EQ(result.err, "Error: container idle is not running\n");
  EXPECT_TRUE(daemon_.requests<v1::ExecRequest>("Tasks.Exec").empty());
}

TEST_F(CliExec, NeedsACommand) {
  CliResult result = run_cli(daemon_, {"exec", "web"});
  EXPECT_EQ(result.status, 125);
  EXPECT_THAT(result.err, HasSubstr("a container and a command are needed"));
}

}  // namespace
}  // namespace cradle::testing
