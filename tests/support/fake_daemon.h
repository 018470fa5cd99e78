// A stand-in for cradled in the test process: the daemon's gRPC services on a unix socket in a
// temp dir, with state simple enough to script (containers by name, id or id prefix; processes
// that start, echo, exit or ignore signals as told) and every request recorded with the
// namespace it came with. The CLI's tests run it against this.
#pragma once

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "cli/context.h"
#include "cradle/v1/containers.pb.h"
#include "cradle/v1/images.pb.h"
#include "cradle/v1/system.pb.h"
#include "cradle/v1/tasks.pb.h"

namespace cradle::testing {

namespace v1 = ::cradle::v1;

// What every process (a task's init or an exec) does once started, as its Attach shows it.
// Every member has an initializer so that tests can name only what they need ({.x = ...}).
struct ProcessScript {
  std::string stdout_text = {};  // written as soon as it starts
  std::string stderr_text = {};
  bool exit_at_start = true;       // exits as soon as it starts (its output still comes first)
  bool echo_stdin = true;          // stdin comes back on stdout
  std::string exit_on_input = {};  // exits once its stdin contains this
  bool exit_on_close_stdin = false;
  uint32_t exit_status = 0;
  // Kill with one of these leaves it running; any other signal ends it with 128 + signal.
  std::set<uint32_t> ignored_signals = {};
  // Attach acknowledges the stream (sends its initial metadata) once it knows the process, as
  // cradled's does; false: output is the acknowledgement, as a daemon that forgets it.
  bool acknowledge_attach = true;
  // The Attach stream fails with this once the process started, as if the daemon broke down.
  std::optional<grpc::Status> attach_error = {};
  // Called with each Attach message after the first, on the daemon's thread, while the CLI is
  // in the middle of its relay (the pty test looks at the terminal's settings here).
  std::function<void(const v1::AttachInput&)> on_input = {};
};

class FakeDaemon {
 public:
  FakeDaemon();
  ~FakeDaemon();
  FakeDaemon(const FakeDaemon&) = delete;
  FakeDaemon& operator=(const FakeDaemon&) = delete;

  const std::string& socket_path() const;

  // --- scripting, before the CLI runs
  // Stores a container (an id is made up when it has none; a running or paused one gets a
  // started init) and returns it as stored.
  v1::Container add_container(v1::Container container);
  void set_script(ProcessScript script);
  // Every later call of `method` ("Containers.Create", "Tasks.Start"...) fails with `status`.
  void fail(const std::string& method, grpc::Status status);
  void set_logs(std::vector<v1::LogEntry> entries);
  // Events.Subscribe sends these, then ends the stream, or with `keep_open` waits for the
  // client to go away, as the daemon's stream does.
  void set_events(std::vector<v1::Envelope> events, bool keep_open = false);
  // One per Tasks.Stats call, in order; the last one answers every later call.
  void set_stats(std::vector<v1::StatsResponse> samples);
  void set_images(std::vector<v1::Image> images);

  // --- what the CLI did
  // The methods called, in order ("Tasks.Attach" once per stream).
  std::vector<std::string> calls() const;
  // The requests of `method`, in order: for a streaming method, every message it received.
  template <typename Message>
  std::vector<Message> requests(const std::string& method) const {
    std::vector<Message> out;
    for (const auto& message : recorded(method))
      if (auto* typed = dynamic_cast<const Message*>(message.get())) out.push_back(*typed);
    return out;
  }
  // The "cradle-namespace" metadata of every call.
  std::vector<std::string> namespaces() const;
  std::optional<v1::Container> container(const std::string& ref) const;
  // Blocks until `method` got `count` requests (false after 20 s: a broken test fails instead of
  // hanging).
  bool wait_for_requests(const std::string& method, std::size_t count = 1) const;

  class Impl;

 private:
  std::vector<std::shared_ptr<const google::protobuf::Message>> recorded(
      const std::string& method) const;

  std::unique_ptr<Impl> impl_;
};

// --- running the CLI in-process against a FakeDaemon

// 2024-05-01 12:00:00 UTC: the clock of CLI runs, so relative times in output are fixed.
cli::TimePoint test_now();

struct CliResult {
  int status = -1;
  std::string out;
  std::string err;
};

struct CliInput {
  std::string stdin_text = {};  // the CLI's stdin, when stdin_fd is -1
  int stdin_fd = -1;            // a terminal or pipe the test drives
};

// `cradle --socket <socket> args...` through cli::run_cli, with stdout and stderr captured, the
// clock at test_now() and sleeps skipped.
CliResult run_cli_at(const std::string& socket, const std::vector<std::string>& args,
                     const CliInput& input = {});
inline CliResult run_cli(const FakeDaemon& daemon, const std::vector<std::string>& args,
                         const CliInput& input = {}) {
  return run_cli_at(daemon.socket_path(), args, input);
}

}  // namespace cradle::testing
