#include "shim/event_publisher.h"

#include <cstdio>

#include "github.com/containerd/containerd/api/services/ttrpc/events/v1/events.pb.h"

namespace cradle::shim {
namespace {

constexpr std::chrono::seconds kForwardTimeout{5};  // what containerd's own shims use
constexpr std::chrono::milliseconds kFirstRetry{250};
constexpr std::chrono::milliseconds kMaxRetry{4000};

}  // namespace

EventPublisher::EventPublisher(EventLoop& loop, std::string address, std::string ns)
    : loop_(loop), address_(std::move(address)), ns_(std::move(ns)) {
  if (address_.starts_with("unix://")) address_.erase(0, 7);
  if (!address_.empty()) client_ = std::make_unique<ttrpc::TtrpcClient>(loop_, address_);
}

void EventPublisher::enqueue(const std::string& topic, google::protobuf::Any event) {
  if (!client_) return;
  if (queue_.size() >= kMaxQueued) {
    // The oldest first: it is the one a receiver that comes back would value least.
    queue_.pop_front();
    if (dropped_++ == 0) std::fprintf(stderr, "cradle-shim: event queue full, dropping events\n");
  }
  queue_.push_back({topic, std::move(event), now_realtime()});
  if (!in_flight_ && retry_timer_ == 0) send_next();
}

void EventPublisher::send_next() {
  if (queue_.empty()) {
    notify_flushed();
    return;
  }
  const Pending& next = queue_.front();
  containerd::services::events::ttrpc::v1::ForwardRequest request;
  auto* envelope = request.mutable_envelope();
  set_timestamp(envelope->mutable_timestamp(), next.when);
  envelope->set_namespace_(ns_);
  envelope->set_topic(next.topic);
  *envelope->mutable_event() = next.event;
  in_flight_ = true;
  client_->call("containerd.services.events.ttrpc.v1.Events", "Forward",
                request.SerializeAsString(), kForwardTimeout, {{"containerd-namespace-ttrpc", ns_}},
                [this](ttrpc::RpcResult result) { sent(result); });
}

void EventPublisher::sent(const ttrpc::RpcResult& result) {
  in_flight_ = false;
  if (result.ok() || result.code == ttrpc::StatusCode::kInvalidArgument) {
    // Sent, or refused as malformed: resending a malformed event would never succeed.
    if (!result.ok()) {
      std::fprintf(stderr, "cradle-shim: event %s refused: %s\n", queue_.front().topic.c_str(),
                   result.message.c_str());
    }
    queue_.pop_front();
    backoff_ = std::chrono::milliseconds(0);
    send_next();
    return;
  }
  backoff_ = backoff_.count() == 0 ? kFirstRetry : std::min(backoff_ * 2, kMaxRetry);
  retry_timer_ = loop_.add_timer(backoff_, [this] {
    retry_timer_ = 0;
    send_next();
  });
}

void EventPublisher::flush(std::chrono::milliseconds limit, std::function<void()> done) {
  if (queue_.empty()) {
    done();
    return;
  }
  on_flushed_ = std::move(done);
  flush_timer_ = loop_.add_timer(limit, [this] {
    flush_timer_ = 0;
    notify_flushed();
  });
}

void EventPublisher::notify_flushed() {
  if (!on_flushed_) return;
  if (flush_timer_ != 0) loop_.cancel_timer(std::exchange(flush_timer_, 0));
  std::exchange(on_flushed_, nullptr)();
}

}  // namespace cradle::shim
