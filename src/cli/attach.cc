#include "cli/attach.h"

#include <poll.h>
#include <sys/eventfd.h>

#include <cerrno>
#include <csignal>

#include "base/error.h"
#include "base/phase_trace.h"
#include "cli/terminal.h"

namespace cradle::cli {
namespace {

using namespace std::chrono_literals;

constexpr std::size_t kStdinChunk = 32 * 1024;
// How long a start waits for the daemon to acknowledge the Attach. A daemon that does sends it
// at once; one that does not still works, with this delay and a chance of losing early output.
constexpr auto kAcknowledgePatience = 1s;
// After the exit message and the CLI's end of input, how long the daemon gets to end the call.
constexpr auto kFinishPatience = 5s;

}  // namespace

AttachSession::AttachSession(const Context& ctx, AttachOptions options)
    : ctx_(ctx),
      options_(std::move(options)),
      call_(ctx.daemon.context()),
      stream_(ctx.daemon.tasks().Attach(call_.get())),
      stop_fd_(::eventfd(0, EFD_CLOEXEC)) {
  if (!stop_fd_) throw_errno("eventfd");
  v1::AttachInput first;
  *first.mutable_ref() = options_.ref;
  if (!send(first)) throw RpcError(stream_->Finish());
  reader_ = std::thread([this] { read_stream(); });
  signals_.emplace(ctx_.env.signals, [this](int signal) { on_signal(signal); });
}

AttachSession::~AttachSession() {
  signals_.reset();
  stop_stdin_pump();
  bool finished = false;
  {
    std::lock_guard lock(mutex_);
    finished = final_status_.has_value();
  }
  // Left early (an exception): the reader only returns once the call ends.
  if (!finished) call_->TryCancel();
  reader_.join();
}

bool AttachSession::wait_acknowledged(std::chrono::milliseconds patience) {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, patience,
                           [this] { return acknowledged_ || final_status_.has_value(); });
}

void AttachSession::read_stream() {
  stream_->WaitForInitialMetadata();
  {
    std::lock_guard lock(mutex_);
    acknowledged_ = true;
  }
  changed_.notify_all();
  v1::AttachOutput output;
  bool exited = false;
  while (stream_->Read(&output)) {
    if (exited) continue;
    if (!output.stdout().empty()) write_fully(ctx_.env.out_fd, output.stdout());
    if (!output.stderr().empty()) write_fully(ctx_.env.err_fd, output.stderr());
    if (output.has_exit()) {
      exited = true;
      std::lock_guard lock(mutex_);
      exit_status_ = output.exit().exit_status();
      changed_.notify_all();
    }
  }
  grpc::Status status = stream_->Finish();
  std::lock_guard lock(mutex_);
  final_status_ = std::move(status);
  changed_.notify_all();
}

bool AttachSession::send(const v1::AttachInput& input) {
  std::lock_guard lock(write_mutex_);
  return !writes_closed_ && stream_->Write(input);
}

void AttachSession::send_window_size() {
  auto size = window_size(ctx_.env.in_fd);
  if (!size) size = window_size(ctx_.env.out_fd);
  if (!size) return;
  v1::AttachInput resize;
  resize.set_width(size->width);
  resize.set_height(size->height);
  send(resize);
}

void AttachSession::close_writes() {
  std::lock_guard lock(write_mutex_);
  if (writes_closed_) return;
  writes_closed_ = true;
  stream_->WritesDone();
}

void AttachSession::pump_stdin() {
  pollfd fds[] = {{ctx_.env.in_fd, POLLIN, 0}, {stop_fd_.get(), POLLIN, 0}};
  char buffer[kStdinChunk];
  for (;;) {
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    if (fds[1].revents != 0) return;
    ssize_t got = ::read(ctx_.env.in_fd, buffer, sizeof buffer);
    if (got < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (got <= 0) break;
    v1::AttachInput input;
    input.set_stdin(buffer, static_cast<std::size_t>(got));
    if (!send(input)) return;
  }
  // End of input (or an input that cannot be read): the process sees end of file.
  v1::AttachInput end;
  end.set_close_stdin(true);
  send(end);
}

void AttachSession::stop_stdin_pump() {
  if (!stdin_pump_.joinable()) return;
  uint64_t one = 1;
  [[maybe_unused]] ssize_t ignored = ::write(stop_fd_.get(), &one, sizeof one);
  stdin_pump_.join();
}

void AttachSession::on_signal(int signal) {
  if (signal == SIGWINCH) {
    if (options_.tty) send_window_size();
    return;
  }
  if (options_.tty) {
    // With a terminal, signals are not forwarded (docker's rule): the CLI stops waiting, leaves
    // the process running and puts its terminal back.
    interrupted_by_ = signal;
    call_->TryCancel();
    return;
  }
  v1::KillRequest kill;
  *kill.mutable_ref() = options_.ref;
  kill.set_signal(static_cast<uint32_t>(signal));
  try {
    ctx_.daemon.call(ctx_.daemon.tasks(), &v1::Tasks::Stub::Kill, kill);
  } catch (const RpcError&) {
    // The process may have exited meanwhile; its exit message is on its way.
  }
}

AttachOutcome AttachSession::relay() {
  std::optional<RawMode> raw;
  if (options_.tty && options_.stdin && is_terminal(ctx_.env.in_fd)) raw.emplace(ctx_.env.in_fd);
  if (options_.tty) send_window_size();
  if (options_.stdin) stdin_pump_ = std::thread([this] { pump_stdin(); });
  {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [this] { return exit_status_ || final_status_; });
  }
  trace_mark("cli_exit_received");
  stop_stdin_pump();
  std::unique_lock lock(mutex_);
  if (exit_status_) {
    // The exit is the daemon's last message and the output before it has been written out:
    // nothing more will come, so the call ends here. Waiting for the daemon's own end of the
    // call instead cost 10-20 ms in about a third of the runs (gRPC delivering its trailers).
    lock.unlock();
    call_->TryCancel();
    lock.lock();
    changed_.wait(lock, [this] { return final_status_.has_value(); });
    return {true, static_cast<int>(*exit_status_)};
  }
  lock.unlock();
  // No more input: the daemon's side of the stream can end.
  close_writes();
  lock.lock();
  if (!changed_.wait_for(lock, kFinishPatience, [this] { return final_status_.has_value(); })) {
    call_->TryCancel();
    changed_.wait(lock, [this] { return final_status_.has_value(); });
  }
  if (int signal = interrupted_by_.load(); signal != 0) return {false, 128 + signal};
  if (!final_status_->ok()) throw RpcError(*final_status_);
  throw CliError("the daemon ended the attach stream before the process exited");
}

void create_task(const Context& ctx, const std::string& container_id) {
  try {
    ctx.daemon.call(ctx.daemon.tasks(), &v1::Tasks::Stub::Create, task_ref(container_id));
  } catch (const RpcError& error) {
    throw exec_failure(error);
  }
}

void start_process(const Context& ctx, const v1::TaskRef& ref) {
  try {
    ctx.daemon.call(ctx.daemon.tasks(), &v1::Tasks::Stub::Start, ref);
  } catch (const RpcError& error) {
    throw exec_failure(error);
  }
}

AttachOutcome attach_and_start(const Context& ctx, const AttachOptions& options, bool start) {
  AttachSession session(ctx, options);
  if (start) {
    session.wait_acknowledged(kAcknowledgePatience);
    start_process(ctx, options.ref);
  }
  return session.relay();
}

}  // namespace cradle::cli
