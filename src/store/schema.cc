#include "store/schema.h"

namespace adda::store {

int SchemaVersion(Db& db) { return static_cast<int>(db.QueryInt("PRAGMA user_version").value_or(0)); }

void Migrate(Db& db, const std::vector<Migration>& migrations) {
  const int current = SchemaVersion(db);
  const int newest = migrations.empty() ? 0 : migrations.back().version;
  if (current > newest)
    throw StoreError(db.path() + " has schema version " + std::to_string(current) +
                         ", newer than this adda knows (" + std::to_string(newest) + ")",
                     0);
  for (const auto& m : migrations) {
    if (m.version <= current) continue;
    Transaction tx(db);
    db.Exec(m.tables);
    if (!m.indexes.empty()) db.Exec(m.indexes);
    db.Exec("PRAGMA user_version = " + std::to_string(m.version));
    tx.Commit();
  }
}

void ApplyServicePragmas(Db& db) {
  db.Exec("PRAGMA journal_mode = WAL");
  db.Exec("PRAGMA synchronous = NORMAL");
  db.Exec("PRAGMA cache_size = -32768");
  db.Exec("PRAGMA temp_store = MEMORY");
}

void ApplyBulkLoadPragmas(Db& db) {
  db.Exec("PRAGMA page_size = 16384");
  db.Exec("PRAGMA journal_mode = OFF");
  db.Exec("PRAGMA synchronous = OFF");
  db.Exec("PRAGMA cache_size = -262144");
  db.Exec("PRAGMA locking_mode = EXCLUSIVE");
  db.Exec("PRAGMA temp_store = MEMORY");
  db.Exec("PRAGMA threads = 2");
}

}  // namespace adda::store

