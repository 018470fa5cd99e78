// What the gRPC services of cradled work with: the core services, the stores and the bus.
#pragma once

#include <string>

#include "core/container_service.h"
#include "core/daemon_config.h"
#include "core/event_bus.h"
#include "core/image_store.h"
#include "core/metadata_store.h"
#include "core/task_service.h"

namespace cradle::api {

struct DaemonContext {
  const DaemonConfig& config;
  MetadataStore& metadata;
  ImageStore& images;
  EventBus& events;
  ContainerService& containers;
  TaskService& tasks;
};

}  // namespace cradle::api
