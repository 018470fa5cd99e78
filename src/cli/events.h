// `cradle events [--filter F]...`: Events.Subscribe, one line per event until interrupted:
// "TIME NAMESPACE TOPIC EVENT_JSON".
#pragma once

#include "cli/command.h"

namespace cradle::cli {

struct EventsOptions {
  std::vector<std::string> filters;  // "topic==/tasks/exit", "container==ID"...
};

void add_events(CLI::App& app, Action& action);
int stream_events(const Context& ctx, const EventsOptions& options);

}  // namespace cradle::cli
