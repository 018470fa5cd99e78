// The cgroup manager on the real cgroup v2 tree of the host the tests run on (as root). Every test
// works below "cradle-test/<pid>-<test>" and removes what it made; the suite removes "cradle-test".
#include <linux/magic.h>
#include <signal.h>
#include <sys/statfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "base/error.h"
#include "base/file_io.h"
#include "cgroup_fixture.h"
#include "cgroups/cgroup.h"
#include "cgroups/cgroup_events.h"
#include "cgroups/cgroup_file_format.h"
#include "cgroups/cgroup_root.h"
#include "cgroups/stats.h"
#include "support/error_matcher.h"

namespace cradle::cgroups {
namespace {

using ::cradle::testing::IsError;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Throws;
using ::testing::UnorderedElementsAre;

TEST_F(CgroupTest, DetectFindsTheCgroup2Mount) {
  struct statfs fs {};
  ASSERT_EQ(::statfs(root_.mount_path.c_str(), &fs), 0) << root_.mount_path;
  EXPECT_EQ(fs.f_type, CGROUP2_SUPER_MAGIC);
  if (root_.pure_v2) {
    EXPECT_EQ(root_.mount_path, "/sys/fs/cgroup");
  }
  EXPECT_EQ(root_.controllers,
            parse_name_list(read_file(root_.mount_path + "/cgroup.controllers")));
}

TEST_F(CgroupTest, CreateMakesTheCgroupAndItsFdStartsAChildInIt) {
  Cgroup cgroup = Cgroup::create(root_, "/" + unique_path(), {});
  EXPECT_EQ(cgroup.path(), absolute(unique_path()));
  EXPECT_EQ(cgroup.relative_path(), unique_path());
  ASSERT_TRUE(exists(cgroup.path() + "/cgroup.procs"));
  EXPECT_FALSE(cgroup.populated());

  Child child(cgroup.fd(), Behaviour::kSleep);
  EXPECT_THAT(cgroup.pids(), ElementsAre(child.pid()));
  EXPECT_TRUE(cgroup.populated());
  EXPECT_THAT(read_file("/proc/" + std::to_string(child.pid()) + "/cgroup"),
              HasSubstr("0::/" + unique_path() + "\n"));
}

TEST_F(CgroupTest, PidsIncludeDescendantCgroups) {
  Cgroup cgroup = Cgroup::create(root_, unique_path(), {});
  Child top(cgroup.fd(), Behaviour::kSleep);
  Cgroup nested = Cgroup::create(root_, unique_path() + "/nested", {});
  Child below(nested.fd(), Behaviour::kSleep);
  nested.release();  // removing the outer cgroup must take the nested one with it
  EXPECT_THAT(cgroup.pids(), UnorderedElementsAre(top.pid(), below.pid()));

  cgroup.remove();
  EXPECT_FALSE(exists(absolute(unique_path())));
}

TEST_F(CgroupTest, FreezeStopsTheProcessesAndThawResumesThem) {
  Cgroup cgroup = Cgroup::create(root_, unique_path(), {});
  Child spinner(cgroup.fd(), Behaviour::kSpin);
  EXPECT_EQ(process_state(spinner.pid()), 'R');

  cgroup.freeze(true);
  EXPECT_EQ(read_cgroup_events(cgroup.path() + "/cgroup.events").at("frozen"), 1u);
  EXPECT_EQ(trimmed(read_file(cgroup.path() + "/cgroup.freeze")), "1");
  EXPECT_EQ(process_state(spinner.pid()), 'S');

  cgroup.freeze(false);
  EXPECT_EQ(read_cgroup_events(cgroup.path() + "/cgroup.events").at("frozen"), 0u);
  EXPECT_EQ(process_state(spinner.pid()), 'R');
}

TEST_F(CgroupTest, KillEndsEveryProcessEvenFrozenOnes) {
  Cgroup cgroup = Cgroup::create(root_, unique_path(), {});
  Child sleeper(cgroup.fd(), Behaviour::kSleep);
  Child spinner(cgroup.fd(), Behaviour::kSpin);
  cgroup.freeze(true);

  cgroup.kill();
  for (Child* child : {&sleeper, &spinner}) {
    int status = child->reap();
    ASSERT_TRUE(WIFSIGNALED(status));
    EXPECT_EQ(WTERMSIG(status), SIGKILL);
  }
  EXPECT_FALSE(cgroup.populated());
  EXPECT_THAT(cgroup.pids(), IsEmpty());
}

TEST_F(CgroupTest, RemoveKillsWaitsAndRemovesOnlyTheLeaf) {
  const std::string parent = unique_path("-parent");
  Cgroup cgroup = Cgroup::create(root_, parent + "/leaf", {});
  Child child(cgroup.fd(), Behaviour::kSleep);

  cgroup.remove();
  int status = child.reap();
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
  EXPECT_FALSE(exists(absolute(parent + "/leaf")));
  EXPECT_TRUE(exists(absolute(parent)));
  EXPECT_NO_THROW(cgroup.remove());  // removing again is a no-op

  ASSERT_EQ(::rmdir(absolute(parent).c_str()), 0);
}

TEST_F(CgroupTest, DestructorRemovesUnlessReleased) {
  {
    Cgroup cgroup = Cgroup::create(root_, unique_path("-owned"), {});
    ASSERT_TRUE(exists(cgroup.path()));
  }
  EXPECT_FALSE(exists(absolute(unique_path("-owned"))));

  {
    Cgroup cgroup = Cgroup::create(root_, unique_path("-kept"), {});
    cgroup.release();
  }
  ASSERT_TRUE(exists(absolute(unique_path("-kept"))));
  std::optional<Cgroup> kept = Cgroup::open_existing(root_, unique_path("-kept"));
  ASSERT_TRUE(kept.has_value());
  kept->remove();
  EXPECT_FALSE(exists(absolute(unique_path("-kept"))));
}

TEST_F(CgroupTest, MovingHandsOverOwnership) {
  Cgroup first = Cgroup::create(root_, unique_path(), {});
  Cgroup second = std::move(first);
  EXPECT_TRUE(exists(absolute(unique_path())));
  second = Cgroup::create(root_, unique_path("-other"), {});  // removes what second owned
  EXPECT_FALSE(exists(absolute(unique_path())));
  EXPECT_TRUE(exists(second.path()));
}

TEST_F(CgroupTest, OpenExistingOfAMissingCgroupIsNothing) {
  EXPECT_FALSE(Cgroup::open_existing(root_, unique_path()).has_value());
}

TEST_F(CgroupTest, AnEmptyExistingCgroupIsReused) {
  const std::string relative = unique_path();
  std::filesystem::create_directories(absolute(relative));

  Cgroup cgroup = Cgroup::create(root_, relative, {});
  EXPECT_EQ(cgroup.path(), absolute(relative));
  Child child(cgroup.fd(), Behaviour::kSleep);
  EXPECT_THAT(cgroup.pids(), ElementsAre(child.pid()));
}

TEST_F(CgroupTest, APopulatedExistingCgroupIsRefused) {
  Cgroup cgroup = Cgroup::create(root_, unique_path(), {});
  Child child(cgroup.fd(), Behaviour::kSleep);
  EXPECT_THAT([&] { Cgroup::create(root_, unique_path(), {}); },
              Throws<Error>(
                  IsError(ErrorCode::kAlreadyExists, "cgroup " + absolute(unique_path()) +
                                                         " already exists and has processes in it "
                                                         "(cgroup.events: populated 1)")));
  // The refusal left the first owner's cgroup alone.
  EXPECT_THAT(cgroup.pids(), ElementsAre(child.pid()));
}

TEST_F(CgroupTest, MemoryLimitNeedsTheV2MemoryController) {
  Cgroup cgroup = Cgroup::create(root_, unique_path(), {});
  Resources resources{.memory = MemoryResources{.limit = 104857600}};
  if (root_.controllers.contains("memory")) {
    // A pure v2 host (the VM lane): the limit is written.
    cgroup.apply(resources);
    EXPECT_EQ(trimmed(read_file(cgroup.path() + "/memory.max")), "104857600");
    return;
  }
  EXPECT_THAT([&] { cgroup.apply(resources); },
              Throws<Error>(IsError(ErrorCode::kFailedPrecondition,
                                    "linux.resources.memory.limit needs the cgroup v2 \"memory\" "
                                    "controller, which this host's cgroup v2 tree does not have (a "
                                    "hybrid host keeps it in cgroup v1)")));
  EXPECT_FALSE(exists(cgroup.path() + "/memory.max"));
}

TEST_F(CgroupTest, DefaultResourcesApplyOnAnyHost) {
  Cgroup cgroup = Cgroup::create(root_, unique_path(), {});
  Resources defaults{
      .memory = MemoryResources{.limit = -1, .swap = -1},
      .cpu = CpuResources{.shares = 1024, .quota = -1},
      .pids = PidsResources{.limit = 0},
  };
  EXPECT_NO_THROW(cgroup.apply(defaults));
}

TEST_F(CgroupTest, ApplyEnablesTheControllerAndWritesTheLimits) {
  ASSERT_TRUE(root_.controllers.contains("hugetlb"))
      << "this test needs the hugetlb controller in the cgroup v2 tree";
  Cgroup cgroup = Cgroup::create(root_, unique_path(), {"hugetlb"});
  EXPECT_TRUE(parse_name_list(read_file(absolute(kTestParent) + "/cgroup.subtree_control"))
                  .contains("hugetlb"));

  cgroup.apply(Resources{.hugepage_limits = {{"2MB", 4194304}}});
  EXPECT_EQ(trimmed(read_file(cgroup.path() + "/hugetlb.2MB.max")), "4194304");
  EXPECT_EQ(trimmed(read_file(cgroup.path() + "/hugetlb.2MB.rsvd.max")), "4194304");
  cgroup.remove();
}

TEST_F(CgroupTest, AFailedCreateRemovesWhatItMade) {
  ASSERT_TRUE(root_.controllers.contains("hugetlb"))
      << "this test needs the hugetlb controller in the cgroup v2 tree";
  // A cgroup with a process of its own cannot hand controllers down (no internal processes), so
  // creating below it with a controller fails after the new directories were made.
  Cgroup busy = Cgroup::create(root_, unique_path("-busy"), {});
  Child child(busy.fd(), Behaviour::kSleep);
  EXPECT_THAT([&] { Cgroup::create(root_, unique_path("-busy/a/b"), {"hugetlb"}); },
              Throws<Error>(
                  IsError(ErrorCode::kFailedPrecondition,
                          "write +hugetlb to " + busy.path() +
                              "/cgroup.subtree_control: Device or resource busy (" + busy.path() +
                              " has processes of its own, and cgroup v2 lets only a cgroup without "
                              "processes hand controllers down to its children)")));
  EXPECT_FALSE(exists(busy.path() + "/a"));
  EXPECT_TRUE(exists(busy.path()));
}

TEST_F(CgroupTest, AMissingControllerIsRefusedBeforeAnythingIsMade) {
  // A hybrid host lacks "memory" in v2; a pure v2 host has it, but no controller of this name.
  const std::string missing =
      root_.controllers.contains("memory") ? "cradle-no-such-controller" : "memory";
  EXPECT_THAT([&] { Cgroup::create(root_, unique_path("/leaf"), {missing}); },
              Throws<Error>(IsError(ErrorCode::kFailedPrecondition,
                                    "cgroup " + absolute(unique_path("/leaf")) +
                                        " needs the cgroup v2 \"" + missing +
                                        "\" controller, which this host's cgroup v2 tree does "
                                        "not have (a hybrid host keeps it in cgroup v1)")));
  EXPECT_FALSE(exists(absolute(unique_path())));
}

TEST_F(CgroupTest, ASystemdPathIsRefused) {
  EXPECT_THAT([&] { Cgroup::create(root_, "system.slice:cradle:abc", {}); },
              Throws<Error>(IsError(ErrorCode::kInvalidArgument,
                                    "cgroupsPath \"system.slice:cradle:abc\" is a systemd "
                                    "\"slice:prefix:name\" path; cradle manages cgroups through "
                                    "cgroupfs, give a path like \"/cradle/<container id>\"")));
  EXPECT_FALSE(exists(absolute("system.slice:cradle:abc")));
}

TEST_F(CgroupTest, StatsOfARealCgroup) {
  Cgroup cgroup = Cgroup::create(root_, unique_path(), {});
  Child child(cgroup.fd(), Behaviour::kSleep);
  CgroupStats stats = read_stats(cgroup.fd());
  EXPECT_TRUE(stats.cpu.has_value());  // cpu.stat is a core file
  EXPECT_EQ(stats.memory.has_value(), exists(cgroup.path() + "/memory.current"));
  EXPECT_EQ(stats.pids.has_value(), exists(cgroup.path() + "/pids.current"));
  if (stats.pids) {
    EXPECT_EQ(stats.pids->current, 1u);
  }
}

}  // namespace
}  // namespace cradle::cgroups
