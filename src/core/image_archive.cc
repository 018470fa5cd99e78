#include "core/image_archive.h"

#include "base/error.h"
#include "core/digest.h"
#include "core/image_store.h"
#include "core/json_field.h"

namespace cradle {

std::vector<ArchiveImage> read_image_archive(const StagedArchive& archive) {
  if (archive.contains("manifest.json")) return read_docker_archive(archive);
  if (archive.contains("index.json")) return read_oci_layout(archive);
  throw_invalid("no manifest.json (docker-archive) or index.json (OCI image layout) in it");
}

nlohmann::json parse_json_file(const StagedArchive& archive, const StagedArchive::File& file) {
  try {
    return nlohmann::json::parse(archive.read_text(file));
  } catch (const nlohmann::json::parse_error& e) {
    throw_invalid(file.path + ": not valid JSON (" + e.what() + ")");
  }
}

void check_content_address(const StagedArchive::File& file, std::string_view role) {
  std::string_view name = file.path;
  name = name.substr(name.rfind('/') + 1);  // npos + 1 == 0: the whole path
  if (name.ends_with(".json")) name.remove_suffix(5);
  std::string named = "sha256:" + std::string(name);
  if (!is_sha256_digest(named) || named == file.digest) return;
  throw_invalid(std::string(role) + " " + file.path +
                " does not match its digest (its content is " + file.digest + ")");
}

ConfigBlob read_config_blob(const StagedArchive& archive, const StagedArchive::File& file,
                            std::size_t layer_count) {
  ConfigBlob out;
  out.json = archive.read_text(file);
  try {
    parse_image_config(out.json);
  } catch (const Error& e) {
    throw_invalid("config " + file.path + ": " + e.what());
  }
  nlohmann::json doc = parse_json_file(archive, file);
  JsonField config = JsonField::section(doc, file.path);
  for (const JsonField& diff_id : config.require("rootfs").require("diff_ids").elements()) {
    std::string digest = diff_id.as_string();
    if (!is_sha256_digest(digest)) diff_id.fail("unsupported digest " + quote(digest));
    out.diff_ids.push_back(std::move(digest));
  }
  if (out.diff_ids.size() != layer_count) {
    throw_invalid("config " + file.path + " lists " + std::to_string(out.diff_ids.size()) +
                  " diff ids for " + std::to_string(layer_count) + " layers");
  }
  return out;
}

}  // namespace cradle
