// The CRI container log format (the kubelet's): one entry per line of output,
//   2026-11-27T14:09:09.798323991Z stdout F hello
// F marks a full line (its newline not written), P a partial one (the rest comes in the next
// entry), so a reader rebuilds the exact bytes, partial pty output included.
#pragma once

#include <sys/types.h>
#include <time.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "base/event_loop.h"
#include "base/unique_fd.h"
#include "shim/pump.h"

namespace cradle::shim {

// "2026-11-27T14:09:09.798323991Z"
std::string rfc3339_nano(const timespec& t);

// Appends entries to one log file; stdout and stderr of a process share it. Each entry goes out
// in one write(2) of an O_APPEND file, so entries never interleave.
class CriLogWriter {
 public:
  explicit CriLogWriter(UniqueFd file) : file_(std::move(file)) {}
  // Splits `data` at newlines into F entries, and a trailing piece into a P entry. Returns false
  // when the file refused the write (the bytes are then lost, and counted by the caller).
  bool append(std::string_view stream, std::string_view data);

 private:
  UniqueFd file_;
};

// Reads a process's output fd (a pipe, or a pty master: EIO means the end) on the loop and
// appends what comes to the log. A file is always writable, so no buffer is needed.
class CriLogPump : public Pump {
 public:
  CriLogPump(EventLoop& loop, UniqueFd source, std::shared_ptr<CriLogWriter> writer,
             std::string stream, std::function<void()> finished);
  ~CriLogPump() override;
  void end_source() override;
  std::uint64_t dropped() const override { return dropped_; }

 private:
  // Reads what is there now, at most `budget` bytes; false once the source ended.
  bool drain(std::size_t budget);
  void finish();

  EventLoop& loop_;
  UniqueFd source_;
  std::shared_ptr<CriLogWriter> writer_;
  std::string stream_;
  std::function<void()> finished_;
  std::uint64_t dropped_ = 0;
};

}  // namespace cradle::shim
