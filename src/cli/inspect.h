// `cradle inspect NAME...`: the Container messages as a JSON array (always an array, as docker
// prints it, so scripts can index it the same way for one name or several).
#pragma once

#include "cli/command.h"

namespace cradle::cli {

struct InspectOptions {
  std::vector<std::string> names;
};

void add_inspect(CLI::App& app, Action& action);
int inspect_containers(const Context& ctx, const InspectOptions& options);

}  // namespace cradle::cli
