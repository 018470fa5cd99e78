// A connected socket carrying ttrpc frames on the EventLoop: non-blocking reads cut into frames,
// non-blocking writes from a bounded queue. The server's connections and the async client each
// own one.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>

#include "api/ttrpc/frame.h"
#include "base/event_loop.h"
#include "base/unique_fd.h"

namespace cradle::ttrpc {

// Unsent bytes one channel may hold: four frames of the largest size. A peer that stops reading
// while we keep sending is disconnected when it is passed, instead of growing memory forever.
inline constexpr std::size_t kWriteQueueLimit = 4 * (kMaxMessageSize + kHeaderSize);

class Channel : public std::enable_shared_from_this<Channel> {
 public:
  using FrameHandler = std::function<void(Frame)>;
  using CloseHandler = std::function<void(const std::string& reason)>;

  // Takes a connected stream socket (made non-blocking here) and starts reading. `on_frame` gets
  // each frame in order. `on_close` is called once if the channel breaks (peer gone, I/O error,
  // write queue over its limit): always from a task posted to the loop, never from inside
  // send() or on_frame, so owners need not expect it in the middle of their own work. The loop
  // must outlive the channel.
  static std::shared_ptr<Channel> open(EventLoop& loop, UniqueFd fd, FrameHandler on_frame,
                                       CloseHandler on_close);
  ~Channel();
  Channel(const Channel&) = delete;
  Channel& operator=(const Channel&) = delete;

  // Queues one encoded frame and writes what the socket takes now. false if the channel is
  // closed, or broke doing this.
  bool send(std::string frame);
  // Closes the socket now and drops what is queued; on_close will not be called.
  void close();
  bool is_open() const { return fd_.valid(); }

 private:
  Channel(EventLoop& loop, UniqueFd fd, FrameHandler on_frame, CloseHandler on_close);
  void on_events(std::uint32_t events);
  void read_available();
  void flush();
  void broken(std::string reason);

  EventLoop& loop_;
  UniqueFd fd_;
  FrameHandler on_frame_;
  CloseHandler on_close_;
  bool close_pending_ = false;  // broken() posted a notification that close() may still cancel
  FrameReader reader_;
  std::deque<std::string> queue_;
  std::size_t front_written_ = 0;  // bytes of queue_.front() already sent
  std::size_t queued_bytes_ = 0;   // unsent bytes in queue_
  bool watching_out_ = false;      // EPOLLOUT is set: queue_ is not empty
};

}  // namespace cradle::ttrpc
