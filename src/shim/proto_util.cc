#include "shim/proto_util.h"

#include "base/error.h"

namespace cradle::shim {

timespec now_realtime() {
  timespec t{};
  if (::clock_gettime(CLOCK_REALTIME, &t) != 0) throw_errno("clock_gettime");
  return t;
}

void set_timestamp(google::protobuf::Timestamp* out, const timespec& t) {
  out->set_seconds(t.tv_sec);
  out->set_nanos(static_cast<int>(t.tv_nsec));
}

}  // namespace cradle::shim
