// Repositories over the KOMBIT mock's database (kombit.db): citizens, cases, grants,
// planted-defect ground truth and run metadata.
//
// Cases and grants are stored as JSON documents (the index view: no caseworker) beside
// the columns they are looked up and ordered by, so the hottest read — a citizen's case
// list — is one indexed range scan whose bodies are concatenated without re-encoding.
// A KombitStore wraps one connection and caches its prepared statements: one per
// thread, never shared. StoreError on infrastructure failure.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/benefit.h"
#include "core/case.h"
#include "core/citizen.h"
#include "core/municipality.h"
#include "core/status.h"
#include "store/schema.h"
#include "store/sqlite.h"

namespace adda::store {

// kombit.db's schema, as numbered migrations (store/kombit_schema.cc).
const std::vector<Migration>& KombitMigrations();

// Rows as the bulk loader writes them: pre-rendered, so the generator controls the bytes.
struct CaseRow {
  int municipality;
  std::string id, case_number, cpr, opened, status, last_change;
  std::optional<std::string> caseworker;
  std::string body;               // index view without documents (CaseIndexJson(c, false))
  std::string documents = "[]";   // DocumentsJson(c.documents)
};
struct GrantRow {
  int municipality;
  std::string id;
  std::optional<std::string> case_id;
  std::string cpr;
  std::optional<std::string> start;
  std::string body;
};

// Fast insert path for a fresh database inside one transaction (the generator's).
// Not thread-safe. Statements are prepared once.
class KombitBulkWriter {
 public:
  explicit KombitBulkWriter(Db& db);
  void Municipality(const adda::Municipality& m);
  void Citizen(const adda::Citizen& c);
  void Case(const CaseRow& row);
  void Grant(const GrantRow& row);
  void Defect(int municipality, std::string_view item_kind, std::string_view item_id,
              std::string_view kind);
  void Meta(const std::string& key, const std::string& value);

 private:
  Db& db_;
  Stmt municipality_, citizen_, case_, grant_, defect_, meta_;
};

struct Page {
  int64_t limit = 50;
  int64_t offset = 0;
};

struct MunicipalityRow {
  int code = 0;
  std::string name;
  int64_t population = 0;
  bool show_document_titles = true;
};

// A stored item as the integration API returns it to its owner.
struct StoredItem {
  std::string json;  // full JSON (cases: with documents and caseworker)
  int64_t version = 0;
  std::string cpr;
};

struct IdempotencyRecord {
  std::string request_hash;
  int status = 0;
  std::string body;
};

struct LogEntry {
  int64_t id = 0;
  int municipality = 0;
  std::string ts, request_id, method, path;
  std::optional<std::string> item_kind, item_id, idempotency_key;
  int status = 0;
  bool replayed = false;
  std::string errors = "[]", warnings = "[]";  // JSON arrays of violations
};

struct Contribution {
  std::string id;
  int municipality = 0;
  std::string cpr, item_kind, item_id;
  std::optional<std::string> field;
  std::string kind, text, status;
  std::optional<std::string> reply;
  std::string created, updated;
  int64_t version = 1;
  std::string history = "[]";  // JSON array of {status, at, reply?}
};
nlohmann::json ContributionJson(const Contribution& c);

struct ChangeRow {
  int64_t seq = 0;
  std::string cpr, item_kind;
  int municipality = 0;
  std::string item_id, at;
};

class KombitStore {
 public:
  explicit KombitStore(Db& db);

  // Municipalities, with their display policy (loaded once per connection).
  const std::vector<MunicipalityRow>& Municipalities() const { return municipalities_; }
  const MunicipalityRow* FindMunicipality(int code) const;

  // Citizens.
  std::optional<adda::Citizen> GetCitizen(const std::string& cpr);
  std::vector<adda::Citizen> ListCitizens(int municipality, Page page);
  // Keyset paging: up to `limit` citizens of `municipality` with a CPR after `after`,
  // by CPR. Unlike OFFSET, each page costs the same however deep it is.
  std::vector<adda::Citizen> ListCitizensAfter(int municipality, const std::string& after, int64_t limit);
  std::vector<adda::Citizen> Children(const std::string& parent_cpr);
  int64_t CountCitizens(std::optional<int> municipality);

