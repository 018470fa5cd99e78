// `cradle-shim spec`: writes a default config.json into a bundle, like `runc spec`.
#pragma once

#include <string>

#include "core/default_spec.h"

namespace cradle::shim {

struct SpecOptions {
  std::string bundle_dir = ".";
  bool force = false;  // overwrite an existing config.json
  DefaultSpecOptions spec;
};

void write_default_spec(const SpecOptions& options);

}  // namespace cradle::shim
