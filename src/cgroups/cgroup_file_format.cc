#include "cgroups/cgroup_file_format.h"

#include <charconv>

#include "base/error.h"

namespace cradle::cgroups {

namespace {

[[noreturn]] void throw_malformed(std::string_view line, std::string_view file) {
  throw Error(ErrorCode::kInternal,
              "malformed line \"" + std::string(line) + "\" in " + std::string(file));
}

template <typename Int>
bool parse_decimal(std::string_view text, Int& out) {
  if (text.empty()) return false;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size();
}

// Calls on_line for each non-empty line, without its newline.
template <typename F>
void for_each_line(std::string_view text, F on_line) {
  while (!text.empty()) {
    size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    if (!line.empty()) on_line(line);
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
}

std::vector<std::string_view> split_on_spaces(std::string_view line) {
  std::vector<std::string_view> words;
  while (!line.empty()) {
    size_t start = line.find_first_not_of(' ');
    if (start == std::string_view::npos) break;
    line.remove_prefix(start);
    size_t end = line.find(' ');
    words.push_back(line.substr(0, end));
    if (end == std::string_view::npos) break;
    line.remove_prefix(end);
  }
  return words;
}

bool parse_value_or_max(std::string_view text, std::uint64_t& out) {
  if (text == "max") {
    out = kNoLimit;
    return true;
  }
  return parse_decimal(text, out);
}

}  // namespace

std::uint64_t parse_limit_value(std::string_view text, std::string_view file) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' '))
    text.remove_suffix(1);
  std::uint64_t value = 0;
  if (!parse_value_or_max(text, value)) throw_malformed(text, file);
  return value;
}

FlatKeyed parse_flat_keyed(std::string_view text, std::string_view file) {
  FlatKeyed out;
  for_each_line(text, [&](std::string_view line) {
    std::vector<std::string_view> words = split_on_spaces(line);
    std::uint64_t value = 0;
    if (words.size() != 2 || !parse_value_or_max(words[1], value)) throw_malformed(line, file);
    out[std::string(words[0])] = value;
  });
  return out;
}

std::vector<NestedKeyedLine> parse_nested_keyed(std::string_view text, std::string_view file) {
  std::vector<NestedKeyedLine> out;
  for_each_line(text, [&](std::string_view line) {
    std::vector<std::string_view> words = split_on_spaces(line);
    if (words.empty()) return;
    NestedKeyedLine parsed{std::string(words[0]), {}};
    for (size_t i = 1; i < words.size(); ++i) {
      size_t eq = words[i].find('=');
      std::uint64_t value = 0;
      if (eq == std::string_view::npos || !parse_value_or_max(words[i].substr(eq + 1), value)) {
        throw_malformed(line, file);
      }
      parsed.values[std::string(words[i].substr(0, eq))] = value;
    }
    out.push_back(std::move(parsed));
  });
  return out;
}

std::set<std::string> parse_name_list(std::string_view text) {
  std::set<std::string> names;
  for_each_line(text, [&](std::string_view line) {
    for (std::string_view word : split_on_spaces(line))
      names.emplace(word);
  });
  return names;
}

std::vector<pid_t> parse_pid_list(std::string_view text, std::string_view file) {
  std::vector<pid_t> pids;
  for_each_line(text, [&](std::string_view line) {
    pid_t pid = 0;
    if (!parse_decimal(line, pid)) throw_malformed(line, file);
    pids.push_back(pid);
  });
  return pids;
}

}  // namespace cradle::cgroups
