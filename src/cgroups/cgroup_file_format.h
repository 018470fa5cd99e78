// Parsers for the formats of cgroup v2 interface files, as the kernel's cgroup-v2 documentation
// names them ("Interface Files" > "Conventions"). Pure functions on a file's contents, so the
// callers' parsing is unit-testable without a kernel.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <limits>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace cradle::cgroups {

// How a parsed "max" is represented: the kernel's own sentinel for "no limit" is the largest value.
inline constexpr std::uint64_t kNoLimit = std::numeric_limits<std::uint64_t>::max();

// A single value: a decimal number, or "max" (-> kNoLimit). `file` names the source in errors.
std::uint64_t parse_limit_value(std::string_view text, std::string_view file);

// Flat keyed: one "KEY VALUE" per line (cpu.stat, memory.stat, memory.events, cgroup.events).
using FlatKeyed = std::map<std::string, std::uint64_t, std::less<>>;
FlatKeyed parse_flat_keyed(std::string_view text, std::string_view file);

// Nested keyed: one "KEY SUB_KEY=VALUE SUB_KEY=VALUE ..." per line (io.stat, io.max, rdma.max).
struct NestedKeyedLine {
  std::string key;
  FlatKeyed values;
};
std::vector<NestedKeyedLine> parse_nested_keyed(std::string_view text, std::string_view file);

// Space separated names on one line (cgroup.controllers, cgroup.subtree_control).
std::set<std::string> parse_name_list(std::string_view text);

// Newline separated pids (cgroup.procs).
std::vector<pid_t> parse_pid_list(std::string_view text, std::string_view file);

}  // namespace cradle::cgroups
