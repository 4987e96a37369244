// Versioned schemas for adda's two databases, applied as numbered migrations tracked
// in PRAGMA user_version. Each migration runs in its own transaction; a database newer
// than this binary is refused rather than guessed at.
#pragma once

#include <string>
#include <vector>

#include "store/sqlite.h"

namespace adda::store {

struct Migration {
  int version;
  std::string tables;   // CREATE TABLE … (and ALTERs)
  std::string indexes;  // CREATE INDEX … (kept apart so bulk loads can build them last)
};

// Each database's own migrations are declared beside its store (KombitMigrations in
// kombit_store.h, BorgerMigrations in borger_store.h), in the store's own target.

// Brings `db` up to the newest version. Throws StoreError when the file's version is
// newer than `migrations` knows.
void Migrate(Db& db, const std::vector<Migration>& migrations);
int SchemaVersion(Db& db);

// WAL, NORMAL sync, a sensible cache: the settings every service connection uses.
void ApplyServicePragmas(Db& db);

// For filling a fresh file in one transaction (the generator, and its benchmark
// baseline): no journal, no syncs, a big cache, exclusive lock, 16 KiB pages so a grant
// with two years of payments fits in one page, and two sorter threads for index builds.
// Must be called before the first table is created. The file is only safe once closed.
void ApplyBulkLoadPragmas(Db& db);

}  // namespace adda::store
