// cradled and cradle end to end: a real daemon of the test's own, real containers from the
// built-in busybox image, driven through the CLI as a user would.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "base/error.h"
#include "base/file_io.h"
#include "cgroups/cgroup_root.h"
#include "daemon/test_daemon.h"

namespace cradle::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using ::testing::Not;

// Whether pid runs: a process that exited stays a zombie until whoever adopted it reaps it.
bool running(pid_t pid) {
  std::string stat;
  try {
    stat = read_file("/proc/" + std::to_string(pid) + "/stat");
  } catch (const Error&) {
    return false;
  }
  auto state = stat.find(") ");
  return state != std::string::npos && stat[state + 2] != 'Z' && stat[state + 2] != 'X';
}

std::string trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r'))
    s.pop_back();
  return s;
}

class CradleCli : public ::testing::Test {
 protected:
  ProcessResult cradle(const std::vector<std::string>& args, const std::string& input = {}) {
    return daemon_.cli(args, input);
  }
  // `inspect` of one container, as JSON.
  nlohmann::json inspect(const std::string& name) {
    ProcessResult r = cradle({"inspect", name});
    EXPECT_EQ(r.status, 0) << r.err;
    nlohmann::json j = nlohmann::json::parse(r.out, nullptr, false);
    return j.is_array() && !j.empty() ? j[0] : j;
  }
  // Waits (boundedly) until the container's status says it exited.
  bool wait_exited(const std::string& name) {
    for (int i = 0; i < 200; ++i) {
      nlohmann::json c = inspect(name);
      if (c.value("status", "") == "TASK_STATUS_STOPPED" ||
          c.value("status", "") == "TASK_STATUS_NONE") {
        return true;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    return false;
  }
  std::string cgroup_of(const std::string& id) {
    return cgroups::CgroupRoot::detect().mount_path + "/cradle/default/" + id;
  }

  TestDaemon daemon_;
};

TEST_F(CradleCli, RunRmExitsWithTheContainersCodeAndLeavesNothing) {
  ProcessResult r = cradle({"run", "--rm", "busybox", "sh", "-c", "echo hello; exit 5"});
  EXPECT_EQ(r.status, 5) << r.err;
  EXPECT_EQ(r.out, "hello\n");
  EXPECT_EQ(cradle({"ps", "-a", "-q"}).out, "");
}

TEST_F(CradleCli, DetachedContainerLifecycle) {
  ProcessResult run = cradle({"run", "-d", "--name", "web", "busybox", "sleep", "1000"});
  ASSERT_EQ(run.status, 0) << run.err;
  EXPECT_THAT(run.out, MatchesRegex("[0-9a-f]{64}\n"));
  std::string id = trimmed(run.out);

  ProcessResult ps = cradle({"ps"});
  EXPECT_THAT(ps.out, HasSubstr("web"));
  EXPECT_THAT(ps.out, HasSubstr("Up"));

  ProcessResult exec = cradle({"exec", "web", "sh", "-c", "echo in $(cat /proc/1/comm)"});
  EXPECT_EQ(exec.status, 0) << exec.err;
  EXPECT_EQ(exec.out, "in sleep\n");
  EXPECT_EQ(cradle({"exec", "web", "sh", "-c", "exit 4"}).status, 4);

  EXPECT_EQ(cradle({"pause", "web"}).status, 0);
  EXPECT_EQ(inspect("web").value("status", ""), "TASK_STATUS_PAUSED");
  EXPECT_THAT(cradle({"ps"}).out, HasSubstr("Paused"));
  EXPECT_EQ(cradle({"unpause", "web"}).status, 0);
  EXPECT_EQ(inspect("web").value("status", ""), "TASK_STATUS_RUNNING");

  ProcessResult stats = cradle({"stats", "--no-stream", "web"});
  EXPECT_EQ(stats.status, 0) << stats.err;
  EXPECT_THAT(stats.out, HasSubstr("web"));

  EXPECT_EQ(cradle({"kill", "-s", "KILL", "web"}).status, 0);
  ASSERT_TRUE(wait_exited("web"));
  EXPECT_THAT(cradle({"ps", "-a"}).out, HasSubstr("Exited (137)"));
  EXPECT_EQ(cradle({"rm", "web"}).status, 0);
  EXPECT_EQ(cradle({"ps", "-a", "-q"}).out, "");
  struct stat st;
  EXPECT_NE(::stat(cgroup_of(id).c_str(), &st), 0) << "the container's cgroup is still there";
}

TEST_F(CradleCli, StopSendsTermThenKill) {
  ASSERT_EQ(cradle({"run", "-d", "--name", "stubborn", "busybox", "sleep", "1000"}).status, 0);
  // sleep as pid 1 ignores SIGTERM: stop falls back to SIGKILL after its timeout.
  ProcessResult stop = cradle({"stop", "-t", "1", "stubborn"});
  EXPECT_EQ(stop.status, 0) << stop.err;
  EXPECT_EQ(inspect("stubborn").value("exitStatus", 0), 137);
}

TEST_F(CradleCli, LogsAfterExitAndAfterADaemonRestart) {
  ASSERT_EQ(cradle({"run", "-d", "--name", "talker", "busybox", "sh", "-c",
                    "echo one; echo two >&2; echo three"})
                .status,
            0);
  ASSERT_TRUE(wait_exited("talker"));
  ProcessResult logs = cradle({"logs", "talker"});
  EXPECT_EQ(logs.out, "one\nthree\n");
  EXPECT_EQ(logs.err, "two\n");
  // The two streams are separate pipes: their lines interleave in whatever order the shim read
  // them, so --tail is checked on one stream's lines.
  ProcessResult tail = cradle({"logs", "--tail", "2", "talker"});
  EXPECT_EQ(tail.out.find("one"), std::string::npos) << tail.out;
  daemon_.kill_hard();
  daemon_.start();
  EXPECT_EQ(cradle({"logs", "talker"}).out, "one\nthree\n");
}

TEST_F(CradleCli, InteractiveTerminal) {
  ProcessResult r = daemon_.cli_in_terminal({"run", "-it", "--rm", "busybox", "sh"},
                                            "echo hi-$((6*7)); stty size; exit 3\n");
  EXPECT_EQ(r.status, 3) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("hi-42"));
  EXPECT_THAT(r.out, HasSubstr("30 90"));
}

TEST_F(CradleCli, ContainersSurviveADaemonKillAndExitsMeanwhileAreSeen) {
  TempDir shared;
  for (int i = 0; i < 20; ++i) {
    ProcessResult r =
        cradle({"run", "-d", "--name", "c" + std::to_string(i), "busybox", "sleep", "1000"});
    ASSERT_EQ(r.status, 0) << r.err;
  }
  ASSERT_EQ(cradle({"run", "-d", "--name", "leaver", "-v", shared.path() + ":/shared", "busybox",
                    "sh", "-c", "while [ ! -f /shared/go ]; do sleep 0.05; done; exit 7"})
                .status,
            0);
  pid_t leaver_pid = inspect("leaver").value("pid", 0);
  ASSERT_GT(leaver_pid, 0);

  daemon_.kill_hard();
  std::ofstream(shared.path() + "/go") << "go";
  for (int i = 0; i < 400 && running(leaver_pid); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  daemon_.start();

  ProcessResult ps = cradle({"ps"});
  for (int i = 0; i < 20; ++i)
    EXPECT_THAT(ps.out, HasSubstr("c" + std::to_string(i) + "\n"));
  for (int i = 0; i < 20; ++i) {
    ProcessResult exec = cradle({"exec", "c" + std::to_string(i), "echo", "alive"});
    EXPECT_EQ(exec.out, "alive\n") << "c" << i << ": " << exec.err;
  }
  nlohmann::json leaver = inspect("leaver");
  EXPECT_EQ(leaver.value("exitStatus", 0), 7);
  EXPECT_THAT(cradle({"ps", "-a"}).out, HasSubstr("Exited (7)"));
}

TEST_F(CradleCli, AKilledShimIsNoticedAndLeavesNothing) {
  ProcessResult run = cradle({"run", "-d", "--name", "victim", "busybox", "sleep", "1000"});
  ASSERT_EQ(run.status, 0) << run.err;
  std::string id = trimmed(run.out);
  pid_t init = inspect("victim").value("pid", 0);
  std::vector<pid_t> shims = shim_pids(daemon_.state());
  ASSERT_EQ(shims.size(), 1u);
  auto killed_at = std::chrono::steady_clock::now();
  ASSERT_EQ(::kill(shims[0], SIGKILL), 0);
  nlohmann::json c;
  for (int i = 0; i < 200; ++i) {
    c = inspect("victim");
    if (c.value("exitReason", "") != "") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  auto noticed_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::steady_clock::now() - killed_at)
                        .count();
  EXPECT_EQ(c.value("exitReason", ""), "the shim died");
  EXPECT_EQ(c.value("exitStatus", 0), 137);
  std::printf("shim death noticed after %lld ms\n", static_cast<long long>(noticed_ms));
  struct stat st;
  EXPECT_NE(::stat(cgroup_of(id).c_str(), &st), 0) << "the cgroup is still there";
  EXPECT_FALSE(running(init)) << "the container's init still runs";
  EXPECT_EQ(read_file("/proc/self/mountinfo").find(daemon_.state() + "/shims/default/" + id),
            std::string::npos)
      << "the rootfs is still mounted";
}

TEST_F(CradleCli, BadRequestsAreRefusedAndChangeNothing) {
  ProcessResult unknown = cradle({"rm", "nope"});
  EXPECT_NE(unknown.status, 0);
  EXPECT_THAT(unknown.err, HasSubstr("no such container: nope"));

  ASSERT_EQ(cradle({"create", "--name", "twin", "busybox", "true"}).status, 0);
  ProcessResult twin = cradle({"create", "--name", "twin", "busybox", "true"});
  EXPECT_EQ(twin.status, 125);
  EXPECT_THAT(twin.err, HasSubstr("\"twin\" is already in use"));

  ProcessResult mount = cradle({"run", "--rm", "-v", "/nonexistent-source:/x", "busybox", "true"});
  EXPECT_EQ(mount.status, 125);
  EXPECT_THAT(mount.err, HasSubstr("/nonexistent-source"));

  std::string images_before = cradle({"image", "ls"}).out;
  ProcessResult bad_tar = cradle({"image", "import", "/etc/hostname"});
  EXPECT_EQ(bad_tar.status, 125);
  EXPECT_THAT(bad_tar.err, HasSubstr("image tarball"));
  EXPECT_EQ(cradle({"image", "ls"}).out, images_before);
  EXPECT_EQ(trimmed(cradle({"ps", "-a", "--format", "json"}).out).find("nonexistent"),
            std::string::npos);
  // Only the one good container exists.
  EXPECT_EQ(cradle({"ps", "-a", "-q"}).out.size(), 13u);
}

TEST_F(CradleCli, VersionInfoAndImages) {
  struct stat socket_stat {};
  ASSERT_EQ(::stat(daemon_.socket().c_str(), &socket_stat), 0);
  EXPECT_EQ(socket_stat.st_mode & 07777, 0600u) << "the API socket is root's alone";
  EXPECT_EQ(cradle({"version"}).status, 0);
  ProcessResult info = cradle({"info"});
  EXPECT_EQ(info.status, 0) << info.err;
  EXPECT_THAT(cradle({"image", "ls"}).out, HasSubstr("docker.io/library/busybox"));
  ProcessResult imported = cradle({"image", "import", CRADLE_BUSYBOX_TAR});
  EXPECT_EQ(imported.status, 0) << imported.err;
}

}  // namespace
}  // namespace cradle::testing
