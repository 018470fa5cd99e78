// JSON forms of the option structs of container_options.h, for the metadata store (which keeps a
// container's options as one JSON column). Keys are the field names. Reading is lenient where it
// helps upgrades: a key that is absent or null keeps the field's default, so a row written before
// a field existed still reads; a present value of the wrong type throws nlohmann's type_error.
#pragma once

#include <nlohmann/json.hpp>

#include "core/container_options.h"

namespace cradle {

void to_json(nlohmann::json& j, const MountOption& value);
void from_json(const nlohmann::json& j, MountOption& value);
void to_json(nlohmann::json& j, const ResourceOptions& value);
void from_json(const nlohmann::json& j, ResourceOptions& value);
void to_json(nlohmann::json& j, const ContainerOptions& value);
void from_json(const nlohmann::json& j, ContainerOptions& value);
void to_json(nlohmann::json& j, const ProcessOptions& value);
void from_json(const nlohmann::json& j, ProcessOptions& value);
void to_json(nlohmann::json& j, const ExitInfo& value);
void from_json(const nlohmann::json& j, ExitInfo& value);

}  // namespace cradle
