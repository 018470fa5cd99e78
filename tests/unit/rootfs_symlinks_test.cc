#include "namespaces/rootfs_symlinks.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/error.h"
#include "support/temp_dir.h"

namespace cradle::ns {
namespace {

class RootfsSymlinks : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(::mkdir((root() + "/run").c_str(), 0755), 0);
    ASSERT_EQ(::mkdir((root() + "/var").c_str(), 0755), 0);
  }
  void link(const std::string& target, const std::string& at) {
    ASSERT_EQ(::symlink(target.c_str(), (root() + at).c_str()), 0);
  }
  const std::string& root() const { return dir_.path(); }

  cradle::testing::TempDir dir_;
};

TEST_F(RootfsSymlinks, PlainAndMissingPathsAreFine) {
  EXPECT_FALSE(find_escaping_symlink(root(), "/run/app"));
  EXPECT_FALSE(find_escaping_symlink(root(), "/does/not/exist"));
}

TEST_F(RootfsSymlinks, LinksThatStayInsideAreFine) {
  link("/run", "/var/run");
  link("../run", "/var/rel");
  EXPECT_FALSE(find_escaping_symlink(root(), "/var/run/app"));
  EXPECT_FALSE(find_escaping_symlink(root(), "/var/rel/app"));
}

TEST_F(RootfsSymlinks, RelativeLinkClimbingOutIsFound) {
  link("../../../../etc", "/var/escape");
  auto found = find_escaping_symlink(root(), "/var/escape/passwd");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->link, "/var/escape");
  EXPECT_EQ(found->target, "../../../../etc");
}

TEST_F(RootfsSymlinks, AbsoluteLinkClimbingOutIsFound) {
  link("/../..", "/up");
  EXPECT_TRUE(find_escaping_symlink(root(), "/up/x"));
}

TEST_F(RootfsSymlinks, ChainedLinksAreFollowed) {
  link("/var/second", "/first");
  link("../..", "/var/second");
  auto found = find_escaping_symlink(root(), "/first/x");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->link, "/var/second");
}

TEST_F(RootfsSymlinks, LoopsAreAnError) {
  link("/b", "/a");
  link("/a", "/b");
  EXPECT_THROW(find_escaping_symlink(root(), "/a/x"), Error);
}

}  // namespace
}  // namespace cradle::ns
