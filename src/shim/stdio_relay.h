// The shim's side of one container process's stdio, on the EventLoop (reference §5).
//
// The process never gets the client's FIFOs: it gets pipes (or /dev/null, or a pty) and the relay
// copies between them and the FIFOs, so that the client can go away and come back (`ctr run -d`,
// `ctr task attach`) and the process never sees it. Nothing here ever blocks the loop: FIFOs are
// opened in the order that cannot block, and every copy is non-blocking through a bounded buffer.
//
// Output policy, a deliberate departure from the runc shim: the runc shim applies back-pressure,
// so with no client reading, its FIFO and then the container's pipe fill and the container blocks
// in write(2) (reference §5.2). Here a container must never block, nor die, because its reader
// went away: the relay always drains the container's stdout/stderr pipes, and when the FIFO is
// full it keeps up to kOutputBufferBytes per stream; beyond that the OLDEST buffered bytes are
// dropped (counted by dropped_bytes()) so that the newest output survives for the reader that
// attaches next. With a reader attached and keeping up, nothing is lost. stdin keeps
// back-pressure: there the writer is a client, which can wait.
//
// The process that runs the relay must ignore SIGPIPE, as the shim does (reference §2.4).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "base/event_loop.h"
#include "base/unique_fd.h"
#include "shim/stdio_uri.h"

namespace cradle::shim {

struct StdioConfig {
  // As containerd sends them (reference §5.1): "" = /dev/null; a path with no scheme = a FIFO (any
  // other existing file is appended to); "file:///abs" = append to that file, created 0644;
  // "binary:///abs/logger?k=v&k2=v2" = a logger process (stdout/stderr only; both may name it,
  // then they must name the same one); "crilog:///abs" = lines in the CRI log format
  // ("<RFC3339Nano time> <stream> <F|P> <line>"), which cradled reads for `logs` and `attach`.
  std::string stdin_path, stdout_path, stderr_path;
  // The process gets a pty rather than pipes; stderr_path is then ignored (the pty merges the
  // streams; containerd sends "").
  bool terminal = false;
  // For a binary:// logger's environment.
  std::string container_id, ns;
};

class Pump;
class CriLogWriter;
class LoggerProcess;

// Per output stream: how much the relay buffers while the FIFO is full (a FIFO holds 64 KiB more).
// Large enough for bursts and for a reader that attaches a little late; small enough that a
// container that writes gigabytes with nobody reading costs the shim 1 MiB per stream.
inline constexpr std::size_t kOutputBufferBytes = std::size_t{1} << 20;
// stdin: back-pressure applies there, so this only smooths the copy.
inline constexpr std::size_t kStdinBufferBytes = std::size_t{64} << 10;
// How long on_output_done waits at most by default: the runc shim waits 2 s for its copiers on
// Delete.
inline constexpr std::chrono::milliseconds kOutputDrainLimit{2000};
// After the output ended: how often the relay looks whether the client is still emptying the
// FIFO, and how long a FIFO may sit unread before the relay stops waiting for its reader.
inline constexpr std::chrono::milliseconds kReaderPoll{2};
inline constexpr std::chrono::milliseconds kReaderStallLimit{50};

class StdioRelay {
 public:
  // Opens every FIFO and file, makes the process's pipes, starts a binary:// logger, and starts
  // copying. Throws cradle::Error (InvalidArgument for a bad path or URI).
  static std::unique_ptr<StdioRelay> create(EventLoop& loop, const StdioConfig& config);
  // Removes its fds from the loop and closes them; a logger gets SIGTERM and the loop reaps it
  // (SIGKILL after kLoggerStopGrace).
  ~StdioRelay();
  StdioRelay(const StdioRelay&) = delete;
  StdioRelay& operator=(const StdioRelay&) = delete;

  // The fd the process gets as stdio n (0, 1, 2): a pipe end, /dev/null for "", the logger's pipe
  // for binary://; -1 in terminal mode (the child installs the pty slave itself). Blocking and
  // close-on-exec (the child's dup2 onto 0/1/2 clears the flag). Valid until close_process_ends().
  int process_fd(int n) const;
  // Called by the shim right after the clone: from then on the relay holds no write end of the
  // process's output pipes, so it sees EOF when the process and its descendants close theirs.
  void close_process_ends();

