#include "shim/cri_log.h"

#include <unistd.h>

#include <cerrno>
#include <cstdio>

#include "base/error.h"
#include "shim/proto_util.h"

namespace cradle::shim {
namespace {

constexpr std::size_t kReadChunk = 64 * 1024;
// How much one turn of the loop takes from a source, so one chatty process cannot hold it.
constexpr std::size_t kTurnBudget = 1024 * 1024;

}  // namespace

std::string rfc3339_nano(const timespec& t) {
  tm utc{};
  ::gmtime_r(&t.tv_sec, &utc);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%09ldZ", utc.tm_year + 1900,
                utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, t.tv_nsec);
  return buf;
}

bool CriLogWriter::append(std::string_view stream, std::string_view data) {
  std::string prefix = rfc3339_nano(now_realtime()) + " " + std::string(stream) + " ";
  std::string entries;
  while (!data.empty()) {
    auto newline = data.find('\n');
    bool full = newline != std::string_view::npos;
    std::string_view line = full ? data.substr(0, newline) : data;
    entries += prefix;
    entries += full ? "F " : "P ";
    entries += line;
    entries += '\n';
    data.remove_prefix(full ? newline + 1 : data.size());
  }
  std::string_view out = entries;
  while (!out.empty()) {
    ssize_t n = ::write(file_.get(), out.data(), out.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    out.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

CriLogPump::CriLogPump(EventLoop& loop, UniqueFd source, std::shared_ptr<CriLogWriter> writer,
                       std::string stream, std::function<void()> finished)
    : loop_(loop),
      source_(std::move(source)),
      writer_(std::move(writer)),
      stream_(std::move(stream)),
      finished_(std::move(finished)) {
  loop_.add(source_.get(), EPOLLIN, [this](std::uint32_t) {
    if (!drain(kTurnBudget)) finish();
  });
}

CriLogPump::~CriLogPump() {
  if (source_) loop_.remove(source_.get());
}

bool CriLogPump::drain(std::size_t budget) {
  char buf[kReadChunk];
  while (budget > 0) {
    ssize_t n = ::read(source_.get(), buf, sizeof buf);
    if (n > 0) {
      if (!writer_->append(stream_, std::string_view(buf, static_cast<std::size_t>(n)))) {
        dropped_ += static_cast<std::uint64_t>(n);
      }
      budget -= std::min(budget, static_cast<std::size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN) return true;
    return false;  // end of file, or EIO from a pty master whose slaves all closed
  }
  return true;
}

void CriLogPump::end_source() {
  if (!source_) return;
  drain(kTurnBudget);
  finish();
}

void CriLogPump::finish() {
  if (!source_) return;
  loop_.remove(source_.get());
  source_.reset();
  if (finished_) std::exchange(finished_, nullptr)();
}

}  // namespace cradle::shim
