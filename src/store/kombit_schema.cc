// kombit.db's schema: its numbered migrations (store/schema.h applies them).
#include "store/kombit_store.h"
#include "store/schema.h"

namespace adda::store {
namespace {

// After every insert, update and delete of a row of `table`: a row in `changes` naming
// the citizen (both citizens when the row moves from one to another).
// `stamped`: the row's `at` from adda_now() (the connection's clock, migration 3 on);
// without, the column's default (SQLite's wall clock, migration 2 as it shipped).
std::string ChangeTriggers(const std::string& table, const std::string& kind, bool stamped = false) {
  const std::string insert =
      std::string("  INSERT INTO changes (cpr, item_kind, municipality, item_id") + (stamped ? ", at) " : ") ");
  const std::string at = stamped ? ", adda_now()" : "";
  auto row = [&](const char* which) {
    return std::string("VALUES (") + which + ".cpr, '" + kind + "', " + which + ".municipality, " + which + ".id" +
           at + ");\n";
  };
  return "CREATE TRIGGER IF NOT EXISTS " + table + "_inserted AFTER INSERT ON " + table + " BEGIN\n" + insert +
         row("NEW") + "END;\n" + "CREATE TRIGGER IF NOT EXISTS " + table + "_updated AFTER UPDATE ON " + table +
         " BEGIN\n" + insert + "SELECT OLD.cpr, '" + kind + "', OLD.municipality, OLD.id" + at +
         " WHERE OLD.cpr <> NEW.cpr;\n" + insert + row("NEW") + "END;\n" + "CREATE TRIGGER IF NOT EXISTS " + table +
         "_deleted AFTER DELETE ON " + table + " BEGIN\n" + insert + row("OLD") + "END;\n";
}

std::string DropChangeTriggers(const std::string& table) {
  std::string out;
  for (const char* when : {"_inserted", "_updated", "_deleted"}) out += "DROP TRIGGER IF EXISTS " + table + when + ";\n";
  return out;
}

}  // namespace

const std::vector<Migration>& KombitMigrations() {
  static const std::vector<Migration> k = {
      {1,
       R"sql(
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE municipalities (
  code INTEGER PRIMARY KEY, name TEXT NOT NULL, cvr TEXT NOT NULL DEFAULT '',
  population INTEGER NOT NULL DEFAULT 0, show_document_titles INTEGER NOT NULL DEFAULT 1);
CREATE TABLE citizens (
  cpr TEXT PRIMARY KEY, municipality INTEGER NOT NULL, first_name TEXT NOT NULL,
  last_name TEXT NOT NULL, sex TEXT NOT NULL, birth_date TEXT NOT NULL,
  household INTEGER NOT NULL DEFAULT 0, mother TEXT, father TEXT) WITHOUT ROWID;
CREATE TABLE cases (
  municipality INTEGER NOT NULL, id TEXT NOT NULL, case_number TEXT NOT NULL,
  cpr TEXT NOT NULL, opened TEXT NOT NULL, status TEXT NOT NULL, last_change TEXT NOT NULL,
  caseworker TEXT, version INTEGER NOT NULL, body TEXT NOT NULL,
  documents TEXT NOT NULL DEFAULT '[]',
  PRIMARY KEY (municipality, id));
CREATE TABLE grants (
  municipality INTEGER NOT NULL, id TEXT NOT NULL, case_id TEXT, cpr TEXT NOT NULL,
  start TEXT, version INTEGER NOT NULL, body TEXT NOT NULL,
  PRIMARY KEY (municipality, id));
CREATE TABLE defects (
  municipality INTEGER NOT NULL, item_kind TEXT NOT NULL, item_id TEXT NOT NULL,
  kind TEXT NOT NULL, PRIMARY KEY (municipality, item_kind, item_id, kind)) WITHOUT ROWID;
CREATE TABLE item_warnings (
  municipality INTEGER NOT NULL, item_kind TEXT NOT NULL, item_id TEXT NOT NULL,
  warnings TEXT NOT NULL, PRIMARY KEY (municipality, item_kind, item_id)) WITHOUT ROWID;
CREATE TABLE idempotency (
  municipality INTEGER NOT NULL, key TEXT NOT NULL, request_hash TEXT NOT NULL,
  status INTEGER NOT NULL, body TEXT NOT NULL, created TEXT NOT NULL,
  PRIMARY KEY (municipality, key)) WITHOUT ROWID;
CREATE TABLE integration_log (
  id INTEGER PRIMARY KEY, municipality INTEGER NOT NULL, ts TEXT NOT NULL,
  request_id TEXT NOT NULL, method TEXT NOT NULL, path TEXT NOT NULL, item_kind TEXT,
  item_id TEXT, status INTEGER NOT NULL, idempotency_key TEXT, replayed INTEGER NOT NULL DEFAULT 0,
  errors TEXT NOT NULL DEFAULT '[]', warnings TEXT NOT NULL DEFAULT '[]');
CREATE TABLE contributions (
  id TEXT PRIMARY KEY, municipality INTEGER NOT NULL, cpr TEXT NOT NULL, item_kind TEXT NOT NULL,
  item_id TEXT NOT NULL, field TEXT, kind TEXT NOT NULL, text TEXT NOT NULL, status TEXT NOT NULL,
  reply TEXT, created TEXT NOT NULL, updated TEXT NOT NULL, version INTEGER NOT NULL,
  history TEXT NOT NULL DEFAULT '[]') WITHOUT ROWID;
)sql",
       R"sql(
CREATE INDEX IF NOT EXISTS citizens_by_municipality ON citizens (municipality, cpr);
CREATE INDEX IF NOT EXISTS citizens_by_mother ON citizens (mother) WHERE mother IS NOT NULL;
CREATE INDEX IF NOT EXISTS citizens_by_father ON citizens (father) WHERE father IS NOT NULL;
CREATE UNIQUE INDEX IF NOT EXISTS cases_by_number ON cases (municipality, case_number);
CREATE INDEX IF NOT EXISTS cases_by_cpr ON cases (cpr, opened DESC, id);
CREATE INDEX IF NOT EXISTS grants_by_cpr ON grants (cpr, start DESC, id);
CREATE INDEX IF NOT EXISTS grants_by_case ON grants (municipality, case_id);
CREATE INDEX IF NOT EXISTS log_by_municipality ON integration_log (municipality, id);
CREATE INDEX IF NOT EXISTS contributions_by_municipality ON contributions (municipality, created, id);
CREATE INDEX IF NOT EXISTS contributions_by_cpr ON contributions (cpr, created, id);
)sql"},
      // The change feed: every write to a case or a grant, by whatever path, leaves a row
      // naming the citizen it concerns (both citizens when the primary party changes).
      // Triggers, so that no write path can forget; created with the indexes, so a bulk
      // load by the generator does not fire them.
      {2,
       R"sql(
CREATE TABLE changes (
  seq INTEGER PRIMARY KEY, cpr TEXT NOT NULL, item_kind TEXT NOT NULL, municipality INTEGER NOT NULL,
  item_id TEXT NOT NULL, at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')));
)sql",
       ChangeTriggers("cases", "case") + ChangeTriggers("grants", "grant")},
      // A change's `at` is the service's clock (scenario time in a pilot), not SQLite's
      // wall clock: the triggers stamp with adda_now().
      {3, "",
       DropChangeTriggers("cases") + DropChangeTriggers("grants") + ChangeTriggers("cases", "case", true) +
           ChangeTriggers("grants", "grant", true)},
  };
  return k;
}

}  // namespace adda::store
