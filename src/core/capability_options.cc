#include "core/capability_options.h"

#include <sys/prctl.h>

#include <algorithm>
#include <cctype>
#include <initializer_list>
#include <string_view>

#include "base/error.h"

namespace cradle {

namespace {

constexpr int kMaskBits = 64;
constexpr std::string_view kAll = "ALL";

ns::CapabilityMask bit(int cap) {
  return ns::CapabilityMask{1} << cap;
}

ns::CapabilityMask mask_of(std::initializer_list<std::string_view> names) {
  ns::CapabilityMask mask = 0;
  for (auto name : names)
    mask |= bit(*ns::capability_from_name(name));
  return mask;
}

// A user's spelling ("net_admin", "CAP_NET_ADMIN", "all") in docker's normal form: upper case,
// "CAP_" prefixed unless it is ALL.
std::string normalize(std::string_view name) {
  std::string upper(name);
  std::ranges::transform(upper, upper.begin(), [](unsigned char c) { return std::toupper(c); });
  if (upper != kAll && !upper.starts_with("CAP_")) upper.insert(0, "CAP_");
  return upper;
}

struct CapabilityList {
  ns::CapabilityMask mask = 0;
  bool all = false;
};

CapabilityList parse_list(const std::vector<std::string>& names, std::string_view option) {
  CapabilityList list;
  for (const auto& name : names) {
    std::string normal = normalize(name);
    if (normal == kAll) {
      list.all = true;
      continue;
    }
    auto cap = ns::capability_from_name(normal);
    if (!cap || *cap >= kMaskBits) {
      throw_invalid(std::string(option) + " " + name + ": unknown capability");
    }
    list.mask |= bit(*cap);
  }
  return list;
}

}  // namespace

ns::CapabilityMask default_capabilities() {
  return mask_of({"CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD",
                  "CAP_NET_RAW", "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP",
                  "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE"});
}

ns::CapabilityMask all_capabilities() {
  ns::CapabilityMask mask = 0;
  for (int cap = 0; cap < kMaskBits; ++cap) {
    // libcap names the capabilities it knows and gives a bare number for the others; the
    // bounding set answers 1 for what this process may still grant (EINVAL past the kernel's).
    if (ns::capability_name(cap).starts_with("CAP_") && ::prctl(PR_CAPBSET_READ, cap) == 1) {
      mask |= bit(cap);
    }
  }
  return mask;
}

ns::CapabilityMask container_capabilities(const ContainerOptions& options) {
  // Both lists are checked even when privileged makes them moot: a typo is still a mistake.
  CapabilityList add = parse_list(options.cap_add, "--cap-add");
  CapabilityList drop = parse_list(options.cap_drop, "--cap-drop");
  if (options.privileged || add.all) {
    ns::CapabilityMask all = all_capabilities();
    return options.privileged ? all : all & ~drop.mask;
  }
  if (drop.all) return add.mask;
  return (default_capabilities() & ~drop.mask) | add.mask;
}

std::vector<std::string> capability_names(ns::CapabilityMask mask) {
  std::vector<std::string> names;
  for (int cap = 0; cap < kMaskBits; ++cap)
    if (mask & bit(cap)) names.push_back(ns::capability_name(cap));
  return names;
}

}  // namespace cradle
