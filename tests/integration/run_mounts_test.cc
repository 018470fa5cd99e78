// The container's filesystem: spec mounts with their options, /proc, /dev and its devices,
// /dev/pts, and mounts the kernel refuses.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include "shim_run.h"
#include "support/temp_dir.h"

namespace cradle::testing {
namespace {

using ::testing::HasSubstr;

class RunMounts : public ShimRunTest {};

TEST_F(RunMounts, MountsProcDevptsAndReadonlySys) {
  // For each mount point, "<fstype> <mount options>" from its mountinfo line.
  std::string script;
  for (const char* p : {"/proc", "/dev/pts", "/sys", "/dev", "/dev/shm", "/dev/mqueue"}) {
    script += std::string("sh -c '") + "awk -v p=" + p +
              " '\"'\"'$5 == p { for (i = 7; $i != \"-\"; i++); print $(i+1), $6 }'\"'\"' "
              "/proc/self/mountinfo'; ";
  }
  BusyboxBundle bundle({"sh", "-c", script});
  ProcessResult r = run(bundle);
  EXPECT_EQ(r.status, 0) << r.err;
  // The default spec mounts /proc nosuid,nodev,noexec, as containerd's and docker's do.
  EXPECT_EQ(r.out,
            "proc rw,nosuid,nodev,noexec,relatime\n"
            "devpts rw,nosuid,noexec,relatime\n"
            "sysfs ro,nosuid,nodev,noexec,relatime\n"
            "tmpfs rw,nosuid\n"
            "tmpfs rw,nosuid,nodev,noexec,relatime\n"
            "mqueue rw,nosuid,nodev,noexec,relatime\n");
}

TEST_F(RunMounts, DevptsIsANewInstanceWithPtmxLinked) {
  BusyboxBundle bundle({"sh", "-c", "ls /dev/pts; readlink /dev/ptmx"});
  EXPECT_EQ(run(bundle).out, "ptmx\npts/ptmx\n");
}

TEST_F(RunMounts, CreatesTheDefaultDevicesAndTheSpecsOwn) {
  BusyboxBundle bundle({"sh", "-c",
                        "for d in null zero full random urandom tty fuse; do "
                        "stat -c '%n %F %t:%T %a %u:%g' /dev/$d; done; "
                        "readlink /dev/fd; readlink /dev/stdin; head -c 4 /dev/zero | wc -c"});
  bundle.config()["linux"]["devices"] = {{{"path", "/dev/fuse"},
                                          {"type", "c"},
                                          {"major", 10},
                                          {"minor", 229},
                                          {"fileMode", 0600},
                                          {"uid", 7},
                                          {"gid", 8}}};
  ProcessResult r = run(bundle);
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out,
            "/dev/null character special file 1:3 666 0:0\n"
            "/dev/zero character special file 1:5 666 0:0\n"
            "/dev/full character special file 1:7 666 0:0\n"
            "/dev/random character special file 1:8 666 0:0\n"
            "/dev/urandom character special file 1:9 666 0:0\n"
            "/dev/tty character special file 5:0 666 0:0\n"
            "/dev/fuse character special file a:e5 600 7:8\n"
            "/proc/self/fd\n/proc/self/fd/0\n4\n");
}

TEST_F(RunMounts, BindMountsAHostDirectoryReadOnly) {
  TempDir host;
  std::ofstream(host.path() + "/file") << "from the host\n";
  BusyboxBundle bundle({"sh", "-c", "cat /data/file; touch /data/new 2>/dev/null || echo ro"});
  add_mount(bundle.config(), "/data", "bind", host.path(), {"rbind", "ro", "nosuid"});
  EXPECT_EQ(run(bundle).out, "from the host\nro\n");
}

TEST_F(RunMounts, BindMountsAFileOntoAMissingPath) {
  TempDir host;
  std::ofstream(host.path() + "/conf") << "key=value\n";
  BusyboxBundle bundle({"cat", "/etc/app/app.conf"});
  add_mount(bundle.config(), "/tmp", "tmpfs", "tmpfs", {});
  // /etc/app does not exist in the image, and the read-only rootfs cannot grow it: put it on a
  // tmpfs so the runtime can create the mount point.
  bundle.config()["mounts"].back()["destination"] = "/etc";
  add_mount(bundle.config(), "/etc/app/app.conf", "bind", host.path() + "/conf", {"bind", "ro"});
  ProcessResult r = run(bundle);
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "key=value\n");
}

TEST_F(RunMounts, TmpfsTakesItsOptions) {
  BusyboxBundle bundle(
      {"sh", "-c", "stat -c %a /scratch; df -k /scratch | tail -1 | awk '{print $2}'"});
  add_mount(bundle.config(), "/scratch", "tmpfs", "tmpfs", {"mode=1777", "size=2048k", "noexec"});
  EXPECT_EQ(run(bundle).out, "1777\n2048\n");
}

TEST_F(RunMounts, FollowsSymlinksInsideTheRootfs) {
  // The image's /var/run is a symlink to /run: a mount on /var/run/app lands in /run/app.
  TempDir rootfs;
  copy_busybox_rootfs(rootfs.path());
  ASSERT_EQ(run_process({"/bin/rm", "-rf", rootfs.path() + "/var/run"}).status, 0);
  ASSERT_EQ(run_process({"/bin/ln", "-s", "/run", rootfs.path() + "/var/run"}).status, 0);
  BusyboxBundle bundle({"sh", "-c", "grep -c ' /run/app ' /proc/self/mountinfo"});
  bundle.config()["root"]["path"] = rootfs.path();
  add_mount(bundle.config(), "/var/run/app", "tmpfs", "tmpfs", {});
  ProcessResult r = run(bundle);
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "1\n");
}

TEST_F(RunMounts, AFilesystemTheKernelRefusesIsNamedInTheError) {
  BusyboxBundle bundle({"true"});
  add_mount(bundle.config(), "/tmp", "nosuchfs", "none", {});
  ProcessResult r = run(bundle);
  EXPECT_EQ(r.status, 125);
  EXPECT_EQ(r.err, "cradle-shim: mount nosuchfs on /tmp: No such device\n");
}

TEST_F(RunMounts, ABadFilesystemOptionIsNamedInTheError) {
  BusyboxBundle bundle({"true"});
  add_mount(bundle.config(), "/tmp", "tmpfs", "tmpfs", {"size=lots"});
  ProcessResult r = run(bundle);
  EXPECT_EQ(r.status, 125);
  EXPECT_EQ(r.err, "cradle-shim: mount tmpfs on /tmp: Invalid argument\n");
}

}  // namespace
}  // namespace cradle::testing
