#include "cgroups/resources_v2.h"

#include <algorithm>

#include "base/error.h"
#include "cgroups/device_filter.h"

namespace cradle::cgroups {

namespace {

constexpr std::int64_t kUnlimited = -1;
constexpr std::uint64_t kDefaultCpuShares = 1024;  // v1's default; containerd always sends it
constexpr std::uint64_t kDefaultCpuPeriod = 100000;
constexpr std::uint64_t kDefaultCpuWeight = 100;  // v2's own default, what shares 1024 means
constexpr std::uint64_t kMinCpuShares = 2;
constexpr std::uint64_t kMaxCpuShares = 262144;
constexpr std::uint64_t kMaxCpuWeight = 10000;
constexpr std::uint64_t kMinBlkioWeight = 10;
constexpr std::uint64_t kMaxBlkioWeight = 1000;

std::string field_name(std::string_view field) {
  return "linux.resources." + std::string(field);
}

// Files a container must not set: they move processes, reshape the tree or kill, and the runtime
// does each of those itself.
constexpr std::string_view kRuntimeOwnedCoreFiles[] = {"cgroup.procs", "cgroup.threads",
                                                       "cgroup.subtree_control", "cgroup.kill"};

[[noreturn]] void refuse_v1_only(std::string_view field, std::string_view why) {
  throw_invalid(field_name(field) + " is a cgroup v1 setting that cgroup v2 does not have (" +
                std::string(why) + "); remove it");
}

// For int64 fields whose only negative value is -1 ("unlimited").
void require_at_least_unlimited(std::string_view field, const std::optional<std::int64_t>& value) {
  if (value && *value < kUnlimited) {
    throw_invalid(field_name(field) + " is " + std::to_string(*value) +
                  "; give a positive number, or -1 for no limit");
  }
}

// A value given and not one that means "unset" or "the kernel's default".
template <typename T>
bool is_set(const std::optional<T>& value, T unset) {
  return value && *value != unset;
}

std::string device(std::int64_t major, std::int64_t minor, std::string_view field) {
  if (major < 0 || minor < 0) {
    throw_invalid(field_name(field) + " has device " + std::to_string(major) + ":" +
                  std::to_string(minor) + "; major and minor must not be negative");
  }
  return std::to_string(major) + ":" + std::to_string(minor);
}

class WriteList {
 public:
  explicit WriteList(Translation mode) : mode_(mode) {}

  void add(std::string file, std::string value, std::string controller, std::string resource) {
    writes_.push_back(
        {std::move(file), std::move(value), std::move(controller), std::move(resource)});
  }
  // For a field given with the value that means the kernel's default: an update writes that
  // default (lifting a limit set before), a create leaves the file as the kernel made it.
  void add_default(std::string file, std::string value, std::string controller,
                   std::string resource) {
    if (mode_ != Translation::kUpdate) return;
    writes_.push_back({std::move(file), std::move(value), std::move(controller),
                       std::move(resource), /*restores_default=*/true});
  }
  bool updating() const { return mode_ == Translation::kUpdate; }
  std::vector<CgroupWrite> take() { return std::move(writes_); }

