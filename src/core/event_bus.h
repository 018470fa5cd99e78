// The daemon's event bus: shims' task events (forwarded over ttrpc) and the daemon's own
// container and image events, fanned out to subscribers. Each subscriber has a bounded queue:
// one that does not keep up loses its oldest events (and is told how many), never the daemon.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace cradle {

struct Event {
  std::int64_t timestamp_ns = 0;
  std::string ns;
  std::string topic;         // "/tasks/exit"
  std::string event_json;    // the event's fields
  std::string container_id;  // when the event is about one container
};

// "topic==/tasks/exit", "topic~=/tasks/" (prefix), "namespace==default", "container==<id>".
// Throws kInvalidArgument for a filter of another form.
class EventFilter {
 public:
  explicit EventFilter(const std::vector<std::string>& filters);
  bool matches(const Event& event) const;

 private:
  struct Rule {
    std::string field;
    bool prefix;
    std::string value;
  };
  std::vector<Rule> rules_;
};

class EventBus {
 public:
  static constexpr std::size_t kQueueLimit = 1024;

  class Subscription {
   public:
    // The next event, or nullopt once the bus closed or `cancelled` returned true (checked every
    // `poll` while waiting, so a gRPC stream can notice its client left).
    std::optional<Event> next(const std::function<bool()>& cancelled);
    ~Subscription();

   private:
    friend class EventBus;
    Subscription(EventBus& bus, EventFilter filter) : bus_(bus), filter_(std::move(filter)) {}
    EventBus& bus_;
    EventFilter filter_;
    std::deque<Event> queue_;
    std::uint64_t dropped_ = 0;
  };

  std::unique_ptr<Subscription> subscribe(EventFilter filter);
  void publish(Event event);
  // Wakes every subscriber: their next() returns nullopt.
  void close();

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<Subscription*> subscribers_;
  bool closed_ = false;
};

}  // namespace cradle
