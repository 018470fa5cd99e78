#include "namespaces/capabilities.h"

#include <linux/capability.h>
#include <sys/prctl.h>

#include <cerrno>

#include <gtest/gtest.h>

namespace cradle::ns {
namespace {

TEST(CapabilityFromName, ResolvesOciNames) {
  EXPECT_EQ(capability_from_name("CAP_CHOWN"), 0);
  EXPECT_EQ(capability_from_name("CAP_NET_ADMIN"), 12);
  EXPECT_EQ(capability_from_name("CAP_SYS_ADMIN"), 21);
  EXPECT_EQ(capability_from_name("CAP_AUDIT_READ"), 37);
}

TEST(CapabilityFromName, RefusesOtherSpellings) {
  for (const char* name : {"cap_chown", "Cap_Chown", "CAP_chown", "CHOWN", "0", "12", "CAP_12",
                           "CAP_", "", " CAP_CHOWN", "CAP_CHOWN ", "CAP_FOO"}) {
    EXPECT_EQ(capability_from_name(name), std::nullopt) << name;
  }
}

TEST(CapabilityName, IsTheOciSpelling) {
  EXPECT_EQ(capability_name(0), "CAP_CHOWN");
  EXPECT_EQ(capability_name(12), "CAP_NET_ADMIN");
}

TEST(CapabilityName, RoundTripsEveryCapabilityOfTheHeaders) {
  for (int cap = 0; cap <= CAP_LAST_CAP; ++cap) {
    EXPECT_EQ(capability_from_name(capability_name(cap)), cap) << capability_name(cap);
  }
}

TEST(LastKernelCapability, IsTheLastOneTheBoundingSetKnows) {
  int last = last_kernel_capability();
  EXPECT_GE(last, CAP_AUDIT_READ);  // every kernel since 3.16
  // PR_CAPBSET_READ answers for every capability the kernel knows and EINVAL past them.
  EXPECT_GE(prctl(PR_CAPBSET_READ, last, 0, 0, 0), 0);
  errno = 0;
  EXPECT_EQ(prctl(PR_CAPBSET_READ, last + 1, 0, 0, 0), -1);
  EXPECT_EQ(errno, EINVAL);
}

}  // namespace
}  // namespace cradle::ns
