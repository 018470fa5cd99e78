#include "cli/format.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <ctime>

namespace cradle::cli {
namespace {

std::string with_unit(double value, double base, const std::array<const char*, 7>& units) {
  std::size_t unit = 0;
  while (value >= base && unit + 1 < units.size()) {
    value /= base;
    ++unit;
  }
  char text[64];
  std::snprintf(text, sizeof text, "%.4g%s", value, units[unit]);
  return text;
}

bool is_continuation_byte(char c) {
  return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

}  // namespace

std::string human_duration(std::chrono::nanoseconds elapsed) {
  using namespace std::chrono;
  auto seconds = duration_cast<std::chrono::seconds>(elapsed).count();
  if (seconds < 1) return "Less than a second";
  if (seconds == 1) return "1 second";
  if (seconds < 60) return std::to_string(seconds) + " seconds";
  auto minutes = seconds / 60;
  if (minutes == 1) return "About a minute";
  if (minutes < 60) return std::to_string(minutes) + " minutes";
  auto hours =
      static_cast<long long>(std::round(duration<double, std::ratio<3600>>(elapsed).count()));
  if (hours == 1) return "About an hour";
  if (hours < 48) return std::to_string(hours) + " hours";
  if (hours < 24 * 7 * 2) return std::to_string(hours / 24) + " days";
  if (hours < 24 * 30 * 2) return std::to_string(hours / 24 / 7) + " weeks";
  if (hours < 24 * 365 * 2) return std::to_string(hours / 24 / 30) + " months";
  return std::to_string(seconds / 3600 / 24 / 365) + " years";
}

std::string human_size(double bytes) {
  return with_unit(bytes, 1000, {"B", "kB", "MB", "GB", "TB", "PB", "EB"});
}

std::string binary_size(double bytes) {
  return with_unit(bytes, 1024, {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"});
}

std::size_t display_width(std::string_view text) {
  return static_cast<std::size_t>(
      std::count_if(text.begin(), text.end(), [](char c) { return !is_continuation_byte(c); }));
}

std::string ellipsize(std::string_view text, std::size_t width) {
  if (display_width(text) <= width) return std::string(text);
  if (width == 0) return {};
  // Keep width - 1 characters: cut before the first byte of character number width - 1.
  std::size_t kept = 0;
  std::size_t end = 0;
  for (; end < text.size(); ++end) {
    if (is_continuation_byte(text[end])) continue;
    if (kept == width - 1) break;
    ++kept;
  }
  return std::string(text.substr(0, end)) + "\u2026";
}

std::string quote(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (byte < 0x20 || byte == 0x7f) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\x%02x", byte);
      out += escaped;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

TimePoint to_time_point(const google::protobuf::Timestamp& timestamp) {
  return TimePoint(std::chrono::duration_cast<TimePoint::duration>(
      std::chrono::seconds(timestamp.seconds()) + std::chrono::nanoseconds(timestamp.nanos())));
}

bool is_set(const google::protobuf::Timestamp& timestamp) {
  return timestamp.seconds() != 0 || timestamp.nanos() != 0;
}

namespace {

std::tm utc_tm(std::time_t seconds) {
  std::tm fields{};
  ::gmtime_r(&seconds, &fields);
  return fields;
}

}  // namespace

std::string rfc3339_nano(const google::protobuf::Timestamp& timestamp) {
  std::tm fields = utc_tm(static_cast<std::time_t>(timestamp.seconds()));
  char date[32];
  std::strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%S", &fields);
  char text[48];
  std::snprintf(text, sizeof text, "%s.%09dZ", date, timestamp.nanos());
  return text;
}

std::string utc_date_time(TimePoint time) {
  std::tm fields = utc_tm(std::chrono::system_clock::to_time_t(time));
  char text[48];
  std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S +0000 UTC", &fields);
  return text;
}

Table::Table(std::vector<std::string> header) {
  rows_.push_back(std::move(header));
}

void Table::add_row(std::vector<std::string> row) {
  rows_.push_back(std::move(row));
}

std::string Table::render() const {
  constexpr std::size_t kMinWidth = 10;
  constexpr std::size_t kPadding = 3;
  std::vector<std::size_t> widths(rows_.front().size(), kMinWidth);
  for (const auto& row : rows_)
    for (std::size_t column = 0; column < row.size() && column < widths.size(); ++column)
      widths[column] = std::max(widths[column], display_width(row[column]) + kPadding);
  std::string out;
  for (const auto& row : rows_) {
    for (std::size_t column = 0; column < row.size(); ++column) {
      out += row[column];
      if (column + 1 < row.size()) out.append(widths[column] - display_width(row[column]), ' ');
    }
    out += '\n';
  }
  return out;
}

}  // namespace cradle::cli
