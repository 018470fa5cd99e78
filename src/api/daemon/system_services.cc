#include <sys/utsname.h>

#include "api/daemon/convert.h"
#include "api/daemon/daemon_services.h"
#include "api/daemon/grpc_util.h"
#include "cgroups/cgroup_root.h"

namespace cradle::api {

grpc::Status EventsService::Subscribe(grpc::ServerContext* ctx, const v1::SubscribeRequest* req,
                                      grpc::ServerWriter<v1::Envelope>* writer) {
  return serve([&] {
    std::vector<std::string> filters(req->filters().begin(), req->filters().end());
    auto subscription = d_.events.subscribe(EventFilter(filters));
    while (auto event = subscription->next([ctx] { return ctx->IsCancelled(); })) {
      v1::Envelope out;
      set_time(out.mutable_timestamp(), event->timestamp_ns);
      out.set_namespace_(event->ns);
      out.set_topic(event->topic);
      out.set_event_json(event->event_json);
      if (!writer->Write(out)) return;
    }
  });
}

grpc::Status SystemService::Version(grpc::ServerContext*, const google::protobuf::Empty*,
                                    v1::VersionResponse* out) {
  out->set_version(CRADLE_VERSION);
  out->set_revision("");
  return grpc::Status::OK;
}

grpc::Status SystemService::Health(grpc::ServerContext*, const google::protobuf::Empty*,
                                   google::protobuf::Empty*) {
  return grpc::Status::OK;
}

grpc::Status SystemService::Info(grpc::ServerContext* ctx, const google::protobuf::Empty*,
                                 v1::InfoResponse* out) {
  return serve([&] {
    std::string ns = namespace_of(*ctx, d_.config.default_namespace);
    out->set_version(CRADLE_VERSION);
    out->set_root_dir(d_.config.root);
    out->set_state_dir(d_.config.state);
    cgroups::CgroupRoot root = cgroups::CgroupRoot::detect();
    out->set_cgroup_v2_mount(root.mount_path);
    out->set_cgroup_v2_pure(root.pure_v2);
    for (const auto& c : root.controllers)
      out->add_cgroup_controllers(c);
    auto containers = d_.containers.list(ns);
    out->set_containers(static_cast<std::uint32_t>(containers.size()));
    std::uint32_t running = 0;
    for (const TaskInfo& t : d_.tasks.list(ns))
      running += t.status == ShimStatus::kRunning;
    out->set_containers_running(running);
    out->set_images(static_cast<std::uint32_t>(d_.metadata.list_images().size()));
    utsname u{};
    if (::uname(&u) == 0) out->set_kernel(u.release);
  });
}

}  // namespace cradle::api