  // Index queries, what borger.dk asks: bodies in the index view (no caseworker;
  // documents only where the owning municipality shows their titles), newest first,
  // then by id. Fetches limit + 1 so callers can tell whether there is more.
  std::vector<std::string> CaseBodiesByCpr(const std::string& cpr, std::optional<int> municipality, Page page);
  std::vector<std::string> GrantBodiesByCpr(const std::string& cpr, std::optional<int> municipality, Page page);
  std::optional<std::string> CaseBody(int municipality, const std::string& id);
  std::optional<std::string> GrantBody(int municipality, const std::string& id);

  // The owner's view (integration API): full JSON with version.
  std::optional<StoredItem> CaseForOwner(int municipality, const std::string& id);
  std::optional<StoredItem> GrantForOwner(int municipality, const std::string& id);
  std::vector<std::string> CasesForOwner(int municipality, Page page);
  std::vector<std::string> GrantsForOwner(int municipality, Page page);

  // Whole domain objects (caseworker included for cases).
  std::optional<adda::Case> GetCase(int municipality, const std::string& id);
  std::optional<adda::Grant> GetGrant(int municipality, const std::string& id);

  // Writes; the caller holds the transaction. Versions are the caller's to check.
  void PutCase(const adda::Case& c, const std::string& cpr);  // c.version is stored
  void PutGrant(const adda::Grant& g, const std::string& cpr);
  bool CaseNumberTaken(int municipality, const std::string& case_number, const std::string& except_id);
  void SetWarnings(int municipality, const std::string& kind, const std::string& id, const std::string& json);
  std::optional<std::string> Warnings(int municipality, const std::string& kind, const std::string& id);

  // Idempotency keys, per municipality.
  std::optional<IdempotencyRecord> GetIdempotency(int municipality, const std::string& key);
  void PutIdempotency(int municipality, const std::string& key, const IdempotencyRecord& r);

  // The integration log.
  int64_t AppendLog(const LogEntry& e);
  std::vector<LogEntry> ListLog(int municipality, int64_t after_id, int64_t limit);

  // Contributions (borger.dk forwards; municipalities answer).
  bool InsertContribution(const Contribution& c);  // false when the id exists
  std::optional<Contribution> GetContribution(const std::string& id);
  std::vector<Contribution> ContributionsFor(int municipality, const std::optional<std::string>& status, Page page);
  std::vector<Contribution> ContributionsByCpr(const std::string& cpr, Page page);
  void UpdateContribution(const Contribution& c);

  // The change feed: writes to cases and grants after `after`, oldest first, at most
  // `limit`; and the newest seq (0 when there are none).
  std::vector<ChangeRow> ChangesAfter(int64_t after, int64_t limit);
  int64_t LastChangeSeq();
  int64_t FirstChangeSeq();  // 0 when there are none
  // Deletes all but the newest `keep` changes (keep >= 1, so seqs are never reused);
  // returns how many went.
  int64_t PruneChanges(int64_t keep);

  // Meta.
  std::optional<std::string> GetMeta(const std::string& key);
  void SetMeta(const std::string& key, const std::string& value);

  // Counts for /health and admin.
  int64_t Count(const std::string& table);

  Db& db() { return db_; }

 private:
  std::vector<std::string> CaseBodies(Stmt& stmt, const std::string& cpr, std::optional<int> municipality, Page page);
  std::vector<std::string> GrantBodies(Stmt& stmt, const std::string& cpr, std::optional<int> municipality, Page page);
  bool ShowDocuments(int municipality) const;
  Stmt& Cached(const char* sql) { return db_.Cached(sql); }

  Db& db_;
  std::vector<MunicipalityRow> municipalities_;
};

// Serialises a citizen row from the citizens table.
adda::Citizen CitizenFromRow(const Stmt& s, int first_col);

}  // namespace adda::store
