// Runs `cradle-shim run` on busybox bundles and checks that each run left nothing behind.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "support/busybox_bundle.h"
#include "support/subprocess.h"

namespace cradle::testing {

// A container id unique to this test process and call.
std::string unique_id(const std::string& prefix);

// The cgroup a standalone run makes for id, under the host's cgroup v2 mount.
std::string run_cgroup_path(const std::string& id);

// Whether any mount of this (the host's) mount namespace mentions `text`.
bool host_mounts_mention(const std::string& text);

class ShimRunTest : public ::testing::Test {
 protected:
  // Writes the bundle's config, runs it to completion, and checks the run left no cgroup and no
  // mount behind.
  ProcessResult run(const BusyboxBundle& bundle, const std::string& input = {});
  // The argv of `cradle-shim run` for the bundle under a new id (for tests that need to run it
  // themselves); check_nothing_left() afterwards.
  std::vector<std::string> run_command(const BusyboxBundle& bundle);
  void check_nothing_left(const BusyboxBundle& bundle);

  std::string id_;
};

}  // namespace cradle::testing
