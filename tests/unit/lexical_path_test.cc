#include "core/lexical_path.h"

#include <gtest/gtest.h>

namespace cradle {
namespace {

TEST(CleanPath, LeavesACleanPathAlone) {
  EXPECT_EQ(clean_path("/"), "/");
  EXPECT_EQ(clean_path("/dev/shm"), "/dev/shm");
  EXPECT_EQ(clean_path("rootfs"), "rootfs");
}

TEST(CleanPath, DropsEmptyAndDotParts) {
  EXPECT_EQ(clean_path("//dev///shm/"), "/dev/shm");
  EXPECT_EQ(clean_path("/./dev/./shm/."), "/dev/shm");
  EXPECT_EQ(clean_path(""), ".");
  EXPECT_EQ(clean_path("./"), ".");
}

TEST(CleanPath, ResolvesDotDotLexically) {
  EXPECT_EQ(clean_path("/a/b/../c"), "/a/c");
  EXPECT_EQ(clean_path("/a/.."), "/");
  EXPECT_EQ(clean_path("a/.."), ".");
}

TEST(CleanPath, NeverClimbsAboveTheRoot) {
  EXPECT_EQ(clean_path("/../etc"), "/etc");
  EXPECT_EQ(clean_path("/a/../../../etc"), "/etc");
}

TEST(CleanPath, KeepsTheClimbOfARelativePath) {
  EXPECT_EQ(clean_path("../x"), "../x");
  EXPECT_EQ(clean_path("a/../../x/./y"), "../x/y");
  EXPECT_EQ(clean_path("../../"), "../..");
}

}  // namespace
}  // namespace cradle
