// The OOM watcher, driven by an epoll loop as the shim drives it. The kernel's side (memory.events
// counting a real kill) needs the memory controller and is tested in the VM lane
// (tests/resources/); here a plain file stands in for memory.events, since inotify reports writes
// to it the same way, and a real cgroup without the controller is refused.
#include <fcntl.h>
#include <sys/epoll.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "base/error.h"
#include "base/event_loop.h"
#include "base/file_io.h"
#include "cgroup_fixture.h"
#include "cgroups/cgroup.h"
#include "cgroups/oom_watcher.h"
#include "support/error_matcher.h"
#include "support/temp_dir.h"

namespace cradle::cgroups {
namespace {

using ::cradle::testing::IsError;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Throws;

// Bounds a wait for an event that should come; it fails the test rather than hang it.
constexpr std::chrono::seconds kEventWait{10};

std::string memory_events(int oom, int oom_kill) {
  return "low 0\nhigh 0\nmax " + std::to_string(oom) + "\noom " + std::to_string(oom) +
         "\noom_kill " + std::to_string(oom_kill) + "\n";
}

class OomWatcherFile : public ::testing::Test {
 protected:
  OomWatcherFile() { write_file_atomic(events_, memory_events(1, 1)); }

  // Turns the loop until the watcher handled an event; false if none came in time.
  bool handle_next_event(OomWatcher& watcher) {
    bool handled = false;
    EventLoop loop;
    loop.add(watcher.fd(), EPOLLIN, [&](std::uint32_t) {
      alive_ = watcher.handle();
      handled = true;
    });
    const auto deadline = std::chrono::steady_clock::now() + kEventWait;
    while (!handled && std::chrono::steady_clock::now() < deadline)
      loop.run_once(std::chrono::milliseconds(100));
    loop.remove(watcher.fd());
    return handled;
  }
  // A write in place (not a rename), as the kernel changes memory.events.
  void rewrite(const std::string& text) {
    UniqueFd fd = open_at(AT_FDCWD, events_, O_WRONLY | O_TRUNC);
    ASSERT_EQ(::write(fd.get(), text.data(), text.size()), static_cast<ssize_t>(text.size()));
  }

  testing::TempDir dir_;
  std::string events_ = dir_.path() + "/memory.events";
  std::vector<std::uint64_t> reported_;
  bool alive_ = true;
};

TEST_F(OomWatcherFile, ARiseOfOomKillIsReportedWithTheNewCount) {
  OomWatcher watcher(dir_.path(), [&](std::uint64_t kills) { reported_.push_back(kills); });
  EXPECT_EQ(watcher.oom_kills(), 1u);  // kills before the watcher are not reported
  rewrite(memory_events(3, 3));
  ASSERT_TRUE(handle_next_event(watcher));
  EXPECT_TRUE(alive_);
  EXPECT_THAT(reported_, ElementsAre(3u));
  EXPECT_EQ(watcher.oom_kills(), 3u);
}

TEST_F(OomWatcherFile, AnOomWithoutAKillIsNotReported) {
  OomWatcher watcher(dir_.path(), [&](std::uint64_t kills) { reported_.push_back(kills); });
  rewrite(memory_events(5, 1));
  ASSERT_TRUE(handle_next_event(watcher));
  EXPECT_THAT(reported_, IsEmpty());
}

TEST_F(OomWatcherFile, TheCgroupGoingAwayEndsTheWatch) {
  OomWatcher watcher(dir_.path(), [&](std::uint64_t kills) { reported_.push_back(kills); });
  std::filesystem::remove(events_);
  ASSERT_TRUE(handle_next_event(watcher));
  EXPECT_FALSE(alive_);
  EXPECT_THAT(reported_, IsEmpty());
}

TEST_F(CgroupTest, OomWatcherNeedsTheMemoryController) {
  // A cgroup whose parent hands down no controller has no memory.events, on any host.
  Cgroup cgroup = Cgroup::create(root_, unique_path("/leaf"), {});
  EXPECT_THAT([&] { OomWatcher(cgroup.path(), [](std::uint64_t) {}); },
              Throws<Error>(IsError(ErrorCode::kFailedPrecondition,
                                    "watch " + cgroup.path() +
                                        "/memory.events for OOM kills: there is no such file (the "
                                        "cgroup v2 \"memory\" controller is not enabled for this "
                                        "cgroup)")));
  cgroup.remove();
  ASSERT_EQ(::rmdir(absolute(unique_path()).c_str()), 0);
}

}  // namespace
}  // namespace cradle::cgroups
