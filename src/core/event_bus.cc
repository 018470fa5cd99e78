#include "core/event_bus.h"

#include <algorithm>
#include <chrono>

#include "base/error.h"

namespace cradle {

EventFilter::EventFilter(const std::vector<std::string>& filters) {
  for (const std::string& f : filters) {
    auto op = f.find("==");
    bool prefix = false;
    if (op == std::string::npos) {
      op = f.find("~=");
      prefix = true;
    }
    if (op == std::string::npos) {
      throw_invalid("event filter \"" + f + "\": want field==value or field~=prefix");
    }
    std::string field = f.substr(0, op);
    if (field != "topic" && field != "namespace" && field != "container") {
      throw_invalid("event filter \"" + f + "\": unknown field \"" + field +
                    "\" (topic, namespace, container)");
    }
    rules_.push_back({field, prefix, f.substr(op + 2)});
  }
}

bool EventFilter::matches(const Event& event) const {
  if (rules_.empty()) return true;
  for (const Rule& r : rules_) {
    const std::string& actual = r.field == "topic"       ? event.topic
                                : r.field == "namespace" ? event.ns
                                                         : event.container_id;
    if (r.prefix ? actual.starts_with(r.value) : actual == r.value) return true;
  }
  return false;
}

std::unique_ptr<EventBus::Subscription> EventBus::subscribe(EventFilter filter) {
  std::unique_ptr<Subscription> s(new Subscription(*this, std::move(filter)));
  std::lock_guard lock(mutex_);
  subscribers_.push_back(s.get());
  return s;
}

EventBus::Subscription::~Subscription() {
  std::lock_guard lock(bus_.mutex_);
  std::erase(bus_.subscribers_, this);
}

std::optional<Event> EventBus::Subscription::next(const std::function<bool()>& cancelled) {
  std::unique_lock lock(bus_.mutex_);
  for (;;) {
    if (!queue_.empty()) {
      Event e = std::move(queue_.front());
      queue_.pop_front();
      return e;
    }
    if (bus_.closed_ || cancelled()) return std::nullopt;
    bus_.changed_.wait_for(lock, std::chrono::milliseconds(200));
  }
}

void EventBus::publish(Event event) {
  std::lock_guard lock(mutex_);
  for (Subscription* s : subscribers_) {
    if (!s->filter_.matches(event)) continue;
    if (s->queue_.size() >= kQueueLimit) {
      s->queue_.pop_front();
      ++s->dropped_;
    }
    s->queue_.push_back(event);
  }
  changed_.notify_all();
}

void EventBus::close() {
  std::lock_guard lock(mutex_);
  closed_ = true;
  changed_.notify_all();
}

}  // namespace cradle
