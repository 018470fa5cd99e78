// Signals as users write them to `kill -s`: "KILL", "SIGKILL", "kill", "9".
#pragma once

#include <string_view>

namespace cradle::cli {

// The signal's number; throws CliError for a name or number Linux does not have.
int parse_signal(std::string_view text);

}  // namespace cradle::cli