 private:
  Translation mode_;
  std::vector<CgroupWrite> writes_;
};

void refuse_v1_memory_settings(const MemoryResources& memory) {
  if (is_set(memory.kernel, kUnlimited)) {
    refuse_v1_only("memory.kernel", "cgroup v2 counts kernel memory in memory.max");
  }
  if (is_set(memory.kernel_tcp, kUnlimited)) {
    refuse_v1_only("memory.kernelTCP", "cgroup v2 counts TCP buffers in memory.max");
  }
  if (memory.swappiness) {
    refuse_v1_only("memory.swappiness", "cgroup v2 has no per-cgroup swappiness");
  }
  if (memory.disable_oom_killer.value_or(false)) {
    refuse_v1_only("memory.disableOOMKiller", "cgroup v2 cannot turn the OOM killer off");
  }
  if (!memory.use_hierarchy.value_or(true)) {
    refuse_v1_only("memory.useHierarchy", "cgroup v2 accounting is always hierarchical");
  }
}

void translate_memory(const MemoryResources& memory, WriteList& out) {
  refuse_v1_memory_settings(memory);
  require_at_least_unlimited("memory.limit", memory.limit);
  require_at_least_unlimited("memory.reservation", memory.reservation);
  require_at_least_unlimited("memory.swap", memory.swap);

  const bool limited = memory.limit && *memory.limit > 0;
  if (limited) {
    out.add("memory.max", std::to_string(*memory.limit), "memory", field_name("memory.limit"));
  } else if (memory.limit == kUnlimited) {
    out.add_default("memory.max", "max", "memory", field_name("memory.limit"));
  }
  if (is_set(memory.reservation, std::int64_t{0})) {
    std::string low =
        *memory.reservation == kUnlimited ? "max" : std::to_string(*memory.reservation);
    out.add("memory.low", low, "memory", field_name("memory.reservation"));
  }
  if (memory.swap && *memory.swap > 0) {
    // OCI's swap is memory+swap (v1's memsw); v2 limits swap alone.
    if (!limited) {
      throw_invalid(field_name("memory.swap") + " (memory+swap) needs " +
                    field_name("memory.limit") +
                    ": cgroup v2 limits swap alone, as memory.swap.max = swap - limit");
    }
    if (*memory.swap < *memory.limit) {
      throw_invalid(field_name("memory.swap") + " (memory+swap, " + std::to_string(*memory.swap) +
                    ") is less than " + field_name("memory.limit") + " (" +
                    std::to_string(*memory.limit) + ")");
    }
    out.add("memory.swap.max", std::to_string(*memory.swap - *memory.limit), "memory",
            field_name("memory.swap"));
  } else if (memory.swap == kUnlimited) {
    out.add_default("memory.swap.max", "max", "memory", field_name("memory.swap"));
  }
}

// cpu.max holds quota and period: "$QUOTA $PERIOD", "max" for no quota. An update that gives no
// period writes the quota alone, which keeps the period the cgroup has.
void translate_cpu_max(const CpuResources& cpu, WriteList& out) {
  const bool quota_limited = cpu.quota && *cpu.quota > 0;
  const bool period_given = is_set(cpu.period, std::uint64_t{0});
  const std::uint64_t period = period_given ? *cpu.period : kDefaultCpuPeriod;
  std::string quota = quota_limited ? std::to_string(*cpu.quota) : "max";
  if (out.updating() && !period_given) {
    if (quota_limited) out.add("cpu.max", quota, "cpu", field_name("cpu.quota"));
    if (cpu.quota == kUnlimited) out.add_default("cpu.max", quota, "cpu", field_name("cpu.quota"));
    return;
  }
  if (quota_limited || period != kDefaultCpuPeriod) {
    out.add("cpu.max", quota + " " + std::to_string(period), "cpu",
            field_name(quota_limited ? "cpu.quota" : "cpu.period"));
  } else if (cpu.quota == kUnlimited || period_given) {
    out.add_default("cpu.max", quota + " " + std::to_string(period), "cpu",
                    field_name(cpu.quota == kUnlimited ? "cpu.quota" : "cpu.period"));
  }
}

void translate_cpu(const CpuResources& cpu, WriteList& out) {
  if (is_set(cpu.realtime_runtime, std::int64_t{0})) {
    refuse_v1_only("cpu.realtimeRuntime", "cgroup v2 cannot reserve realtime CPU time");
  }
  if (is_set(cpu.realtime_period, std::uint64_t{0})) {
    refuse_v1_only("cpu.realtimePeriod", "cgroup v2 cannot reserve realtime CPU time");
  }
  require_at_least_unlimited("cpu.quota", cpu.quota);

  if (cpu.shares && *cpu.shares != 0 && *cpu.shares != kDefaultCpuShares) {
    out.add("cpu.weight", std::to_string(cpu_shares_to_weight(*cpu.shares)), "cpu",
            field_name("cpu.shares"));
  } else if (cpu.shares == kDefaultCpuShares) {
    out.add_default("cpu.weight", std::to_string(kDefaultCpuWeight), "cpu",
                    field_name("cpu.shares"));
  }
  translate_cpu_max(cpu, out);
  if (is_set(cpu.burst, std::uint64_t{0})) {
    out.add("cpu.max.burst", std::to_string(*cpu.burst), "cpu", field_name("cpu.burst"));
  } else if (cpu.burst) {
    out.add_default("cpu.max.burst", "0", "cpu", field_name("cpu.burst"));
  }
  if (is_set(cpu.idle, std::int64_t{0})) {
    out.add("cpu.idle", std::to_string(*cpu.idle), "cpu", field_name("cpu.idle"));
  } else if (cpu.idle) {
    out.add_default("cpu.idle", "0", "cpu", field_name("cpu.idle"));
  }
  if (!cpu.cpus.empty()) out.add("cpuset.cpus", cpu.cpus, "cpuset", field_name("cpu.cpus"));
  if (!cpu.mems.empty()) out.add("cpuset.mems", cpu.mems, "cpuset", field_name("cpu.mems"));
}

void translate_pids(const PidsResources& pids, WriteList& out) {
  if (pids.limit && *pids.limit < kUnlimited) {
    throw_invalid(field_name("pids.limit") + " is " + std::to_string(*pids.limit) +
                  "; give a positive number, or 0 or -1 for no limit");
  }
  if (pids.limit && *pids.limit > 0) {
    out.add("pids.max", std::to_string(*pids.limit), "pids", field_name("pids.limit"));
  } else if (pids.limit == kUnlimited) {
    // 0 is what Go producers send for "unset", so only -1 lifts a limit, as with runc's update.
    out.add_default("pids.max", "max", "pids", field_name("pids.limit"));
  }
}

std::string io_weight(std::uint16_t weight, std::string_view field) {
  if (weight < kMinBlkioWeight || weight > kMaxBlkioWeight) {
    throw_invalid(field_name(field) + " is " + std::to_string(weight) + "; it must be in [" +
                  std::to_string(kMinBlkioWeight) + ", " + std::to_string(kMaxBlkioWeight) + "]");
  }
  return std::to_string(blkio_weight_to_io_weight(weight));
}

void translate_throttle(const std::vector<BlockIoDeviceRate>& rates, std::string_view list_name,
                        std::string_view io_max_key, WriteList& out) {
  std::string field = "blockIO." + std::string(list_name);
  for (const BlockIoDeviceRate& rate : rates) {
    std::string dev = device(rate.major, rate.minor, field);
    std::string key = dev + " " + std::string(io_max_key) + "=";
    if (rate.rate == 0) {
      // v1 wrote 0 to remove a limit: no limit is the default.
      out.add_default("io.max", key + "max", "io", field_name(field));
      continue;
    }
    out.add("io.max", key + std::to_string(rate.rate), "io", field_name(field));
  }
}

void translate_block_io(const BlockIoResources& io, WriteList& out) {
  if (is_set(io.leaf_weight, std::uint16_t{0})) {
    refuse_v1_only("blockIO.leafWeight", "it weighed a cgroup's own tasks against its children");
  }
  if (is_set(io.weight, std::uint16_t{0})) {
    out.add("io.weight", "default " + io_weight(*io.weight, "blockIO.weight"), "io",
            field_name("blockIO.weight"));
  }
  for (size_t i = 0; i < io.weight_device.size(); ++i) {
    const BlockIoDeviceWeight& entry = io.weight_device[i];
    std::string field = "blockIO.weightDevice[" + std::to_string(i) + "]";
    if (is_set(entry.leaf_weight, std::uint16_t{0})) {
      refuse_v1_only(field + ".leafWeight", "it weighed a cgroup's own tasks against its children");
    }
    std::string dev = device(entry.major, entry.minor, field);
    if (is_set(entry.weight, std::uint16_t{0})) {
      out.add("io.weight", dev + " " + io_weight(*entry.weight, field + ".weight"), "io",
              field_name(field + ".weight"));
    }
  }
  translate_throttle(io.throttle_read_bps_device, "throttleReadBpsDevice", "rbps", out);
  translate_throttle(io.throttle_write_bps_device, "throttleWriteBpsDevice", "wbps", out);
  translate_throttle(io.throttle_read_iops_device, "throttleReadIOPSDevice", "riops", out);
  translate_throttle(io.throttle_write_iops_device, "throttleWriteIOPSDevice", "wiops", out);
}

// "<size><KB|MB|GB>", as OCI defines pageSize and as the kernel names the hugetlb files.
bool is_page_size(std::string_view size) {
  if (size.size() < 3) return false;
  std::string_view unit = size.substr(size.size() - 2);
  std::string_view digits = size.substr(0, size.size() - 2);
  return (unit == "KB" || unit == "MB" || unit == "GB") &&
         digits.find_first_not_of("0123456789") == std::string_view::npos;
}

void translate_hugepages(const std::vector<HugepageLimit>& limits, WriteList& out) {
  for (size_t i = 0; i < limits.size(); ++i) {
    const HugepageLimit& limit = limits[i];
    std::string field = field_name("hugepageLimits[" + std::to_string(i) + "]");
    if (!is_page_size(limit.page_size)) {
      throw_invalid(field + ".pageSize \"" + limit.page_size +
                    "\" is not a size like \"2MB\", \"64KB\" or \"1GB\"");
    }
    // OCI asks for the reservation limit where the kernel has one (rsvd, since 5.7) and the
    // page-fault limit otherwise; setting both keeps faults of unreserved pages limited too.
    std::string prefix = "hugetlb." + limit.page_size;
    out.add(prefix + ".max", std::to_string(limit.limit), "hugetlb", field);
    out.add(prefix + ".rsvd.max", std::to_string(limit.limit), "hugetlb", field);
  }
}

void refuse_network(const NetworkResources& network) {
  if (is_set(network.class_id, std::uint32_t{0})) {
    refuse_v1_only("network.classID", "the net_cls controller exists only in v1");
  }
  if (!network.priorities.empty()) {
    refuse_v1_only("network.priorities", "the net_prio controller exists only in v1");
  }
}

std::string rdma_count(const std::optional<std::uint32_t>& count) {
  return count ? std::to_string(*count) : "max";
}

void translate_rdma(const std::map<std::string, RdmaLimit>& rdma, WriteList& out) {
  for (const auto& [name, limit] : rdma) {
    std::string field = field_name("rdma[\"" + name + "\"]");
    if (name.empty() || name.find_first_of(" \t\n") != std::string::npos) {
      throw_invalid(field + " is not an RDMA device name");
    }
    if (!limit.hca_handles && !limit.hca_objects) {
      throw_invalid(field + " sets neither hcaHandles nor hcaObjects");
    }
    out.add("rdma.max",
            name + " hca_handle=" + rdma_count(limit.hca_handles) +
                " hca_object=" + rdma_count(limit.hca_objects),
            "rdma", field);
  }
}

// A key must name a file in the container's own cgroup directory: "controller.knob".
void check_unified_key(const std::string& key, const std::string& field) {
  if (key.find('/') != std::string::npos) {
    throw_invalid(field + " names a path; keys name files of the container's own cgroup");
  }
  const bool plain_chars = key.find_first_not_of(
                               "abcdefghijklmnopqrstuvwxyz"
                               "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") == std::string::npos;
  const size_t dot = key.find('.');
  if (!plain_chars || dot == std::string::npos || dot == 0 || key.back() == '.') {
    throw_invalid(field + " is not a cgroup v2 interface file name, like \"memory.high\"");
  }
  if (std::ranges::find(kRuntimeOwnedCoreFiles, key) != std::end(kRuntimeOwnedCoreFiles)) {
    throw_invalid(field + " is a cgroup core file that the runtime itself manages");
  }
}

void translate_unified(const std::map<std::string, std::string>& unified, WriteList& out) {
  for (const auto& [key, value] : unified) {
    std::string field = field_name("unified[\"" + key + "\"]");
    check_unified_key(key, field);
    std::string controller = key.substr(0, key.find('.'));
    // Files with one entry per line (io.max, io.weight, rdma.max) take one line per write(2), so
    // a multi-line value, as the runtime-spec's io.max example has, is written a line at a time.
    bool wrote = false;
    for (size_t start = 0; start < value.size();) {
      size_t end = std::min(value.find('\n', start), value.size());
      if (end > start) {
        out.add(key, value.substr(start, end - start), controller, field);
        wrote = true;
      }
      start = end + 1;
    }
    if (!wrote) out.add(key, value, controller, field);
  }
}

}  // namespace

std::uint64_t cpu_shares_to_weight(std::uint64_t shares) {
  shares = std::clamp(shares, kMinCpuShares, kMaxCpuShares);
  return 1 + ((shares - kMinCpuShares) * (kMaxCpuWeight - 1)) / (kMaxCpuShares - kMinCpuShares);
}

std::uint64_t blkio_weight_to_io_weight(std::uint64_t weight) {
  weight = std::clamp(weight, kMinBlkioWeight, kMaxBlkioWeight);
  return 1 +
         ((weight - kMinBlkioWeight) * (kMaxCpuWeight - 1)) / (kMaxBlkioWeight - kMinBlkioWeight);
}

std::vector<CgroupWrite> translate_resources(const Resources& resources, Translation mode) {
  WriteList out(mode);
  if (resources.memory) translate_memory(*resources.memory, out);
  if (resources.cpu) translate_cpu(*resources.cpu, out);
  if (resources.pids) translate_pids(*resources.pids, out);
  if (resources.block_io) translate_block_io(*resources.block_io, out);
  translate_hugepages(resources.hugepage_limits, out);
  if (resources.network) refuse_network(*resources.network);
  translate_rdma(resources.rdma, out);
  translate_unified(resources.unified, out);
  return out.take();
}

std::vector<std::string> controllers_needed(const Resources& resources, Translation mode) {
  std::set<std::string> needed;
  for (const CgroupWrite& write : translate_resources(resources, mode)) {
    if (write.controller != "cgroup" && !write.restores_default) needed.insert(write.controller);
  }
  return {needed.begin(), needed.end()};
}

void check_resources_supported(const Resources& resources,
                               const std::set<std::string>& available_controllers,
                               Translation mode) {
  compile_device_filter(resources.devices);  // refuses a bad rule before anything is made
  for (const CgroupWrite& write : translate_resources(resources, mode)) {
    if (write.controller != "cgroup" && !write.restores_default &&
        !available_controllers.contains(write.controller)) {
      throw_missing_controller(write.resource, write.controller);
    }
  }
}

void throw_missing_controller(std::string_view what, std::string_view controller) {
  throw Error(ErrorCode::kFailedPrecondition,
              std::string(what) + " needs the cgroup v2 \"" + std::string(controller) +
                  "\" controller, which this host's cgroup v2 tree does not have (a hybrid host "
                  "keeps it in cgroup v1)");
}

}  // namespace cradle::cgroups
