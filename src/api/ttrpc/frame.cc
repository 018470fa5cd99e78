#include "api/ttrpc/frame.h"

#include <algorithm>
#include <cstring>

#include "base/error.h"

namespace cradle::ttrpc {
namespace {

void put_u32(unsigned char* out, std::uint32_t value) {
  out[0] = static_cast<unsigned char>(value >> 24);
  out[1] = static_cast<unsigned char>(value >> 16);
  out[2] = static_cast<unsigned char>(value >> 8);
  out[3] = static_cast<unsigned char>(value);
}

std::uint32_t get_u32(const unsigned char* in) {
  return (std::uint32_t{in[0]} << 24) | (std::uint32_t{in[1]} << 16) | (std::uint32_t{in[2]} << 8) |
         std::uint32_t{in[3]};
}

}  // namespace

HeaderBytes encode_header(const FrameHeader& header) {
  HeaderBytes bytes{};
  put_u32(bytes.data(), header.length);
  put_u32(bytes.data() + 4, header.stream_id);
  bytes[8] = header.type;
  bytes[9] = header.flags;
  return bytes;
}

FrameHeader decode_header(const HeaderBytes& bytes) {
  return FrameHeader{get_u32(bytes.data()), get_u32(bytes.data() + 4), bytes[8], bytes[9]};
}

std::string oversize_message(std::uint64_t length) {
  return "message length " + std::to_string(length) + " exceed maximum message size of " +
         std::to_string(kMaxMessageSize);
}

std::string encode_frame(std::uint32_t stream_id, MessageType type, std::string_view body) {
  if (body.size() > kMaxMessageSize) {
    throw Error(ErrorCode::kResourceExhausted, oversize_message(body.size()));
  }
  HeaderBytes header = encode_header(
      {static_cast<std::uint32_t>(body.size()), stream_id, static_cast<std::uint8_t>(type), 0});
  std::string frame(reinterpret_cast<const char*>(header.data()), header.size());
  frame.append(body);
  return frame;
}

void FrameReader::feed(std::string_view bytes) {
  while (true) {
    if (header_filled_ < kHeaderSize) {
      std::size_t take = std::min(kHeaderSize - header_filled_, bytes.size());
      std::memcpy(header_bytes_.data() + header_filled_, bytes.data(), take);
      header_filled_ += take;
      bytes.remove_prefix(take);
      if (header_filled_ < kHeaderSize) return;
      current_ = Frame{decode_header(header_bytes_), {}, false};
      if (current_.header.length > kMaxMessageSize) {
        // Skipped, never buffered: a peer cannot make us hold more than kMaxMessageSize.
        current_.oversize = true;
        skip_left_ = current_.header.length;
      } else {
        current_.body.reserve(current_.header.length);
      }
    }
    std::size_t left =
        current_.oversize ? skip_left_ : current_.header.length - current_.body.size();
    std::size_t take = std::min(left, bytes.size());
    if (current_.oversize) {
      skip_left_ -= static_cast<std::uint32_t>(take);
    } else {
      current_.body.append(bytes.substr(0, take));
    }
    bytes.remove_prefix(take);
    if (take < left) return;
    ready_.push_back(std::move(current_));
    current_ = Frame{};
    header_filled_ = 0;
  }
}

std::optional<Frame> FrameReader::next() {
  if (ready_.empty()) return std::nullopt;
  Frame frame = std::move(ready_.front());
  ready_.pop_front();
  return frame;
}

}  // namespace cradle::ttrpc
