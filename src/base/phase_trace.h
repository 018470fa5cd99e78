// Per-phase timestamps of a container start, for the start-latency benchmark's breakdown. When
// the environment variable CRADLE_TRACE names a file, each mark appends one JSON line to it:
//   {"pid":123,"mark":"clone3","ns":4567890123}
// with ns on CLOCK_MONOTONIC, which every process of the machine shares (cradle makes no time
// namespaces). Processes started by cradle's own (shims) inherit the variable; containers do
// not (their environment is their spec's). Without the variable a mark costs one branch.
#pragma once

#include <cstdint>

#include "base/clock.h"  // monotonic_ns, the clock of the marks

namespace cradle {

void trace_mark(const char* mark);
void trace_mark_at(const char* mark, std::int64_t ns);

}  // namespace cradle
