// The cgroup manager on the real cgroup v2 tree of the host the tests run on (as root). Every test
// works below "cradle-test/<pid>-<test>" and removes what it made; the suite removes "cradle-test".
#include <linux/magic.h>
#include <linux/sched.h>
#include <signal.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "base/error.h"
#include "base/file_io.h"
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

constexpr const char* kTestParent = "cradle-test";

bool exists(const std::string& path) {
  return std::filesystem::exists(path);
}

std::string trimmed(std::string text) {
  while (!text.empty() && text.back() == '\n')
    text.pop_back();
  return text;
}

// The first letter of the "State:" line of /proc/PID/status: R, S, D, Z, ...
char process_state(pid_t pid) {
  std::istringstream status(read_file("/proc/" + std::to_string(pid) + "/status"));
  for (std::string line; std::getline(status, line);) {
    if (line.starts_with("State:")) return line[line.find_first_not_of(" \t", 6)];
  }
  return '?';
}

enum class Behaviour { kSleep, kSpin };

// A child made by a raw clone3 with CLONE_INTO_CGROUP, so it starts inside the cgroup (the way the
// runtime starts containers). Killed and reaped when the test is done with it.
class Child {
 public:
  Child(int cgroup_fd, Behaviour behaviour) {
    clone_args args{};
    args.flags = CLONE_INTO_CGROUP;
    args.exit_signal = SIGCHLD;
    args.cgroup = static_cast<std::uint64_t>(cgroup_fd);
    long pid = ::syscall(SYS_clone3, &args, sizeof args);
    if (pid == 0) {
      // The child runs only async-signal-safe code: it was not made by fork().
      if (behaviour == Behaviour::kSpin) {
        volatile unsigned long spins = 0;
        for (;;)
          spins = spins + 1;
      }
      for (;;)
        ::pause();
    }
    if (pid < 0) throw_errno("clone3 into cgroup");
    pid_ = static_cast<pid_t>(pid);
  }
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;
  ~Child() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      reap();
    }
  }

  pid_t pid() const { return pid_; }

  // Waits for the child's end and returns its wait status.
  int reap() {
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    pid_ = -1;
    return status;
  }

 private:
  pid_t pid_ = -1;
};

std::set<std::string> subtree_control_of(const std::string& dir) {
  return parse_name_list(read_file(dir + "/cgroup.subtree_control"));
}

// The tests share kTestParent with concurrent runs of the suite (ctest -j runs each test in a
// process of its own): a process names its cgroups "<pid>-<test>", checks at the end that none of
// its own is left, and the last one out removes kTestParent and turns off in the root the
// controllers that were not on when it started.
class CgroupTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    root_controllers_before_ = subtree_control_of(CgroupRoot::detect().mount_path);
  }

  static void TearDownTestSuite() {
    const CgroupRoot root = CgroupRoot::detect();
    const std::string parent = root.mount_path + "/" + kTestParent;
    if (!exists(parent)) return;
    const std::string mine = std::to_string(::getpid()) + "-";
    for (const auto& entry : std::filesystem::directory_iterator(parent)) {
      std::string name = entry.path().filename();
      if (!entry.is_directory() || !name.starts_with(mine)) continue;
      ADD_FAILURE() << "a test left the cgroup " << entry.path();
      if (auto left = Cgroup::open_existing(root, std::string(kTestParent) + "/" + name)) {
        left->remove();
      }
    }
    if (::rmdir(parent.c_str()) != 0) {
      if (errno == EBUSY || errno == ENOTEMPTY || errno == ENOENT) return;  // not the last one
      ADD_FAILURE() << "could not remove " << parent << ": " << std::strerror(errno);
      return;
    }
    for (const std::string& controller : subtree_control_of(root.mount_path)) {
      if (root_controllers_before_.contains(controller)) continue;
      write_file(root.mount_path + "/cgroup.subtree_control", "-" + controller);
    }
  }

  // "cradle-test/<pid>-<test name><suffix>", unique to this run and test.
  std::string unique_path(const std::string& suffix = "") const {
    return std::string(kTestParent) + "/" + std::to_string(::getpid()) + "-" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name() + suffix;
  }
  std::string absolute(const std::string& relative) const {
    return root_.mount_path + "/" + relative;
  }

  CgroupRoot root_ = CgroupRoot::detect();
  static inline std::set<std::string> root_controllers_before_;
};

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
