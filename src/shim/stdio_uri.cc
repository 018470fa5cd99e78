#include "shim/stdio_uri.h"

#include <algorithm>
#include <cctype>
#include <optional>

#include "base/error.h"

namespace cradle::shim {
namespace {

std::optional<int> hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return std::nullopt;
}

// %XX escapes, and '+' as a space in a query (Go's url.QueryUnescape).
std::string unescape(std::string_view text, bool in_query, std::string_view stream) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '+' && in_query) {
      out += ' ';
    } else if (c != '%') {
      out += c;
    } else {
      auto high = i + 2 < text.size() ? hex_digit(text[i + 1]) : std::nullopt;
      auto low = i + 2 < text.size() ? hex_digit(text[i + 2]) : std::nullopt;
      if (!high || !low) {
        throw_invalid(std::string(stream) + ": invalid escape \"" + std::string(text.substr(i, 3)) +
                      "\" in URI");
      }
      out += static_cast<char>(*high * 16 + *low);
      i += 2;
    }
  }
  return out;
}

// A URL scheme per RFC 3986: a letter, then letters, digits, '+', '-' or '.'.
bool is_scheme(std::string_view s) {
  if (s.empty() || !std::isalpha(static_cast<unsigned char>(s[0]))) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.';
  });
}

std::vector<std::string> query_args(std::string_view query, std::string_view stream) {
  std::vector<std::string> args;
  std::vector<std::string> seen;
  while (!query.empty()) {
    auto amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    if (pair.empty()) continue;
    auto eq = pair.find('=');
    std::string key = unescape(pair.substr(0, eq), true, stream);
    std::string value =
        eq == std::string_view::npos ? std::string{} : unescape(pair.substr(eq + 1), true, stream);
    // url.Values keeps every value of a key; NewBinaryCmd passes only the first.
    if (std::find(seen.begin(), seen.end(), key) != seen.end()) continue;
    seen.push_back(key);
    args.push_back(std::move(key));
    args.push_back(std::move(value));
  }
  return args;
}

}  // namespace

StdioTarget parse_stdio_target(std::string_view value, std::string_view stream) {
  if (value.empty()) return {};
  auto sep = value.find("://");
  if (sep == std::string_view::npos || !is_scheme(value.substr(0, sep))) {
    return {StdioTarget::Kind::kFifo, std::string(value), {}};
  }
  std::string_view scheme = value.substr(0, sep);
  StdioTarget target;
  if (scheme == "file") {
    target.kind = StdioTarget::Kind::kFile;
  } else if (scheme == "binary") {
    target.kind = StdioTarget::Kind::kBinary;
  } else if (scheme == "crilog") {
    target.kind = StdioTarget::Kind::kCriLog;
  } else {
    throw_invalid(std::string(stream) + ": unsupported stdio scheme \"" + std::string(scheme) +
                  "\" (want a FIFO path, file://, binary:// or crilog://)");
  }
  std::string_view rest = value.substr(sep + 3);
  std::string_view query;
  if (auto q = rest.find('?'); q != std::string_view::npos) {
    query = rest.substr(q + 1);
    rest = rest.substr(0, q);
  }
  auto slash = rest.find('/');
  target.path = slash == std::string_view::npos ? "" : unescape(rest.substr(slash), false, stream);
  if (target.path.empty()) {
    throw_invalid(std::string(stream) + ": " + std::string(value) + " has no absolute path");
  }
  if (target.kind == StdioTarget::Kind::kBinary) target.args = query_args(query, stream);
  return target;
}

}  // namespace cradle::shim
