// Sends the shim's task events to containerd (or cradled) as ttrpc Forward calls on
// containerd.services.events.ttrpc.v1.Events, in order, from one bounded queue. While the
// receiver is away (restarting) events wait and are retried with a growing delay; the queue
// drops its oldest event when full, so a receiver that never comes back cannot grow the shim.
#pragma once

#include <google/protobuf/any.pb.h>

#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <string>

#include "api/ttrpc/client.h"
#include "base/event_loop.h"
#include "shim/proto_util.h"

namespace cradle::shim {

class EventPublisher {
 public:
  static constexpr std::size_t kMaxQueued = 1024;

  // address: the receiver's ttrpc socket ($TTRPC_ADDRESS); empty means events are dropped.
  EventPublisher(EventLoop& loop, std::string address, std::string ns);

  // Queues one event: topic "/tasks/exit", and the event message itself.
  template <typename Event>
  void publish(const std::string& topic, const Event& event) {
    enqueue(topic, pack_any(event));
  }

  // Runs done once every queued event is sent, or after `limit`, whichever comes first.
  void flush(std::chrono::milliseconds limit, std::function<void()> done);

  std::size_t queued() const { return queue_.size(); }
  std::size_t dropped() const { return dropped_; }

 private:
  struct Pending {
    std::string topic;
    google::protobuf::Any event;
    timespec when;
  };
  void enqueue(const std::string& topic, google::protobuf::Any event);
  void send_next();
  void sent(const ttrpc::RpcResult& result);
  void notify_flushed();

  EventLoop& loop_;
  std::string address_;
  std::string ns_;
  std::unique_ptr<ttrpc::TtrpcClient> client_;
  std::deque<Pending> queue_;
  bool in_flight_ = false;
  EventLoop::TimerId retry_timer_ = 0;
  std::chrono::milliseconds backoff_{0};
  std::size_t dropped_ = 0;
  std::function<void()> on_flushed_;
  EventLoop::TimerId flush_timer_ = 0;
};

}  // namespace cradle::shim
