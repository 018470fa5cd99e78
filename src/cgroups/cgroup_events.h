// Waiting on a cgroup's cgroup.events (populated, frozen) without a sleep loop: the kernel wakes
// poll(2) with POLLPRI on every change of that file (cgroup-v2 documentation, "cgroup.events").
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "cgroups/cgroup_file_format.h"

namespace cradle::cgroups {

// Reads the flat-keyed events file at events_path.
FlatKeyed read_cgroup_events(const std::string& events_path);

// Returns once the events file at events_path shows `key value`. Throws kUnavailable when it does
// not within timeout, naming the key, the value and the file.
void wait_for_cgroup_event(const std::string& events_path, std::string_view key,
                           std::uint64_t value, std::chrono::milliseconds timeout);

}  // namespace cradle::cgroups
