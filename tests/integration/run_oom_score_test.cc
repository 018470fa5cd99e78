// process.oomScoreAdj: applied when allowed; below the runtime's own value without
// CAP_SYS_RESOURCE it is clamped to the runtime's own, with a warning, not dropped silently.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "base/file_io.h"
#include "shim_run.h"

namespace cradle::testing {
namespace {

using ::testing::HasSubstr;

int own_oom_score_adj() {
  return std::stoi(read_file("/proc/self/oom_score_adj"));
}

bool has_cap_sys_resource() {
  std::string status = read_file("/proc/self/status");
  auto pos = status.find("CapEff:\t");
  std::uint64_t eff = std::stoull(status.substr(pos + 8, 16), nullptr, 16);
  return eff & (std::uint64_t{1} << 24);
}

class RunOomScore : public ShimRunTest {};

TEST_F(RunOomScore, RaisingIsApplied) {
  int wanted = std::min(own_oom_score_adj() + 100, 1000);
  BusyboxBundle bundle({"cat", "/proc/self/oom_score_adj"});
  bundle.config()["process"]["oomScoreAdj"] = wanted;
  ProcessResult r = run(bundle);
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, std::to_string(wanted) + "\n");
  EXPECT_EQ(r.err, "");
}

TEST_F(RunOomScore, LoweringIsAppliedOrClampedWithAWarning) {
  // This machine's root shell lacks CAP_SYS_RESOURCE: there the value is clamped to the
  // runtime's own, with a warning. With the capability it is applied as asked.
  int own = own_oom_score_adj();
  int wanted = std::max(own - 500, -1000);
  ASSERT_LT(wanted, own);
  BusyboxBundle bundle({"cat", "/proc/self/oom_score_adj"});
  bundle.config()["process"]["oomScoreAdj"] = wanted;
  ProcessResult r = run(bundle);
  EXPECT_EQ(r.status, 0) << r.err;
  if (has_cap_sys_resource()) {
    EXPECT_EQ(r.out, std::to_string(wanted) + "\n");
    EXPECT_EQ(r.err, "");
    return;
  }
  EXPECT_EQ(r.out, std::to_string(own) + "\n");
  EXPECT_EQ(r.err, "cradle-shim: warning: process.oomScoreAdj " + std::to_string(wanted) +
                       " is below this runtime's own (" + std::to_string(own) +
                       ") and lowering it needs CAP_SYS_RESOURCE, which the runtime lacks: "
                       "clamped to " +
                       std::to_string(own) + "\n");
}

}  // namespace
}  // namespace cradle::testing
