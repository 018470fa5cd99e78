#include "core/sqlite_db.h"

#include <sqlite3.h>

#include <utility>

#include "base/error.h"

namespace cradle {
namespace {

ErrorCode error_code_for_sqlite(int rc) {
  switch (rc & 0xff) {  // the primary result code
    case SQLITE_BUSY:
    case SQLITE_LOCKED: return ErrorCode::kUnavailable;
    case SQLITE_CONSTRAINT: return ErrorCode::kAlreadyExists;
    case SQLITE_FULL:
    case SQLITE_NOMEM: return ErrorCode::kResourceExhausted;
    case SQLITE_PERM:
    case SQLITE_READONLY:
    case SQLITE_AUTH: return ErrorCode::kPermissionDenied;
    default: return ErrorCode::kInternal;
  }
}

// "INSERT INTO containers" of "INSERT INTO containers (ns, ...) VALUES ...": enough to tell which
// statement failed without quoting all of it.
std::string describe_sql(std::string_view sql) {
  std::size_t end = 0;
  for (int words = 0; words < 3 && end < sql.size(); ++words) {
    end = sql.find_first_of(" \n(", sql.find_first_not_of(" \n", end));
    if (end == std::string_view::npos) end = sql.size();
  }
  std::size_t begin = sql.find_first_not_of(" \n");
  return begin == std::string_view::npos ? std::string()
                                         : std::string(sql.substr(begin, end - begin));
}

}  // namespace

SqliteDb::SqliteDb(std::string path, int busy_timeout_ms) : path_(std::move(path)) {
  // NOMUTEX: the owner serializes every call, so SQLite's own per-connection mutex is not needed.
  int rc =
      sqlite3_open_v2(path_.c_str(), &db_,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    // A handle is returned even on failure (unless out of memory); it holds the message.
    std::string message = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
    int err = db_ ? sqlite3_system_errno(db_) : 0;
    sqlite3_close(db_);
    throw Error(error_code_for_sqlite(rc), path_ + ": open: " + message, err);
  }
  sqlite3_extended_result_codes(db_, 1);
  rc = sqlite3_busy_timeout(db_, busy_timeout_ms);
  if (rc != SQLITE_OK) {
    std::string message = sqlite3_errmsg(db_);
    sqlite3_close(db_);
    throw Error(error_code_for_sqlite(rc), path_ + ": set busy timeout: " + message);
  }
}

SqliteDb::~SqliteDb() {
  // Statements are finalized by their owners first, so close cannot be refused as busy.
  sqlite3_close(db_);
}

void SqliteDb::fail(int rc, std::string_view what) const {
  throw Error(error_code_for_sqlite(rc),
              path_ + ": " + std::string(what) + ": " + sqlite3_errmsg(db_),
              sqlite3_system_errno(db_));
}

void SqliteDb::exec(std::string_view sql, std::string_view what) {
  std::string text(sql);
  int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) fail(rc, what);
}

SqliteStatement SqliteDb::prepare(std::string_view sql) const {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
  if (rc != SQLITE_OK) fail(rc, "prepare " + describe_sql(sql));
  return SqliteStatement(*this, stmt, sql);
}

int SqliteDb::changes() const {
  return sqlite3_changes(db_);
}

SqliteStatement::SqliteStatement(const SqliteDb& db, sqlite3_stmt* stmt, std::string_view sql)
    : db_(&db), stmt_(stmt), what_(describe_sql(sql)) {}

SqliteStatement::~SqliteStatement() {
  // finalize returns the last step's error, which step() has already reported.
  sqlite3_finalize(stmt_);
}

SqliteStatement::SqliteStatement(SqliteStatement&& other) noexcept
    : db_(other.db_), stmt_(std::exchange(other.stmt_, nullptr)), what_(std::move(other.what_)) {}

SqliteStatement& SqliteStatement::bind(int index, std::string_view text) {
  int rc =
      sqlite3_bind_text64(stmt_, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  if (rc != SQLITE_OK) db_->fail(rc, what_ + ": bind parameter " + std::to_string(index));
  return *this;
}

SqliteStatement& SqliteStatement::bind(int index, std::int64_t value) {
  int rc = sqlite3_bind_int64(stmt_, index, value);
  if (rc != SQLITE_OK) db_->fail(rc, what_ + ": bind parameter " + std::to_string(index));
  return *this;
}

SqliteStatement& SqliteStatement::bind(int index, std::nullopt_t) {
  int rc = sqlite3_bind_null(stmt_, index);
  if (rc != SQLITE_OK) db_->fail(rc, what_ + ": bind parameter " + std::to_string(index));
  return *this;
}

bool SqliteStatement::step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  db_->fail(rc, what_);
}

bool SqliteStatement::is_null(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

std::string SqliteStatement::text(int column) const {
  const auto* data = sqlite3_column_text(stmt_, column);
  int size = sqlite3_column_bytes(stmt_, column);  // after column_text, as SQLite asks
  if (data == nullptr) return {};
  return std::string(reinterpret_cast<const char*>(data), static_cast<std::size_t>(size));
}

std::int64_t SqliteStatement::integer(int column) const {
  return sqlite3_column_int64(stmt_, column);
}

SqliteTransaction::SqliteTransaction(SqliteDb& db) : db_(db) {
  db_.exec("BEGIN IMMEDIATE", "begin transaction");
}

SqliteTransaction::~SqliteTransaction() {
  if (done_) return;
  // Nothing to report from a destructor; a failed rollback leaves the transaction open, and SQLite
  // rolls it back when the connection closes.
  try {
    db_.exec("ROLLBACK", "roll back");
  } catch (const Error&) {
  }
}

void SqliteTransaction::commit() {
  db_.exec("COMMIT", "commit");
  done_ = true;
}

}  // namespace cradle
