// `cradle version` and `cradle info`: System.Version and System.Info.
#pragma once

#include "cli/command.h"

namespace cradle::cli {

struct NoOptions {};

void add_system(CLI::App& app, Action& action);
int show_version(const Context& ctx, const NoOptions& options);
int show_info(const Context& ctx, const NoOptions& options);

}  // namespace cradle::cli
