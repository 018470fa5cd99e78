#include "namespaces/rlimits.h"

#include <sys/resource.h>

#include <array>
#include <string>
#include <utility>

namespace cradle::ns {

namespace {

// Every resource of getrlimit(2), spelled as OCI configs spell them.
constexpr std::array<std::pair<std::string_view, int>, 16> kRlimits = {{
    {"RLIMIT_AS", RLIMIT_AS},
    {"RLIMIT_CORE", RLIMIT_CORE},
    {"RLIMIT_CPU", RLIMIT_CPU},
    {"RLIMIT_DATA", RLIMIT_DATA},
    {"RLIMIT_FSIZE", RLIMIT_FSIZE},
    {"RLIMIT_LOCKS", RLIMIT_LOCKS},
    {"RLIMIT_MEMLOCK", RLIMIT_MEMLOCK},
    {"RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE},
    {"RLIMIT_NICE", RLIMIT_NICE},
    {"RLIMIT_NOFILE", RLIMIT_NOFILE},
    {"RLIMIT_NPROC", RLIMIT_NPROC},
    {"RLIMIT_RSS", RLIMIT_RSS},
    {"RLIMIT_RTPRIO", RLIMIT_RTPRIO},
    {"RLIMIT_RTTIME", RLIMIT_RTTIME},
    {"RLIMIT_SIGPENDING", RLIMIT_SIGPENDING},
    {"RLIMIT_STACK", RLIMIT_STACK},
}};
static_assert(kRlimits.size() == RLIMIT_NLIMITS, "a Linux rlimit is missing from the table");

}  // namespace

std::optional<int> rlimit_from_name(std::string_view name) {
  for (const auto& [rlimit_name, resource] : kRlimits)
    if (rlimit_name == name) return resource;
  return std::nullopt;
}

std::string rlimit_name(int resource) {
  for (const auto& [rlimit_name, value] : kRlimits)
    if (value == resource) return std::string(rlimit_name);
  return "rlimit " + std::to_string(resource);
}

}  // namespace cradle::ns
