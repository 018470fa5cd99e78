#include "shim/stdio_relay.h"

#include <fcntl.h>
#include <sys/ioctl.h>
#include <termios.h>

#include "base/error.h"
#include "base/file_io.h"
#include "shim/byte_pump.h"
#include "shim/cri_log.h"
#include "shim/logger_process.h"
#include "shim/stdio_open.h"

namespace cradle::shim {
namespace {

constexpr const char* kStreamNames[3] = {"stdin", "stdout", "stderr"};

bool same_logger(const StdioTarget& a, const StdioTarget& b) {
  return a.path == b.path && a.args == b.args;
}

}  // namespace

std::unique_ptr<StdioRelay> StdioRelay::create(EventLoop& loop, const StdioConfig& config) {
  StdioTarget in = parse_stdio_target(config.stdin_path, "stdin");
  StdioTarget out = parse_stdio_target(config.stdout_path, "stdout");
  StdioTarget err =
      config.terminal ? StdioTarget{} : parse_stdio_target(config.stderr_path, "stderr");

  std::unique_ptr<StdioRelay> relay(new StdioRelay(loop, config.terminal));
  relay->set_up_stdin(in);
  relay->start_logger(config, out, err);
  if (config.terminal) {
    // Copying starts with attach_pty; until then the pty's output counts as still running.
    relay->pending_terminal_sink_ = relay->open_output_sink(1, out);
    relay->outputs_running_ = 1;
  } else {
    relay->set_up_output(1, out);
    relay->set_up_output(2, err);
  }
  if (relay->logger_) relay->logger_->close_untaken_writers();
  return relay;
}

StdioRelay::StdioRelay(EventLoop& loop, bool terminal) : loop_(loop), terminal_(terminal) {}

StdioRelay::~StdioRelay() {
  if (output_done_timer_) loop_.cancel_timer(*output_done_timer_);
}

void StdioRelay::set_up_stdin(const StdioTarget& target) {
  switch (target.kind) {
    case StdioTarget::Kind::kNull:
      if (!terminal_) process_ends_[0] = open_dev_null(O_RDONLY);
      return;
    case StdioTarget::Kind::kFifo: break;
    case StdioTarget::Kind::kFile:
    case StdioTarget::Kind::kBinary:
    case StdioTarget::Kind::kCriLog:
      throw_invalid("stdin: " + target.path + " must be given as a FIFO path or \"\"");
  }
  FifoEnds fifo = open_input_fifo(target.path);
  keep_alive_[0] = std::move(fifo.keep_alive);
  if (terminal_) {
    pending_stdin_ = std::move(fifo.fd);
    return;
  }
  Pipe pipe = make_pipe();
  set_nonblocking(pipe.write.get());
  process_ends_[0] = std::move(pipe.read);
  start_stdin_pump(std::move(fifo.fd), std::move(pipe.write));
}

void StdioRelay::start_logger(const StdioConfig& config, const StdioTarget& out,
                              const StdioTarget& err) {
  using Kind = StdioTarget::Kind;
  const StdioTarget* logger = out.kind == Kind::kBinary   ? &out
                              : err.kind == Kind::kBinary ? &err
                                                          : nullptr;
  if (logger == nullptr) return;
  if (out.kind == Kind::kBinary && err.kind == Kind::kBinary && !same_logger(out, err)) {
    throw_invalid("stdout and stderr name different binary:// loggers; one process has one");
  }
  logger_ = std::make_unique<LoggerProcess>(
      loop_, LoggerCommand{logger->path, logger->args, config.container_id, config.ns});
}

void StdioRelay::set_up_output(int n, const StdioTarget& target) {
  switch (target.kind) {
    case StdioTarget::Kind::kNull: process_ends_[n] = open_dev_null(O_WRONLY); return;
    // The process writes into the logger's pipe itself: nothing to copy.
    case StdioTarget::Kind::kBinary: process_ends_[n] = logger_->take_writer(n); return;
    case StdioTarget::Kind::kCriLog: {
      Pipe pipe = make_pipe();
      set_nonblocking(pipe.read.get());
      process_ends_[n] = std::move(pipe.write);
      ++outputs_running_;
      open_cri_log(target.path);
      start_cri_log_pump(n, std::move(pipe.read));
      return;
    }
    case StdioTarget::Kind::kFifo:
    case StdioTarget::Kind::kFile: break;
  }
  UniqueFd sink = open_output_sink(n, target);
  Pipe pipe = make_pipe();
  set_nonblocking(pipe.read.get());
  process_ends_[n] = std::move(pipe.write);
  ++outputs_running_;
  start_output_pump(n, std::move(pipe.read), std::move(sink));
}

void StdioRelay::open_cri_log(const std::string& path) {
  if (!cri_log_) cri_log_ = std::make_shared<CriLogWriter>(open_log_file(path, "crilog"));
}

void StdioRelay::start_cri_log_pump(int n, UniqueFd source) {
  pumps_[n] = std::make_unique<CriLogPump>(loop_, std::move(source), cri_log_, kStreamNames[n],
                                           [this, n] { output_finished(n); });
}

UniqueFd StdioRelay::open_output_sink(int n, const StdioTarget& target) {
  switch (target.kind) {
    case StdioTarget::Kind::kCriLog:
      open_cri_log(target.path);
      return UniqueFd();  // the pty's output goes to the log through a CriLogPump
    case StdioTarget::Kind::kNull: return open_dev_null(O_WRONLY);
    case StdioTarget::Kind::kFile: return open_log_file(target.path, kStreamNames[n]);
    case StdioTarget::Kind::kFifo: {
      FifoEnds fifo = open_output_fifo(target.path, kStreamNames[n]);
      keep_alive_[n] = std::move(fifo.keep_alive);
      return std::move(fifo.fd);
    }
    case StdioTarget::Kind::kBinary: {
      UniqueFd writer = logger_->take_writer(n);
      set_nonblocking(writer.get());
      return writer;
    }
  }
  throw Error(ErrorCode::kInternal, "unknown stdio target kind");
}

void StdioRelay::start_output_pump(int n, UniqueFd source, UniqueFd sink) {
  pumps_[n] = std::make_unique<BytePump>(loop_, std::move(source), std::move(sink),
                                         BytePump::WhenFull::kDropOldest, kOutputBufferBytes,
                                         [this, n] { output_finished(n); });
}

void StdioRelay::start_stdin_pump(UniqueFd source, UniqueFd sink) {
  pumps_[0] = std::make_unique<BytePump>(loop_, std::move(source), std::move(sink),
                                         BytePump::WhenFull::kStopReading, kStdinBufferBytes,
                                         [this] { stdin_finished(); });
}

int StdioRelay::process_fd(int n) const {
  return n >= 0 && n < 3 ? process_ends_[n].get() : -1;
}

void StdioRelay::close_process_ends() {
  for (auto& end : process_ends_)
    end.reset();
}

void StdioRelay::attach_pty(UniqueFd master) {
  if (!terminal_) {
    throw Error(ErrorCode::kFailedPrecondition, "attach a pty to stdio set up without a terminal");
  }
  if (pumps_[1]) {
    throw Error(ErrorCode::kFailedPrecondition, "a pty is attached to this stdio already");
  }
  set_nonblocking(master.get());
  // Each pump watches its own copy: the loop keeps one callback per fd, and the two pumps want
  // the master readable and writable respectively.
  UniqueFd output_copy = duplicate_fd(master.get());
  UniqueFd input_copy = pending_stdin_ ? duplicate_fd(master.get()) : UniqueFd();
  pty_master_ = std::move(master);
  if (pending_terminal_sink_) {
    start_output_pump(1, std::move(output_copy), std::move(pending_terminal_sink_));
  } else {
    start_cri_log_pump(1, std::move(output_copy));
  }
  if (pending_stdin_) start_stdin_pump(std::move(pending_stdin_), std::move(input_copy));
}

bool StdioRelay::resize(unsigned width, unsigned height) {
  if (!pty_master_) return false;
  winsize size{};
  size.ws_col = static_cast<unsigned short>(width);
  size.ws_row = static_cast<unsigned short>(height);
  if (::ioctl(pty_master_.get(), TIOCSWINSZ, &size) != 0) throw_errno("resize the terminal");
  return true;
}

void StdioRelay::close_stdin() {
  keep_alive_[0].reset();
}

void StdioRelay::on_ready(std::function<void()> ready) {
  if (!logger_) return ready();
  logger_->on_ready(std::move(ready));
}

void StdioRelay::on_output_done(std::function<void()> done, std::chrono::milliseconds limit) {
  if (output_done_timer_) loop_.cancel_timer(*output_done_timer_);
  output_done_timer_.reset();
  if (outputs_running_ == 0) return done();
  output_done_ = std::move(done);
  output_done_timer_ = loop_.add_timer(limit, [this] {
    output_done_timer_.reset();
    fire_output_done();
  });
}

std::uint64_t StdioRelay::dropped_bytes(int n) const {
  return n >= 0 && n < 3 && pumps_[n] ? pumps_[n]->dropped() : 0;
}

void StdioRelay::output_finished(int n) {
  wait_for_fifo_reader(n, -1, std::chrono::milliseconds(0));
}

// Everything is in the FIFO; whether the client has it yet is another matter. ctr answers a
// finished Wait by closing its FIFO readers before its copier drained them (reference §5.2), and
// a fast shim would lose the tail of the output to that. So, while a reader is taking bytes out
// (the level FIONREAD reports keeps falling), wait for the FIFO to empty; a FIFO nobody drains
// (a detached `ctr run -d`) costs at most kReaderStallLimit.
void StdioRelay::wait_for_fifo_reader(int n, int last_level, std::chrono::milliseconds stalled) {
  int level = 0;
  if (keep_alive_[n] && ::ioctl(keep_alive_[n].get(), FIONREAD, &level) != 0) level = 0;
  if (level > 0 && stalled < kReaderStallLimit) {
    stalled = level == last_level ? stalled + kReaderPoll : std::chrono::milliseconds(0);
    loop_.add_timer(kReaderPoll, [this, n, level, stalled, alive = std::weak_ptr<int>(alive_)] {
      if (!alive.expired()) wait_for_fifo_reader(n, level, stalled);
    });
    return;
  }
  // The pump closed its writer, so a client reading the FIFO sees EOF; the relay's own reader
  // has no more use (the runc shim closes both as well).
  keep_alive_[n].reset();
  if (--outputs_running_ == 0) fire_output_done();
}

void StdioRelay::stdin_finished() {
  if (!terminal_) return;  // the pump closed the process's stdin pipe: that is its EOF
  // A pty has no EOF to pass on: hang it up, as the runc shim does, once no copy of the master
  // is left. The output pump takes what the master still holds, then closes its copy.
  pty_master_.reset();
  if (pumps_[1]) pumps_[1]->end_source();
}

void StdioRelay::fire_output_done() {
  if (output_done_timer_) loop_.cancel_timer(*output_done_timer_);
  output_done_timer_.reset();
  auto done = std::move(output_done_);
  output_done_ = nullptr;
  if (done) done();
}

}  // namespace cradle::shim
