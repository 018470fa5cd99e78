// One connection of TtrpcServer (internal): checks each incoming frame as ttrpc v1.1.1 does,
// keeps the calls in flight with their deadlines, and sends each call's one answer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <unordered_map>

#include "api/ttrpc/channel.h"
#include "api/ttrpc/server.h"

namespace cradle::ttrpc::detail {

// Calls one connection may have in flight. containerd keeps a handful (a Wait per process plus
// the call at hand); past this a request is refused with RESOURCE_EXHAUSTED.
inline constexpr std::size_t kMaxCallsInFlight = 1024;

class ServerConnection : public std::enable_shared_from_this<ServerConnection> {
 public:
  static std::shared_ptr<ServerConnection> start(TtrpcServer& server, EventLoop& loop, UniqueFd fd);
  ~ServerConnection();
  ServerConnection(const ServerConnection&) = delete;
  ServerConnection& operator=(const ServerConnection&) = delete;

  // Answers the call on `stream_id` if it still waits for its answer; false if it was answered
  // (by its handler or its deadline) already.
  bool finish(std::uint32_t stream_id, const RpcResult& result);
  bool waiting(std::uint32_t stream_id) const { return in_flight_.contains(stream_id); }

 private:
  ServerConnection(TtrpcServer& server, EventLoop& loop) : server_(server), loop_(loop) {}
  void on_frame(Frame frame);
  void start_call(std::uint32_t stream_id, Request request);
  void send(std::uint32_t stream_id, const RpcResult& result);

  TtrpcServer& server_;
  EventLoop& loop_;
  std::shared_ptr<Channel> channel_;
  // Calls waiting for their answer, by stream id, with their deadline timer (0: none).
  std::unordered_map<std::uint32_t, EventLoop::TimerId> in_flight_;
};

}  // namespace cradle::ttrpc::detail
