#include "shim/metrics.h"

#include <string_view>

namespace cradle::shim {
namespace {

namespace v2 = io::containerd::cgroups::v2;

std::uint64_t stat_value(const cgroups::FlatKeyed& stat, std::string_view key) {
  auto it = stat.find(std::string(key));
  return it == stat.end() ? 0 : it->second;
}

// kNoLimit ("max") is reported as 0, as containerd's cgroups library does.
std::uint64_t limit_value(std::uint64_t limit) {
  return limit == cgroups::kNoLimit ? 0 : limit;
}

void fill_memory(const cgroups::MemoryStats& m, v2::MemoryStat* out) {
  const cgroups::FlatKeyed& s = m.stat;
  out->set_anon(stat_value(s, "anon"));
  out->set_file(stat_value(s, "file"));
  out->set_kernel_stack(stat_value(s, "kernel_stack"));
  out->set_slab(stat_value(s, "slab"));
  out->set_sock(stat_value(s, "sock"));
  out->set_shmem(stat_value(s, "shmem"));
  out->set_file_mapped(stat_value(s, "file_mapped"));
  out->set_file_dirty(stat_value(s, "file_dirty"));
  out->set_file_writeback(stat_value(s, "file_writeback"));
  out->set_anon_thp(stat_value(s, "anon_thp"));
  out->set_inactive_anon(stat_value(s, "inactive_anon"));
  out->set_active_anon(stat_value(s, "active_anon"));
  out->set_inactive_file(stat_value(s, "inactive_file"));
  out->set_active_file(stat_value(s, "active_file"));
  out->set_unevictable(stat_value(s, "unevictable"));
  out->set_slab_reclaimable(stat_value(s, "slab_reclaimable"));
  out->set_slab_unreclaimable(stat_value(s, "slab_unreclaimable"));
  out->set_pgfault(stat_value(s, "pgfault"));
  out->set_pgmajfault(stat_value(s, "pgmajfault"));
  out->set_workingset_refault(stat_value(s, "workingset_refault"));
  out->set_workingset_activate(stat_value(s, "workingset_activate"));
  out->set_workingset_nodereclaim(stat_value(s, "workingset_nodereclaim"));
  out->set_pgrefill(stat_value(s, "pgrefill"));
  out->set_pgscan(stat_value(s, "pgscan"));
  out->set_pgsteal(stat_value(s, "pgsteal"));
  out->set_pgactivate(stat_value(s, "pgactivate"));
  out->set_pgdeactivate(stat_value(s, "pgdeactivate"));
  out->set_pglazyfree(stat_value(s, "pglazyfree"));
  out->set_pglazyfreed(stat_value(s, "pglazyfreed"));
  out->set_thp_fault_alloc(stat_value(s, "thp_fault_alloc"));
  out->set_thp_collapse_alloc(stat_value(s, "thp_collapse_alloc"));
  out->set_usage(m.current);
  out->set_usage_limit(limit_value(m.max));
}

}  // namespace

v2::Metrics to_metrics(const cgroups::CgroupStats& stats) {
  v2::Metrics metrics;
  if (stats.pids) {
    metrics.mutable_pids()->set_current(stats.pids->current);
    metrics.mutable_pids()->set_limit(limit_value(stats.pids->max));
  }
  if (stats.cpu) {
    auto* cpu = metrics.mutable_cpu();
    cpu->set_usage_usec(stats.cpu->usage_usec);
    cpu->set_user_usec(stats.cpu->user_usec);
    cpu->set_system_usec(stats.cpu->system_usec);
    cpu->set_nr_periods(stats.cpu->nr_periods);
    cpu->set_nr_throttled(stats.cpu->nr_throttled);
    cpu->set_throttled_usec(stats.cpu->throttled_usec);
  }
  if (stats.memory) {
    fill_memory(*stats.memory, metrics.mutable_memory());
    auto* events = metrics.mutable_memory_events();
    events->set_low(stats.memory->events.low);
    events->set_high(stats.memory->events.high);
    events->set_max(stats.memory->events.max);
    events->set_oom(stats.memory->events.oom);
    events->set_oom_kill(stats.memory->events.oom_kill);
  }
  for (const auto& io : stats.io) {
    auto* entry = metrics.mutable_io()->add_usage();
    entry->set_major(io.major);
    entry->set_minor(io.minor);
    entry->set_rbytes(io.rbytes);
    entry->set_wbytes(io.wbytes);
    entry->set_rios(io.rios);
    entry->set_wios(io.wios);
  }
  return metrics;
}

}  // namespace cradle::shim
