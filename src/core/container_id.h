#pragma once

#include <string>

namespace cradle {

// Container ids become directory names, cgroup names and socket names: letters, digits and
// "_.-", starting with a letter or digit, at most 76 characters (containerd's identifier rule).
// Throws kInvalidArgument naming what is wrong.
void validate_container_id(const std::string& id);

}  // namespace cradle
