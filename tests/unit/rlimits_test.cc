#include "namespaces/rlimits.h"

#include <sys/resource.h>

#include <gtest/gtest.h>

namespace cradle::ns {
namespace {

TEST(RlimitFromName, ResolvesEveryLinuxRlimit) {
  EXPECT_EQ(rlimit_from_name("RLIMIT_AS"), RLIMIT_AS);
  EXPECT_EQ(rlimit_from_name("RLIMIT_CORE"), RLIMIT_CORE);
  EXPECT_EQ(rlimit_from_name("RLIMIT_CPU"), RLIMIT_CPU);
  EXPECT_EQ(rlimit_from_name("RLIMIT_DATA"), RLIMIT_DATA);
  EXPECT_EQ(rlimit_from_name("RLIMIT_FSIZE"), RLIMIT_FSIZE);
  EXPECT_EQ(rlimit_from_name("RLIMIT_LOCKS"), RLIMIT_LOCKS);
  EXPECT_EQ(rlimit_from_name("RLIMIT_MEMLOCK"), RLIMIT_MEMLOCK);
  EXPECT_EQ(rlimit_from_name("RLIMIT_MSGQUEUE"), RLIMIT_MSGQUEUE);
  EXPECT_EQ(rlimit_from_name("RLIMIT_NICE"), RLIMIT_NICE);
  EXPECT_EQ(rlimit_from_name("RLIMIT_NOFILE"), RLIMIT_NOFILE);
  EXPECT_EQ(rlimit_from_name("RLIMIT_NPROC"), RLIMIT_NPROC);
  EXPECT_EQ(rlimit_from_name("RLIMIT_RSS"), RLIMIT_RSS);
  EXPECT_EQ(rlimit_from_name("RLIMIT_RTPRIO"), RLIMIT_RTPRIO);
  EXPECT_EQ(rlimit_from_name("RLIMIT_RTTIME"), RLIMIT_RTTIME);
  EXPECT_EQ(rlimit_from_name("RLIMIT_SIGPENDING"), RLIMIT_SIGPENDING);
  EXPECT_EQ(rlimit_from_name("RLIMIT_STACK"), RLIMIT_STACK);
}

TEST(RlimitFromName, RefusesOtherNames) {
  for (const char* name : {"RLIMIT_FOO", "rlimit_nofile", "NOFILE", "RLIMIT_", "", "7"}) {
    EXPECT_EQ(rlimit_from_name(name), std::nullopt) << name;
  }
}

}  // namespace
}  // namespace cradle::ns
