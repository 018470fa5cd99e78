#include "api/ttrpc/channel.h"

#include <sys/socket.h>

#include <cerrno>
#include <cstring>

#include "api/ttrpc/unix_socket.h"
#include "base/error.h"
#include "base/file_io.h"

namespace cradle::ttrpc {
namespace {

// Reads per wakeup before yielding to other fds; epoll is level-triggered and calls again.
constexpr int kReadsPerWakeup = 16;
constexpr std::size_t kReadSize = 64 * 1024;

}  // namespace

std::shared_ptr<Channel> Channel::open(EventLoop& loop, UniqueFd fd, FrameHandler on_frame,
                                       CloseHandler on_close) {
  set_nonblocking(fd.get());
  std::shared_ptr<Channel> channel(
      new Channel(loop, std::move(fd), std::move(on_frame), std::move(on_close)));
  // The loop holds the channel weakly: its owner decides how long it lives.
  loop.add(channel->fd_.get(), EPOLLIN, [weak = channel->weak_from_this()](std::uint32_t events) {
    if (auto self = weak.lock()) self->on_events(events);
  });
  return channel;
}

Channel::Channel(EventLoop& loop, UniqueFd fd, FrameHandler on_frame, CloseHandler on_close)
    : loop_(loop),
      fd_(std::move(fd)),
      on_frame_(std::move(on_frame)),
      on_close_(std::move(on_close)) {}

Channel::~Channel() {
  close();
}

void Channel::close() {
  close_pending_ = false;
  if (!fd_) return;
  loop_.remove(fd_.get());
  fd_.reset();
  queue_.clear();
  queued_bytes_ = 0;
}

void Channel::broken(std::string reason) {
  if (!fd_) return;
  close();
  close_pending_ = true;
  loop_.post([weak = weak_from_this(), reason = std::move(reason)] {
    auto self = weak.lock();
    if (!self || !self->close_pending_) return;
    self->close_pending_ = false;
    if (self->on_close_) self->on_close_(reason);
  });
}

void Channel::on_events(std::uint32_t events) {
  // Whoever on_frame calls may drop the last owner; stay alive until this returns.
  auto self = shared_from_this();
  if (events & EPOLLOUT) flush();
  if (fd_ && (events & (EPOLLIN | EPOLLHUP | EPOLLERR))) read_available();
}

void Channel::read_available() {
  char buffer[kReadSize];
  for (int i = 0; i < kReadsPerWakeup && fd_; ++i) {
    ssize_t n = ::read(fd_.get(), buffer, sizeof(buffer));
    if (n == 0) {
      broken("connection closed by peer");
      return;
    }
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno != EAGAIN) broken(std::string("read: ") + std::strerror(errno));
      return;
    }
    reader_.feed(std::string_view(buffer, static_cast<std::size_t>(n)));
    while (fd_) {
      std::optional<Frame> frame = reader_.next();
      if (!frame) break;
      on_frame_(std::move(*frame));
    }
    if (static_cast<std::size_t>(n) < sizeof(buffer)) return;  // drained, most likely
  }
}

bool Channel::send(std::string frame) {
  if (!fd_) return false;
  if (queued_bytes_ + frame.size() > kWriteQueueLimit) {
    broken("write queue over " + std::to_string(kWriteQueueLimit) + " bytes: peer is not reading");
    return false;
  }
  queued_bytes_ += frame.size();
  queue_.push_back(std::move(frame));
  // With frames already waiting, EPOLLOUT is set and flushes them in order.
  if (queue_.size() == 1) flush();
  return is_open();
}

void Channel::flush() {
  while (fd_ && !queue_.empty()) {
    const std::string& front = queue_.front();
    // MSG_NOSIGNAL: a peer that went away is an EPIPE here, not a SIGPIPE for the process.
    ssize_t n = ::send(fd_.get(), front.data() + front_written_, front.size() - front_written_,
                       MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN) break;
      broken(std::string("write: ") + std::strerror(errno));
      return;
    }
    front_written_ += static_cast<std::size_t>(n);
    queued_bytes_ -= static_cast<std::size_t>(n);
    if (front_written_ == front.size()) {
      queue_.pop_front();
      front_written_ = 0;
    }
  }
  if (!fd_) return;
  bool want_out = !queue_.empty();
  if (want_out != watching_out_) {
    loop_.modify(fd_.get(), want_out ? EPOLLIN | EPOLLOUT : EPOLLIN);
    watching_out_ = want_out;
  }
}

}  // namespace cradle::ttrpc
