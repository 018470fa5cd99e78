#include "core/exit_watchers.h"

#include <gtest/gtest.h>
#include <poll.h>

namespace cradle {
namespace {

bool readable(int fd) {
  pollfd p{fd, POLLIN, 0};
  return ::poll(&p, 1, 0) == 1;
}

TEST(ExitWatchers, AWatchFiresWithTheExitOfItsProcessOnly) {
  ExitWatchers watchers;
  auto init = watchers.watch("default", "web", "");
  auto exec = watchers.watch("default", "web", "e1");
  auto other = watchers.watch("default", "db", "");
  EXPECT_FALSE(readable(init->fd()));
  EXPECT_FALSE(init->exit().has_value());

  // A TaskExit names the init by the container's id.
  watchers.notify("default", "web", "web", ExitInfo{3, 42, ""});
  ASSERT_TRUE(readable(init->fd()));
  EXPECT_EQ(init->exit()->status, 3u);
  EXPECT_EQ(init->exit()->exited_at_ns, 42);
  EXPECT_FALSE(readable(exec->fd()));
  EXPECT_FALSE(readable(other->fd()));

  watchers.notify("default", "web", "e1", ExitInfo{0, 43, ""});
  ASSERT_TRUE(readable(exec->fd()));
  EXPECT_EQ(exec->exit()->status, 0u);
}

TEST(ExitWatchers, AShimThatDiedFiresEveryWatchOfItsContainerInItsNamespace) {
  ExitWatchers watchers;
  auto init = watchers.watch("default", "web", "");
  auto exec = watchers.watch("default", "web", "e1");
  auto same_id_elsewhere = watchers.watch("other", "web", "");
  watchers.notify_container("default", "web", ExitInfo{137, 1, "the shim died"});
  EXPECT_TRUE(readable(init->fd()));
  EXPECT_TRUE(readable(exec->fd()));
  EXPECT_EQ(exec->exit()->reason, "the shim died");
  EXPECT_FALSE(readable(same_id_elsewhere->fd()));
}

TEST(ExitWatchers, TheFirstExitStaysAndAGoneWatchIsNotTouched) {
  ExitWatchers watchers;
  auto kept = watchers.watch("default", "web", "");
  { auto gone = watchers.watch("default", "web", ""); }
  watchers.notify("default", "web", "", ExitInfo{1, 1, ""});
  watchers.notify_container("default", "web", ExitInfo{137, 2, "the shim died"});
  EXPECT_EQ(kept->exit()->status, 1u);
}

}  // namespace
}  // namespace cradle
