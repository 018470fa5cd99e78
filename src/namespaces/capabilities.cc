#include "namespaces/capabilities.h"

#include <sys/capability.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <memory>

#include "base/error.h"
#include "base/file_io.h"

namespace cradle::ns {

namespace {

constexpr std::string_view kCapPrefix = "CAP_";

// libcap also accepts "cap_chown", "Cap_Chown" and "0"; OCI configs spell capabilities only as
// "CAP_CHOWN", so anything else is refused before libcap sees it.
bool is_oci_capability_spelling(std::string_view name) {
  if (!name.starts_with(kCapPrefix) || name.size() == kCapPrefix.size()) return false;
  return std::ranges::all_of(name.substr(kCapPrefix.size()), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
}

struct CapFree {
  void operator()(char* p) const { cap_free(p); }
};

}  // namespace

std::optional<int> capability_from_name(std::string_view name) {
  if (!is_oci_capability_spelling(name)) return std::nullopt;
  std::string lower(name);
  std::ranges::transform(lower, lower.begin(), [](unsigned char c) { return std::tolower(c); });
  cap_value_t cap = 0;
  if (cap_from_name(lower.c_str(), &cap) != 0) return std::nullopt;
  return static_cast<int>(cap);
}

std::string capability_name(int cap) {
  // cap_to_name gives "cap_chown" for known capabilities and the bare number for others.
  std::unique_ptr<char, CapFree> name(cap_to_name(static_cast<cap_value_t>(cap)));
  if (!name) throw_errno("cap_to_name " + std::to_string(cap));
  std::string upper(name.get());
  std::ranges::transform(upper, upper.begin(), [](unsigned char c) { return std::toupper(c); });
  return upper;
}

int last_kernel_capability() {
  const std::string path = "/proc/sys/kernel/cap_last_cap";
  std::string text = read_file(path);
  int last = -1;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), last);
  if (ec != std::errc() || last < 0 || (end != text.data() + text.size() && *end != '\n')) {
    throw Error(ErrorCode::kInternal, path + " holds " + text + ", not a capability number");
  }
  return last;
}

}  // namespace cradle::ns
