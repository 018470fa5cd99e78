// The mounts of a container: docker's defaults, then (with the host's network) the host's
// resolver files as ctr --net-host binds them, the user's --volume binds, and the --init binary.
#pragma once

#include <nlohmann/json.hpp>

#include "core/container_options.h"
#include "core/spec_builder.h"

namespace cradle {

// Bind sources must be absolute paths that exist on the host and destinations absolute, not "/"
// and not given twice (kInvalidArgument naming the --volume); a user's mount replaces a default
// one at the same destination, as in docker. A missing init binary is kFailedPrecondition.
nlohmann::json container_mounts(const ContainerOptions& options, const SpecContext& context,
                                bool host_network);

}  // namespace cradle
