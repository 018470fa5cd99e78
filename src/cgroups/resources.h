// OCI linux.resources, typed. The cgroup manager translates these to cgroup v2 files; values that
// are absent are left at the kernel's default. Every member has a default so that designated
// initializers can name just what they set (g++ -Wextra warns about the members left out
// otherwise).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace cradle::cgroups {

struct MemoryResources {
  std::optional<std::int64_t> limit = {};        // -1 means unlimited
  std::optional<std::int64_t> reservation = {};  // -> memory.low
  std::optional<std::int64_t> swap = {};         // memory + swap, as OCI defines it
  std::optional<std::int64_t> kernel = {};       // v1 only; refused when set
  std::optional<std::int64_t> kernel_tcp = {};   // v1 only; refused when set
  std::optional<std::uint64_t> swappiness = {};  // v1 only
  std::optional<bool> disable_oom_killer = {};
  std::optional<bool> use_hierarchy = {};
  std::optional<bool> check_before_update = {};
};

struct CpuResources {
  std::optional<std::uint64_t> shares = {};
  std::optional<std::int64_t> quota = {};
  std::optional<std::uint64_t> burst = {};
  std::optional<std::uint64_t> period = {};
  std::optional<std::int64_t> realtime_runtime = {};
  std::optional<std::uint64_t> realtime_period = {};
  std::string cpus = {};
  std::string mems = {};
  std::optional<std::int64_t> idle = {};
};

struct PidsResources {
  std::optional<std::int64_t> limit = {};  // 0 or -1 mean unlimited
};

struct BlockIoDeviceWeight {
  std::int64_t major = 0;
  std::int64_t minor = 0;
  std::optional<std::uint16_t> weight = {};
  std::optional<std::uint16_t> leaf_weight = {};
};

struct BlockIoDeviceRate {
  std::int64_t major = 0;
  std::int64_t minor = 0;
  std::uint64_t rate = 0;
};

struct BlockIoResources {
  std::optional<std::uint16_t> weight = {};
  std::optional<std::uint16_t> leaf_weight = {};
  std::vector<BlockIoDeviceWeight> weight_device = {};
  std::vector<BlockIoDeviceRate> throttle_read_bps_device = {};
  std::vector<BlockIoDeviceRate> throttle_write_bps_device = {};
  std::vector<BlockIoDeviceRate> throttle_read_iops_device = {};
  std::vector<BlockIoDeviceRate> throttle_write_iops_device = {};
};

struct HugepageLimit {
  std::string page_size = {};  // "2MB", "1GB"
  std::uint64_t limit = 0;
};

// One rule of the device allow/deny list. Type 'a' means all; -1 major/minor means any (*).
struct DeviceRule {
  bool allow = false;
  char type = 'a';
  std::int64_t major = -1;
  std::int64_t minor = -1;
  std::string access = {};  // subset of "rwm"
};

struct NetworkResources {
  std::optional<std::uint32_t> class_id = {};
  std::vector<std::pair<std::string, std::uint32_t>> priorities = {};
};

struct RdmaLimit {
  std::optional<std::uint32_t> hca_handles = {};
  std::optional<std::uint32_t> hca_objects = {};
};

struct Resources {
  std::optional<MemoryResources> memory = {};
  std::optional<CpuResources> cpu = {};
  std::optional<PidsResources> pids = {};
  std::optional<BlockIoResources> block_io = {};
  std::vector<HugepageLimit> hugepage_limits = {};
  std::optional<NetworkResources> network = {};  // v1 only (net_cls/net_prio)
  std::map<std::string, RdmaLimit> rdma = {};
  std::vector<DeviceRule> devices = {};
  std::map<std::string, std::string> unified = {};
};

}  // namespace cradle::cgroups
