// `cradle-shim run` end to end: the process a user starts, its stdio and exit status.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "shim_run.h"
#include "support/temp_dir.h"

namespace cradle::testing {
namespace {

using ::testing::HasSubstr;

class RunBasics : public ShimRunTest {};

TEST_F(RunBasics, PassesStdoutAndExitsZero) {
  BusyboxBundle bundle({"echo", "hello"});
  ProcessResult r = run(bundle);
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "hello\n");
}

TEST_F(RunBasics, PassesStdinAndStderr) {
  BusyboxBundle bundle({"sh", "-c", "read line; echo \"got $line\" >&2"});
  ProcessResult r = run(bundle, "abc\n");
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.err, "got abc\n");
}

TEST_F(RunBasics, ExitsWithTheContainersExitCode) {
  BusyboxBundle bundle({"sh", "-c", "exit 7"});
  EXPECT_EQ(run(bundle).status, 7);
}

TEST_F(RunBasics, ExitsWith128PlusSignalWhenTheInitIsKilled) {
  // Without a pid namespace the shell is not a pid 1, so a signal it sends itself kills it.
  BusyboxBundle bundle({"sh", "-c", "kill -TERM $$; sleep 5"});
  remove_namespace(bundle.config(), "pid");
  EXPECT_EQ(run(bundle).status, 128 + SIGTERM);
}

TEST_F(RunBasics, TheProcessIsPidOne) {
  BusyboxBundle bundle({"sh", "-c", "echo $$"});
  EXPECT_EQ(run(bundle).out, "1\n");
}

TEST_F(RunBasics, SetsHostnameAndDomainname) {
  BusyboxBundle bundle({"sh", "-c", "hostname; cat /proc/sys/kernel/domainname"});
  bundle.config()["hostname"] = "box-one";
  bundle.config()["domainname"] = "example.test";
  EXPECT_EQ(run(bundle).out, "box-one\nexample.test\n");
}

TEST_F(RunBasics, PassesTheEnvironment) {
  BusyboxBundle bundle({"sh", "-c", "echo \"$GREETING|$PATH\""});
  bundle.config()["process"]["env"] = {"GREETING=hi there", "PATH=/bin:/sbin"};
  EXPECT_EQ(run(bundle).out, "hi there|/bin:/sbin\n");
}

TEST_F(RunBasics, EntersTheWorkingDirectoryCreatingItIfMissing) {
  BusyboxBundle bundle({"pwd"});
  bundle.config()["process"]["cwd"] = "/tmp";
  EXPECT_EQ(run(bundle).out, "/tmp\n");

  BusyboxBundle missing({"pwd"});
  missing.config()["process"]["cwd"] = "/srv/app";
  missing.config()["root"]["readonly"] = false;
  TempDir rootfs_copy;
  // A writable rootfs of its own, so creating /srv/app does not touch the shared image.
  copy_busybox_rootfs(rootfs_copy.path());
  missing.config()["root"]["path"] = rootfs_copy.path();
  ProcessResult r = run(missing);
  EXPECT_EQ(r.out, "/srv/app\n") << r.err;
  struct stat st;
  EXPECT_EQ(::stat((rootfs_copy.path() + "/srv/app").c_str(), &st), 0);
}

TEST_F(RunBasics, SetsUserGroupsAndUmask) {
  BusyboxBundle bundle({"sh", "-c", "grep -E '^(Uid|Gid|Groups)' /proc/self/status; umask"});
  bundle.config()["process"]["user"] = {
      {"uid", 1000}, {"gid", 1001}, {"additionalGids", {10, 20}}, {"umask", 63}};
  ProcessResult r = run(bundle);
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("Uid:\t1000\t1000\t1000\t1000"));
  EXPECT_THAT(r.out, HasSubstr("Gid:\t1001\t1001\t1001\t1001"));
  EXPECT_THAT(r.out, HasSubstr("Groups:\t10 20"));
  EXPECT_THAT(r.out, HasSubstr("0077"));
}

TEST_F(RunBasics, AppliesRlimits) {
  BusyboxBundle bundle({"sh", "-c", "ulimit -n; ulimit -Hn; ulimit -c"});
  bundle.config()["process"]["rlimits"] = {
      {{"type", "RLIMIT_NOFILE"}, {"soft", 123}, {"hard", 456}},
      {{"type", "RLIMIT_CORE"}, {"soft", 0}, {"hard", 0}}};
  EXPECT_EQ(run(bundle).out, "123\n456\n0\n");
}

TEST_F(RunBasics, ForwardsSigtermToTheContainer) {
  TempDir shared;
  BusyboxBundle bundle({"sh", "-c",
                        "trap 'echo got TERM; exit 42' TERM; touch /shared/ready; "
                        "while true; do sleep 0.1; done"});
  add_mount(bundle.config(), "/shared", "bind", shared.path(), {"rbind", "rw"});
  BackgroundProcess shim(run_command(bundle));
  std::string ready = shared.path() + "/ready";
  for (int i = 0; i < 500 && ::access(ready.c_str(), F_OK) != 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_EQ(::access(ready.c_str(), F_OK), 0) << "the container never got ready";
  ASSERT_EQ(::kill(shim.pid(), SIGTERM), 0);
  ProcessResult r = shim.wait();
  EXPECT_EQ(r.status, 42) << r.err;
  EXPECT_EQ(r.out, "got TERM\n");
  check_nothing_left(bundle);
}

TEST_F(RunBasics, KillsWhatTheInitLeftBehind) {
  // The init exits while a child it started keeps running: the run still ends, and the cgroup
  // (with the orphan in it) is gone afterwards.
  BusyboxBundle bundle({"sh", "-c", "sleep 1000 & echo started"});
  ProcessResult r = run(bundle);
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "started\n");
}

TEST_F(RunBasics, LeaksNoFileDescriptorIntoTheContainer) {
  BusyboxBundle bundle({"ls", "/proc/self/fd"});
  // ls's own directory fd is the 3.
  EXPECT_EQ(run(bundle).out, "0\n1\n2\n3\n");
}

TEST_F(RunBasics, RunsTheBusyboxBundleTheBuildMade) {
  ProcessResult r = run_process({CRADLE_SHIM_BINARY, "run", "--bundle", CRADLE_BUSYBOX_BUNDLE});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "hello from a cradle container: pid 1, hostname cradle\n");
}

}  // namespace
}  // namespace cradle::testing
