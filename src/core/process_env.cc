#include "core/process_env.h"

#include <algorithm>

#include "base/error.h"

namespace cradle {

namespace {

std::string_view env_key(std::string_view entry) {
  return entry.substr(0, entry.find('='));
}

}  // namespace

void merge_env(std::vector<std::string>& env, const std::vector<std::string>& overrides,
               std::string_view option) {
  for (const auto& entry : overrides) {
    std::string_view key = env_key(entry);
    if (key.empty())
      throw_invalid(std::string(option) + " " + entry + ": the variable name is empty");
    auto same_key = [&](const std::string& e) { return env_key(e) == key; };
    if (key.size() == entry.size()) {  // no "=": docker's way of unsetting a variable
      std::erase_if(env, same_key);
      continue;
    }
    auto existing = std::ranges::find_if(env, same_key);
    if (existing != env.end()) {
      *existing = entry;
    } else {
      env.push_back(entry);
    }
  }
}

std::optional<std::string> env_value(const std::vector<std::string>& env, std::string_view key) {
  for (const auto& e : env)
    if (env_key(e) == key && e.size() > key.size()) return e.substr(key.size() + 1);
  return std::nullopt;
}

}  // namespace cradle
