// What the resource tests share: containers run by `cradle-shim run` in the background, with a
// directory shared with the test (/shared in the container) for a two-step handshake, and the
// container's cgroup opened from outside to read and change it while the workload runs.
//
// A workload that must wait for the test touches /shared/ready when it got there, then waits for
// /shared/go (the test's turn in between: read the cgroup, update it, watch it).
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "cgroups/cgroup.h"
#include "integration/shim_run.h"
#include "support/temp_dir.h"

namespace cradle::testing {

// Shell text for workloads: signal the test, and wait for its go.
inline constexpr const char* kSignalReady = "touch /shared/ready";
inline constexpr const char* kAwaitGo = "until [ -e /shared/go ]; do sleep 0.1; done";

// How long a test waits for something that should happen, so that a broken run fails instead of
// hanging. Generous: the VM lane runs under emulation.
inline constexpr std::chrono::seconds kWaitLimit{120};

// Turns `until` until it returns true or kWaitLimit passes; false then, with a failure naming
// `what`.
bool wait_until(const std::function<bool()>& until, const std::string& what);

class ResourceTest : public ShimRunTest {
 protected:
  ~ResourceTest() override;

  // Adds "linux.resources.<section>" = value.
  static void set_resource(BusyboxBundle& bundle, const std::string& section,
                           const nlohmann::json& value);

  // Mounts the shared directory at /shared in the bundle, starts it with `cradle-shim run` and
  // returns once its workload touched /shared/ready; the container's cgroup is then cgroup().
  void start(BusyboxBundle& bundle);
  cgroups::Cgroup& cgroup() { return *cgroup_; }
  // Lets the workload go on past kAwaitGo.
  void go();
  // Waits for the shim's exit and checks that it left nothing behind.
  ProcessResult finish(const BusyboxBundle& bundle);

  // The container cgroup's file, e.g. "memory.max", without its trailing newline.
  std::string cgroup_file(const std::string& name);

  TempDir shared_;
  std::optional<BackgroundProcess> shim_;
  std::optional<cgroups::Cgroup> cgroup_;
};

}  // namespace cradle::testing
