// Finding the cgroup v2 tree in mountinfo, and validating cgroupsPath: pure, on sample contents.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "base/error.h"
#include "cgroups/cgroup_path.h"
#include "cgroups/cgroup_root.h"
#include "support/error_matcher.h"

namespace cradle::cgroups {
namespace {

using ::cradle::testing::IsError;
using ::testing::Throws;

// A hybrid host: v1 hierarchies hold the controllers, cgroup2 sits at /sys/fs/cgroup/unified.
constexpr std::string_view kHybridMountinfo =
    "22 1 252:1 / / rw,relatime shared:1 - ext4 /dev/vda1 rw\n"
    "31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n"
    "32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu\n"
    "35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory\n"
    "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n";

// A pure v2 host, with optional fields before the separator.
constexpr std::string_view kPureV2Mountinfo =
    "22 1 252:1 / / rw,relatime shared:1 - ext4 /dev/vda1 rw\n"
    "26 22 0:23 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:9 master:3 - cgroup2 "
    "cgroup2 rw,nsdelegate,memory_recursiveprot\n";

TEST(CgroupRootMountinfo, HybridHostUsesTheUnifiedMount) {
  Cgroup2Mount mount = find_cgroup2_mount(kHybridMountinfo);
  EXPECT_EQ(mount.path, "/sys/fs/cgroup/unified");
  EXPECT_FALSE(mount.pure_v2);
}

TEST(CgroupRootMountinfo, PureV2Host) {
  Cgroup2Mount mount = find_cgroup2_mount(kPureV2Mountinfo);
  EXPECT_EQ(mount.path, "/sys/fs/cgroup");
  EXPECT_TRUE(mount.pure_v2);
}

TEST(CgroupRootMountinfo, PrefersSysFsCgroupOverOtherMounts) {
  std::string mountinfo =
      "50 22 0:40 / /mnt/cg2 rw - cgroup2 none rw\n"
      "51 22 0:40 / /sys/fs/cgroup/unified rw - cgroup2 none rw\n"
      "52 22 0:40 / /sys/fs/cgroup rw - cgroup2 none rw\n";
  EXPECT_EQ(find_cgroup2_mount(mountinfo).path, "/sys/fs/cgroup");
}

TEST(CgroupRootMountinfo, FallsBackToAnyCgroup2MountWithItsEscapesUndone) {
  EXPECT_EQ(find_cgroup2_mount("50 22 0:40 / /mnt/my\\040cgroups rw - cgroup2 none rw\n").path,
            "/mnt/my cgroups");
}

TEST(CgroupRootMountinfo, NoCgroup2MountIsAFailedPrecondition) {
  EXPECT_THAT([] { find_cgroup2_mount("32 31 0:29 / /sys/fs/cgroup/cpu rw - cgroup cgroup rw\n"); },
              Throws<Error>(IsError(ErrorCode::kFailedPrecondition,
                                    "this host has no cgroup v2 (cgroup2) mount in "
                                    "/proc/self/mountinfo; cradle needs one, at /sys/fs/cgroup or "
                                    "/sys/fs/cgroup/unified")));
}

TEST(CgroupPath, AbsoluteAndRelativeBothMeanBelowTheV2Root) {
  EXPECT_EQ(normalize_cgroups_path("/cradle/abc"), "cradle/abc");
  EXPECT_EQ(normalize_cgroups_path("cradle/abc"), "cradle/abc");
  EXPECT_EQ(normalize_cgroups_path("/abc"), "abc");
  EXPECT_EQ(normalize_cgroups_path("/a:b/c"), "a:b/c");
}

void expect_invalid_path(std::string_view path, const std::string& message) {
  EXPECT_THAT([&] { normalize_cgroups_path(path); },
              Throws<Error>(IsError(ErrorCode::kInvalidArgument, message)));
}

TEST(CgroupPath, BadPathsAreRefusedWithTheReason) {
  expect_invalid_path("", "cgroupsPath is empty; give a path like \"/cradle/<container id>\"");
  expect_invalid_path("/",
                      "cgroupsPath \"/\" names the root cgroup; a container needs a cgroup of "
                      "its own");
  expect_invalid_path("/a//b", "cgroupsPath \"/a//b\" has an empty component");
  expect_invalid_path("/a/b/", "cgroupsPath \"/a/b/\" has an empty component");
  expect_invalid_path("/a/../../etc",
                      "cgroupsPath \"/a/../../etc\" has a \"..\" component; "
                      "cgroup paths must name a cgroup below the v2 root directly");
  expect_invalid_path("./a",
                      "cgroupsPath \"./a\" has a \".\" component; cgroup paths must name a "
                      "cgroup below the v2 root directly");
  expect_invalid_path("/a\nb",
                      "cgroupsPath \"/a\nb\" contains a newline, which cgroup names "
                      "cannot");
}

TEST(CgroupPath, SystemdSlicePathsAreRefused) {
  expect_invalid_path("system.slice:cradle:abc",
                      "cgroupsPath \"system.slice:cradle:abc\" is a systemd \"slice:prefix:name\" "
                      "path; cradle manages cgroups through cgroupfs, give a path like "
                      "\"/cradle/<container id>\"");
}

}  // namespace
}  // namespace cradle::cgroups
