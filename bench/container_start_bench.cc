// One container from nothing to reaped, through core::Container as cradle-shim run does it:
// create (cgroup, clone3, the child's namespaces, mounts and pivot_root, up to the handoff),
// start (exec of /bin/true), wait, destroy (cgroup removed). Once per namespace set, to show
// what each namespace costs. Needs root; cgroups go under <v2 root>/cradle-bench, removed after.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <string>
#include <vector>

#include "base/error.h"
#include "cgroups/cgroup_root.h"
#include "core/container.h"
#include "core/default_spec.h"
#include "core/spec_parser.h"

namespace cradle {
namespace {

constexpr char kCgroupParent[] = "cradle-bench";

Spec spec_with(const std::vector<std::string>& namespaces) {
  DefaultSpecOptions options;
  options.args = {"/bin/true"};
  nlohmann::json config = default_spec(options);
  config["root"]["path"] = CRADLE_BENCH_ROOTFS;
  nlohmann::json list = nlohmann::json::array();
  bool uts = false;
  bool user = false;
  for (const std::string& type : namespaces) {
    list.push_back({{"type", type}});
    uts = uts || type == "uts";
    user = user || type == "user";
  }
  config["linux"]["namespaces"] = list;
  if (!uts) config.erase("hostname");  // a hostname needs a uts namespace of its own
  if (user) {
    nlohmann::json map =
        nlohmann::json::array({{{"containerID", 0}, {"hostID", 100000}, {"size", 65536}}});
    config["linux"]["uidMappings"] = map;
    config["linux"]["gidMappings"] = map;
  }
  return parse_spec_text(config.dump());
}

void remove_cgroup_parent() {
  std::error_code ignored;
  std::filesystem::remove(cgroups::CgroupRoot::detect().mount_path + "/" + kCgroupParent, ignored);
}

void BM_ContainerStart(benchmark::State& state, std::vector<std::string> namespaces) {
  if (::geteuid() != 0) {
    state.SkipWithError("needs root");
    return;
  }
  static std::atomic<int> counter{0};
  const Spec spec = spec_with(namespaces);
  auto ignore = [](const std::string&) {};
  for (auto _ : state) {
    ContainerConfig config;
    config.id = "bench-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
    config.bundle_dir = CRADLE_BENCH_ROOTFS;
    config.default_cgroup_parent = kCgroupParent;
    try {
      std::unique_ptr<Container> container = Container::create(spec, config, ignore);
      container->start();
      container->wait();
      container->destroy();
    } catch (const Error& e) {
      state.SkipWithError(e.what());
      break;
    }
  }
  remove_cgroup_parent();
}

BENCHMARK_CAPTURE(BM_ContainerStart, mount, std::vector<std::string>{"mount"})
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_ContainerStart, mount_pid, std::vector<std::string>{"mount", "pid"})
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_ContainerStart, mount_pid_ipc_uts,
                  std::vector<std::string>{"mount", "pid", "ipc", "uts"})
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);
// runc spec's set.
BENCHMARK_CAPTURE(BM_ContainerStart, runc_default,
                  std::vector<std::string>{"mount", "pid", "ipc", "uts", "network"})
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);
// docker's and cradled's set.
BENCHMARK_CAPTURE(BM_ContainerStart, docker_default,
                  std::vector<std::string>{"mount", "pid", "ipc", "uts", "network", "cgroup"})
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_ContainerStart, all_with_user,
                  std::vector<std::string>{"mount", "pid", "ipc", "uts", "network", "cgroup",
                                           "user"})
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace cradle
