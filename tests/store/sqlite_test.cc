#include "store/sqlite.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "store/kombit_store.h"
#include "store/schema.h"

namespace adda::store {
namespace {

std::string TempDb(const std::string& name) {
  std::filesystem::create_directories(ADDA_TEST_TMP);
  const std::string p = std::string(ADDA_TEST_TMP) + "/" + name;
  for (const char* s : {"", "-wal", "-shm"}) std::filesystem::remove(p + s);
  return p;
}

TEST(Sqlite, TransactionRollsBackUnlessCommitted) {
  Db db(TempDb("tx.db"), OpenMode::kCreate);
  db.Exec("CREATE TABLE t (x INTEGER)");
  {
    Transaction tx(db);
    db.Exec("INSERT INTO t VALUES (1)");
  }
  EXPECT_EQ(db.QueryInt("SELECT count(*) FROM t"), 0);
  {
    Transaction tx(db);
    db.Exec("INSERT INTO t VALUES (1)");
    tx.Commit();
  }
  EXPECT_EQ(db.QueryInt("SELECT count(*) FROM t"), 1);
}

TEST(Sqlite, ConstraintIsAValueNotAnException) {
  Db db(TempDb("constraint.db"), OpenMode::kCreate);
  db.Exec("CREATE TABLE t (x INTEGER PRIMARY KEY)");
  Stmt s = db.Prepare("INSERT INTO t VALUES (?1)");
  s.Bind(1, 1);
  EXPECT_EQ(s.TryStep(), SQLITE_DONE);
  s.Reset();
  s.Bind(1, 1);
  EXPECT_EQ(s.TryStep() & 0xff, SQLITE_CONSTRAINT);
  s.Reset();
  s.Bind(1, 1);
  EXPECT_THROW(s.Step(), StoreError);
}

TEST(Sqlite, BindsTextWithQuotesAndNulsSafely) {
  Db db(TempDb("bind.db"), OpenMode::kCreate);
  db.Exec("CREATE TABLE t (s TEXT)");
  const std::string nasty = std::string("a'; DROP TABLE t; --\0b", 22);
  Stmt ins = db.Prepare("INSERT INTO t VALUES (?1)");
  ins.Bind(1, nasty);
  ins.Step();
  Stmt sel = db.Prepare("SELECT s FROM t");
  ASSERT_TRUE(sel.Step());
  EXPECT_EQ(sel.Text(0), nasty);
}

TEST(Sqlite, OpenFailureThrowsWithPath) {
  try {
    Db db("/nonexistent-dir/x.db", OpenMode::kCreate);
    FAIL();
  } catch (const StoreError& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent-dir/x.db"), std::string::npos);
  }
}

TEST(Schema, MigratesOnceAndRefusesNewer) {
  const auto path = TempDb("migrate.db");
  {
    Db db(path, OpenMode::kCreate);
    Migrate(db, KombitMigrations());
    EXPECT_EQ(SchemaVersion(db), KombitMigrations().back().version);
    Migrate(db, KombitMigrations());  // idempotent
    db.Exec("PRAGMA user_version = 999");
  }
  Db db(path, OpenMode::kReadWrite);
  EXPECT_THROW(Migrate(db, KombitMigrations()), StoreError);
}

}  // namespace
}  // namespace adda::store
