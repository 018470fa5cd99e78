// OCI linux.resources -> cgroup v2 interface files, as the runtime-spec (config-linux.md) and the
// kernel's cgroup-v2 documentation define them, with the v1 -> v2 conversions crun documents.
// Pure functions: no kernel needed, so every translation is unit-tested.
//
// A value that asks for the kernel's default ("no limit": memory.limit -1, cpu.shares 1024,
// pids.limit 0 or -1, ...) produces no write at all, so it neither needs its controller nor fails
// on a hybrid host whose v2 tree lacks it. OCI producers written in Go send 0 for "unset" in
// fields where 0 is not a usable value (memory.limit, memory.swap, cpu.shares, cpu.period,
// blockIO weights, throttle rates, realtime values, network.classID); 0 there is taken as unset,
// as runc does.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "cgroups/resources.h"

namespace cradle::cgroups {

struct CgroupWrite {
  std::string file;           // relative to the container's cgroup directory, e.g. "memory.max"
  std::string value;          // written in one write(2)
  std::string controller;     // the controller owning the file ("cgroup" for core files)
  std::string resource = {};  // the OCI field it comes from, for error messages
  // The value is the kernel's default (an update lifting a limit): it needs no controller, and a
  // cgroup without the file (controller not enabled) already has that value.
  bool restores_default = false;

  bool operator==(const CgroupWrite&) const = default;
};

// Creating a cgroup writes only what differs from the kernel's defaults. Updating one also writes
// the default of each field given with its default value ("max" for memory.limit -1, pids.limit
// -1 and cpu.quota -1, cpu.weight 100 for cpu.shares 1024, "max" for a throttle rate of 0,
// cpu.max.burst and cpu.idle 0), so that an update can lift what an earlier one set. Values Go
// producers send for "unset" (0 in memory.limit, pids.limit, ...) still write nothing.
enum class Translation { kCreate, kUpdate };

// The writes, in order: memory, cpu, cpuset, pids, io, hugetlb, rdma, then unified (last, so it
// overrides). Throws kInvalidArgument for settings cgroup v2 does not have (v1-only knobs) and for
// invalid values. Devices are not files on v2 (an eBPF program enforces them): skipped here.
std::vector<CgroupWrite> translate_resources(const Resources& resources,
                                             Translation mode = Translation::kCreate);

// The controllers the writes need enabled, sorted, without duplicates and without "cgroup"; writes
// that restore a default need none.
std::vector<std::string> controllers_needed(const Resources& resources,
                                            Translation mode = Translation::kCreate);

// Throws what translate_resources and compile_device_filter throw, and kFailedPrecondition naming
// the first resource whose controller is not in available_controllers (the v2 root's
// cgroup.controllers).
void check_resources_supported(const Resources& resources,
                               const std::set<std::string>& available_controllers,
                               Translation mode = Translation::kCreate);

// The kFailedPrecondition error for a controller the v2 tree lacks, `what` needing it.
[[noreturn]] void throw_missing_controller(std::string_view what, std::string_view controller);

// cpu.shares [2, 262144] -> cpu.weight [1, 10000], linearly, as crun and runc convert it; shares
// outside the range are clamped into it first.
std::uint64_t cpu_shares_to_weight(std::uint64_t shares);

// blkio.weight [10, 1000] -> io.weight [1, 10000], linearly, as crun converts it.
std::uint64_t blkio_weight_to_io_weight(std::uint64_t weight);

}  // namespace cradle::cgroups
