#include "base/clock.h"

#include <time.h>

namespace cradle {
namespace {

// clock_gettime cannot fail for these clocks with a valid timespec.
std::int64_t now(clockid_t clock) {
  timespec t{};
  ::clock_gettime(clock, &t);
  return t.tv_sec * 1'000'000'000LL + t.tv_nsec;
}

}  // namespace

std::int64_t monotonic_ns() {
  return now(CLOCK_MONOTONIC);
}

std::int64_t realtime_ns() {
  return now(CLOCK_REALTIME);
}

}  // namespace cradle
