#include "shim/spec_command.h"

#include <unistd.h>

#include "base/error.h"
#include "base/file_io.h"

namespace cradle::shim {

void write_default_spec(const SpecOptions& options) {
  std::string path = options.bundle_dir + "/config.json";
  if (!options.force && ::access(path.c_str(), F_OK) == 0) {
    throw Error(ErrorCode::kAlreadyExists, path + " exists (use --force to replace it)");
  }
  write_file_atomic(path, default_spec(options.spec).dump(2) + "\n");
}

}  // namespace cradle::shim
