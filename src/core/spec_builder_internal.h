// What build_container_spec and build_exec_process share: the process fields both resolve from a
// user's options the same way.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <vector>

#include "core/user_lookup.h"

namespace cradle::spec_builder {

// Where --init's binary is bound in the container, and what runs the command.
inline constexpr const char* kInitInContainer = "/sbin/cradle-init";

// process.user of a resolved user.
nlohmann::json user_json(const ResolvedUser& user);

// A --workdir: absolute (kInvalidArgument "--workdir app: must be an absolute path"), cleaned.
std::string working_dir_option(const std::string& dir);

// The environment of a process that does not set HOME: the user's home, as runc sets it at exec.
void add_home(std::vector<std::string>& env, const ResolvedUser& user);

}  // namespace cradle::spec_builder
