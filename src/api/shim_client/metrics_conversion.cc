#include "api/shim_client/metrics_conversion.h"

#include "base/error.h"
#include "github.com/containerd/cgroups/v2/stats/metrics.pb.h"

namespace cradle::api {

cgroups::CgroupStats from_metrics(const google::protobuf::Any& any) {
  io::containerd::cgroups::v2::Metrics m;
  if (any.type_url() != "io.containerd.cgroups.v2.Metrics" || !m.ParseFromString(any.value())) {
    throw Error(ErrorCode::kInternal, "a shim sent stats of an unknown type " + any.type_url());
  }
  cgroups::CgroupStats s;
  if (m.has_cpu()) {
    s.cpu =
        cgroups::CpuStats{m.cpu().usage_usec(), m.cpu().user_usec(),    m.cpu().system_usec(),
                          m.cpu().nr_periods(), m.cpu().nr_throttled(), m.cpu().throttled_usec()};
  }
  if (m.has_memory()) {
    cgroups::MemoryStats mem;
    mem.current = m.memory().usage();
    mem.max = m.memory().usage_limit() == 0 ? cgroups::kNoLimit : m.memory().usage_limit();
    s.memory = mem;
  }
  if (m.has_pids()) {
    s.pids = cgroups::PidsStats{m.pids().current(),
                                m.pids().limit() == 0 ? cgroups::kNoLimit : m.pids().limit()};
  }
  for (const auto& e : m.io().usage()) {
    s.io.push_back({static_cast<std::uint32_t>(e.major()), static_cast<std::uint32_t>(e.minor()),
                    e.rbytes(), e.wbytes(), e.rios(), e.wios()});
  }
  return s;
}

}  // namespace cradle::api
