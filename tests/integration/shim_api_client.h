// Drives cradle-shim the way containerd does: `start` in a bundle, then the task API over ttrpc,
// with a stand-in for containerd's events service that records what the shim forwards.
#pragma once

#include <sys/types.h>

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "api/ttrpc/blocking_client.h"
#include "base/error.h"
#include "base/event_loop.h"
#include "github.com/containerd/containerd/runtime/v2/task/shim.pb.h"
#include "support/busybox_bundle.h"

namespace cradle::testing {

// containerd's ttrpc events endpoint, on a thread of its own: keeps every forwarded topic.
class EventsRecorder {
 public:
  explicit EventsRecorder(const std::string& socket_path);
  ~EventsRecorder();
  // Waits (boundedly) until `topic` has been received `count` times; the topics so far.
  std::vector<std::string> wait_for(const std::string& topic, int count = 1);

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<std::string> topics_;
  std::unique_ptr<EventLoop> loop_;
  int wake_fd_ = -1;
  std::thread thread_;
};

// A Create for container `id` in the bundle at bundle_path: the rootfs is the busybox image,
// bind-mounted read-only by the shim as containerd's snapshotter would for a single layer; no
// stdio.
containerd::task::v2::CreateTaskRequest busybox_create_request(const std::string& id,
                                                               const std::string& bundle_path);

class ShimUnderTest {
 public:
  // Writes the bundle's config (its rootfs is mounted by Create from `rootfs_source`), runs
  // `cradle-shim ... start` in it, and connects.
  ShimUnderTest(BusyboxBundle& bundle, const std::string& id, const std::string& events_socket);
  // Shuts the shim down if the test did not, and kills it by pid if it will not go.
  ~ShimUnderTest();

  // One call; throws cradle::Error with the status' message on failure.
  template <typename Response, typename Request>
  Response call(const std::string& method, const Request& request) {
    std::string payload = call_raw(method, request.SerializeAsString());
    Response response;
    response.ParseFromString(payload);
    return response;
  }
  std::string call_raw(const std::string& method, const std::string& payload);
  // A second connection, for a Wait that blocks while this one goes on.
  std::unique_ptr<ttrpc::BlockingTtrpcClient> another_connection() const;

  const std::string& address() const { return socket_; }
  pid_t shim_pid() const { return shim_pid_; }
  // Whether the shim process still exists.
  bool running() const;

 private:
  std::string socket_;
  pid_t shim_pid_ = -1;
  std::unique_ptr<ttrpc::BlockingTtrpcClient> client_;
};

}  // namespace cradle::testing
