#include "namespaces/mount_options.h"

#include <gtest/gtest.h>
#include <sys/mount.h>

#include "base/error.h"

namespace cradle::ns {
namespace {

using Options = std::vector<std::pair<std::string, std::string>>;

TEST(MountOptions, SplitsAttributesPropagationAndFilesystemParameters) {
  MountOptions o = parse_mount_options(
      {"nosuid", "noexec", "ro", "rslave", "mode=755", "size=65536k", "newinstance"});
  EXPECT_FALSE(o.bind);
  EXPECT_EQ(o.attr_set, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC | MOUNT_ATTR_RDONLY);
  EXPECT_EQ(o.attr_clear, 0u);
  EXPECT_EQ(o.propagation, static_cast<unsigned long>(MS_SLAVE));
  EXPECT_TRUE(o.propagation_recursive);
  EXPECT_EQ(o.fs_options, (Options{{"mode", "755"}, {"size", "65536k"}, {"newinstance", ""}}));
}

TEST(MountOptions, LaterOptionsWin) {
  MountOptions o = parse_mount_options({"ro", "rw", "nodev", "dev"});
  EXPECT_EQ(o.attr_set, 0u);
  EXPECT_EQ(o.attr_clear, MOUNT_ATTR_RDONLY | MOUNT_ATTR_NODEV);
}

TEST(MountOptions, AtimeOptionsReplaceEachOther) {
  MountOptions o = parse_mount_options({"noatime", "strictatime"});
  EXPECT_EQ(o.attr_set, MOUNT_ATTR_STRICTATIME);
  EXPECT_EQ(o.attr_clear, MOUNT_ATTR__ATIME);
  o = parse_mount_options({"relatime"});
  EXPECT_EQ(o.attr_set, MOUNT_ATTR_RELATIME);
  EXPECT_EQ(o.attr_clear, MOUNT_ATTR__ATIME);
}

TEST(MountOptions, BindAndRbind) {
  MountOptions bind = parse_mount_options({"bind", "private"});
  EXPECT_TRUE(bind.bind);
  EXPECT_FALSE(bind.recursive);
  EXPECT_EQ(bind.propagation, static_cast<unsigned long>(MS_PRIVATE));
  EXPECT_FALSE(bind.propagation_recursive);
  MountOptions rbind = parse_mount_options({"rbind", "defaults"});
  EXPECT_TRUE(rbind.bind);
  EXPECT_TRUE(rbind.recursive);
  EXPECT_TRUE(rbind.fs_options.empty());
}

TEST(MountOptions, RefusesIdmapAndRemount) {
  try {
    parse_mount_options({"idmap"});
    FAIL() << "idmap accepted";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "mount option \"idmap\": idmapped mounts are not supported");
  }
  EXPECT_THROW(parse_mount_options({"remount"}), Error);
}

}  // namespace
}  // namespace cradle::ns
