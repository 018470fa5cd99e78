// What a container may not do: capabilities, no_new_privs, seccomp, masked and read-only paths,
// and the host binary it must never reach.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "shim_run.h"

namespace cradle::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class RunSecurity : public ShimRunTest {};

TEST_F(RunSecurity, CapabilitySetsAreExactlyTheSpecs) {
  BusyboxBundle bundle({"grep", "^Cap", "/proc/self/status"});
  // CAP_KILL (5), CAP_NET_BIND_SERVICE (10), CAP_AUDIT_WRITE (29): 0x20000420.
  ProcessResult r = run(bundle);
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out,
            "CapInh:\t0000000000000000\n"
            "CapPrm:\t0000000020000420\n"
            "CapEff:\t0000000020000420\n"
            "CapBnd:\t0000000020000420\n"
            "CapAmb:\t0000000000000000\n");
}

TEST_F(RunSecurity, AmbientCapabilitiesNeedInheritableOnes) {
  BusyboxBundle bundle({"grep", "^Cap", "/proc/self/status"});
  bundle.config()["process"]["user"] = {{"uid", 1000}, {"gid", 1000}};
  auto& caps = bundle.config()["process"]["capabilities"];
  caps["bounding"] = {"CAP_NET_RAW", "CAP_CHOWN"};
  caps["permitted"] = {"CAP_NET_RAW", "CAP_CHOWN"};
  caps["effective"] = {"CAP_NET_RAW", "CAP_CHOWN"};
  caps["inheritable"] = {"CAP_NET_RAW"};
  caps["ambient"] = {"CAP_NET_RAW", "CAP_CHOWN"};
  ProcessResult r = run(bundle);
  EXPECT_EQ(r.status, 0) << r.err;
  // A non-root process keeps only the ambient capability (CAP_NET_RAW, bit 13) across execve.
  EXPECT_THAT(r.out, HasSubstr("CapEff:\t0000000000002000"));
  EXPECT_THAT(r.out, HasSubstr("CapAmb:\t0000000000002000"));
  EXPECT_THAT(r.err, HasSubstr("process.capabilities.ambient: CAP_CHOWN not both permitted and "
                               "inheritable, so the kernel cannot raise them; left out"));
}

TEST_F(RunSecurity, NoNewPrivilegesFollowsTheSpec) {
  BusyboxBundle on({"grep", "NoNewPrivs", "/proc/self/status"});
  EXPECT_EQ(run(on).out, "NoNewPrivs:\t1\n");
  BusyboxBundle off({"grep", "NoNewPrivs", "/proc/self/status"});
  off.config()["process"]["noNewPrivileges"] = false;
  EXPECT_EQ(run(off).out, "NoNewPrivs:\t0\n");
}

TEST_F(RunSecurity, SeccompRuleReturnsEperm) {
  for (bool no_new_privileges : {true, false}) {
    BusyboxBundle bundle(
        {"sh", "-c", "mkdir /tmp/x; echo \"mkdir: $?\"; grep Seccomp: /proc/self/status"});
    add_mount(bundle.config(), "/tmp", "tmpfs", "tmpfs", {"nosuid"});
    bundle.config()["process"]["noNewPrivileges"] = no_new_privileges;
    bundle.config()["linux"]["seccomp"] = {
        {"defaultAction", "SCMP_ACT_ALLOW"},
        {"architectures", {"SCMP_ARCH_X86_64"}},
        {"syscalls",
         {{{"names", {"mkdir", "mkdirat"}}, {"action", "SCMP_ACT_ERRNO"}, {"errnoRet", 1}}}}};
    ProcessResult r = run(bundle);
    EXPECT_EQ(r.status, 0) << r.err;
    EXPECT_THAT(r.err, HasSubstr("Operation not permitted"))
        << "no_new_privs " << no_new_privileges;
    EXPECT_THAT(r.out, HasSubstr("mkdir: 1\nSeccomp:\t2\n"));
  }
}

TEST_F(RunSecurity, MaskedPathsShowNothing) {
  // A masked file is /dev/null: writes vanish and reads stay empty. A masked directory is an
  // empty read-only tmpfs.
  BusyboxBundle bundle({"sh", "-c",
                        "echo x > /proc/keys; wc -c < /proc/keys; ls -A /sys/firmware | wc -l; "
                        "touch /sys/firmware/x 2>/dev/null || echo dir-ro"});
  ProcessResult r = run(bundle);
  EXPECT_EQ(r.out, "0\n0\ndir-ro\n") << r.err;
}

TEST_F(RunSecurity, ReadonlyPathsCannotBeWritten) {
  BusyboxBundle bundle({"sh", "-c", "echo 1 > /proc/sys/kernel/core_uses_pid; echo $?"});
  ProcessResult r = run(bundle);
  EXPECT_EQ(r.out, "1\n");
  EXPECT_THAT(r.err, HasSubstr("Read-only file system"));
}

TEST_F(RunSecurity, ReadonlyRootAndReadonlySys) {
  BusyboxBundle bundle({"sh", "-c",
                        "touch /newfile 2>/dev/null || echo root-ro; "
                        "grep -E ' /sys (ro|rw),' /proc/self/mountinfo | cut -d' ' -f5,6"});
  EXPECT_EQ(run(bundle).out, "root-ro\n/sys ro,nosuid,nodev,noexec,relatime\n");
}

TEST_F(RunSecurity, NeverExecsThroughAMagicLink) {
  // Until execve the child is the host's cradle-shim: /proc/self/exe must not be reachable.
  BusyboxBundle bundle({"/proc/self/exe", "--help"});
  ProcessResult r = run(bundle);
  EXPECT_EQ(r.status, 125);
  EXPECT_THAT(r.err,
              HasSubstr("find the executable /proc/self/exe: Too many levels of symbolic links"));
  EXPECT_THAT(r.out, Not(HasSubstr("usage")));
}

}  // namespace
}  // namespace cradle::testing
