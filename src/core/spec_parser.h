// Reads an OCI runtime-spec config.json (1.0 to 1.2) into a validated Spec. Every error is an
// Error(kInvalidArgument, "<json path>: <reason>"), e.g. `process.args: must not be empty`.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <string>
#include <string_view>

#include "core/spec.h"

namespace cradle {

// Validates every field cradle knows and the rules that tie fields together (a hostname needs a
// new uts namespace, ...). Unknown keys are ignored, as the OCI spec asks of runtimes.
Spec parse_spec(const nlohmann::json& config);
Spec parse_spec_text(std::string_view config_json);

// An OCI `process` object alone, as containerd sends an exec's spec; errors name
// "process.<field>".
Process parse_process_text(std::string_view process_json);
// An OCI `linux.resources` object alone, as containerd sends an update.
cgroups::Resources parse_resources_text(std::string_view resources_json);

// Reads bundle_dir/config.json; root.path comes back absolute (relative ones are resolved against
// the bundle directory, itself made absolute against the current directory).
Spec load_spec(const std::string& bundle_dir);

}  // namespace cradle
