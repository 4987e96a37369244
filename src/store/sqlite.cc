#include "store/sqlite.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace adda::store {
namespace {

[[noreturn]] void Throw(sqlite3* db, int rc, const std::string& context) {
  throw StoreError(context + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc)), rc);
}

}  // namespace

Stmt::Stmt(sqlite3* db, std::string_view sql) : db_(db) {
  const int rc = sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()),
                                    SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr);
  if (rc != SQLITE_OK) Throw(db, rc, "prepare \"" + std::string(sql.substr(0, 80)) + "\"");
}

Stmt::~Stmt() {
  if (stmt_) sqlite3_finalize(stmt_);
}

Stmt& Stmt::Bind(int i, int64_t v) {
  sqlite3_bind_int64(stmt_, i, v);
  return *this;
}

Stmt& Stmt::Bind(int i, double v) {
  sqlite3_bind_double(stmt_, i, v);
  return *this;
}

Stmt& Stmt::Bind(int i, std::string_view v) {
  sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  return *this;
}

Stmt& Stmt::Bind(int i, const std::optional<std::string>& v) {
  return v ? Bind(i, std::string_view(*v)) : BindNull(i);
}

Stmt& Stmt::BindNull(int i) {
  sqlite3_bind_null(stmt_, i);
  return *this;
}

Stmt& Stmt::BindStatic(int i, std::string_view v) {
  sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
  return *this;
}

int Stmt::TryStep() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW || rc == SQLITE_DONE || (rc & 0xff) == SQLITE_CONSTRAINT) return rc;
  Throw(db_, rc, "step");
}

bool Stmt::Step() {
  const int rc = TryStep();
  if ((rc & 0xff) == SQLITE_CONSTRAINT) Throw(db_, rc, "constraint");
  return rc == SQLITE_ROW;
}

void Stmt::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

std::string Stmt::Text(int col) const { return std::string(TextView(col)); }

std::string_view Stmt::TextView(int col) const {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
  if (!p) return {};
  return std::string_view(p, static_cast<size_t>(sqlite3_column_bytes(stmt_, col)));
}

std::optional<std::string> Stmt::OptText(int col) const {
  if (IsNull(col)) return std::nullopt;
  return Text(col);
}

namespace {

// A database holds personal data (synthetic or not): only its owner may read it. Created
// 0600 before SQLite opens it, since SQLite gives its -wal, -shm and -journal files the
// database file's mode; one made by an older adda with wider bits is narrowed.
void MakePrivate(const std::string& path) {
  if (path.empty() || path == ":memory:" || path.rfind("file:", 0) == 0) return;
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return;  // SQLite's own open says why
  struct stat st {};
  if (::fstat(fd, &st) == 0 && (st.st_mode & 077) != 0) ::fchmod(fd, st.st_mode & 0700);
  ::close(fd);
}

}  // namespace

Db::Db(const std::string& path, OpenMode mode) : path_(path) {
  if (mode == OpenMode::kCreate) MakePrivate(path);
  int flags = SQLITE_OPEN_NOMUTEX;
  if (mode == OpenMode::kReadOnly) flags |= SQLITE_OPEN_READONLY;
  if (mode == OpenMode::kReadWrite) flags |= SQLITE_OPEN_READWRITE;
  if (mode == OpenMode::kCreate) flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
  const int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
    if (db_) sqlite3_close(db_);
    db_ = nullptr;
    throw StoreError("cannot open " + path + ": " + msg, rc);
  }
  sqlite3_busy_timeout(db_, 5000);
  sqlite3_extended_result_codes(db_, 1);
  // Innocuous: triggers in the schema may call it (it reads the clock, nothing else).
  sqlite3_create_function_v2(
      db_, "adda_now", 0, SQLITE_UTF8 | SQLITE_INNOCUOUS, this,
      [](sqlite3_context* ctx, int, sqlite3_value**) {
        const std::string now = static_cast<const Db*>(sqlite3_user_data(ctx))->clock().NowIso();
        sqlite3_result_text(ctx, now.data(), static_cast<int>(now.size()), SQLITE_TRANSIENT);
      },
      nullptr, nullptr, nullptr);
  Exec("PRAGMA foreign_keys = ON");
}

Db::~Db() {
  statements_.clear();  // finalized before the connection closes
  if (db_) sqlite3_close_v2(db_);
}

Stmt& Db::Cached(const char* sql) {
  auto& slot = statements_[sql];
  if (!slot) slot = std::make_unique<Stmt>(Prepare(sql));
  return *slot;
}

void Db::Exec(std::string_view sql) {
  char* err = nullptr;
  const std::string s(sql);
  const int rc = sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    std::string msg = err ? err : sqlite3_errstr(rc);
    sqlite3_free(err);
    throw StoreError("exec \"" + s.substr(0, 80) + "\": " + msg, rc);
  }
}

std::optional<int64_t> Db::QueryInt(std::string_view sql) {
  Stmt s(db_, sql);
  if (!s.Step() || s.IsNull(0)) return std::nullopt;
  return s.Int(0);
}

std::optional<std::string> Db::QueryText(std::string_view sql) {
  Stmt s(db_, sql);
  if (!s.Step() || s.IsNull(0)) return std::nullopt;
  return s.Text(0);
}

Transaction::Transaction(Db& db, bool immediate) : db_(db) {
  db_.Exec(immediate ? "BEGIN IMMEDIATE" : "BEGIN");
}

Transaction::~Transaction() {
  if (!done_) {
    try {
      db_.Exec("ROLLBACK");
    } catch (...) {
      // Rolling back a transaction SQLite already aborted; nothing more to undo.
    }
  }
}

void Transaction::Commit() {
  db_.Exec("COMMIT");
  done_ = true;
}

}  // namespace adda::store
