// The device filter on a real cgroup: the kernel runs the attached program on every open of a
// device node by a process of the cgroup. A hybrid host's v2 tree takes device programs without
// any controller, so these run on the host and in the VM lane alike.
#include <fcntl.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "base/error.h"
#include "cgroup_fixture.h"
#include "cgroups/cgroup.h"
#include "cgroups/device_filter.h"

namespace cradle::cgroups {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

// Not among the default devices, present in every devtmpfs, and open for writing to anyone.
constexpr const char* kKmsg = "/dev/kmsg";

DeviceRule deny_all() {
  return {.allow = false, .type = 'a', .major = -1, .minor = -1, .access = "rwm"};
}
DeviceRule char_device(bool allow, std::int64_t major, std::int64_t minor, std::string access) {
  return {.allow = allow, .type = 'c', .major = major, .minor = minor, .access = std::move(access)};
}

class DeviceFilterTest : public CgroupTest {
 protected:
  void attach(const std::vector<DeviceRule>& rules) {
    attach_device_filter(cgroup_.fd(), compile_device_filter(rules), cgroup_.path());
  }
  int open_errno(const std::string& path, int flags) {
    return open_errno_in_cgroup(cgroup_.fd(), path, flags);
  }

  Cgroup cgroup_ = Cgroup::create(root_, unique_path(), {});
};

TEST_F(DeviceFilterTest, ADeniedDeviceCannotBeOpenedAndTheOthersCan) {
  attach({char_device(false, 1, 3, "rwm")});
  EXPECT_EQ(open_errno("/dev/null", O_RDONLY), EPERM);
  EXPECT_EQ(open_errno("/dev/zero", O_RDONLY), 0);
}

TEST_F(DeviceFilterTest, AttachingAgainReplacesTheFilter) {
  attach({char_device(false, 1, 3, "rwm")});
  attach({char_device(false, 1, 5, "rwm")});
  // Had the second program been added next to the first, /dev/null would still be denied.
  EXPECT_EQ(open_errno("/dev/null", O_RDONLY), 0);
  EXPECT_EQ(open_errno("/dev/zero", O_RDONLY), EPERM);
}

TEST_F(DeviceFilterTest, EachAccessIsDecidedOnItsOwn) {
  attach({deny_all(), char_device(true, 1, 3, "r")});
  EXPECT_EQ(open_errno("/dev/null", O_RDONLY), 0);
  EXPECT_EQ(open_errno("/dev/null", O_WRONLY), EPERM);
  EXPECT_EQ(open_errno("/dev/null", O_RDWR), EPERM);
  EXPECT_EQ(open_errno("/dev/zero", O_RDONLY), EPERM);
}

TEST_F(DeviceFilterTest, ApplyKeepsTheDefaultDevicesAndUpdateReplacesTheRules) {
  cgroup_.apply(Resources{.devices = {deny_all()}});
  EXPECT_EQ(open_errno("/dev/null", O_WRONLY), 0);
  EXPECT_EQ(open_errno("/dev/urandom", O_RDONLY), 0);
  EXPECT_EQ(open_errno(kKmsg, O_WRONLY), EPERM);

  cgroup_.update(Resources{.devices = {deny_all(), char_device(true, 1, 11, "w")}});
  EXPECT_EQ(open_errno(kKmsg, O_WRONLY), 0);

  // An update without device rules leaves the filter as it is.
  cgroup_.update(Resources{});
  EXPECT_EQ(open_errno(kKmsg, O_WRONLY), 0);
  EXPECT_EQ(open_errno("/dev/zero", O_RDONLY), 0);
}

TEST_F(DeviceFilterTest, AnEmptyRuleListAttachesNothingAndAllowsEverything) {
  cgroup_.apply(Resources{});
  EXPECT_EQ(open_errno(kKmsg, O_WRONLY), 0);
}

TEST_F(DeviceFilterTest, AProgramTheVerifierRefusesIsReportedWithItsLog) {
  // No exit instruction: the verifier refuses to run off the end.
  std::vector<bpf_insn> program = {
      {.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0, .src_reg = 0, .off = 0, .imm = 1}};
  try {
    attach_device_filter(cgroup_.fd(), program, cgroup_.path());
    FAIL() << "the kernel took a program without exit";
  } catch (const Error& e) {
    EXPECT_THAT(e.what(), StartsWith("load the device filter of cgroup " + cgroup_.path() +
                                     " (the verifier said: "));
    EXPECT_THAT(e.what(), HasSubstr("Invalid argument"));
  }
  EXPECT_EQ(open_errno("/dev/null", O_RDONLY), 0);
}

}  // namespace
}  // namespace cradle::cgroups
