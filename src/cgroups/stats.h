// A cgroup's usage counters, read from its v2 interface files. A file that is missing because its
// controller is not enabled for the cgroup (or not in the v2 tree at all, on a hybrid host) leaves
// its part absent rather than failing: stats are best-effort by nature.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cgroups/cgroup_file_format.h"

namespace cradle::cgroups {

// cpu.stat. usage/user/system come from the core and are always there; the throttling counters
// only with the cpu controller (0 without it).
struct CpuStats {
  std::uint64_t usage_usec = 0;
  std::uint64_t user_usec = 0;
  std::uint64_t system_usec = 0;
  std::uint64_t nr_periods = 0;
  std::uint64_t nr_throttled = 0;
  std::uint64_t throttled_usec = 0;

  bool operator==(const CpuStats&) const = default;
};

// memory.events: how often each boundary was hit.
struct MemoryEvents {
  std::uint64_t low = 0;
  std::uint64_t high = 0;
  std::uint64_t max = 0;
  std::uint64_t oom = 0;
  std::uint64_t oom_kill = 0;

  bool operator==(const MemoryEvents&) const = default;
};

struct MemoryStats {
  std::uint64_t current = 0;
  std::uint64_t max = kNoLimit;  // kNoLimit for "max"
  FlatKeyed stat;                // memory.stat as the kernel lists it: anon, file, kernel, ...
  MemoryEvents events;
};

struct PidsStats {
  std::uint64_t current = 0;
  std::uint64_t max = kNoLimit;
};

// One line of io.stat.
struct IoDeviceStats {
  std::uint32_t major = 0;
  std::uint32_t minor = 0;
  std::uint64_t rbytes = 0;
  std::uint64_t wbytes = 0;
  std::uint64_t rios = 0;
  std::uint64_t wios = 0;

  bool operator==(const IoDeviceStats&) const = default;
};

struct CgroupStats {
  std::optional<CpuStats> cpu;
  std::optional<MemoryStats> memory;
  std::optional<PidsStats> pids;
  std::vector<IoDeviceStats> io;  // empty without the io controller
};

// Reads the files of the cgroup whose directory cgroup_dir_fd is open on.
CgroupStats read_stats(int cgroup_dir_fd);

// The parsers read_stats uses, on file contents.
CpuStats parse_cpu_stat(std::string_view text);
MemoryEvents parse_memory_events(std::string_view text);
std::vector<IoDeviceStats> parse_io_stat(std::string_view text);

}  // namespace cradle::cgroups
