// docker-archive, as docker save writes it: manifest.json lists each image's config file, its
// names (RepoTags) and its layer tars, lowest first. A layer's file name is not its digest in
// the older layout ("<v1 id>/layer.tar"), so layers are checked against the config's diff ids
// when they are unpacked.
#include "base/error.h"
#include "core/image_archive.h"
#include "core/json_field.h"

namespace cradle {

std::vector<ArchiveImage> read_docker_archive(const StagedArchive& archive) {
  const StagedArchive::File& manifest_file = archive.file("manifest.json", "manifest");
  nlohmann::json doc = parse_json_file(archive, manifest_file);
  std::vector<ArchiveImage> images;
  for (const JsonField& entry : JsonField::section(doc, "manifest.json").elements()) {
    const StagedArchive::File& config = archive.file(entry.require("Config").as_string(), "config");
    check_content_address(config, "config");
    std::vector<std::string> layer_paths = entry.require("Layers").as_string_list();
    ConfigBlob blob = read_config_blob(archive, config, layer_paths.size());
    ArchiveImage image{
        .names = {}, .digest = config.digest, .config_json = blob.json, .layers = {}};
    entry.read("RepoTags", image.names);
    for (std::size_t i = 0; i < layer_paths.size(); ++i) {
      const StagedArchive::File& layer = archive.file(layer_paths[i], "layer");
      check_content_address(layer, "layer");
      image.layers.push_back(
          {.path = layer.path, .staged = layer.staged, .diff_id = blob.diff_ids[i]});
    }
    images.push_back(std::move(image));
  }
  if (images.empty()) throw_invalid("manifest.json lists no image");
  return images;
}

}  // namespace cradle
