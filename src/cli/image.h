// `cradle image import FILE|- [NAME]`, `image ls`, `image rm NAME...`.
#pragma once

#include "cli/command.h"

namespace cradle::cli {

inline constexpr std::size_t kImportChunkBytes = 1024 * 1024;

struct ImportOptions {
  std::string file;  // "-": stdin
  std::string name;  // for an image the tarball does not name
};

struct ImageListOptions {
  bool quiet = false;
};

struct ImageRemoveOptions {
  std::vector<std::string> names;
};

void add_image(CLI::App& app, Action& action);

// Images.Import: the tarball streamed in 1 MiB chunks, the name in the first.
int import_image(const Context& ctx, const ImportOptions& options);
int list_images(const Context& ctx, const ImageListOptions& options);
int remove_images(const Context& ctx, const ImageRemoveOptions& options);

}  // namespace cradle::cli
