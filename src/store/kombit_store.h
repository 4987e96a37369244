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
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/benefit.h"
#include "core/case.h"
#include "core/citizen.h"
#include "core/municipality.h"
#include "core/status.h"
#include "store/sqlite.h"

namespace adda::store {

// Rows as the bulk loader writes them: pre-rendered, so the generator controls the bytes.
struct CaseRow {
  int municipality;
  std::string id, case_number, cpr, opened, status, last_change;
  std::optional<std::string> caseworker;
  std::string body;
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

class KombitStore {
 public:
  explicit KombitStore(Db& db);

  // Citizens.
  std::optional<adda::Citizen> GetCitizen(const std::string& cpr);
  std::vector<adda::Citizen> ListCitizens(int municipality, Page page);
  std::vector<adda::Citizen> Children(const std::string& parent_cpr);
  int64_t CountCitizens(std::optional<int> municipality);

  // Index queries (bodies are the stored JSON index view, newest first, then by id).
  std::vector<std::string> CaseBodiesByCpr(const std::string& cpr, std::optional<int> municipality,
                                           Page page);
  std::vector<std::string> GrantBodiesByCpr(const std::string& cpr, std::optional<int> municipality,
                                            Page page);
  std::optional<std::string> CaseBody(int municipality, const std::string& id);
  std::optional<std::string> GrantBody(int municipality, const std::string& id);

  // Whole domain objects (caseworker included for cases).
  std::optional<adda::Case> GetCase(int municipality, const std::string& id);
  std::optional<adda::Grant> GetGrant(int municipality, const std::string& id);

  // Meta.
  std::optional<std::string> GetMeta(const std::string& key);
  void SetMeta(const std::string& key, const std::string& value);

  Db& db() { return db_; }

 private:
  std::vector<std::string> Bodies(Stmt& stmt, const std::string& cpr,
                                  std::optional<int> municipality, Page page);
  Db& db_;
  Stmt citizen_, citizens_by_municipality_, children_, cases_by_cpr_, cases_by_cpr_muni_,
      grants_by_cpr_, grants_by_cpr_muni_, case_body_, grant_body_, case_full_;
};

// Serialises a citizen row from the citizens table.
adda::Citizen CitizenFromRow(const Stmt& s, int first_col);

}  // namespace adda::store
