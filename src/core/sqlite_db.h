// RAII over SQLite's C API: one connection and its prepared statements. Every failure is thrown as
// an Error naming the database file and what was being done ("<db>: insert container: database is
// locked"). Not thread-safe by itself: its owner serializes calls.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace cradle {

class SqliteStatement;

class SqliteDb {
 public:
  // Opens (creating) the database file; a busy database is waited on for up to busy_timeout_ms.
  SqliteDb(std::string path, int busy_timeout_ms);
  ~SqliteDb();
  SqliteDb(const SqliteDb&) = delete;
  SqliteDb& operator=(const SqliteDb&) = delete;

  // Runs SQL text without parameters (one or more statements).
  void exec(std::string_view sql, std::string_view what);
  SqliteStatement prepare(std::string_view sql) const;
  // Rows inserted, updated or deleted by the last statement.
  int changes() const;
  const std::string& path() const { return path_; }

  // Throws the connection's last error for result code rc, as "<path>: <what>: <sqlite message>".
  [[noreturn]] void fail(int rc, std::string_view what) const;

 private:
  std::string path_;
  sqlite3* db_ = nullptr;
};

// A prepared statement. Parameters are bound by position (1, 2, ...), columns read by index (0...).
class SqliteStatement {
 public:
  SqliteStatement(const SqliteDb& db, sqlite3_stmt* stmt, std::string_view sql);
  ~SqliteStatement();
  SqliteStatement(SqliteStatement&& other) noexcept;
  SqliteStatement& operator=(SqliteStatement&&) = delete;
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;

  SqliteStatement& bind(int index, std::string_view text);
  SqliteStatement& bind(int index, std::int64_t value);
  SqliteStatement& bind(int index, std::nullopt_t);
  // Binds args to parameters 1, 2, ... in order.
  template <typename... Args>
  SqliteStatement& bind_all(const Args&... args) {
    int index = 0;
    (bind(++index, args), ...);
    return *this;
  }

  // Advances to the next row: true when one is ready, false when the statement is done.
  bool step();
  // Steps a statement that returns no rows (INSERT, UPDATE, DELETE) to completion.
  void run() {
    while (step()) {
    }
  }

  bool is_null(int column) const;
  std::string text(int column) const;
  std::int64_t integer(int column) const;

 private:
  const SqliteDb* db_;
  sqlite3_stmt* stmt_;
  std::string what_;  // the statement's first words, for messages
};

// BEGIN IMMEDIATE on construction (taking the write lock at once, so a read-then-write method
// cannot fail half way on a lock upgrade), ROLLBACK on destruction unless commit() ran.
class SqliteTransaction {
 public:
  explicit SqliteTransaction(SqliteDb& db);
  ~SqliteTransaction();
  SqliteTransaction(const SqliteTransaction&) = delete;
  SqliteTransaction& operator=(const SqliteTransaction&) = delete;
  void commit();

 private:
  SqliteDb& db_;
  bool done_ = false;
};

}  // namespace cradle
