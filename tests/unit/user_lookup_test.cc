// --user resolved against an image's /etc/passwd and /etc/group, with docker's rules, and never
// through a symlink that leaves the image.
#include "core/user_lookup.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>

#include "base/error.h"
#include "image_rootfs_fixture.h"
#include "support/error_matcher.h"
#include "support/temp_dir.h"

namespace cradle {
namespace {

using ::cradle::testing::IsError;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Throws;

class UserLookup : public ::testing::Test {
 protected:
  ResolvedUser resolve(const std::string& user) { return resolve_user(rootfs_.path(), user); }
  auto fails_with(const std::string& message) {
    return Throws<Error>(IsError(ErrorCode::kInvalidArgument, message));
  }

  testing::ImageRootfs rootfs_;
};

TEST_F(UserLookup, NoUserIsRootWithRootsGroupsAndHome) {
  ResolvedUser user = resolve("");
  EXPECT_EQ(user.uid, 0u);
  EXPECT_EQ(user.gid, 0u);
  EXPECT_THAT(user.additional_gids, ElementsAre(10u));
  EXPECT_EQ(user.home, "/root");
}

TEST_F(UserLookup, NameGivesItsIdsHomeAndEveryGroupListingIt) {
  ResolvedUser user = resolve("bob");
  EXPECT_EQ(user.uid, 1000u);
  EXPECT_EQ(user.gid, 1000u);
  EXPECT_THAT(user.additional_gids, ElementsAre(29u, 50u));
  EXPECT_EQ(user.home, "/home/bob");
}

TEST_F(UserLookup, UidWithAnEntryIsThatEntry) {
  ResolvedUser user = resolve("1000");
  EXPECT_EQ(user.gid, 1000u);
  EXPECT_THAT(user.additional_gids, ElementsAre(29u, 50u));
  EXPECT_EQ(user.home, "/home/bob");
}

TEST_F(UserLookup, ExplicitGroupReplacesTheGidAndDropsSupplementaryGroups) {
  ResolvedUser by_name = resolve("bob:staff");
  EXPECT_EQ(by_name.uid, 1000u);
  EXPECT_EQ(by_name.gid, 50u);
  EXPECT_THAT(by_name.additional_gids, IsEmpty());
  EXPECT_EQ(resolve("1000:10").gid, 10u);
  EXPECT_EQ(resolve("bob:4343").gid, 4343u);
}

TEST_F(UserLookup, UnknownUidIsUsedAsIsWithGidZeroAndHomeSlash) {
  ResolvedUser user = resolve("4242");
  EXPECT_EQ(user.uid, 4242u);
  EXPECT_EQ(user.gid, 0u);
  EXPECT_THAT(user.additional_gids, IsEmpty());
  EXPECT_EQ(user.home, "/");
  ResolvedUser with_gid = resolve("4242:4343");
  EXPECT_EQ(with_gid.uid, 4242u);
  EXPECT_EQ(with_gid.gid, 4343u);
}

TEST_F(UserLookup, EntryWithoutHomeGetsSlash) {
  EXPECT_EQ(resolve("nohome").home, "/");
}

TEST_F(UserLookup, UnknownNamesAndBadIdsAreRefusedNamingTheOption) {
  EXPECT_THAT([&] { resolve("nobody"); }, fails_with("user \"nobody\": no such user in the image"));
  EXPECT_THAT([&] { resolve("bob:nogroup"); },
              fails_with("user \"bob:nogroup\": no such group \"nogroup\" in the image"));
  EXPECT_THAT([&] { resolve("4294967296"); },
              fails_with("user \"4294967296\": uid 4294967296 is out of range (0 to 2147483647)"));
  EXPECT_THAT(
      [&] { resolve("0:2147483648"); },
      fails_with("user \"0:2147483648\": gid 2147483648 is out of range (0 to 2147483647)"));
  // A malformed line is no user, whatever its name.
  EXPECT_THAT([&] { resolve("broken"); }, fails_with("user \"broken\": no such user in the image"));
}

TEST_F(UserLookup, ImageWithoutFilesStillTakesNumericIds) {
  ASSERT_EQ(::unlink((rootfs_.path() + "/etc/passwd").c_str()), 0);
  ASSERT_EQ(::unlink((rootfs_.path() + "/etc/group").c_str()), 0);
  EXPECT_EQ(resolve("").uid, 0u);
  EXPECT_EQ(resolve("").home, "/");
  EXPECT_EQ(resolve("7:8").gid, 8u);
  EXPECT_THAT([&] { resolve("bob"); }, fails_with("user \"bob\": no such user in the image"));
}

// The host file a malicious image points at: it knows "mallory", the image does not.
class UserLookupSymlink : public UserLookup {
 protected:
  UserLookupSymlink() : host_passwd_(host_.path() + "/passwd") {
    std::ofstream(host_passwd_) << "mallory:x:666:666::/:/bin/sh\n";
    ::unlink((rootfs_.path() + "/etc/passwd").c_str());
  }
  void link_passwd_to(const std::string& target) {
    ASSERT_EQ(::symlink(target.c_str(), (rootfs_.path() + "/etc/passwd").c_str()), 0);
  }

  testing::TempDir host_;
  std::string host_passwd_;
};

TEST_F(UserLookupSymlink, AbsoluteLinkResolvesInsideTheImage) {
  ASSERT_EQ(::access(host_passwd_.c_str(), R_OK), 0);
  link_passwd_to(host_passwd_);
  EXPECT_THAT([&] { resolve("mallory"); },
              fails_with("user \"mallory\": no such user in the image"));
}

TEST_F(UserLookupSymlink, DotDotLinkStopsAtTheImageRoot) {
  link_passwd_to("../../../../../../../../.." + host_passwd_);
  EXPECT_THAT([&] { resolve("mallory"); },
              fails_with("user \"mallory\": no such user in the image"));
}

TEST_F(UserLookupSymlink, LinkInsideTheImageIsFollowed) {
  rootfs_.write("usr/share/passwd", "carol:x:300:300::/home/carol:/bin/sh\n");
  link_passwd_to("/usr/share/passwd");
  EXPECT_EQ(resolve("carol").uid, 300u);
}

TEST_F(UserLookup, FifoInPlaceOfPasswdIsRefusedWithoutHanging) {
  std::string passwd = rootfs_.path() + "/etc/passwd";
  ASSERT_EQ(::unlink(passwd.c_str()), 0);
  ASSERT_EQ(::mkfifo(passwd.c_str(), 0644), 0);
  EXPECT_THAT([&] { resolve("bob"); },
              fails_with("user \"bob\": /etc/passwd in the image: not a regular file"));
}

}  // namespace
}  // namespace cradle
