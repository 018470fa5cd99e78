// The Attach stream of one process: the CLI's stdin in (with window sizes and the end of
// input), its stdout/stderr out to the CLI's, until the message that carries its exit status.
// One thread reads the stream (every read-side call of a gRPC stream must come from one thread
// at a time, and the first of them waits for the daemon's acknowledgement), one pumps stdin,
// a signal handler forwards signals (or, with a terminal, resizes it); the caller waits.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "base/unique_fd.h"
#include "cli/context.h"
#include "cli/signals.h"

namespace cradle::cli {

struct AttachOptions {
  v1::TaskRef ref;
  bool stdin = false;  // relay the CLI's stdin (-i)
  bool tty = false;    // the process has a terminal (-t)
};

struct AttachOutcome {
  // False when a signal made the CLI leave a process with a terminal running (as docker's CLI
  // does with -t, where signals are not forwarded).
  bool exited = false;
  int status = 0;  // the process's exit status, or 128 + the signal that ended the CLI's wait
};

class AttachSession {
 public:
  // Opens the stream, names the process in its first message and starts reading. Signals are
  // handled from here on, so one that arrives while the process is being started is not lost.
  AttachSession(const Context& ctx, AttachOptions options);
  ~AttachSession();
  AttachSession(const AttachSession&) = delete;
  AttachSession& operator=(const AttachSession&) = delete;

  // True once the daemon acknowledged the stream (its initial metadata): from then on the
  // process's output is the stream's, so the process may start. gRPC does not order separate
  // calls, so without this wait the daemon could see Start before Attach. False if the
  // acknowledgement did not come within `patience` (a daemon that sends none).
  bool wait_acknowledged(std::chrono::milliseconds patience);

  // Relays until the process exits. With a terminal and -i, the CLI's terminal is in raw mode
  // meanwhile, and back as it was when this returns or throws.
  AttachOutcome relay();

 private:
  bool send(const v1::AttachInput& input);
  void send_window_size();
  void close_writes();
  void read_stream();
  void pump_stdin();
  void stop_stdin_pump();
  void on_signal(int signal);

  const Context& ctx_;
  AttachOptions options_;
  std::unique_ptr<grpc::ClientContext> call_;
  std::unique_ptr<grpc::ClientReaderWriter<v1::AttachInput, v1::AttachOutput>> stream_;
  std::mutex write_mutex_;  // gRPC allows one writer at a time: stdin, resizes, WritesDone
  bool writes_closed_ = false;
  std::mutex mutex_;  // what the reader learnt, below
  std::condition_variable changed_;
  bool acknowledged_ = false;
  std::optional<uint32_t> exit_status_;
  std::optional<grpc::Status> final_status_;
  std::thread reader_;
  UniqueFd stop_fd_;  // an eventfd that tells the stdin pump to return
  std::thread stdin_pump_;
  std::atomic<int> interrupted_by_{0};
  // Last: destroyed first, so the handler never sees a half-destroyed session.
  std::optional<SignalWatcher::Scope> signals_;
};

// Attaches to a created process, starts it (unless `start` is false: it already runs) and
// relays its stdio until it exits. A start failure carries docker's 126/127 exit codes.
AttachOutcome attach_and_start(const Context& ctx, const AttachOptions& options, bool start = true);

// Tasks.Create and Tasks.Start, with the 126/127 exit codes of a command that could not be run.
void create_task(const Context& ctx, const std::string& container_id);
void start_process(const Context& ctx, const v1::TaskRef& ref);

}  // namespace cradle::cli
