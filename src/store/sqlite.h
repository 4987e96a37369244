// A thin RAII wrapper over SQLite: Db owns a connection, Stmt a prepared statement,
// Transaction a BEGIN…COMMIT that rolls back unless committed.
//
// Thread-safety: a Db is opened with SQLITE_OPEN_NOMUTEX and must be used by one thread
// at a time (services keep one connection per worker thread). Infrastructure failures
// (cannot open, disk I/O error, corrupt file, SQL that does not prepare) throw
// StoreError; ordinary outcomes (no row, constraint violated) are return values.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "core/clock.h"

namespace adda::store {

class StoreError : public std::runtime_error {
 public:
  StoreError(const std::string& what, int code) : std::runtime_error(what), code_(code) {}
  int code() const { return code_; }

 private:
  int code_;
};

class Stmt {
 public:
  Stmt(sqlite3* db, std::string_view sql);
  ~Stmt();
  Stmt(Stmt&& o) noexcept : db_(o.db_), stmt_(o.stmt_) { o.stmt_ = nullptr; }
  Stmt& operator=(Stmt&&) = delete;
  Stmt(const Stmt&) = delete;

  // Binds are 1-based, as in SQLite. Text is copied (SQLITE_TRANSIENT) unless `Static`.
  Stmt& Bind(int i, int64_t v);
  Stmt& Bind(int i, int v) { return Bind(i, static_cast<int64_t>(v)); }
  Stmt& Bind(int i, double v);
  Stmt& Bind(int i, std::string_view v);
  Stmt& Bind(int i, const char* v) { return Bind(i, std::string_view(v)); }
  Stmt& Bind(int i, const std::string& v) { return Bind(i, std::string_view(v)); }
  Stmt& Bind(int i, const std::optional<std::string>& v);
  Stmt& BindNull(int i);
  // The caller keeps `v` alive until the next Reset/Step completes.
  Stmt& BindStatic(int i, std::string_view v);

  // True when a row is available; false when done. Throws StoreError on failure,
  // including constraint violations (use TryStep for those).
  bool Step();
  // Returns SQLite's result code (SQLITE_ROW, SQLITE_DONE, SQLITE_CONSTRAINT, …) for
  // callers that treat a constraint as an ordinary outcome; throws on I/O errors.
  int TryStep();
  void Reset();  // reset and clear bindings

  int ColumnCount() const { return sqlite3_column_count(stmt_); }
  int64_t Int(int col) const { return sqlite3_column_int64(stmt_, col); }
  double Real(int col) const { return sqlite3_column_double(stmt_, col); }
  bool IsNull(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }
  std::string Text(int col) const;
  std::string_view TextView(int col) const;  // valid until the next Step/Reset
  std::optional<std::string> OptText(int col) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

enum class OpenMode { kReadOnly, kReadWrite, kCreate };

class Db {
 public:
  // Opens `path`; kCreate creates it if missing. Sets a busy timeout and foreign keys.
  // Throws StoreError when the file cannot be opened.
  Db(const std::string& path, OpenMode mode);
  ~Db();
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  void Exec(std::string_view sql);
  Stmt Prepare(std::string_view sql) { return Stmt(db_, sql); }
  // The connection's statement for `sql`, prepared on first use and kept for the
  // connection's life (hot queries skip the parse). Use it through Using.
  Stmt& Cached(const char* sql);
  // One value from a query with no parameters (or nullopt when no row).
  std::optional<int64_t> QueryInt(std::string_view sql);
  std::optional<std::string> QueryText(std::string_view sql);
  int64_t LastInsertRowid() const { return sqlite3_last_insert_rowid(db_); }
  int Changes() const { return sqlite3_changes(db_); }
  sqlite3* raw() { return db_; }
  // SQL's adda_now() (ISO time, as Timestamp::ToString writes it) reads this clock; the
  // default is the system clock. Triggers and defaults stamp with it, never 'now'.
  void SetClock(const Clock& clock) { clock_ = &clock; }
  const Clock& clock() const { return *clock_; }
  const std::string& path() const { return path_; }

 private:
  sqlite3* db_ = nullptr;
  std::string path_;
  const Clock* clock_ = &SystemClock();
  std::map<std::string, std::unique_ptr<Stmt>> statements_;
};

// A cached statement, reset however the caller leaves (so its next user starts clean).
struct Using {
  explicit Using(Stmt& stmt) : s(stmt) {}
  ~Using() { s.Reset(); }
  Using(const Using&) = delete;
  Using& operator=(const Using&) = delete;
  Stmt& s;
};

// BEGIN IMMEDIATE (a writer takes the lock up front, so two writers never deadlock on
// upgrade); rolls back in the destructor unless Commit() ran.
class Transaction {
 public:
  explicit Transaction(Db& db, bool immediate = true);
  ~Transaction();
  void Commit();

 private:
  Db& db_;
  bool done_ = false;
};

}  // namespace adda::store

