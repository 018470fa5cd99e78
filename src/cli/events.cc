#include "cli/events.h"

namespace cradle::cli {

void add_events(CLI::App& app, Action& action) {
  auto options = std::make_shared<EventsOptions>();
  CLI::App* events = app.add_subcommand("events", "Print the daemon's events as they happen");
  add_list(events, "-f,--filter", options->filters,
           "topic==/tasks/exit, topic~=/tasks/ (prefix), namespace==NS or container==ID");
  on_parsed(events, action, options, &stream_events);
}

int stream_events(const Context& ctx, const EventsOptions& options) {
  v1::SubscribeRequest request;
  for (const auto& filter : options.filters)
    request.add_filters(filter);
  auto call = ctx.daemon.context();
  auto stream = ctx.daemon.events().Subscribe(call.get(), request);
  v1::Envelope envelope;
  while (stream->Read(&envelope)) {
    ctx.out(rfc3339_nano(envelope.timestamp()) + " " + envelope.namespace_() + " " +
            envelope.topic() + " " + envelope.event_json() + "\n");
  }
  if (grpc::Status status = stream->Finish(); !status.ok()) throw RpcError(status);
  return 0;
}

}  // namespace cradle::cli
