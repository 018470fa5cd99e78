// Tasks.Attach and Tasks.Logs: a process's output comes from its CRI log (written by its shim,
// so nothing is lost while no client is attached), its input goes to its stdin FIFO.
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "api/daemon/convert.h"
#include "api/daemon/daemon_services.h"
#include "api/daemon/grpc_util.h"
#include "base/file_io.h"
#include "core/cri_log_reader.h"

namespace cradle::api {
namespace {

// How long a wait for output or the exit lasts before the loop checks whether the client left.
constexpr int kLogPollMs = 200;

// How long a client that has its exit may take to end its input before it is cut off.
constexpr auto kInputGrace = std::chrono::seconds(2);

// The exit of a process that had already ended when the attach began: the shim answers Wait at
// once then. nullopt while it has not ended; kNotFound when there is no such process.
std::optional<ExitInfo> exit_if_ended(TaskService& tasks, const std::string& ns,
                                      const std::string& id, const std::string& exec_id) {
  if (tasks.get(ns, id, exec_id).status != ShimStatus::kStopped) return std::nullopt;
  return tasks.wait(ns, id, exec_id);
}

// Set by the input thread when the client ended its input.
struct InputDone {
  std::mutex mutex;
  std::condition_variable changed;
  bool done = false;
};

template <typename Message>
void fill(const LogEntry& entry, Message& out) {
  if (entry.stream == "stderr") {
    out.set_stderr(entry.data);
  } else {
    out.set_stdout(entry.data);
  }
}

}  // namespace

grpc::Status TasksService::Attach(
    grpc::ServerContext* ctx, grpc::ServerReaderWriter<v1::AttachOutput, v1::AttachInput>* stream) {
  return serve([&] {
    std::string ns = namespace_of(*ctx, d_.config.default_namespace);
    v1::AttachInput first;
    if (!stream->Read(&first)) throw_invalid("attach: the first message must name the process");
    std::string exec_id = first.ref().exec_id();
    std::string id = d_.containers.get(ns, first.ref().container_id()).id;
    CriLogReader log(d_.tasks.log_path(ns, id, exec_id));
    log.skip_to_end();
    // The watch first: an exit between the two is then seen by one or the other.
    std::unique_ptr<ExitWatchers::Watch> watch = d_.tasks.watch_exit(ns, id, exec_id);
    std::optional<ExitInfo> ended = exit_if_ended(d_.tasks, ns, id, exec_id);

    // Input on a thread of its own: stream->Read blocks.
    std::shared_ptr<UniqueFd> stdin_fd =
        std::make_shared<UniqueFd>(d_.tasks.open_stdin(ns, id, exec_id));
    // The client starts the process only after this: output from then on is in the log past
    // the point the reader starts at, so none is lost to the race between Attach and Start.
    stream->SendInitialMetadata();
    InputDone input_done;
    std::thread input([&, stdin_fd] {
      v1::AttachInput in = first;
      do {
        try {
          if (!in.stdin().empty() && *stdin_fd)
            write_fully(stdin_fd->get(), in.stdin());  // the process may have closed its stdin
          if (in.width() != 0 && in.height() != 0) {
            d_.tasks.resize(ns, id, exec_id, in.width(), in.height());
          }
          if (in.close_stdin()) {
            stdin_fd->reset();
            d_.tasks.close_stdin(ns, id, exec_id);
          }
        } catch (const Error&) {
          // The process is gone: its output and exit still reach the client below.
        }
      } while (stream->Read(&in));
      {
        std::lock_guard lock(input_done.mutex);
        input_done.done = true;
      }
      input_done.changed.notify_all();
    });

    std::optional<ExitInfo> exit;
    while (!ctx->IsCancelled()) {
      for (const LogEntry& entry : log.read_available()) {
        v1::AttachOutput out;
        fill(entry, out);
        stream->Write(out);
      }
      if (exit) break;  // its last output went out above
      // The shim publishes an exit only once the output before it is in the log.
      exit = ended ? ended : watch->exit();
      if (!exit) log.wait_for_more(kLogPollMs, watch->fd());
    }
    if (exit) {
      v1::AttachOutput last;
      last.mutable_exit()->set_exit_status(exit->status);
      set_time(last.mutable_exit()->mutable_exited_at(), exit->exited_at_ns);
      stream->Write(last);
    }
    // The client ends its input when it has the exit; one that does not is cut off.
    {
      std::unique_lock lock(input_done.mutex);
      if (!input_done.changed.wait_for(lock, kInputGrace, [&] { return input_done.done; }))
        ctx->TryCancel();
    }
    input.join();
    if (exit && !exec_id.empty()) {
      try {
        d_.tasks.remove(ns, id, exec_id);  // an exec is done once its client has its exit
      } catch (const Error&) {
      }
    }
  });
}

grpc::Status TasksService::Logs(grpc::ServerContext* ctx, const v1::LogsRequest* req,
                                grpc::ServerWriter<v1::LogEntry>* writer) {
  return serve([&] {
    std::string ns = namespace_of(*ctx, d_.config.default_namespace);
    std::string id = d_.containers.get(ns, req->container_id()).id;
    CriLogReader log(d_.tasks.log_path(ns, id, ""));
    log.start_at_tail(req->tail());
    // Following ends at the exit: the watch wakes the wait below for it.
    std::unique_ptr<ExitWatchers::Watch> watch;
    if (req->follow()) watch = d_.tasks.watch_exit(ns, id, "");
    auto running = [&] {
      try {
        ShimStatus s = d_.tasks.get(ns, id, "").status;
        return s == ShimStatus::kRunning || s == ShimStatus::kPaused || s == ShimStatus::kCreated;
      } catch (const Error&) {
        return false;
      }
    };
    for (;;) {
      bool was_running = req->follow() && running();
      for (const LogEntry& entry : log.read_available()) {
        v1::LogEntry out;
        set_time(out.mutable_time(), entry.time_ns);
        out.set_stream(entry.stream);
        out.set_data(entry.data);
        if (!writer->Write(out)) return;
      }
      if (!was_running || ctx->IsCancelled()) return;
      log.wait_for_more(kLogPollMs, watch->fd());
    }
  });
}

}  // namespace cradle::api
