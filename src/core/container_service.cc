#include "core/container_service.h"


#include <filesystem>

#include "base/clock.h"
#include "base/error.h"
#include "base/random_hex.h"
#include "core/image_reference.h"
#include "core/spec_builder.h"

namespace cradle {
namespace {

// The top-most layer that has an /etc/passwd: where user names of the image are looked up.
std::string passwd_layer(const std::vector<std::string>& layers_lowest_first) {
  for (auto it = layers_lowest_first.rbegin(); it != layers_lowest_first.rend(); ++it) {
    std::error_code ec;
    if (std::filesystem::exists(*it + "/etc/passwd", ec)) return *it;
  }
  return layers_lowest_first.empty() ? std::string() : layers_lowest_first.back();
}

}  // namespace

ContainerService::ContainerService(MetadataStore& metadata, ImageStore& images, EventBus& events,
                                   ContainerPaths paths)
    : metadata_(metadata), images_(images), events_(events), paths_(std::move(paths)) {}

ContainerRecord ContainerService::create(const std::string& ns, const std::string& name,
                                         const std::string& image, const ContainerOptions& options,
                                         const std::map<std::string, std::string>& labels) {
  ContainerRecord c;
  c.ns = ns;
  c.id = random_hex(32);  // docker's 64-digit ids
  c.name = name.empty() ? c.id.substr(0, 12) : name;
  c.image = normalize_image_name(image);
  c.labels = labels;
  c.options = options;
  c.created_at_ns = realtime_ns();
  ImageRecord image_record;
  try {
    image_record = metadata_.find_image(c.image);
  } catch (const Error& e) {
    if (e.code() != ErrorCode::kNotFound) throw;
    throw Error(ErrorCode::kNotFound, "no such image: " + image);
  }
  SpecContext context{c.id, c.name, "/cradle/" + ns + "/" + c.id,
                      passwd_layer(images_.layer_dirs(image_record)), paths_.init_binary};
  c.spec_json =
      build_container_spec(parse_image_config(image_record.config_json), options, context).dump();
  images_.prepare_rootfs(c.id, image_record);
  try {
    metadata_.add_container(c);
  } catch (...) {
    images_.remove_rootfs(c.id);
    throw;
  }
  publish(ns, "/containers/create", c);
  return c;
}

ContainerRecord ContainerService::get(const std::string& ns, const std::string& name_or_id) const {
  return metadata_.find_container(ns, name_or_id);
}

std::vector<ContainerRecord> ContainerService::list(const std::string& ns) const {
  return metadata_.list_containers(ns);
}

ContainerRecord ContainerService::set_labels(const std::string& ns, const std::string& name_or_id,
                                             const std::map<std::string, std::string>& labels) {
  ContainerRecord c = metadata_.find_container(ns, name_or_id);
  c.labels = labels;
  metadata_.update_container(c);
  publish(ns, "/containers/update", c);
  return c;
}

void ContainerService::record_exit(const std::string& ns, const std::string& id,
                                   const ExitInfo& exit) {
  ContainerRecord c = metadata_.find_container(ns, id);
  c.last_exit = exit;
  metadata_.update_container(c);
}

void ContainerService::record_resources(const std::string& ns, const std::string& id,
                                        const ResourceOptions& resources) {
  ContainerRecord c = metadata_.find_container(ns, id);
  c.options.resources = resources;
  metadata_.update_container(c);
}

void ContainerService::remove(const std::string& ns, const std::string& id) {
  ContainerRecord c = metadata_.find_container(ns, id);
  images_.remove_rootfs(c.id);
  std::error_code ec;
  for (const auto& entry :
       std::filesystem::directory_iterator(paths_.state_dir + "/logs/" + ns, ec)) {
    if (entry.path().filename().string().starts_with(c.id))
      std::filesystem::remove(entry.path(), ec);
  }
  metadata_.remove_container(ns, c.id);
  publish(ns, "/containers/delete", c);
}

std::string ContainerService::log_path(const std::string& ns, const std::string& id,
                                       const std::string& exec_id) const {
  return paths_.state_dir + "/logs/" + ns + "/" + id + (exec_id.empty() ? "" : "-" + exec_id) +
         ".log";
}

std::vector<ns::HostMount> ContainerService::rootfs_mounts(const ContainerRecord& container) {
  return images_.prepare_rootfs(container.id, metadata_.find_image(container.image));
}

void ContainerService::publish(const std::string& ns, const std::string& topic,
                               const ContainerRecord& c) {
  nlohmann::json event = {{"id", c.id}, {"name", c.name}, {"image", c.image}};
  events_.publish(Event{realtime_ns(), ns, topic, event.dump(), c.id});
}

}  // namespace cradle
