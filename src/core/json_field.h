// A JSON value together with its path in config.json ("process.args[0]"), so that every error the
// spec parser reports names where in the document it is. Errors are Error(kInvalidArgument,
// "<path>: <reason>").
#pragma once

#include <nlohmann/json.hpp>

#include <concepts>
#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace cradle {

// s as a JSON string literal: quoted, with quotes and control characters escaped.
std::string quote(std::string_view s);

// The path of member key below parent: "linux.cgroupsPath", or
// `linux.sysctl["net.ipv4.ip_forward"]` for keys that would not read back unambiguously after a
// dot. An empty parent is the document.
std::string json_member_path(std::string_view parent, std::string_view key);

// Throws Error(kInvalidArgument, "<path>: <reason>"), the form of every spec error.
[[noreturn]] void fail_at(std::string_view path, std::string_view reason);

class JsonField {
 public:
  // The whole document; its errors are reported against "config.json".
  static JsonField document(const nlohmann::json& value) { return JsonField(value, ""); }
  // A part of a spec sent on its own (an exec's process, an update's resources), reported
  // against the path it has in a full config.json.
  static JsonField section(const nlohmann::json& value, std::string path) {
    return JsonField(value, std::move(path));
  }

  std::string path() const { return path_.empty() ? "config.json" : path_; }

  [[noreturn]] void fail(std::string_view reason) const;

  // A member of this object. An absent key and a null one are the same: Go's encoding/json, and so
  // runc and the tools that write configs, read null as "not set".
  std::optional<JsonField> find(std::string_view key) const;
  // Fails with "<path>.<key>: required" when the member is absent or null.
  JsonField require(std::string_view key) const;

  std::vector<JsonField> elements() const;  // of an array
  // Each element of this array decoded with parse(const JsonField&).
  template <typename Parse>
  auto map_elements(Parse&& parse) const {
    std::vector<std::decay_t<std::invoke_result_t<Parse&, const JsonField&>>> out;
    for (const auto& element : elements())
      out.push_back(parse(element));
    return out;
  }
  std::vector<std::pair<std::string, JsonField>> members() const;  // of an object, by key

  std::string as_string() const;
  bool as_bool() const;
  std::vector<std::string> as_string_list() const;
  std::map<std::string, std::string> as_string_map() const;

  template <std::integral T>
  T as_integer(T min = std::numeric_limits<T>::min(), T max = std::numeric_limits<T>::max()) const {
    if constexpr (std::is_signed_v<T>) {
      return static_cast<T>(
          as_int64(min, max, std::numeric_limits<T>::min(), std::numeric_limits<T>::max()));
    } else {
      return static_cast<T>(as_uint64(min, max, std::numeric_limits<T>::max()));
    }
  }

  // The value decoded as T: bool, an integer type, std::string, a list or a map of strings.
  template <typename T>
  T as() const {
    if constexpr (std::is_same_v<T, bool>) {
      return as_bool();
    } else if constexpr (std::is_integral_v<T>) {
      return as_integer<T>();
    } else if constexpr (std::is_same_v<T, std::string>) {
      return as_string();
    } else if constexpr (std::is_same_v<T, std::vector<std::string>>) {
      return as_string_list();
    } else {
      static_assert(std::is_same_v<T, std::map<std::string, std::string>>, "no decoder for T");
      return as_string_map();
    }
  }

  // Decodes member key into out when it is set; leaves out as it was (its default) otherwise.
  template <typename T>
  void read(std::string_view key, T& out) const {
    if (auto member = find(key)) out = member->as<T>();
  }
  template <typename T>
  void read(std::string_view key, std::optional<T>& out) const {
    if (auto member = find(key)) out = member->as<T>();
  }
  // Same, decoding with parse(const JsonField&), for the parts that are more than one value.
  template <typename T, typename Parse>
  void read(std::string_view key, T& out, Parse&& parse) const {
    if (auto member = find(key)) out = parse(*member);
  }

 private:
  JsonField(const nlohmann::json& value, std::string path)
      : value_(&value), path_(std::move(path)) {}

  void expect(bool ok, std::string_view what) const;
  void expect_integer() const;
  // The range checks of as_integer; type_min/type_max say which bounds are the type's own, so
  // that the message only speaks of the bounds the field really has.
  std::int64_t as_int64(std::int64_t min, std::int64_t max, std::int64_t type_min,
                        std::int64_t type_max) const;
  std::uint64_t as_uint64(std::uint64_t min, std::uint64_t max, std::uint64_t type_max) const;

  const nlohmann::json* value_;
  std::string path_;
};

// A parser of a whole array out of a parser of one element, for JsonField::read.
template <typename Parse>
auto list_of(Parse parse) {
  return [parse](const JsonField& list) { return list.map_elements(parse); };
}

}  // namespace cradle
