// One copied stdio stream of a process, whatever carries it: a BytePump (fd to fd through a
// buffer) or a CriLogPump (fd to a CRI-format log file).
#pragma once

#include <cstdint>

namespace cradle::shim {

class Pump {
 public:
  virtual ~Pump() = default;
  // Takes what the source holds now, then ends as at end of file.
  virtual void end_source() = 0;
  // Bytes lost on the way.
  virtual std::uint64_t dropped() const = 0;
};

}  // namespace cradle::shim
