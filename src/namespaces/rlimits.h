#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cradle::ns {

struct Rlimit {
  int resource = 0;  // RLIMIT_*
  std::uint64_t soft = 0;
  std::uint64_t hard = 0;
};

// "RLIMIT_NOFILE" -> RLIMIT_NOFILE.
std::optional<int> rlimit_from_name(std::string_view name);
// RLIMIT_NOFILE -> "RLIMIT_NOFILE".
std::string rlimit_name(int resource);

}  // namespace cradle::ns
