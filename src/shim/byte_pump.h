// Copies one byte stream from a source fd to a sink fd on the event loop, through a bounded
// buffer, without ever blocking: both fds must be non-blocking. The stdio relay runs one per
// copied stream (process pipe -> FIFO, FIFO -> process pipe, pty master <-> FIFOs).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>

#include "base/event_loop.h"
#include "base/unique_fd.h"
#include "shim/byte_ring.h"
#include "shim/pump.h"

namespace cradle::shim {

class BytePump : public Pump {
 public:
  // What happens when the sink does not take bytes as fast as the source gives them and the
  // buffer fills.
  enum class WhenFull {
    // Keep reading the source and drop the oldest buffered bytes (counted in dropped()): a
    // container's output, which must never block because nobody reads it.
    kDropOldest,
    // Stop reading the source until the sink takes bytes again (back-pressure): stdin, where
    // the writer is a client that can wait.
    kStopReading,
  };

  // Starts copying. `finished` runs once, when the source ended (EOF; EIO from a pty master whose
  // slaves are all closed) and every buffered byte reached the sink, or, with kStopReading, when
  // the sink failed (the process closed its stdin). Both fds are closed by then. It is the last
  // thing the pump does, so it may destroy the pump.
  BytePump(EventLoop& loop, UniqueFd source, UniqueFd sink, WhenFull when_full,
           std::size_t buffer_bytes, std::function<void()> finished);
  ~BytePump() override;
  BytePump(const BytePump&) = delete;
  BytePump& operator=(const BytePump&) = delete;

  // Takes what the source holds now (at most one buffer's worth, so a writer that never stops
  // cannot keep the loop here), then closes it and goes on as at end of file. May run
  // `finished`, as its last step.
  void end_source() override;

  bool finished() const { return finished_; }
  // Bytes lost: pushed out of a full kDropOldest buffer, or refused by a failing sink.
  std::uint64_t dropped() const override { return dropped_; }

 private:
  // How much one read may take: with kStopReading, no more than the buffer has room for.
  std::size_t read_budget() const;
  void on_source_ready();
  void on_sink_ready();
  // Returns false when the pump finished (and may be gone).
  bool deliver(std::span<const char> data);
  bool sink_failed(std::size_t bytes_in_hand);
  bool source_ended();
  void finish();
  void watch_source(bool on);
  void watch_sink(bool on);
  void watch(int fd, bool& watched, bool on, std::uint32_t events, void (BytePump::*handler)());

  EventLoop& loop_;
  UniqueFd source_;
  UniqueFd sink_;
  WhenFull when_full_;
  ByteRing buffer_;
  std::function<void()> finished_callback_;
  bool source_watched_ = false;
  bool sink_watched_ = false;
  bool finished_ = false;
  std::uint64_t dropped_ = 0;
};

}  // namespace cradle::shim
