#include "cgroups/stats.h"

#include <cerrno>
#include <charconv>

#include "base/error.h"
#include "base/file_io.h"

namespace cradle::cgroups {

namespace {

std::uint64_t value_or_zero(const FlatKeyed& keyed, std::string_view key) {
  auto it = keyed.find(key);
  return it == keyed.end() ? 0 : it->second;
}

// The file's contents, or nullopt if the cgroup has no such file (its controller is absent).
std::optional<std::string> read_if_present(int dir_fd, const std::string& file) {
  try {
    return read_file_at(dir_fd, file);
  } catch (const Error& e) {
    if (e.sys_errno() == ENOENT) return std::nullopt;
    throw;
  }
}

bool parse_device_number(std::string_view text, std::uint32_t& out) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return !text.empty() && ec == std::errc() && end == text.data() + text.size();
}

std::optional<MemoryStats> read_memory_stats(int dir_fd) {
  std::optional<std::string> current = read_if_present(dir_fd, "memory.current");
  if (!current) return std::nullopt;
  MemoryStats memory;
  memory.current = parse_limit_value(*current, "memory.current");
  if (auto max = read_if_present(dir_fd, "memory.max")) {
    memory.max = parse_limit_value(*max, "memory.max");
  }
  if (auto stat = read_if_present(dir_fd, "memory.stat")) {
    memory.stat = parse_flat_keyed(*stat, "memory.stat");
  }
  if (auto events = read_if_present(dir_fd, "memory.events")) {
    memory.events = parse_memory_events(*events);
  }
  return memory;
}

std::optional<PidsStats> read_pids_stats(int dir_fd) {
  std::optional<std::string> current = read_if_present(dir_fd, "pids.current");
  if (!current) return std::nullopt;
  PidsStats pids;
  pids.current = parse_limit_value(*current, "pids.current");
  if (auto max = read_if_present(dir_fd, "pids.max"))
    pids.max = parse_limit_value(*max, "pids.max");
  return pids;
}

}  // namespace

CpuStats parse_cpu_stat(std::string_view text) {
  FlatKeyed keyed = parse_flat_keyed(text, "cpu.stat");
  return CpuStats{
      .usage_usec = value_or_zero(keyed, "usage_usec"),
      .user_usec = value_or_zero(keyed, "user_usec"),
      .system_usec = value_or_zero(keyed, "system_usec"),
      .nr_periods = value_or_zero(keyed, "nr_periods"),
      .nr_throttled = value_or_zero(keyed, "nr_throttled"),
      .throttled_usec = value_or_zero(keyed, "throttled_usec"),
  };
}

MemoryEvents parse_memory_events(std::string_view text) {
  FlatKeyed keyed = parse_flat_keyed(text, "memory.events");
  return MemoryEvents{
      .low = value_or_zero(keyed, "low"),
      .high = value_or_zero(keyed, "high"),
      .max = value_or_zero(keyed, "max"),
      .oom = value_or_zero(keyed, "oom"),
      .oom_kill = value_or_zero(keyed, "oom_kill"),
  };
}

std::vector<IoDeviceStats> parse_io_stat(std::string_view text) {
  std::vector<IoDeviceStats> devices;
  for (const NestedKeyedLine& line : parse_nested_keyed(text, "io.stat")) {
    IoDeviceStats device;
    size_t colon = line.key.find(':');
    if (colon == std::string::npos ||
        !parse_device_number(std::string_view(line.key).substr(0, colon), device.major) ||
        !parse_device_number(std::string_view(line.key).substr(colon + 1), device.minor)) {
      throw Error(ErrorCode::kInternal, "malformed device \"" + line.key + "\" in io.stat");
    }
    device.rbytes = value_or_zero(line.values, "rbytes");
    device.wbytes = value_or_zero(line.values, "wbytes");
    device.rios = value_or_zero(line.values, "rios");
    device.wios = value_or_zero(line.values, "wios");
    devices.push_back(device);
  }
  return devices;
}

CgroupStats read_stats(int cgroup_dir_fd) {
  CgroupStats stats;
  if (auto cpu = read_if_present(cgroup_dir_fd, "cpu.stat")) stats.cpu = parse_cpu_stat(*cpu);
  stats.memory = read_memory_stats(cgroup_dir_fd);
  stats.pids = read_pids_stats(cgroup_dir_fd);
  if (auto io = read_if_present(cgroup_dir_fd, "io.stat")) stats.io = parse_io_stat(*io);
  return stats;
}

}  // namespace cradle::cgroups
