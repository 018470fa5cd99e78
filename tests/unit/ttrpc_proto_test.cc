// The C++ generated from containerd's own .proto files: the names containerd puts in Any type
// URLs, and an event envelope byte for byte as the runc shim forwards it (reference §4.1).
#include <gtest/gtest.h>

#include <string>

#include "github.com/containerd/cgroups/v2/stats/metrics.pb.h"
#include "github.com/containerd/containerd/api/events/task.pb.h"
#include "github.com/containerd/containerd/api/services/ttrpc/events/v1/events.pb.h"
#include "github.com/containerd/containerd/runtime/v2/runc/options/oci.pb.h"
#include "github.com/containerd/containerd/runtime/v2/task/shim.pb.h"
#include "ttrpc_test_harness.h"

namespace cradle::ttrpc {
namespace {

using ::cradle::ttrpc::testing::bytes;

TEST(TtrpcProtoTest, MessagesHaveContainerdsFullNames) {
  // Building the descriptors also proves every import (gogoproto, fieldpath) resolved.
  EXPECT_EQ(containerd::task::v2::CreateTaskRequest::descriptor()->full_name(),
            "containerd.task.v2.CreateTaskRequest");
  EXPECT_EQ(containerd::task::v2::CreateTaskRequest::descriptor()
                ->FindFieldByName("rootfs")
                ->message_type()
                ->full_name(),
            "containerd.types.Mount");
  EXPECT_EQ(containerd::task::v2::StateResponse::descriptor()
                ->FindFieldByName("status")
                ->enum_type()
                ->full_name(),
            "containerd.v1.types.Status");
  EXPECT_EQ(containerd::events::TaskExit::descriptor()->full_name(), "containerd.events.TaskExit");
  EXPECT_EQ(io::containerd::cgroups::v2::Metrics::descriptor()->full_name(),
            "io.containerd.cgroups.v2.Metrics");
  EXPECT_EQ(containerd::runc::v1::ProcessDetails::descriptor()->full_name(),
            "containerd.runc.v1.ProcessDetails");
  EXPECT_EQ(containerd::services::events::ttrpc::v1::ForwardRequest::descriptor()->full_name(),
            "containerd.services.events.ttrpc.v1.ForwardRequest");
}

TEST(TtrpcProtoTest, TaskExitForwardRequestMatchesTheRuncShimsBytes) {
  const std::string timestamp =
      bytes({0x08, 0x85, 0xe5, 0xa5, 0xd8, 0x06, 0x10, 0x87, 0xe3, 0xdb, 0x6d});
  const std::string expected = bytes({0x0a, 0x64, 0x0a, 0x0b}) + timestamp + bytes({0x12, 0x07}) +
                               "default" + bytes({0x1a, 0x0b}) + "/tasks/exit" +
                               bytes({0x22, 0x3f, 0x0a, 0x1a}) + "containerd.events.TaskExit" +
                               bytes({0x12, 0x21, 0x0a, 0x05}) + "test3" + bytes({0x12, 0x05}) +
                               "test3" + bytes({0x18, 0xeb, 0x82, 0x01, 0x20, 0x02, 0x2a, 0x0b}) +
                               timestamp;

  containerd::events::TaskExit exit;
  exit.set_container_id("test3");
  exit.set_id("test3");
  exit.set_pid(16747);
  exit.set_exit_status(2);
  exit.mutable_exited_at()->set_seconds(1795781253);
  exit.mutable_exited_at()->set_nanos(230093191);

  containerd::services::events::ttrpc::v1::ForwardRequest forward;
  auto* envelope = forward.mutable_envelope();
  envelope->mutable_timestamp()->set_seconds(1795781253);
  envelope->mutable_timestamp()->set_nanos(230093191);
  envelope->set_namespace_("default");
  envelope->set_topic("/tasks/exit");
  // containerd's type URLs are bare message names, with no type.googleapis.com/ prefix.
  envelope->mutable_event()->set_type_url("containerd.events.TaskExit");
  envelope->mutable_event()->set_value(exit.SerializeAsString());

  EXPECT_EQ(forward.SerializeAsString(), expected);
}

}  // namespace
}  // namespace cradle::ttrpc
