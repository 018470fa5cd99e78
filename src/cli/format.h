// Text for people: docker's durations and sizes, quoted commands, timestamps and tables, so that
// cradle's output reads like the docker output its users already know.
#pragma once

#include <google/protobuf/timestamp.pb.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace cradle::cli {

using TimePoint = std::chrono::system_clock::time_point;

// docker's units.HumanDuration: "Less than a second", "5 seconds", "About a minute", "3 hours",
// "2 weeks"...
std::string human_duration(std::chrono::nanoseconds elapsed);

// Decimal units with four significant digits, as docker prints image sizes: "1.24MB".
std::string human_size(double bytes);
// Binary units, as docker stats prints memory: "1.5MiB".
std::string binary_size(double bytes);

// Characters as a terminal counts them (UTF-8 code points), for column widths.
std::size_t display_width(std::string_view text);
// At most `width` characters, the last one an ellipsis when something was cut.
std::string ellipsize(std::string_view text, std::size_t width);
// A double-quoted string with backslashes, quotes and control characters escaped.
std::string quote(std::string_view text);

TimePoint to_time_point(const google::protobuf::Timestamp& timestamp);
bool is_set(const google::protobuf::Timestamp& timestamp);
// "2024-05-01T12:00:00.123456789Z"
std::string rfc3339_nano(const google::protobuf::Timestamp& timestamp);
// "2024-05-01 12:00:00 +0000 UTC", docker's CreatedAt.
std::string utc_date_time(TimePoint time);

// Columns padded to their widest cell plus three spaces (ten at least), as docker's tabwriter
// lays out `docker ps`; the last column is not padded.
class Table {
 public:
  explicit Table(std::vector<std::string> header);
  void add_row(std::vector<std::string> row);
  std::string render() const;

 private:
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace cradle::cli
