#include "core/json_field.h"

#include "base/error.h"

namespace cradle {

namespace {

// A key that reads unambiguously after a dot; others ("net.ipv4.ip_forward") go in brackets.
bool is_plain_key(std::string_view key) {
  if (key.empty() || (key[0] >= '0' && key[0] <= '9')) return false;
  for (char c : key) {
    bool plain =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    if (!plain) return false;
  }
  return true;
}

// "must be between 0 and 5", "must be at least 1", ...: the bounds the field has and the one the
// value broke, not the bounds of the C++ type that merely holds it.
template <typename T>
std::string range_reason(T min, T max, bool show_min, bool show_max) {
  if (show_min && !show_max) return "must be at least " + std::to_string(min);
  if (show_max && !show_min) return "must be at most " + std::to_string(max);
  return "must be between " + std::to_string(min) + " and " + std::to_string(max);
}

}  // namespace

std::string quote(std::string_view s) {
  // Invalid UTF-8 (possible in a json built in code, not in a parsed one) is shown as U+FFFD
  // rather than thrown about while reporting another error.
  return nlohmann::json(s).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string json_member_path(std::string_view parent, std::string_view key) {
  if (!is_plain_key(key)) return std::string(parent) + "[" + quote(key) + "]";
  if (parent.empty()) return std::string(key);
  return std::string(parent) + "." + std::string(key);
}

void fail_at(std::string_view path, std::string_view reason) {
  throw Error(ErrorCode::kInvalidArgument, std::string(path) + ": " + std::string(reason));
}

void JsonField::fail(std::string_view reason) const {
  fail_at(path(), reason);
}

void JsonField::expect(bool ok, std::string_view what) const {
  if (!ok) fail("must be " + std::string(what) + ", got " + value_->type_name());
}

std::optional<JsonField> JsonField::find(std::string_view key) const {
  expect(value_->is_object(), "an object");
  auto it = value_->find(key);
  if (it == value_->end() || it->is_null()) return std::nullopt;
  return JsonField(*it, json_member_path(path_, key));
}

JsonField JsonField::require(std::string_view key) const {
  if (auto member = find(key)) return *member;
  fail_at(json_member_path(path_, key), "required");
}

std::vector<JsonField> JsonField::elements() const {
  expect(value_->is_array(), "an array");
  std::vector<JsonField> out;
  out.reserve(value_->size());
  for (std::size_t i = 0; i < value_->size(); ++i) {
    out.push_back(JsonField((*value_)[i], path() + "[" + std::to_string(i) + "]"));
  }
  return out;
}

std::vector<std::pair<std::string, JsonField>> JsonField::members() const {
  expect(value_->is_object(), "an object");
  std::vector<std::pair<std::string, JsonField>> out;
  for (const auto& [key, value] : value_->items()) {
    out.emplace_back(key, JsonField(value, json_member_path(path_, key)));
  }
  return out;
}

std::string JsonField::as_string() const {
  expect(value_->is_string(), "a string");
  return value_->get<std::string>();
}

bool JsonField::as_bool() const {
  expect(value_->is_boolean(), "a boolean");
  return value_->get<bool>();
}

std::vector<std::string> JsonField::as_string_list() const {
  std::vector<std::string> out;
  for (const auto& element : elements())
    out.push_back(element.as_string());
  return out;
}

std::map<std::string, std::string> JsonField::as_string_map() const {
  std::map<std::string, std::string> out;
  for (const auto& [key, value] : members())
    out.emplace(key, value.as_string());
  return out;
}

std::int64_t JsonField::as_int64(std::int64_t min, std::int64_t max, std::int64_t type_min,
                                 std::int64_t type_max) const {
  expect_integer();
  // nlohmann keeps a non-negative literal as uint64, which may not fit in int64.
  bool too_small = false;
  bool too_large = false;
  if (value_->is_number_unsigned()) {
    auto value = value_->get<std::uint64_t>();
    too_small = std::cmp_less(value, min);
    too_large = std::cmp_greater(value, max);
  } else {
    auto value = value_->get<std::int64_t>();
    too_small = value < min;
    too_large = value > max;
  }
  if (too_small || too_large) {
    fail(range_reason(min, max, too_small || min != type_min, too_large || max != type_max) +
         ", got " + value_->dump());
  }
  return value_->is_number_unsigned() ? static_cast<std::int64_t>(value_->get<std::uint64_t>())
                                      : value_->get<std::int64_t>();
}

std::uint64_t JsonField::as_uint64(std::uint64_t min, std::uint64_t max,
                                   std::uint64_t type_max) const {
  expect_integer();
  if (!value_->is_number_unsigned() && value_->get<std::int64_t>() < 0) {
    fail("must not be negative, got " + value_->dump());
  }
  auto value = value_->get<std::uint64_t>();
  if (value < min || value > max) {
    fail(range_reason(min, max, value < min || min != 0, value > max || max != type_max) +
         ", got " + value_->dump());
  }
  return value;
}

void JsonField::expect_integer() const {
  expect(value_->is_number(), "an integer");
  if (!value_->is_number_integer()) fail("must be an integer, got " + value_->dump());
}

}  // namespace cradle