  // Terminal mode: the pty master the child passed back. Starts copying stdin FIFO -> master and
  // master -> stdout. Throws FailedPrecondition without terminal mode or when called twice.
  void attach_pty(UniqueFd master);
  // TIOCSWINSZ on the master; false without a pty (not attached, or hung up): not an error.
  bool resize(unsigned width, unsigned height);

  // CloseIO: drops the relay's own writer on the stdin FIFO, so EOF reaches the process once the
  // client's writer is closed too: the relay then closes the process's stdin pipe. In terminal
  // mode that EOF makes it close the pty master instead, as the runc shim does, which hangs up
  // the terminal (what the master holds then is copied out first, at most one buffer's worth).
  void close_stdin();

  // Runs `ready` once the relay can carry the process's output: at once, except with a binary://
  // logger, which first reports ready on its fd 5. The runc shim blocks Create on that; here the
  // shim should reply to Create (and so let Start run) from this callback. A logger that exits
  // without a word counts as ready, as in the runc shim; the relay sets no deadline on it.
  void on_ready(std::function<void()> ready);

  // Runs `done` once every output stream reached EOF (its pipe closed by all writers, or the pty
  // read EIO) and every byte of it was written to its FIFO/file; at once (synchronously) if that
  // is so already. The shim registers it when the process exited, and completes Wait / publishes
  // TaskExit from it, so output written just before the exit is not lost (reference §5.2).
  // `limit` bounds the wait, since neither may ever happen: a daemonized descendant can hold the
  // pipe open, and with no client reading, a buffer that does not fit in the FIFO never drains.
  // Copying goes on after `done` either way; nothing is dropped because of it.
  void on_output_done(std::function<void()> done,
                      std::chrono::milliseconds limit = kOutputDrainLimit);

  // Bytes of stream n (0, 1, 2; in terminal mode the pty's output counts as 1) that were lost:
  // pushed out of a full output buffer, refused by a failing file or logger, or stdin the
  // process did not take before it closed its end.
  std::uint64_t dropped_bytes(int n) const;

 private:
  StdioRelay(EventLoop& loop, bool terminal);
  void set_up_stdin(const StdioTarget& target);
  void set_up_output(int n, const StdioTarget& target);
  UniqueFd open_output_sink(int n, const StdioTarget& target);
  void start_logger(const StdioConfig& config, const StdioTarget& out, const StdioTarget& err);
  void start_output_pump(int n, UniqueFd source, UniqueFd sink);
  void start_cri_log_pump(int n, UniqueFd source);
  void open_cri_log(const std::string& path);
  void start_stdin_pump(UniqueFd source, UniqueFd sink);
  void output_finished(int n);
  void wait_for_fifo_reader(int n, int last_level, std::chrono::milliseconds stalled);
  void stdin_finished();
  void fire_output_done();

  EventLoop& loop_;
  bool terminal_;
  UniqueFd process_ends_[3];
  // [0]: the relay's own writer on the stdin FIFO; [1], [2]: its own readers on the output FIFOs.
  UniqueFd keep_alive_[3];
  // Terminal mode, until attach_pty: the stdin FIFO's reader and stdout's sink.
  UniqueFd pending_stdin_;
  UniqueFd pending_terminal_sink_;
  // Terminal mode: the master, for resize; the pumps hold copies of it.
  UniqueFd pty_master_;
  std::unique_ptr<LoggerProcess> logger_;
  // Indexed by stream: [0] FIFO -> process stdin (or pty), [1] stdout (or pty) -> FIFO, [2] stderr.
  std::unique_ptr<Pump> pumps_[3];
  // crilog:// : the one log file stdout and stderr share.
  std::shared_ptr<CriLogWriter> cri_log_;
  int outputs_running_ = 0;
  std::function<void()> output_done_;
  std::optional<EventLoop::TimerId> output_done_timer_;
  // Timers hold it weakly: none touches the relay after it is gone.
  std::shared_ptr<int> alive_ = std::make_shared<int>(0);
};

}  // namespace cradle::shim
