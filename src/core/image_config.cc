// parse_image_config (image_store.h): the "config" object of an OCI image config. Go's
// encoding/json writes an unset slice or map as null, so null and missing both mean empty.
#include <nlohmann/json.hpp>

#include "base/error.h"
#include "core/image_store.h"
#include "core/json_field.h"

namespace cradle {

ImageConfig parse_image_config(const std::string& config_json) {
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(config_json);
  } catch (const nlohmann::json::parse_error& e) {
    throw_invalid("image config: not valid JSON (" + std::string(e.what()) + ")");
  }
  if (!doc.is_object()) throw_invalid("image config: must be an object");
  ImageConfig out;
  auto it = doc.find("config");
  if (it == doc.end() || it->is_null()) return out;
  JsonField config = JsonField::section(*it, "config");
  config.read("Entrypoint", out.entrypoint);
  config.read("Cmd", out.cmd);
  config.read("Env", out.env);
  config.read("WorkingDir", out.working_dir);
  config.read("User", out.user);
  config.read("StopSignal", out.stop_signal);
  config.read("Labels", out.labels);
  return out;
}

}  // namespace cradle
