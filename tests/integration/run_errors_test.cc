// Bad specs and bad bundles: a clear error naming what is wrong, exit 125, and nothing left
// behind (no cgroup, no mount, no process).
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

#include "shim_run.h"
#include "support/temp_dir.h"

namespace cradle::testing {
namespace {

using ::testing::HasSubstr;

class RunErrors : public ShimRunTest {
 protected:
  // Runs the bundle and expects `cradle-shim: <message>` and exit 125.
  void expect_refused(const BusyboxBundle& bundle, const std::string& message) {
    ProcessResult r = run(bundle);
    EXPECT_EQ(r.status, 125);
    EXPECT_EQ(r.out, "");
    EXPECT_EQ(r.err, "cradle-shim: " + message + "\n");
  }
};

TEST_F(RunErrors, MissingRootfs) {
  BusyboxBundle bundle({"true"});
  bundle.config()["root"]["path"] = "nowhere";
  expect_refused(bundle, "root.path: " + bundle.path() + "/nowhere: No such file or directory");
}

TEST_F(RunErrors, MountOntoASymlinkPointingOutOfTheRootfs) {
  TempDir rootfs;
  copy_busybox_rootfs(rootfs.path());
  ASSERT_EQ(::symlink("../../../../../tmp", (rootfs.path() + "/escape").c_str()), 0);
  BusyboxBundle bundle({"true"});
  bundle.config()["root"]["path"] = rootfs.path();
  add_mount(bundle.config(), "/escape/data", "tmpfs", "tmpfs", {});
  expect_refused(bundle,
                 "mounts[7].destination: \"/escape/data\" goes through the symlink /escape -> "
                 "../../../../../tmp, which points out of the rootfs");
}

TEST_F(RunErrors, UnknownCapability) {
  BusyboxBundle bundle({"true"});
  bundle.config()["process"]["capabilities"]["bounding"][2] = "CAP_FOO";
  expect_refused(bundle, "process.capabilities.bounding[2]: unknown capability \"CAP_FOO\"");
}

TEST_F(RunErrors, BadSeccompAction) {
  BusyboxBundle bundle({"true"});
  bundle.config()["linux"]["seccomp"] = {{"defaultAction", "SCMP_ACT_FOO"}};
  expect_refused(bundle, "linux.seccomp.defaultAction: unknown action \"SCMP_ACT_FOO\"");
}

TEST_F(RunErrors, ConfigThatIsNotJson) {
  BusyboxBundle bundle({"true"});
  ProcessResult r = run_process({CRADLE_SHIM_BINARY, "run", "--bundle", bundle.path()});
  EXPECT_EQ(r.status, 125);
  EXPECT_THAT(r.err, HasSubstr("config.json"));
  std::ofstream(bundle.path() + "/config.json") << "{ not json";
  r = run_process({CRADLE_SHIM_BINARY, "run", "--bundle", bundle.path()});
  EXPECT_EQ(r.status, 125);
  EXPECT_THAT(r.err, HasSubstr("config.json: not valid JSON"));
}

TEST_F(RunErrors, ExecutableNotFound) {
  BusyboxBundle bundle({"no-such-program", "arg"});
  expect_refused(bundle,
                 "executable file \"no-such-program\" not found in $PATH "
                 "(/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin)");
}

TEST_F(RunErrors, MissingBindSource) {
  BusyboxBundle bundle({"true"});
  add_mount(bundle.config(), "/data", "bind", "/nonexistent/source", {"rbind"});
  expect_refused(bundle, "mounts[7].source: /nonexistent/source: No such file or directory");
}

TEST_F(RunErrors, ResourceThatNeedsAMissingController) {
  BusyboxBundle bundle({"true"});
  bundle.config()["linux"]["resources"]["memory"] = {{"limit", 64 << 20}};
  ProcessResult r = run(bundle);
  EXPECT_EQ(r.status, 125);
  EXPECT_THAT(r.err, HasSubstr("linux.resources.memory.limit needs the cgroup v2 \"memory\" "
                               "controller"));
}

TEST_F(RunErrors, EveryLimitNeedingAMissingControllerNamesIt) {
  // This host keeps these controllers in cgroup v1; the VM lane (tests/vm/) applies them for real.
  struct Case {
    const char* section;
    nlohmann::json value;
    std::string field;
    std::string controller;
  };
  const Case cases[] = {
      {"memory", {{"reservation", 32 << 20}}, "memory.reservation", "memory"},
      {"cpu", {{"shares", 512}}, "cpu.shares", "cpu"},
      {"cpu", {{"quota", 50000}, {"period", 100000}}, "cpu.quota", "cpu"},
      {"cpu", {{"cpus", "0"}}, "cpu.cpus", "cpuset"},
      {"pids", {{"limit", 16}}, "pids.limit", "pids"},
      {"blockIO", {{"weight", 500}}, "blockIO.weight", "io"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.field);
    BusyboxBundle bundle({"true"});
    bundle.config()["linux"]["resources"][c.section] = c.value;
    expect_refused(bundle, "linux.resources." + c.field + " needs the cgroup v2 \"" + c.controller +
                               "\" controller, which this host's cgroup v2 tree does not have (a "
                               "hybrid host keeps it in cgroup v1)");
  }
}

TEST_F(RunErrors, DefaultResourceValuesAreAccepted) {
  // containerd always sends cpu.shares 1024: the kernel's default, which needs no controller.
  BusyboxBundle bundle({"true"});
  bundle.config()["linux"]["resources"]["cpu"] = {{"shares", 1024}};
  bundle.config()["linux"]["resources"]["memory"] = {{"limit", -1}};
  bundle.config()["linux"]["resources"]["pids"] = {{"limit", 0}};
  ProcessResult r = run(bundle);
  EXPECT_EQ(r.status, 0) << r.err;
}

TEST_F(RunErrors, AnRlimitTheKernelRefusesIsNamed) {
  // Above fs.nr_open no process may raise RLIMIT_NOFILE, whatever its capabilities.
  BusyboxBundle bundle({"true"});
  bundle.config()["process"]["rlimits"] = {
      {{"type", "RLIMIT_NOFILE"}, {"soft", 1024}, {"hard", 1 << 30}}};
  expect_refused(bundle, "set RLIMIT_NOFILE: Operation not permitted");
}

TEST_F(RunErrors, InvalidContainerId) {
  BusyboxBundle bundle({"true"});
  bundle.write();
  ProcessResult r =
      run_process({CRADLE_SHIM_BINARY, "run", "--bundle", bundle.path(), "--id", "../evil"});
  EXPECT_EQ(r.status, 125);
  EXPECT_EQ(r.err, "cradle-shim: container id \"../evil\": must start with a letter or a digit\n");
}

TEST_F(RunErrors, AFailureInsideTheContainerLeavesNothingBehind) {
  // The child fails late (the exec), after mounts, devices and pivot_root: still no leftovers,
  // which the fixture checks after every run.
  BusyboxBundle bundle({"/etc/passwd"});
  ProcessResult r = run(bundle);
  EXPECT_EQ(r.status, 125);
  EXPECT_EQ(r.err, "cradle-shim: exec /etc/passwd: Permission denied\n");
}

}  // namespace
}  // namespace cradle::testing
