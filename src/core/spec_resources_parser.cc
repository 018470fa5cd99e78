// linux.resources: the cgroup limits, parsed as the OCI types say; the cgroup manager decides what
// cgroup v2 can honour.
#include "core/spec_parser_sections.h"

namespace cradle::spec_parser {

namespace {

using namespace cradle::cgroups;

MemoryResources parse_memory(const JsonField& field) {
  MemoryResources memory;
  field.read("limit", memory.limit);
  field.read("reservation", memory.reservation);
  field.read("swap", memory.swap);
  field.read("kernel", memory.kernel);
  field.read("kernelTCP", memory.kernel_tcp);
  field.read("swappiness", memory.swappiness);
  field.read("disableOOMKiller", memory.disable_oom_killer);
  field.read("useHierarchy", memory.use_hierarchy);
  field.read("checkBeforeUpdate", memory.check_before_update);
  return memory;
}

CpuResources parse_cpu(const JsonField& field) {
  CpuResources cpu;
  field.read("shares", cpu.shares);
  field.read("quota", cpu.quota);
  field.read("burst", cpu.burst);
  field.read("period", cpu.period);
  field.read("realtimeRuntime", cpu.realtime_runtime);
  field.read("realtimePeriod", cpu.realtime_period);
  field.read("cpus", cpu.cpus);
  field.read("mems", cpu.mems);
  field.read("idle", cpu.idle);
  return cpu;
}

PidsResources parse_pids(const JsonField& field) {
  return PidsResources{.limit = field.require("limit").as<std::int64_t>()};
}

BlockIoDeviceWeight parse_weight_device(const JsonField& field) {
  BlockIoDeviceWeight device;
  device.major = field.require("major").as<std::int64_t>();
  device.minor = field.require("minor").as<std::int64_t>();
  field.read("weight", device.weight);
  field.read("leafWeight", device.leaf_weight);
  return device;
}

BlockIoDeviceRate parse_rate_device(const JsonField& field) {
  return BlockIoDeviceRate{.major = field.require("major").as<std::int64_t>(),
                           .minor = field.require("minor").as<std::int64_t>(),
                           .rate = field.require("rate").as<std::uint64_t>()};
}

BlockIoResources parse_block_io(const JsonField& field) {
  BlockIoResources block_io;
  field.read("weight", block_io.weight);
  field.read("leafWeight", block_io.leaf_weight);
  field.read("weightDevice", block_io.weight_device, list_of(parse_weight_device));
  field.read("throttleReadBpsDevice", block_io.throttle_read_bps_device,
             list_of(parse_rate_device));
  field.read("throttleWriteBpsDevice", block_io.throttle_write_bps_device,
             list_of(parse_rate_device));
  field.read("throttleReadIOPSDevice", block_io.throttle_read_iops_device,
             list_of(parse_rate_device));
  field.read("throttleWriteIOPSDevice", block_io.throttle_write_iops_device,
             list_of(parse_rate_device));
  return block_io;
}

HugepageLimit parse_hugepage_limit(const JsonField& field) {
  return HugepageLimit{.page_size = field.require("pageSize").as_string(),
                       .limit = field.require("limit").as<std::uint64_t>()};
}

std::pair<std::string, std::uint32_t> parse_priority(const JsonField& field) {
  return {field.require("name").as_string(), field.require("priority").as<std::uint32_t>()};
}

NetworkResources parse_network(const JsonField& field) {
  NetworkResources network;
  field.read("classID", network.class_id);
  field.read("priorities", network.priorities, list_of(parse_priority));
  return network;
}

std::map<std::string, RdmaLimit> parse_rdma(const JsonField& field) {
  std::map<std::string, RdmaLimit> rdma;
  for (const auto& [device, entry] : field.members()) {
    RdmaLimit limit;
    entry.read("hcaHandles", limit.hca_handles);
    entry.read("hcaObjects", limit.hca_objects);
    rdma.emplace(device, limit);
  }
  return rdma;
}

char parse_device_rule_type(const JsonField& field) {
  std::string type = field.as_string();
  if (type != "a" && type != "c" && type != "b") {
    field.fail("must be one of \"a\", \"c\", \"b\", got " + quote(type));
  }
  return type[0];
}

// -1 is the struct's "any" (written * in the cgroup rule), also what an absent number means.
std::int64_t parse_device_number(const JsonField& field) {
  return field.as_integer<std::int64_t>(-1);
}

std::string parse_access(const JsonField& field) {
  std::string access = field.as_string();
  if (access.empty() || access.find_first_not_of("rwm") != std::string::npos) {
    field.fail("must be made of r, w and m, got " + quote(access));
  }
  return access;
}

DeviceRule parse_device_rule(const JsonField& field) {
  DeviceRule rule;
  rule.allow = field.require("allow").as_bool();
  field.read("type", rule.type, parse_device_rule_type);
  field.read("major", rule.major, parse_device_number);
  field.read("minor", rule.minor, parse_device_number);
  rule.access = "rwm";  // OCI leaves it optional; a rule about no access at all means nothing
  field.read("access", rule.access, parse_access);
  return rule;
}

}  // namespace

Resources parse_resources(const JsonField& field) {
  Resources resources;
  field.read("memory", resources.memory, parse_memory);
  field.read("cpu", resources.cpu, parse_cpu);
  field.read("pids", resources.pids, parse_pids);
  field.read("blockIO", resources.block_io, parse_block_io);
  field.read("hugepageLimits", resources.hugepage_limits, list_of(parse_hugepage_limit));
  field.read("network", resources.network, parse_network);
  field.read("rdma", resources.rdma, parse_rdma);
  field.read("devices", resources.devices, list_of(parse_device_rule));
  field.read("unified", resources.unified);
  return resources;
}

}  // namespace cradle::spec_parser
