// Capability names and sets. Names are resolved with libcap in the parent; the child only applies
// raw masks with capset(2) and prctl(2).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cradle::ns {

// Bit N set means capability N (CAP_CHOWN is bit 0).
using CapabilityMask = std::uint64_t;

struct CapabilitySets {
  CapabilityMask bounding = 0;
  CapabilityMask effective = 0;
  CapabilityMask permitted = 0;
  CapabilityMask inheritable = 0;
  CapabilityMask ambient = 0;
};

// "CAP_NET_ADMIN" -> 12. Only the OCI spelling (upper case, CAP_ prefix) is accepted.
std::optional<int> capability_from_name(std::string_view name);
std::string capability_name(int cap);

// The highest capability number the running kernel knows (/proc/sys/kernel/cap_last_cap).
int last_kernel_capability();

}  // namespace cradle::ns
