#include "cli/logs.h"

#include <charconv>

namespace cradle::cli {
namespace {

int64_t parse_tail(const std::string& tail) {
  if (tail == "all") return -1;
  int64_t lines = 0;
  auto [end, error] = std::from_chars(tail.data(), tail.data() + tail.size(), lines);
  if (tail.empty() || error != std::errc() || end != tail.data() + tail.size() || lines < 0)
    throw CliError("invalid value \"" + tail + "\" for --tail: expected a number of lines or all");
  return lines;
}

}  // namespace

void add_logs(CLI::App& app, Action& action) {
  auto options = std::make_shared<LogsOptions>();
  CLI::App* logs = app.add_subcommand("logs", "Print a container's output");
  logs->add_flag("-f,--follow", options->follow, "Keep printing new output");
  logs->add_flag("-t,--timestamps", options->timestamps, "Prefix each entry with its time");
  logs->add_option("-n,--tail", options->tail, "Only the last N lines (or all)")
      ->capture_default_str();
  logs->add_option("CONTAINER", options->container)->required();
  on_parsed(logs, action, options, &show_logs);
}

int show_logs(const Context& ctx, const LogsOptions& options) {
  v1::LogsRequest request;
  request.set_tail(parse_tail(options.tail));
  request.set_follow(options.follow);
  request.set_container_id(ctx.daemon.get_container(options.container).id());

  auto call = ctx.daemon.context();
  auto stream = ctx.daemon.tasks().Logs(call.get(), request);
  v1::LogEntry entry;
  while (stream->Read(&entry)) {
    int fd = entry.stream() == "stderr" ? ctx.env.err_fd : ctx.env.out_fd;
    if (options.timestamps) write_fully(fd, rfc3339_nano(entry.time()) + " ");
    write_fully(fd, entry.data());
  }
  if (grpc::Status status = stream->Finish(); !status.ok()) throw RpcError(status);
  return 0;
}

}  // namespace cradle::cli
