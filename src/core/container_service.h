// Containers as records: made from an image and a user's options (the OCI spec built once, at
// create, with the container's rootfs snapshot prepared as docker does), listed, looked up by
// name or id prefix, and removed with their snapshot and log.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/container_options.h"
#include "core/event_bus.h"
#include "core/image_store.h"
#include "core/metadata_store.h"

namespace cradle {

struct ContainerPaths {
  std::string state_dir;    // logs live in <state>/logs/<ns>/<id>.log
  std::string init_binary;  // cradle-init, bound into containers started with --init
};

class ContainerService {
 public:
  ContainerService(MetadataStore& metadata, ImageStore& images, EventBus& events,
                   ContainerPaths paths);

  ContainerRecord create(const std::string& ns, const std::string& name, const std::string& image,
                         const ContainerOptions& options,
                         const std::map<std::string, std::string>& labels);
  ContainerRecord get(const std::string& ns, const std::string& name_or_id) const;
  std::vector<ContainerRecord> list(const std::string& ns) const;
  ContainerRecord set_labels(const std::string& ns, const std::string& name_or_id,
                             const std::map<std::string, std::string>& labels);
  void record_exit(const std::string& ns, const std::string& id, const ExitInfo& exit);
  void record_resources(const std::string& ns, const std::string& id,
                        const ResourceOptions& resources);
  // Removes the record, the rootfs snapshot and the logs. The caller made sure no task runs.
  void remove(const std::string& ns, const std::string& id);

  std::string log_path(const std::string& ns, const std::string& id,
                       const std::string& exec_id = "") const;
  // The container's rootfs mounts, for the shim's Create.
  std::vector<ns::HostMount> rootfs_mounts(const ContainerRecord& container);

 private:
  void publish(const std::string& ns, const std::string& topic, const ContainerRecord& c);

  MetadataStore& metadata_;
  ImageStore& images_;
  EventBus& events_;
  ContainerPaths paths_;
};

// Nanoseconds since the epoch, now.

}  // namespace cradle
