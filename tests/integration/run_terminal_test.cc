// Containers with a terminal, including the bundle `runc spec` writes.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "base/file_io.h"
#include "shim_run.h"
#include "support/temp_dir.h"

namespace cradle::testing {
namespace {

using ::testing::HasSubstr;

class RunTerminal : public ShimRunTest {};

TEST_F(RunTerminal, TheProcessGetsAPtyAsItsControllingTerminal) {
  BusyboxBundle bundle({"sh", "-c", "tty; stat -c %t:%T /dev/console; [ -t 0 ] && echo stdin-tty"});
  bundle.config()["process"]["terminal"] = true;
  ProcessResult r = run(bundle);
  EXPECT_EQ(r.status, 0) << r.err;
  // The pty turns \n into \r\n on the way out.
  EXPECT_EQ(r.out, "/dev/pts/0\r\n88:0\r\nstdin-tty\r\n");
}

TEST_F(RunTerminal, InputReachesTheShellAndItsExitCodeComesBack) {
  BusyboxBundle bundle({"sh"});
  bundle.config()["process"]["terminal"] = true;
  ProcessResult r = run(bundle, "echo hi-$((6*7))\nexit 3\n");
  EXPECT_EQ(r.status, 3) << r.err;
  EXPECT_THAT(r.out, HasSubstr("hi-42"));
}

TEST_F(RunTerminal, ConsoleSizeIsApplied) {
  BusyboxBundle bundle({"stty", "size"});
  bundle.config()["process"]["terminal"] = true;
  bundle.config()["process"]["consoleSize"] = {{"height", 30}, {"width", 100}};
  EXPECT_EQ(run(bundle).out, "30 100\r\n");
}

TEST(RuncSpecBundle, RunsTheBundleRuncSpecWrites) {
  // The bundle exactly as `runc spec` writes it (terminal on, read-only root, ambient
  // capabilities without inheritable ones), with busybox as its rootfs.
  TempDir bundle;
  ProcessResult spec = run_process({"/usr/sbin/runc", "spec", "--bundle", bundle.path()});
  ASSERT_EQ(spec.status, 0) << "runc spec failed (is runc installed?): " << spec.err;
  std::filesystem::create_directory_symlink(CRADLE_BUSYBOX_ROOTFS, bundle.path() + "/rootfs");
  std::string id = unique_id("runc-spec");
  ProcessResult r = run_process({CRADLE_SHIM_BINARY, "run", "--bundle", bundle.path(), "--id", id},
                                "echo $(hostname) $$; exit 4\n");
  EXPECT_EQ(r.status, 4) << r.err;
  EXPECT_THAT(r.out, HasSubstr("runc 1"));
  EXPECT_FALSE(host_mounts_mention(bundle.path()));
}

}  // namespace
}  // namespace cradle::testing
