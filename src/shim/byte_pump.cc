#include "shim/byte_pump.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <optional>

namespace cradle::shim {
namespace {

// One read's worth: a pipe's default capacity, so one read empties a full pipe. On the stack:
// the loop is single-threaded and its stack is the main one.
constexpr std::size_t kReadChunk = 64 * 1024;

// Writes as much of data as fd takes now; nullopt when it fails for another reason than being
// full (EPIPE: the reader is gone; EIO: a pty without slaves; ENOSPC...).
std::optional<std::size_t> write_some(int fd, std::span<const char> data) {
  std::size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n > 0) {
      done += static_cast<std::size_t>(n);
    } else if (n < 0 && errno == EAGAIN) {
      break;
    } else if (n == 0 || errno != EINTR) {
      return std::nullopt;
    }
  }
  return done;
}

}  // namespace

BytePump::BytePump(EventLoop& loop, UniqueFd source, UniqueFd sink, WhenFull when_full,
                   std::size_t buffer_bytes, std::function<void()> finished)
    : loop_(loop),
      source_(std::move(source)),
      sink_(std::move(sink)),
      when_full_(when_full),
      buffer_(buffer_bytes),
      finished_callback_(std::move(finished)) {
  watch_source(true);
}

BytePump::~BytePump() {
  watch_source(false);
  watch_sink(false);
}

std::size_t BytePump::read_budget() const {
  if (when_full_ == WhenFull::kDropOldest) return kReadChunk;
  return std::min(kReadChunk, buffer_.free_space());
}

void BytePump::on_source_ready() {
  // A read of 0 bytes would look like end of file.
  if (read_budget() == 0) return;
  char chunk[kReadChunk];
  ssize_t n = ::read(source_.get(), chunk, read_budget());
  if (n > 0) {
    deliver({chunk, static_cast<std::size_t>(n)});
  } else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
    // 0: every writer closed. EIO: a pty master whose slaves are all closed. Any other error
    // ends the stream as well: nothing more can come from it.
    source_ended();
  }
}

void BytePump::end_source() {
  if (!source_) return;
  char chunk[kReadChunk];
  for (std::size_t taken = 0; taken < buffer_.capacity() && read_budget() > 0;) {
    ssize_t n = ::read(source_.get(), chunk, read_budget());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    if (!deliver({chunk, static_cast<std::size_t>(n)})) return;
    taken += static_cast<std::size_t>(n);
  }
  source_ended();
}

bool BytePump::deliver(std::span<const char> data) {
  if (buffer_.empty()) {
    auto taken = write_some(sink_.get(), data);
    if (!taken) return sink_failed(data.size());
    data = data.subspan(*taken);
    if (data.empty()) return true;
  }
  dropped_ += buffer_.push(data);
  watch_sink(true);
  if (when_full_ == WhenFull::kStopReading && buffer_.full()) watch_source(false);
  return true;
}

void BytePump::on_sink_ready() {
  while (!buffer_.empty()) {
    auto chunk = buffer_.front();
    auto taken = write_some(sink_.get(), chunk);
    if (!taken) {
      sink_failed(0);
      return;
    }
    buffer_.consume(*taken);
    if (*taken < chunk.size()) break;  // full again
  }
  if (buffer_.empty()) {
    watch_sink(false);
    if (!source_) return finish();
  }
  if (source_ && !buffer_.full()) watch_source(true);
}

bool BytePump::sink_failed(std::size_t bytes_in_hand) {
  dropped_ += bytes_in_hand + buffer_.size();
  buffer_.clear();
  watch_sink(false);
  // A process that closed its stdin wants no more of it: stop, as the runc shim's copier does.
  // An output sink that fails (a logger that died, a full disk) may recover; meanwhile the
  // process's output is still drained, and dropped, so that the process never blocks.
  if (when_full_ == WhenFull::kDropOldest && source_) return true;
  finish();
  return false;
}

bool BytePump::source_ended() {
  watch_source(false);
  source_.reset();
  if (!buffer_.empty()) return true;
  finish();
  return false;
}

void BytePump::finish() {
  watch_source(false);
  watch_sink(false);
  source_.reset();
  sink_.reset();
  finished_ = true;
  auto callback = std::move(finished_callback_);
  if (callback) callback();
}

void BytePump::watch_source(bool on) {
  watch(source_.get(), source_watched_, on, EPOLLIN, &BytePump::on_source_ready);
}

void BytePump::watch_sink(bool on) {
  watch(sink_.get(), sink_watched_, on, EPOLLOUT, &BytePump::on_sink_ready);
}

void BytePump::watch(int fd, bool& watched, bool on, std::uint32_t events,
                     void (BytePump::*handler)()) {
  if (on == watched) return;
  if (on) {
    loop_.add(fd, events, [this, handler](std::uint32_t) { (this->*handler)(); });
  } else {
    loop_.remove(fd);
  }
  watched = on;
}

}  // namespace cradle::shim
