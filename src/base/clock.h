// Nanosecond timestamps: CLOCK_MONOTONIC for durations (the same in every process of the
// machine, so marks of several processes compare), CLOCK_REALTIME for wall-clock times that
// users see (created, exited at).
#pragma once

#include <cstdint>

namespace cradle {

std::int64_t monotonic_ns();
std::int64_t realtime_ns();

}  // namespace cradle
