// A bounded FIFO of bytes: the stdio relay's buffers. It never grows past the capacity it was
// made with, and allocates that once, on first use, so a stream that never backs up costs none.
#pragma once

#include <cstddef>
#include <memory>
#include <span>

namespace cradle::shim {

class ByteRing {
 public:
  explicit ByteRing(std::size_t capacity) : capacity_(capacity) {}

  std::size_t size() const { return size_; }
  std::size_t capacity() const { return capacity_; }
  std::size_t free_space() const { return capacity_ - size_; }
  bool empty() const { return size_ == 0; }
  bool full() const { return size_ == capacity_; }

  // Appends data. What does not fit pushes out the oldest bytes (those buffered first, then the
  // start of data itself); returns how many bytes were dropped that way.
  std::size_t push(std::span<const char> data);
  // The oldest buffered bytes that lie contiguous in memory (all of them, or up to the wrap).
  std::span<const char> front() const;
  // Forgets the oldest n bytes (n <= size()).
  void consume(std::size_t n);
  void clear() { head_ = size_ = 0; }

 private:
  std::unique_ptr<char[]> bytes_;
  std::size_t capacity_;
  std::size_t head_ = 0;  // index of the oldest byte
  std::size_t size_ = 0;
};

}  // namespace cradle::shim
