#include "store/kombit_store.h"

namespace adda::store {
namespace {

constexpr const char* kCitizenCols =
    "cpr, municipality, first_name, last_name, sex, birth_date, household, mother, father";

}  // namespace

adda::Citizen CitizenFromRow(const Stmt& s, int c) {
  adda::Citizen out;
  out.cpr = s.Text(c);
  out.municipality = static_cast<int>(s.Int(c + 1));
  out.first_name = s.Text(c + 2);
  out.last_name = s.Text(c + 3);
  out.sex = s.TextView(c + 4) == "M" ? Sex::kMale : Sex::kFemale;
  out.birth_date = Date::Parse(s.TextView(c + 5)).value_or(Date());
  out.household = s.Int(c + 6);
  out.mother = s.OptText(c + 7);
  out.father = s.OptText(c + 8);
  return out;
}

KombitBulkWriter::KombitBulkWriter(Db& db)
    : db_(db),
      municipality_(db.Prepare(
          "INSERT INTO municipalities (code, name, cvr, population, show_document_titles) "
          "VALUES (?1, ?2, ?3, ?4, ?5)")),
      citizen_(db.Prepare(std::string("INSERT INTO citizens (") + kCitizenCols +
                          ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)")),
      case_(db.Prepare(
          "INSERT INTO cases (municipality, id, case_number, cpr, opened, status, last_change, "
          "caseworker, version, body) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 1, ?9)")),
      grant_(db.Prepare(
          "INSERT INTO grants (municipality, id, case_id, cpr, start, version, body) "
          "VALUES (?1, ?2, ?3, ?4, ?5, 1, ?6)")),
      defect_(db.Prepare(
          "INSERT OR IGNORE INTO defects (municipality, item_kind, item_id, kind) VALUES (?1, ?2, ?3, ?4)")),
      meta_(db.Prepare("INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)")) {}

void KombitBulkWriter::Municipality(const adda::Municipality& m) {
  municipality_.Bind(1, m.code).Bind(2, m.name).Bind(3, m.cvr).Bind(4, m.population)
      .Bind(5, m.show_document_titles ? 1 : 0);
  municipality_.Step();
  municipality_.Reset();
}

void KombitBulkWriter::Citizen(const adda::Citizen& c) {
  citizen_.BindStatic(1, c.cpr).Bind(2, c.municipality).BindStatic(3, c.first_name)
      .BindStatic(4, c.last_name).BindStatic(5, c.sex == Sex::kMale ? "M" : "K")
      .Bind(6, c.birth_date.ToString()).Bind(7, c.household).Bind(8, c.mother).Bind(9, c.father);
  citizen_.Step();
  citizen_.Reset();
}

void KombitBulkWriter::Case(const CaseRow& r) {
  case_.Bind(1, r.municipality).BindStatic(2, r.id).BindStatic(3, r.case_number).BindStatic(4, r.cpr)
      .BindStatic(5, r.opened).BindStatic(6, r.status).BindStatic(7, r.last_change)
      .Bind(8, r.caseworker).BindStatic(9, r.body);
  case_.Step();
  case_.Reset();
}

void KombitBulkWriter::Grant(const GrantRow& r) {
  grant_.Bind(1, r.municipality).BindStatic(2, r.id).Bind(3, r.case_id).BindStatic(4, r.cpr)
      .Bind(5, r.start).BindStatic(6, r.body);
  grant_.Step();
  grant_.Reset();
}

void KombitBulkWriter::Defect(int municipality, std::string_view item_kind,
                              std::string_view item_id, std::string_view kind) {
  defect_.Bind(1, municipality).BindStatic(2, item_kind).BindStatic(3, item_id).BindStatic(4, kind);
  defect_.Step();
  defect_.Reset();
}

void KombitBulkWriter::Meta(const std::string& key, const std::string& value) {
  meta_.Bind(1, key).Bind(2, value);
  meta_.Step();
  meta_.Reset();
}

KombitStore::KombitStore(Db& db)
    : db_(db),
      citizen_(db.Prepare(std::string("SELECT ") + kCitizenCols + " FROM citizens WHERE cpr = ?1")),
      citizens_by_municipality_(db.Prepare(std::string("SELECT ") + kCitizenCols +
                                           " FROM citizens WHERE municipality = ?1 ORDER BY cpr "
                                           "LIMIT ?2 OFFSET ?3")),
      children_(db.Prepare(std::string("SELECT ") + kCitizenCols +
                           " FROM citizens WHERE mother = ?1 UNION SELECT " + kCitizenCols +
                           " FROM citizens WHERE father = ?1 ORDER BY 6 DESC, 1")),
      cases_by_cpr_(db.Prepare("SELECT body FROM cases WHERE cpr = ?1 "
                               "ORDER BY opened DESC, id LIMIT ?3 OFFSET ?4")),
      cases_by_cpr_muni_(db.Prepare("SELECT body FROM cases WHERE cpr = ?1 AND municipality = ?2 "
                                    "ORDER BY opened DESC, id LIMIT ?3 OFFSET ?4")),
      grants_by_cpr_(db.Prepare("SELECT body FROM grants WHERE cpr = ?1 "
                                "ORDER BY start DESC, id LIMIT ?3 OFFSET ?4")),
      grants_by_cpr_muni_(db.Prepare("SELECT body FROM grants WHERE cpr = ?1 AND municipality = ?2 "
                                     "ORDER BY start DESC, id LIMIT ?3 OFFSET ?4")),
      case_body_(db.Prepare("SELECT body FROM cases WHERE municipality = ?1 AND id = ?2")),
      grant_body_(db.Prepare("SELECT body FROM grants WHERE municipality = ?1 AND id = ?2")),
      case_full_(db.Prepare("SELECT body, caseworker, version FROM cases WHERE municipality = ?1 AND id = ?2")) {}

std::optional<adda::Citizen> KombitStore::GetCitizen(const std::string& cpr) {
  citizen_.Bind(1, cpr);
  std::optional<adda::Citizen> out;
  if (citizen_.Step()) out = CitizenFromRow(citizen_, 0);
  citizen_.Reset();
  return out;
}

std::vector<adda::Citizen> KombitStore::ListCitizens(int municipality, Page page) {
  auto& s = citizens_by_municipality_;
  s.Bind(1, municipality).Bind(2, page.limit).Bind(3, page.offset);
  std::vector<adda::Citizen> out;
  while (s.Step()) out.push_back(CitizenFromRow(s, 0));
  s.Reset();
  return out;
}

std::vector<adda::Citizen> KombitStore::Children(const std::string& parent_cpr) {
  children_.Bind(1, parent_cpr);
  std::vector<adda::Citizen> out;
  while (children_.Step()) out.push_back(CitizenFromRow(children_, 0));
  children_.Reset();
  return out;
}

int64_t KombitStore::CountCitizens(std::optional<int> municipality) {
  if (!municipality) return db_.QueryInt("SELECT count(*) FROM citizens").value_or(0);
  Stmt s = db_.Prepare("SELECT count(*) FROM citizens WHERE municipality = ?1");
  s.Bind(1, *municipality);
  s.Step();
  return s.Int(0);
}

std::vector<std::string> KombitStore::Bodies(Stmt& s, const std::string& cpr,
                                             std::optional<int> municipality, Page page) {
  s.Bind(1, cpr).Bind(3, page.limit).Bind(4, page.offset);
  if (municipality) s.Bind(2, *municipality);
  std::vector<std::string> out;
  while (s.Step()) out.push_back(s.Text(0));
  s.Reset();
  return out;
}

std::vector<std::string> KombitStore::CaseBodiesByCpr(const std::string& cpr,
                                                      std::optional<int> municipality, Page page) {
  return Bodies(municipality ? cases_by_cpr_muni_ : cases_by_cpr_, cpr, municipality, page);
}

std::vector<std::string> KombitStore::GrantBodiesByCpr(const std::string& cpr,
                                                       std::optional<int> municipality, Page page) {
  return Bodies(municipality ? grants_by_cpr_muni_ : grants_by_cpr_, cpr, municipality, page);
}

std::optional<std::string> KombitStore::CaseBody(int municipality, const std::string& id) {
  case_body_.Bind(1, municipality).Bind(2, id);
  std::optional<std::string> out;
  if (case_body_.Step()) out = case_body_.Text(0);
  case_body_.Reset();
  return out;
}

std::optional<std::string> KombitStore::GrantBody(int municipality, const std::string& id) {
  grant_body_.Bind(1, municipality).Bind(2, id);
  std::optional<std::string> out;
  if (grant_body_.Step()) out = grant_body_.Text(0);
  grant_body_.Reset();
  return out;
}

std::optional<adda::Case> KombitStore::GetCase(int municipality, const std::string& id) {
  case_full_.Bind(1, municipality).Bind(2, id);
  std::optional<adda::Case> out;
  if (case_full_.Step()) {
    adda::Case c = nlohmann::json::parse(case_full_.TextView(0)).get<adda::Case>();
    c.caseworker = case_full_.OptText(1);
    c.version = case_full_.Int(2);
    out = std::move(c);
  }
  case_full_.Reset();
  return out;
}

std::optional<adda::Grant> KombitStore::GetGrant(int municipality, const std::string& id) {
  auto body = GrantBody(municipality, id);
  if (!body) return std::nullopt;
  return nlohmann::json::parse(*body).get<adda::Grant>();
}

std::optional<std::string> KombitStore::GetMeta(const std::string& key) {
  Stmt s = db_.Prepare("SELECT value FROM meta WHERE key = ?1");
  s.Bind(1, key);
  if (!s.Step()) return std::nullopt;
  return s.Text(0);
}

void KombitStore::SetMeta(const std::string& key, const std::string& value) {
  Stmt s = db_.Prepare("INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)");
  s.Bind(1, key).Bind(2, value);
  s.Step();
}

}  // namespace adda::store
