// A shim's Stats reply (io.containerd.cgroups.v2.Metrics in an Any) back to cgroup stats.
#pragma once

#include <google/protobuf/any.pb.h>

#include "cgroups/stats.h"

namespace cradle::api {

// Throws kInternal for an Any of another type.
cgroups::CgroupStats from_metrics(const google::protobuf::Any& stats);

}  // namespace cradle::api
