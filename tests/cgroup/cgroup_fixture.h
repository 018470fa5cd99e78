// What the cgroup manager's tests share: a fixture that gives each test its own cgroups below
// "cradle-test/<pid>-<test>" and removes them, and children started inside a cgroup by clone3
// with CLONE_INTO_CGROUP (the way the runtime starts containers).
#pragma once

#include <sys/types.h>

#include <set>
#include <string>

#include <gtest/gtest.h>

#include "cgroups/cgroup_root.h"
#include "support/process_state.h"

namespace cradle::cgroups {

inline constexpr const char* kTestParent = "cradle-test";

bool exists(const std::string& path);
std::string trimmed(std::string text);
using testing::process_state;
std::set<std::string> subtree_control_of(const std::string& dir);

enum class Behaviour { kSleep, kSpin };

// A child made by a raw clone3 with CLONE_INTO_CGROUP, so it starts inside the cgroup. Killed and
// reaped when the test is done with it.
class Child {
 public:
  Child(int cgroup_fd, Behaviour behaviour);
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;
  ~Child();

  pid_t pid() const { return pid_; }
  // Waits for the child's end and returns its wait status.
  int reap();

 private:
  pid_t pid_ = -1;
};

// Opens path with flags in a child started inside the cgroup, and returns 0 if that worked or the
// errno of the failed open: what a process of the cgroup is allowed to open.
int open_errno_in_cgroup(int cgroup_fd, const std::string& path, int flags);

// The tests share kTestParent with concurrent runs of the suite (ctest -j runs each test in a
// process of its own): a process names its cgroups "<pid>-<test>", checks at the end that none of
// its own is left, and the last one out removes kTestParent and turns off in the root the
// controllers that were not on when it started.
class CgroupTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite();
  static void TearDownTestSuite();

  // "cradle-test/<pid>-<test name><suffix>", unique to this run and test.
  std::string unique_path(const std::string& suffix = "") const;
  std::string absolute(const std::string& relative) const {
    return root_.mount_path + "/" + relative;
  }

  CgroupRoot root_ = CgroupRoot::detect();
  static inline std::set<std::string> root_controllers_before_;
};

}  // namespace cradle::cgroups
