#include "cli/option_values.h"

#include <cctype>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>

namespace cradle::cli {
namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

[[noreturn]] void invalid(std::string_view option, std::string_view value, std::string_view why) {
  throw CliError("invalid value \"" + std::string(value) + "\" for " + std::string(option) + ": " +
                 std::string(why));
}

// A whole string as a finite, non-negative decimal number.
bool parse_number(std::string_view text, double& number) {
  if (text.empty()) return false;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
  return error == std::errc() && end == text.data() + text.size() && std::isfinite(number) &&
         number >= 0;
}

}  // namespace

int64_t parse_memory(std::string_view option, std::string_view value) {
  static constexpr std::string_view kWhy =
      "expected a number of bytes, optionally with a unit (b, k, m, g, t), like 64m or 1g";
  std::string text = lower(value);
  if (text.ends_with('b') && text.size() > 1 &&
      std::isalpha(static_cast<unsigned char>(text[text.size() - 2])))
    text.pop_back();  // "64mb" is "64m"
  double multiplier = 1;
  if (!text.empty() && std::isalpha(static_cast<unsigned char>(text.back()))) {
    std::string_view units = "bkmgtp";
    auto unit = units.find(text.back());
    if (unit == std::string_view::npos) invalid(option, value, kWhy);
    multiplier = std::pow(1024.0, static_cast<double>(unit));
    text.pop_back();
  }
  double number = 0;
  if (!parse_number(text, number)) invalid(option, value, kWhy);
  double bytes = number * multiplier;
  if (bytes >= 9.2e18) invalid(option, value, "too large");
  return static_cast<int64_t>(bytes);
}

double parse_cpus(std::string_view option, std::string_view value) {
  double cpus = 0;
  if (!parse_number(value, cpus) || cpus <= 0)
    invalid(option, value, "expected a positive number of CPUs, like 1.5");
  return cpus;
}

v1::MountConfig parse_volume(std::string_view value) {
  std::vector<std::string> parts;
  for (std::size_t start = 0;;) {
    auto colon = value.find(':', start);
    parts.emplace_back(value.substr(start, colon - start));
    if (colon == std::string_view::npos) break;
    start = colon + 1;
  }
  auto refuse = [&](std::string_view why) -> void {
    throw CliError("invalid volume \"" + std::string(value) + "\": " + std::string(why));
  };
  if (parts.size() < 2 || parts.size() > 3)
    refuse("expected SOURCE:DESTINATION or SOURCE:DESTINATION:ro");
  if (!parts[0].starts_with('/'))
    refuse("the source must be an absolute path on the host (cradle has no named volumes)");
  if (!parts[1].starts_with('/')) refuse("the destination must be an absolute path");
  if (parts.size() == 3 && parts[2] != "ro" && parts[2] != "rw")
    refuse("the mode must be ro or rw");
  v1::MountConfig mount;
  mount.set_source(parts[0]);
  mount.set_destination(parts[1]);
  mount.set_read_only(parts.size() == 3 && parts[2] == "ro");
  return mount;
}

std::vector<std::string> resolve_env(const std::vector<std::string>& entries) {
  std::vector<std::string> env;
  for (const auto& entry : entries) {
    if (entry.empty()) continue;
    if (entry.find('=') != std::string::npos) {
      env.push_back(entry);
    } else if (const char* own = std::getenv(entry.c_str()); own != nullptr) {
      env.push_back(entry + "=" + own);
    }
  }
  return env;
}

std::vector<std::string> read_env_file(const std::string& path) {
  std::ifstream file(path);
  if (!file) throw CliError("cannot read the env file " + path + ": " + std::strerror(errno));
  std::vector<std::string> entries;
  std::string line;
  while (std::getline(file, line)) {
    auto start = line.find_first_not_of(" \t");
    if (start == std::string::npos || line[start] == '#') continue;
    if (line.ends_with('\r')) line.pop_back();
    entries.push_back(line.substr(start));
  }
  return resolve_env(entries);
}

}  // namespace cradle::cli
