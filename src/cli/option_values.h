// The values of create/run/exec options that need more than CLI11's conversions: docker's
// memory units, CPU counts, -v SRC:DST[:ro], -e and --env-file. Each throws CliError with a
// sentence naming the option and the value it could not use.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "cli/daemon_client.h"

namespace cradle::cli {

// "67108864", "64m", "1g", "1.5G", "512kb": bytes (docker's RAMInBytes, binary units).
int64_t parse_memory(std::string_view option, std::string_view value);

// "1.5": a positive number of CPUs.
double parse_cpus(std::string_view option, std::string_view value);

// "/host:/container" or "/host:/container:ro" (or ":rw"); both paths absolute.
v1::MountConfig parse_volume(std::string_view value);

// -e values: "KEY=value" is taken as is; a bare "KEY" takes the CLI's own value of KEY and is
// dropped when the CLI has none, as docker does.
std::vector<std::string> resolve_env(const std::vector<std::string>& entries);

// An --env-file: KEY=value lines; blank lines and lines starting with # are skipped; a bare KEY
// is resolved as for -e.
std::vector<std::string> read_env_file(const std::string& path);

}  // namespace cradle::cli
