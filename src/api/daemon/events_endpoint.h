// The ttrpc endpoint cradled's shims forward their task events to (the TTRPC_ADDRESS they get),
// as containerd's own: containerd.services.events.ttrpc.v1.Events/Forward. Each event goes on
// the bus as JSON; a TaskExit also reaches the task service (the container's last exit, --rm).
// Served on a thread of its own, with its own event loop.
#pragma once

#include <memory>
#include <string>
#include <thread>

#include "base/event_loop.h"
#include "base/unique_fd.h"
#include "core/event_bus.h"
#include "core/task_service.h"

namespace cradle::api {

class EventsEndpoint {
 public:
  EventsEndpoint(const std::string& socket_path, EventBus& bus, TaskService& tasks);
  ~EventsEndpoint();

 private:
  std::unique_ptr<EventLoop> loop_;
  UniqueFd wake_;
  std::thread thread_;
};

}  // namespace cradle::api
