// linux.resources.devices through `cradle-shim run`: the device filter (an eBPF program on the
// container's cgroup) decides which device nodes the container may open, whatever nodes its /dev
// has. A hybrid host's cgroup v2 tree takes the filter too, so this runs on any host.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "shim_run.h"

namespace cradle::testing {
namespace {

using ::testing::HasSubstr;

// /dev/fuse (char 10:229) made in the container's /dev: a node that exists there but is not one of
// the devices every container may use.
void add_fuse_node(nlohmann::json& config) {
  config["linux"]["devices"] = {
      {{"path", "/dev/fuse"}, {"type", "c"}, {"major", 10}, {"minor", 229}, {"fileMode", 0666}}};
}

class RunDevices : public ShimRunTest {};

TEST_F(RunDevices, TheDefaultSpecDeniesADeviceItDoesNotList) {
  // The default spec's rules are a single deny-all; the default devices stay usable.
  BusyboxBundle bundle(
      {"sh", "-c", "cat /dev/fuse; echo data > /dev/null && head -c 3 /dev/zero | wc -c"});
  add_fuse_node(bundle.config());
  ProcessResult r = run(bundle);
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.err, "cat: can't open '/dev/fuse': Operation not permitted\n");
  EXPECT_EQ(r.out, "3\n");
}

TEST_F(RunDevices, AnExplicitDenyAfterAnAllowWins) {
  BusyboxBundle bundle({"sh", "-c", "cat /dev/fuse"});
  add_fuse_node(bundle.config());
  bundle.config()["linux"]["resources"]["devices"] = {
      {{"allow", false}, {"access", "rwm"}},
      {{"allow", true}, {"type", "c"}, {"major", 10}, {"minor", 229}, {"access", "rwm"}},
      {{"allow", false}, {"type", "c"}, {"major", 10}, {"minor", 229}, {"access", "r"}}};
  ProcessResult r = run(bundle);
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.err, "cat: can't open '/dev/fuse': Operation not permitted\n");
}

TEST_F(RunDevices, AnAllowedDeviceOpens) {
  BusyboxBundle bundle({"sh", "-c", ": < /dev/fuse && echo opened"});
  add_fuse_node(bundle.config());
  bundle.config()["linux"]["resources"]["devices"] = {
      {{"allow", false}, {"access", "rwm"}},
      {{"allow", true}, {"type", "c"}, {"major", 10}, {"minor", 229}, {"access", "rw"}}};
  // Past the filter the host's fuse driver opens it (a host without fuse says "No such device").
  ProcessResult r = run(bundle);
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "opened\n");
}

TEST_F(RunDevices, NoRulesAllowEveryDevice) {
  BusyboxBundle bundle({"sh", "-c", ": < /dev/fuse && echo opened"});
  add_fuse_node(bundle.config());
  bundle.config()["linux"]["resources"].erase("devices");
  ProcessResult r = run(bundle);
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "opened\n");
}

TEST_F(RunDevices, AnInvalidRuleIsRefusedBeforeAnythingStarts) {
  BusyboxBundle bundle({"true"});
  bundle.config()["linux"]["resources"]["devices"] = {{{"allow", true}, {"access", "rwx"}}};
  ProcessResult r = run(bundle);
  EXPECT_EQ(r.status, 125);
  EXPECT_THAT(r.err, HasSubstr("linux.resources.devices[0].access"));
}

}  // namespace
}  // namespace cradle::testing
