#include "shim/byte_ring.h"

#include <gtest/gtest.h>

#include <string>

namespace cradle::shim {
namespace {

// Everything buffered, oldest first, consumed.
std::string drain(ByteRing& ring) {
  std::string out;
  while (!ring.empty()) {
    auto chunk = ring.front();
    out.append(chunk.data(), chunk.size());
    ring.consume(chunk.size());
  }
  return out;
}

std::span<const char> bytes(const std::string& s) {
  return {s.data(), s.size()};
}

TEST(ByteRing, KeepsOrderAcrossTheWrap) {
  ByteRing ring(8);
  EXPECT_EQ(ring.push(bytes("abcdef")), 0u);
  ring.consume(4);
  EXPECT_EQ(ring.push(bytes("ghijkl")), 0u);  // wraps
  EXPECT_TRUE(ring.full());
  EXPECT_EQ(ring.front().size(), 4u);  // "efgh" up to the end of the storage
  EXPECT_EQ(drain(ring), "efghijkl");
}

TEST(ByteRing, DropsTheOldestBytesWhenFull) {
  ByteRing ring(8);
  ring.push(bytes("abcdef"));
  EXPECT_EQ(ring.push(bytes("ghij")), 2u);
  EXPECT_EQ(drain(ring), "cdefghij");
}

TEST(ByteRing, KeepsTheTailOfAPushLargerThanItself) {
  ByteRing ring(4);
  ring.push(bytes("ab"));
  EXPECT_EQ(ring.push(bytes("cdefgh")), 4u);
  EXPECT_EQ(drain(ring), "efgh");
  EXPECT_EQ(ring.free_space(), 4u);
}

}  // namespace
}  // namespace cradle::shim
