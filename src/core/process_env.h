// Environment lists ("KEY=value") merged as docker merges them (moby's
// ReplaceOrAppendEnvValues): a later KEY replaces an earlier one in place, a new one is appended,
// and a bare KEY (no "=") unsets it.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cradle {

// Applies overrides to env. option names the source in errors ("--env"): an entry with an empty
// name ("=x") throws kInvalidArgument "--env =x: the variable name is empty".
void merge_env(std::vector<std::string>& env, const std::vector<std::string>& overrides,
               std::string_view option);

// The value of key in env, if set.
std::optional<std::string> env_value(const std::vector<std::string>& env, std::string_view key);

}  // namespace cradle
