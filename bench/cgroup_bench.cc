// Creating and removing one container cgroup on the host's cgroup v2 tree (cgroups::Cgroup), as
// every container start and end does. Needs root; under <v2 root>/cradle-bench, removed after.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "base/error.h"
#include "cgroups/cgroup.h"
#include "cgroups/cgroup_root.h"

namespace cradle::cgroups {
namespace {

void BM_CgroupCreateRemove(benchmark::State& state) {
  if (::geteuid() != 0) {
    state.SkipWithError("needs root");
    return;
  }
  const CgroupRoot root = CgroupRoot::detect();
  const std::string prefix = "cradle-bench/cg-" + std::to_string(::getpid()) + "-";
  int n = 0;
  for (auto _ : state) {
    try {
      Cgroup cgroup = Cgroup::create(root, prefix + std::to_string(n++), {});
      cgroup.remove();
    } catch (const Error& e) {
      state.SkipWithError(e.what());
      break;
    }
  }
  std::error_code ignored;
  std::filesystem::remove(root.mount_path + "/cradle-bench", ignored);
}
BENCHMARK(BM_CgroupCreateRemove)->UseRealTime();

}  // namespace
}  // namespace cradle::cgroups
