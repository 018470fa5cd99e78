#include "shim/byte_ring.h"

#include <algorithm>
#include <cstring>

namespace cradle::shim {

std::size_t ByteRing::push(std::span<const char> data) {
  std::size_t dropped = 0;
  if (data.size() > capacity_) {
    dropped = size_ + data.size() - capacity_;
    clear();
    data = data.last(capacity_);
  } else if (data.size() > free_space()) {
    dropped = data.size() - free_space();
    consume(dropped);
  }
  if (data.empty()) return dropped;
  if (!bytes_) bytes_ = std::make_unique<char[]>(capacity_);
  std::size_t tail = (head_ + size_) % capacity_;
  std::size_t first = std::min(data.size(), capacity_ - tail);
  std::memcpy(bytes_.get() + tail, data.data(), first);
  std::memcpy(bytes_.get(), data.data() + first, data.size() - first);
  size_ += data.size();
  return dropped;
}

std::span<const char> ByteRing::front() const {
  if (empty()) return {};
  return {bytes_.get() + head_, std::min(size_, capacity_ - head_)};
}

void ByteRing::consume(std::size_t n) {
  n = std::min(n, size_);
  size_ -= n;
  head_ = size_ == 0 ? 0 : (head_ + n) % capacity_;
}

}  // namespace cradle::shim
