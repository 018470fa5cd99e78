// cradle.v1 messages to core's structs and back.
#pragma once

#include <google/protobuf/timestamp.pb.h>

#include "core/container_options.h"
#include "core/metadata_store.h"
#include "core/shim_client.h"
#include "cradle/v1/containers.pb.h"
#include "cradle/v1/tasks.pb.h"

namespace cradle::api {

ContainerOptions to_options(const v1::ContainerConfig& config);
v1::ContainerConfig to_config(const ContainerOptions& options);
ResourceOptions to_resources(const v1::ResourceConfig& resources);
ProcessOptions to_process(const v1::ProcessConfig& process);
v1::TaskStatus to_status(ShimStatus status);
void set_time(google::protobuf::Timestamp* out, std::int64_t ns);

}  // namespace cradle::api
