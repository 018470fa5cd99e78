#include "core/cri_log_reader.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/inotify.h>
#include <time.h>
#include <unistd.h>

#include <cstdlib>
#include <deque>

#include "base/error.h"

namespace cradle {
namespace {

// "2026-11-27T14:09:09.798323991Z" -> ns since the epoch.
bool parse_time(std::string_view text, std::int64_t& ns) {
  if (text.size() < 20 || text.back() != 'Z') return false;
  tm t{};
  std::string s(text);
  if (std::sscanf(s.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d", &t.tm_year, &t.tm_mon, &t.tm_mday,
                  &t.tm_hour, &t.tm_min, &t.tm_sec) != 6) {
    return false;
  }
  t.tm_year -= 1900;
  t.tm_mon -= 1;
  std::int64_t nanos = 0;
  if (s.size() > 20 && s[19] == '.') {
    std::string frac = s.substr(20, s.size() - 21);
    frac.resize(9, '0');
    nanos = std::strtoll(frac.c_str(), nullptr, 10);
  }
  ns = static_cast<std::int64_t>(::timegm(&t)) * 1'000'000'000LL + nanos;
  return true;
}

}  // namespace

bool parse_cri_log_line(std::string_view line, LogEntry& entry) {
  auto first = line.find(' ');
  if (first == std::string_view::npos) return false;
  auto second = line.find(' ', first + 1);
  if (second == std::string_view::npos || second + 2 > line.size()) return false;
  if (!parse_time(line.substr(0, first), entry.time_ns)) return false;
  entry.stream = std::string(line.substr(first + 1, second - first - 1));
  char tag = line[second + 1];
  if (tag != 'F' && tag != 'P') return false;
  std::string_view content = second + 3 <= line.size() ? line.substr(second + 3) : "";
  entry.data = std::string(content);
  if (tag == 'F') entry.data += '\n';
  return true;
}

CriLogReader::CriLogReader(std::string path) : path_(std::move(path)) {
  open_if_present();
}

bool CriLogReader::open_if_present() {
  if (file_) return true;
  int fd = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno != ENOENT) throw_errno("open the log " + path_);
    return false;
  }
  file_.reset(fd);
  return true;
}

std::vector<LogEntry> CriLogReader::read_available() {
  std::vector<LogEntry> entries;
  if (!open_if_present()) return entries;
  char buf[65536];
  for (;;) {
    ssize_t n = ::pread(file_.get(), buf, sizeof buf, offset_);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw_errno("read the log " + path_);
    }
    if (n == 0) break;
    offset_ += n;
    partial_line_.append(buf, static_cast<std::size_t>(n));
    std::size_t start = 0;
    for (std::size_t nl; (nl = partial_line_.find('\n', start)) != std::string::npos;
         start = nl + 1) {
      LogEntry entry;
      if (parse_cri_log_line(std::string_view(partial_line_).substr(start, nl - start), entry)) {
        entries.push_back(std::move(entry));
      }
    }
    partial_line_.erase(0, start);
  }
  return entries;
}

void CriLogReader::skip_to_end() {
  if (!open_if_present()) return;
  off_t end = ::lseek(file_.get(), 0, SEEK_END);
  if (end < 0) throw_errno("seek the log " + path_);
  offset_ = end;
  partial_line_.clear();
}

void CriLogReader::start_at_tail(std::int64_t lines) {
  if (lines < 0 || !open_if_present()) return;
  // Read it all once and remember where the last `lines` full lines begin. Logs are small next
  // to memory; a reverse scan would only matter for huge ones.
  std::vector<off_t> line_starts;
  off_t pos = 0;
  char buf[65536];
  bool at_line_start = true;
  for (;;) {
    ssize_t n = ::pread(file_.get(), buf, sizeof buf, pos);
    if (n <= 0) break;
    for (ssize_t i = 0; i < n; ++i) {
      if (at_line_start) line_starts.push_back(pos + i);
      at_line_start = buf[i] == '\n';
    }
    pos += n;
  }
  // An entry with a P tag continues on the next file line: count user-visible lines by F tags.
  std::deque<off_t> f_starts;
  std::vector<char> tagbuf(64);
  off_t first_of_line = line_starts.empty() ? 0 : line_starts.front();
  bool new_visible_line = true;
  for (off_t start : line_starts) {
    if (new_visible_line) first_of_line = start;
    ssize_t n = ::pread(file_.get(), tagbuf.data(), tagbuf.size(), start);
    std::string_view head(tagbuf.data(), n > 0 ? static_cast<std::size_t>(n) : 0);
    auto s1 = head.find(' ');
    auto s2 = s1 == std::string_view::npos ? s1 : head.find(' ', s1 + 1);
    bool full = s2 != std::string_view::npos && s2 + 1 < head.size() && head[s2 + 1] == 'F';
    new_visible_line = full;
    if (full) {
      f_starts.push_back(first_of_line);
      if (static_cast<std::int64_t>(f_starts.size()) > lines) f_starts.pop_front();
    }
  }
  offset_ = lines == 0 ? pos : (f_starts.empty() ? 0 : f_starts.front());
  partial_line_.clear();
}

bool CriLogReader::wait_for_more(int timeout_ms, int wake_fd) {
  if (!inotify_) {
    inotify_.reset(::inotify_init1(IN_CLOEXEC | IN_NONBLOCK));
    if (!inotify_) throw_errno("inotify_init1");
  }
  // Not created yet: wait for its directory to change. (Adding a watch again only updates it.)
  const bool present = open_if_present();
  const std::string watched = present ? path_ : path_.substr(0, path_.rfind('/'));
  if (::inotify_add_watch(inotify_.get(), watched.c_str(), present ? IN_MODIFY : IN_CREATE) < 0)
    throw_errno("watch " + watched);
  pollfd fds[2] = {{inotify_.get(), POLLIN, 0}, {wake_fd, POLLIN, 0}};
  int n = ::poll(fds, wake_fd >= 0 ? 2 : 1, timeout_ms);
  if (n < 0 && errno != EINTR) throw_errno("poll the log " + path_);
  if (n > 0 && (fds[0].revents & POLLIN) != 0) {
    char buf[4096];
    while (::read(inotify_.get(), buf, sizeof buf) > 0) {
    }
  }
  return n > 0;
}

}  // namespace cradle
