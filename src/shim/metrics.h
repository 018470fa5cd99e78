// A cgroup's stats as containerd's io.containerd.cgroups.v2.Metrics, the message `ctr task
// metrics`, containerd's Prometheus collector and the kubelet (through CRI) decode.
#pragma once

#include "cgroups/stats.h"
#include "github.com/containerd/cgroups/v2/stats/metrics.pb.h"

namespace cradle::shim {

io::containerd::cgroups::v2::Metrics to_metrics(const cgroups::CgroupStats& stats);

}  // namespace cradle::shim
