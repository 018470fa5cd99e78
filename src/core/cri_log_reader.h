// Reads a container's CRI-format log (written by its shim through crilog://) back as entries,
// for `cradle logs` and `attach`: the last N lines, and following what is appended.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "base/unique_fd.h"

namespace cradle {

struct LogEntry {
  std::int64_t time_ns = 0;
  std::string stream;  // "stdout" / "stderr"
  std::string data;    // with its newline when the entry was a full line (F)
};

// One line of the file: "<RFC3339Nano> <stream> <F|P> <content>". False if malformed.
bool parse_cri_log_line(std::string_view line, LogEntry& entry);

class CriLogReader {
 public:
  // A missing file is an empty log (the container has not written yet).
  explicit CriLogReader(std::string path);

  // Entries from where the reader is to the end of what is written now. Starts at the
  // beginning, or at the entries of the last `tail` lines when tail >= 0.
  std::vector<LogEntry> read_available();
  void skip_to_end();  // for attach: only what is written from now on
  void start_at_tail(std::int64_t lines);

  // Waits up to timeout_ms for the file to grow (inotify), or for wake_fd (when given) to become
  // readable, so a caller also waiting for something else need not poll; true if either
  // happened.
  bool wait_for_more(int timeout_ms, int wake_fd = -1);

 private:
  bool open_if_present();

  std::string path_;
  UniqueFd file_;
  UniqueFd inotify_;
  off_t offset_ = 0;
  std::string partial_line_;  // a line the writer has not finished yet
};

}  // namespace cradle
