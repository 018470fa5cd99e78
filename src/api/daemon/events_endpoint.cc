#include "api/daemon/events_endpoint.h"

#include <google/protobuf/util/json_util.h>
#include <sys/eventfd.h>
#include <unistd.h>
#include <nlohmann/json.hpp>

#include "api/ttrpc/server.h"
#include "base/error.h"
#include "github.com/containerd/containerd/api/events/task.pb.h"
#include "github.com/containerd/containerd/api/services/ttrpc/events/v1/events.pb.h"
#include "shim/shim_socket.h"

namespace cradle::api {
namespace {

// The event as JSON, decoded by its type name ("containerd.events.TaskExit").
std::string event_json(const google::protobuf::Any& any) {
  const auto* type =
      google::protobuf::DescriptorPool::generated_pool()->FindMessageTypeByName(any.type_url());
  if (type == nullptr) return "{}";
  std::unique_ptr<google::protobuf::Message> message(
      google::protobuf::MessageFactory::generated_factory()->GetPrototype(type)->New());
  if (!message->ParseFromString(any.value())) return "{}";
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  if (!google::protobuf::util::MessageToJsonString(*message, &json, options).ok()) return "{}";
  return json;
}

std::int64_t to_ns(const google::protobuf::Timestamp& t) {
  return t.seconds() * 1'000'000'000LL + t.nanos();
}

void forward(const ttrpc::TtrpcCall& call, EventBus& bus, TaskService& tasks) {
  containerd::services::events::ttrpc::v1::ForwardRequest request;
  if (!request.ParseFromString(call.payload())) throw_invalid("Forward: malformed request");
  const auto& envelope = request.envelope();
  Event event{to_ns(envelope.timestamp()), envelope.namespace_(), envelope.topic(),
              event_json(envelope.event()), ""};
  if (envelope.event().type_url() == "containerd.events.TaskExit") {
    containerd::events::TaskExit exit;
    exit.ParseFromString(envelope.event().value());
    event.container_id = exit.container_id();
    bus.publish(event);
    tasks.on_task_exit(envelope.namespace_(), exit.container_id(), exit.id(), exit.exit_status(),
                       to_ns(exit.exited_at()));
    return;
  }
  auto parsed = nlohmann::json::parse(event.event_json, nullptr, false);
  if (parsed.is_object() && parsed.contains("container_id")) {
    event.container_id = parsed["container_id"].get<std::string>();
  }
  bus.publish(event);
}

}  // namespace

EventsEndpoint::EventsEndpoint(const std::string& socket_path, EventBus& bus, TaskService& tasks)
    : loop_(std::make_unique<EventLoop>()), wake_(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {
  if (!wake_) throw_errno("eventfd");
  auto server = std::make_shared<ttrpc::TtrpcServer>(*loop_, shim::listen_unix(socket_path));
  server->register_method("containerd.services.events.ttrpc.v1.Events", "Forward",
                          [&bus, &tasks](std::shared_ptr<ttrpc::TtrpcCall> call) {
                            forward(*call, bus, tasks);
                            call->reply({});
                          });
  loop_->add(wake_.get(), EPOLLIN, [this](std::uint32_t) { loop_->stop(); });
  thread_ = std::thread([this, server] { loop_->run(); });
}

EventsEndpoint::~EventsEndpoint() {
  std::uint64_t one = 1;
  static_cast<void>(::write(wake_.get(), &one, sizeof one));
  thread_.join();
}

}  // namespace cradle::api
