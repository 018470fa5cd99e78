// Small bridges between cradle's values and containerd's protobuf messages.
#pragma once

#include <google/protobuf/any.pb.h>
#include <google/protobuf/timestamp.pb.h>
#include <time.h>

#include <string>

namespace cradle::shim {

// The wall-clock time now, as containerd's timestamps are.
timespec now_realtime();

void set_timestamp(google::protobuf::Timestamp* out, const timespec& t);

// An Any as containerd writes them: the type URL is the bare message name
// ("containerd.events.TaskExit"), with no "type.googleapis.com/" prefix.
template <typename Message>
google::protobuf::Any pack_any(const Message& message) {
  google::protobuf::Any any;
  any.set_type_url(Message::descriptor()->full_name());
  any.set_value(message.SerializeAsString());
  return any;
}

}  // namespace cradle::shim
