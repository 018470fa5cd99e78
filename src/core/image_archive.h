// The images an image tarball holds, read from its manifests with every blob checked that can be
// before anything is unpacked. Two formats: docker-archive (docker save: manifest.json, a config
// per image, layer tars) and OCI image layout (oci-layout, index.json, blobs/sha256/...). Errors
// are kInvalidArgument without the "image tarball: " prefix, which ImageStore::import_tar adds.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "core/staged_archive.h"

namespace cradle {

struct ArchiveLayer {
  std::string path;     // its blob in the tarball, for messages
  std::string staged;   // the blob on disk, compressed or not
  std::string diff_id;  // what the uncompressed tar must hash to, from the config
};

struct ArchiveImage {
  std::vector<std::string> names;  // references the tarball gives it, as written there
  std::string digest;              // of its manifest (OCI) or its config (docker-archive)
  std::string config_json;
  std::vector<ArchiveLayer> layers;  // lowest first
};

// A docker-archive when manifest.json is present (docker save has written one beside its OCI
// layout since Docker 25, with the names in it), else an OCI image layout.
std::vector<ArchiveImage> read_image_archive(const StagedArchive& archive);
std::vector<ArchiveImage> read_docker_archive(const StagedArchive& archive);
std::vector<ArchiveImage> read_oci_layout(const StagedArchive& archive);

// Helpers of both readers.

// A small staged file parsed as JSON; "<path>: not valid JSON (...)" otherwise.
nlohmann::json parse_json_file(const StagedArchive& archive, const StagedArchive::File& file);

// A blob named by its digest ("blobs/sha256/<hex>", or docker's "<hex>.json" config) must hash
// to that name; a file named otherwise cannot be checked this way.
void check_content_address(const StagedArchive::File& file, std::string_view role);

struct ConfigBlob {
  std::string json;
  std::vector<std::string> diff_ids;  // rootfs.diff_ids, lowest first
};
// The image config in file, checked to be one (parse_image_config) and to list layer_count diff
// ids.
ConfigBlob read_config_blob(const StagedArchive& archive, const StagedArchive::File& file,
                            std::size_t layer_count);

}  // namespace cradle
