// ttrpc's framing: a 10-byte big-endian header (body length, stream id, type, flags) before each
// protobuf body, and an incremental reader that cuts a byte stream into frames however the reads
// happen to split it.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>

namespace cradle::ttrpc {

inline constexpr std::size_t kHeaderSize = 10;
// The largest body either side accepts (ttrpc's messageLengthMax, 4 MiB).
inline constexpr std::uint32_t kMaxMessageSize = 4u << 20;

enum class MessageType : std::uint8_t { kRequest = 1, kResponse = 2 };

struct FrameHeader {
  std::uint32_t length = 0;
  std::uint32_t stream_id = 0;
  std::uint8_t type = 0;  // a raw byte: unknown types must be readable, to be ignored
  std::uint8_t flags = 0;
};

using HeaderBytes = std::array<unsigned char, kHeaderSize>;
HeaderBytes encode_header(const FrameHeader& header);
FrameHeader decode_header(const HeaderBytes& bytes);

// Header plus body, ready to write. Throws Error(kResourceExhausted) when the body is over
// kMaxMessageSize: a peer would refuse it anyway (ttrpc v1.1.1 does not check what it sends).
std::string encode_frame(std::uint32_t stream_id, MessageType type, std::string_view body);

// The message a receiver answers an oversize frame with, as ttrpc words it.
std::string oversize_message(std::uint64_t length);

struct Frame {
  FrameHeader header;
  std::string body;
  // The body was over kMaxMessageSize: it was skipped, `body` is empty, header.length says how
  // big it was. The header's stream id is still good, so the receiver can answer on it.
  bool oversize = false;
};

class FrameReader {
 public:
  // Consumes all of `bytes`; frames completed by them become available from next().
  void feed(std::string_view bytes);
  // The oldest complete frame not yet taken.
  std::optional<Frame> next();
  // Whether a frame has been started but not finished (a peer that closes now cut it short).
  bool mid_frame() const { return header_filled_ > 0; }

 private:
  // The header being assembled; header_filled_ bytes of it are in.
  HeaderBytes header_bytes_{};
  std::size_t header_filled_ = 0;
  // Valid once the header is complete: the frame whose body is being read or skipped.
  Frame current_;
  std::uint32_t skip_left_ = 0;
  // Frames are taken after each feed, so this holds at most what one read produced.
  std::deque<Frame> ready_;
};

}  // namespace cradle::ttrpc
