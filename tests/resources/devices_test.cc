// The device filter on a real container in the pure v2 kernel: a device node the spec creates but
// its rules deny cannot be opened, the default devices can.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "resource_test.h"

namespace cradle::testing {
namespace {

class Devices : public ResourceTest {};

TEST_F(Devices, ADeniedDeviceCannotBeOpenedWhileAnAllowedOneCan) {
  BusyboxBundle bundle(
      {"sh", "-c", "echo x > /dev/kmsg; echo x > /dev/null && head -c 2 /dev/urandom | wc -c"});
  bundle.config()["linux"]["devices"] = {
      {{"path", "/dev/kmsg"}, {"type", "c"}, {"major", 1}, {"minor", 11}, {"fileMode", 0600}}};
  bundle.config()["linux"]["resources"]["devices"] = {
      {{"allow", false}, {"access", "rwm"}},
      {{"allow", false}, {"type", "c"}, {"major", 1}, {"minor", 11}, {"access", "w"}}};
  ProcessResult r = run(bundle);
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.err, "sh: can't create /dev/kmsg: Operation not permitted\n");
  EXPECT_EQ(r.out, "2\n");
}

}  // namespace
}  // namespace cradle::testing
