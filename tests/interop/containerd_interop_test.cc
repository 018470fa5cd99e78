// A stock containerd drives cradle-shim as the runtime io.containerd.cradle.v2 through `ctr`,
// exactly as it drives containerd-shim-runc-v2.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <thread>

#include "interop/private_containerd.h"
#include "support/subprocess.h"

namespace cradle::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::MatchesRegex;

constexpr const char* kRuntime = "io.containerd.cradle.v2";

class ContainerdInterop : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    containerd_ = new PrivateContainerd();
    import_busybox(*containerd_);
  }
  static void TearDownTestSuite() {
    delete containerd_;
    containerd_ = nullptr;
  }

  // `ctr run --rm` of busybox with the cradle runtime.
  ProcessResult run_rm(const std::string& id, const std::vector<std::string>& command) {
    std::vector<std::string> args = {"run", "--rm", "--runtime", kRuntime, kBusyboxImage, id};
    args.insert(args.end(), command.begin(), command.end());
    return ctr(args);
  }
  ProcessResult ctr(const std::vector<std::string>& args) { return containerd_->ctr(args); }
  void expect_ok(const std::vector<std::string>& args) {
    ProcessResult r = ctr(args);
    EXPECT_EQ(r.status, 0) << "ctr " << ::testing::PrintToString(args) << ": " << r.err;
  }
  // Waits (boundedly) until `ctr task ls` shows id with status, e.g. "RUNNING".
  bool task_status_is(const std::string& id, const std::string& status) {
    for (int i = 0; i < 100; ++i) {
      ProcessResult r = ctr({"task", "ls"});
      if (r.out.find(id) != std::string::npos &&
          r.out.find(status, r.out.find(id)) != std::string::npos) {
        return true;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  }
  void remove_task_and_container(const std::string& id) {
    ctr({"task", "kill", "-s", "SIGKILL", id});
    for (int i = 0; i < 100 && ctr({"task", "delete", id}).status != 0; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ctr({"container", "delete", id});
  }

  static PrivateContainerd* containerd_;
};

PrivateContainerd* ContainerdInterop::containerd_ = nullptr;

TEST_F(ContainerdInterop, RunRmReturnsTheExitCodeAndTheOutput) {
  ProcessResult r = run_rm("rm-exit", {"sh", "-c", "echo hello from cradle; exit 3"});
  EXPECT_EQ(r.status, 3) << r.err;
  EXPECT_EQ(r.out, "hello from cradle\n");
  ProcessResult ok = run_rm("rm-true", {"true"});
  EXPECT_EQ(ok.status, 0) << ok.err;
}

TEST_F(ContainerdInterop, DetachedTaskExecPsPauseResumeKillMetrics) {
  const std::string id = "detached";
  expect_ok({"run", "-d", "--runtime", kRuntime, kBusyboxImage, id, "sleep", "1000"});
  ASSERT_TRUE(task_status_is(id, "RUNNING"));

  // In the container's pid namespace, pid 1 is the task's sleep.
  ProcessResult exec =
      ctr({"task", "exec", "--exec-id", "e1", id, "sh", "-c", "echo in-exec $(cat /proc/1/comm)"});
  EXPECT_EQ(exec.status, 0) << exec.err;
  EXPECT_EQ(exec.out, "in-exec sleep\n");
  ProcessResult exec_code = ctr({"task", "exec", "--exec-id", "e2", id, "sh", "-c", "exit 5"});
  EXPECT_EQ(exec_code.status, 5) << exec_code.err;

  ProcessResult ps = ctr({"task", "ps", id});
  EXPECT_EQ(ps.status, 0) << ps.err;
  EXPECT_THAT(ps.out, HasSubstr("PID"));

  expect_ok({"task", "pause", id});
  EXPECT_TRUE(task_status_is(id, "PAUSED"));
  expect_ok({"task", "resume", id});
  EXPECT_TRUE(task_status_is(id, "RUNNING"));

  ProcessResult metrics = ctr({"task", "metrics", id});
  EXPECT_EQ(metrics.status, 0) << metrics.err;
  // This tree has no pids or memory controller: the cpu counters of the core are what it shows.
  EXPECT_THAT(metrics.out, HasSubstr("cpu.usage_usec"));

  expect_ok({"task", "kill", "-s", "SIGKILL", id});
  EXPECT_TRUE(task_status_is(id, "STOPPED"));
  expect_ok({"task", "delete", id});
  expect_ok({"container", "delete", id});
}

TEST_F(ContainerdInterop, TerminalSession) {
  ProcessResult r = containerd_->ctr_in_terminal(
      {"run", "-t", "--rm", "--runtime", kRuntime, kBusyboxImage, "tty-session", "sh", "-c",
       // ctr resizes right after Start: wait (boundedly) for it.
       "tty; for i in $(seq 100); do s=$(stty size 2>/dev/null); "
       "[ -n \"$s\" ] && [ \"$s\" != \"0 0\" ] && break; sleep 0.05; done; echo \"$s\"; exit 2"});
  EXPECT_EQ(r.status, 2) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("/dev/pts/0"));
  // ctr sends the size of its own terminal (script's pty, 40x100) with ResizePty.
  EXPECT_THAT(r.out, HasSubstr("40 100")) << r.err;
}

TEST_F(ContainerdInterop, TaskSurvivesAContainerdRestart) {
  const std::string id = "survivor";
  expect_ok({"run", "-d", "--runtime", kRuntime, kBusyboxImage, id, "sleep", "1000"});
  ASSERT_TRUE(task_status_is(id, "RUNNING"));
  containerd_->restart();
  EXPECT_TRUE(task_status_is(id, "RUNNING"));
  ProcessResult exec = ctr({"task", "exec", "--exec-id", "after", id, "echo", "still here"});
  EXPECT_EQ(exec.out, "still here\n") << exec.err;
  expect_ok({"task", "kill", "-s", "SIGKILL", id});
  EXPECT_TRUE(task_status_is(id, "STOPPED"));
  remove_task_and_container(id);
}

TEST_F(ContainerdInterop, ShimsAreGoneAfterTheirTasks) {
  ProcessResult r = run_rm("gone", {"true"});
  ASSERT_EQ(r.status, 0) << r.err;
  for (int i = 0; i < 100; ++i) {
    if (run_process({"/usr/bin/pgrep", "-f", "containerd-shim-cradle-v2.*-id gone"}).status != 0)
      return;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  FAIL() << "the shim of a deleted task is still running";
}

}  // namespace
}  // namespace cradle::testing
