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
          "caseworker, version, body, documents) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 1, ?9, ?10)")),
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
      .Bind(8, r.caseworker).BindStatic(9, r.body).BindStatic(10, r.documents);
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

KombitStore::KombitStore(Db& db) : db_(db) {
  Stmt s = db.Prepare("SELECT code, name, population, show_document_titles FROM municipalities ORDER BY code");
  while (s.Step())
    municipalities_.push_back({static_cast<int>(s.Int(0)), s.Text(1), s.Int(2), s.Int(3) != 0});
}

const MunicipalityRow* KombitStore::FindMunicipality(int code) const {
  for (const auto& m : municipalities_)
    if (m.code == code) return &m;
  return nullptr;
}

bool KombitStore::ShowDocuments(int municipality) const {
  const auto* m = FindMunicipality(municipality);
  return !m || m->show_document_titles;
}

std::optional<adda::Citizen> KombitStore::GetCitizen(const std::string& cpr) {
  Using u(Cached("SELECT cpr, municipality, first_name, last_name, sex, birth_date, household, mother, father "
                 "FROM citizens WHERE cpr = ?1"));
  u.s.Bind(1, cpr);
  if (!u.s.Step()) return std::nullopt;
  return CitizenFromRow(u.s, 0);
}

std::vector<adda::Citizen> KombitStore::ListCitizens(int municipality, Page page) {
  Using u(Cached("SELECT cpr, municipality, first_name, last_name, sex, birth_date, household, mother, father "
                 "FROM citizens WHERE municipality = ?1 ORDER BY cpr LIMIT ?2 OFFSET ?3"));
  u.s.Bind(1, municipality).Bind(2, page.limit).Bind(3, page.offset);
  std::vector<adda::Citizen> out;
  while (u.s.Step()) out.push_back(CitizenFromRow(u.s, 0));
  return out;
}

std::vector<adda::Citizen> KombitStore::ListCitizensAfter(int municipality, const std::string& after, int64_t limit) {
  Using u(Cached("SELECT cpr, municipality, first_name, last_name, sex, birth_date, household, mother, father "
                 "FROM citizens WHERE municipality = ?1 AND cpr > ?2 ORDER BY cpr LIMIT ?3"));
  u.s.Bind(1, municipality).Bind(2, after).Bind(3, limit);
  std::vector<adda::Citizen> out;
  while (u.s.Step()) out.push_back(CitizenFromRow(u.s, 0));
  return out;
}

std::vector<adda::Citizen> KombitStore::Children(const std::string& parent_cpr) {
  Using u(Cached("SELECT cpr, municipality, first_name, last_name, sex, birth_date, household, mother, father "
                 "FROM citizens WHERE mother = ?1 UNION SELECT cpr, municipality, first_name, last_name, sex, "
                 "birth_date, household, mother, father FROM citizens WHERE father = ?1 ORDER BY 6 DESC, 1"));
  u.s.Bind(1, parent_cpr);
  std::vector<adda::Citizen> out;
  while (u.s.Step()) out.push_back(CitizenFromRow(u.s, 0));
  return out;
}

int64_t KombitStore::CountCitizens(std::optional<int> municipality) {
  if (!municipality) return db_.QueryInt("SELECT count(*) FROM citizens").value_or(0);
  Using u(Cached("SELECT count(*) FROM citizens WHERE municipality = ?1"));
  u.s.Bind(1, *municipality);
  u.s.Step();
  return u.s.Int(0);
}

int64_t KombitStore::Count(const std::string& table) {
  static const char* kTables[] = {"citizens", "cases", "grants", "contributions", "integration_log", "defects"};
  for (const char* t : kTables)
    if (table == t) return db_.QueryInt(std::string("SELECT count(*) FROM ") + t).value_or(0);
  return 0;
}

std::vector<std::string> KombitStore::CaseBodies(Stmt& s, const std::string& cpr, std::optional<int> municipality,
                                                 Page page) {
  Using u(s);
  s.Bind(1, cpr).Bind(3, page.limit).Bind(4, page.offset);
  if (municipality) s.Bind(2, *municipality);
  std::vector<std::string> out;
  while (s.Step()) {
    if (ShowDocuments(static_cast<int>(s.Int(0))))
      out.push_back(SpliceCaseJson(s.TextView(1), s.TextView(2), std::nullopt));
    else
      out.push_back(s.Text(1));
  }
  return out;
}

std::vector<std::string> KombitStore::GrantBodies(Stmt& s, const std::string& cpr, std::optional<int> municipality,
                                                  Page page) {
  Using u(s);
  s.Bind(1, cpr).Bind(3, page.limit).Bind(4, page.offset);
  if (municipality) s.Bind(2, *municipality);
  std::vector<std::string> out;
  while (s.Step()) out.push_back(s.Text(0));
  return out;
}

std::vector<std::string> KombitStore::CaseBodiesByCpr(const std::string& cpr, std::optional<int> municipality,
                                                      Page page) {
  return CaseBodies(municipality ? Cached("SELECT municipality, body, documents FROM cases WHERE cpr = ?1 AND "
                                          "municipality = ?2 ORDER BY opened DESC, id LIMIT ?3 OFFSET ?4")
                                 : Cached("SELECT municipality, body, documents FROM cases WHERE cpr = ?1 "
                                          "ORDER BY opened DESC, id LIMIT ?3 OFFSET ?4"),
                    cpr, municipality, page);
}

std::vector<std::string> KombitStore::GrantBodiesByCpr(const std::string& cpr, std::optional<int> municipality,
                                                       Page page) {
  return GrantBodies(municipality ? Cached("SELECT body FROM grants WHERE cpr = ?1 AND municipality = ?2 "
                                           "ORDER BY start DESC, id LIMIT ?3 OFFSET ?4")
                                  : Cached("SELECT body FROM grants WHERE cpr = ?1 "
                                           "ORDER BY start DESC, id LIMIT ?3 OFFSET ?4"),
                     cpr, municipality, page);
}

std::optional<std::string> KombitStore::CaseBody(int municipality, const std::string& id) {
  Using u(Cached("SELECT body, documents FROM cases WHERE municipality = ?1 AND id = ?2"));
  u.s.Bind(1, municipality).Bind(2, id);
  if (!u.s.Step()) return std::nullopt;
  if (!ShowDocuments(municipality)) return u.s.Text(0);
  return SpliceCaseJson(u.s.TextView(0), u.s.TextView(1), std::nullopt);
}

std::optional<std::string> KombitStore::GrantBody(int municipality, const std::string& id) {
  Using u(Cached("SELECT body FROM grants WHERE municipality = ?1 AND id = ?2"));
  u.s.Bind(1, municipality).Bind(2, id);
  if (!u.s.Step()) return std::nullopt;
  return u.s.Text(0);
}

std::optional<StoredItem> KombitStore::CaseForOwner(int municipality, const std::string& id) {
  Using u(Cached("SELECT body, documents, caseworker, version, cpr FROM cases WHERE municipality = ?1 AND id = ?2"));
  u.s.Bind(1, municipality).Bind(2, id);
  if (!u.s.Step()) return std::nullopt;
  return StoredItem{SpliceCaseJson(u.s.TextView(0), u.s.TextView(1), u.s.OptText(2)), u.s.Int(3), u.s.Text(4)};
}

std::optional<StoredItem> KombitStore::GrantForOwner(int municipality, const std::string& id) {
  Using u(Cached("SELECT body, version, cpr FROM grants WHERE municipality = ?1 AND id = ?2"));
  u.s.Bind(1, municipality).Bind(2, id);
  if (!u.s.Step()) return std::nullopt;
  return StoredItem{u.s.Text(0), u.s.Int(1), u.s.Text(2)};
}

std::vector<std::string> KombitStore::CasesForOwner(int municipality, Page page) {
  Using u(Cached("SELECT body, documents, caseworker FROM cases WHERE municipality = ?1 ORDER BY id "
                 "LIMIT ?2 OFFSET ?3"));
  u.s.Bind(1, municipality).Bind(2, page.limit).Bind(3, page.offset);
  std::vector<std::string> out;
  while (u.s.Step()) out.push_back(SpliceCaseJson(u.s.TextView(0), u.s.TextView(1), u.s.OptText(2)));
  return out;
}

std::vector<std::string> KombitStore::GrantsForOwner(int municipality, Page page) {
  Using u(Cached("SELECT body FROM grants WHERE municipality = ?1 ORDER BY id LIMIT ?2 OFFSET ?3"));
  u.s.Bind(1, municipality).Bind(2, page.limit).Bind(3, page.offset);
  std::vector<std::string> out;
  while (u.s.Step()) out.push_back(u.s.Text(0));
  return out;
}

std::optional<adda::Case> KombitStore::GetCase(int municipality, const std::string& id) {
  auto item = CaseForOwner(municipality, id);
  if (!item) return std::nullopt;
  adda::Case c = nlohmann::json::parse(item->json).get<adda::Case>();
  c.version = item->version;
  return c;
}

std::optional<adda::Grant> KombitStore::GetGrant(int municipality, const std::string& id) {
  auto item = GrantForOwner(municipality, id);
  if (!item) return std::nullopt;
  adda::Grant g = nlohmann::json::parse(item->json).get<adda::Grant>();
  g.version = item->version;
  return g;
}

void KombitStore::PutCase(const adda::Case& c, const std::string& cpr) {
  Using u(Cached("INSERT INTO cases (municipality, id, case_number, cpr, opened, status, last_change, caseworker, "
                 "version, body, documents) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) "
                 "ON CONFLICT (municipality, id) DO UPDATE SET case_number = excluded.case_number, "
                 "cpr = excluded.cpr, opened = excluded.opened, status = excluded.status, "
                 "last_change = excluded.last_change, caseworker = excluded.caseworker, "
                 "version = excluded.version, body = excluded.body, documents = excluded.documents"));
  u.s.Bind(1, c.municipality).Bind(2, c.id).Bind(3, c.case_number).Bind(4, cpr)
      .Bind(5, c.status_history.front().from.ToString()).Bind(6, ToString(c.current_status()))
      .Bind(7, c.last_change().ToString()).Bind(8, c.caseworker).Bind(9, c.version)
      .Bind(10, CaseIndexJson(c, false)).Bind(11, DocumentsJson(c.documents));
  u.s.Step();
}

void KombitStore::PutGrant(const adda::Grant& g, const std::string& cpr) {
  Using u(Cached("INSERT INTO grants (municipality, id, case_id, cpr, start, version, body) "
                 "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (municipality, id) DO UPDATE SET "
                 "case_id = excluded.case_id, cpr = excluded.cpr, start = excluded.start, "
                 "version = excluded.version, body = excluded.body"));
  std::optional<std::string> start;
  if (g.start) start = g.start->ToString();
  u.s.Bind(1, g.municipality).Bind(2, g.id).Bind(3, g.case_id).Bind(4, cpr).Bind(5, start)
      .Bind(6, g.version).Bind(7, GrantJson(g));
  u.s.Step();
}

bool KombitStore::CaseNumberTaken(int municipality, const std::string& case_number, const std::string& except_id) {
  Using u(Cached("SELECT 1 FROM cases WHERE municipality = ?1 AND case_number = ?2 AND id <> ?3"));
  u.s.Bind(1, municipality).Bind(2, case_number).Bind(3, except_id);
  return u.s.Step();
}

void KombitStore::SetWarnings(int municipality, const std::string& kind, const std::string& id,
                              const std::string& json) {
  if (json == "[]") {
    Using u(Cached("DELETE FROM item_warnings WHERE municipality = ?1 AND item_kind = ?2 AND item_id = ?3"));
    u.s.Bind(1, municipality).Bind(2, kind).Bind(3, id);
    u.s.Step();
    return;
  }
  Using u(Cached("INSERT OR REPLACE INTO item_warnings (municipality, item_kind, item_id, warnings) "
                 "VALUES (?1, ?2, ?3, ?4)"));
  u.s.Bind(1, municipality).Bind(2, kind).Bind(3, id).Bind(4, json);
  u.s.Step();
}

std::optional<std::string> KombitStore::Warnings(int municipality, const std::string& kind, const std::string& id) {
  Using u(Cached("SELECT warnings FROM item_warnings WHERE municipality = ?1 AND item_kind = ?2 AND item_id = ?3"));
  u.s.Bind(1, municipality).Bind(2, kind).Bind(3, id);
  if (!u.s.Step()) return std::nullopt;
  return u.s.Text(0);
}

std::optional<IdempotencyRecord> KombitStore::GetIdempotency(int municipality, const std::string& key) {
  Using u(Cached("SELECT request_hash, status, body FROM idempotency WHERE municipality = ?1 AND key = ?2"));
  u.s.Bind(1, municipality).Bind(2, key);
  if (!u.s.Step()) return std::nullopt;
  return IdempotencyRecord{u.s.Text(0), static_cast<int>(u.s.Int(1)), u.s.Text(2)};
}

void KombitStore::PutIdempotency(int municipality, const std::string& key, const IdempotencyRecord& r) {
  Using u(Cached("INSERT OR REPLACE INTO idempotency (municipality, key, request_hash, status, body, created) "
                 "VALUES (?1, ?2, ?3, ?4, ?5, adda_now())"));
  u.s.Bind(1, municipality).Bind(2, key).Bind(3, r.request_hash).Bind(4, r.status).Bind(5, r.body);
  u.s.Step();
}

int64_t KombitStore::AppendLog(const LogEntry& e) {
  Using u(Cached("INSERT INTO integration_log (municipality, ts, request_id, method, path, item_kind, item_id, "
                 "status, idempotency_key, replayed, errors, warnings) "
                 "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"));
  u.s.Bind(1, e.municipality).Bind(2, e.ts).Bind(3, e.request_id).Bind(4, e.method).Bind(5, e.path)
      .Bind(6, e.item_kind).Bind(7, e.item_id).Bind(8, e.status).Bind(9, e.idempotency_key)
      .Bind(10, e.replayed ? 1 : 0).Bind(11, e.errors).Bind(12, e.warnings);
  u.s.Step();
  return db_.LastInsertRowid();
}

std::vector<LogEntry> KombitStore::ListLog(int municipality, int64_t after_id, int64_t limit) {
  Using u(Cached("SELECT id, municipality, ts, request_id, method, path, item_kind, item_id, status, "
                 "idempotency_key, replayed, errors, warnings FROM integration_log "
                 "WHERE municipality = ?1 AND id > ?2 ORDER BY id LIMIT ?3"));
  u.s.Bind(1, municipality).Bind(2, after_id).Bind(3, limit);
  std::vector<LogEntry> out;
  while (u.s.Step()) {
    LogEntry e;
    e.id = u.s.Int(0);
    e.municipality = static_cast<int>(u.s.Int(1));
    e.ts = u.s.Text(2);
    e.request_id = u.s.Text(3);
    e.method = u.s.Text(4);
    e.path = u.s.Text(5);
    e.item_kind = u.s.OptText(6);
    e.item_id = u.s.OptText(7);
    e.status = static_cast<int>(u.s.Int(8));
    e.idempotency_key = u.s.OptText(9);
    e.replayed = u.s.Int(10) != 0;
    e.errors = u.s.Text(11);
    e.warnings = u.s.Text(12);
    out.push_back(std::move(e));
  }
  return out;
}

namespace {
Contribution ContributionFromRow(const Stmt& s) {
  Contribution c;
  c.id = s.Text(0);
  c.municipality = static_cast<int>(s.Int(1));
  c.cpr = s.Text(2);
  c.item_kind = s.Text(3);
  c.item_id = s.Text(4);
  c.field = s.OptText(5);
  c.kind = s.Text(6);
  c.text = s.Text(7);
  c.status = s.Text(8);
  c.reply = s.OptText(9);
  c.created = s.Text(10);
  c.updated = s.Text(11);
  c.version = s.Int(12);
  c.history = s.Text(13);
  return c;
}
}  // namespace

nlohmann::json ContributionJson(const Contribution& c) {
  nlohmann::json j{{"id", c.id},           {"municipality", c.municipality}, {"cpr", c.cpr},
                   {"item_kind", c.item_kind}, {"item_id", c.item_id},     {"kind", c.kind},
                   {"text", c.text},       {"status", c.status},           {"created", c.created},
                   {"updated", c.updated}, {"version", c.version}};
  j["field"] = c.field ? nlohmann::json(*c.field) : nlohmann::json(nullptr);
  j["reply"] = c.reply ? nlohmann::json(*c.reply) : nlohmann::json(nullptr);
  j["history"] = nlohmann::json::parse(c.history, nullptr, false);
  if (j["history"].is_discarded()) j["history"] = nlohmann::json::array();
  return j;
}

bool KombitStore::InsertContribution(const Contribution& c) {
  Using u(Cached("INSERT OR IGNORE INTO contributions (id, municipality, cpr, item_kind, item_id, field, kind, "
                 "text, status, reply, created, updated, version, history) "
                 "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)"));
  u.s.Bind(1, c.id).Bind(2, c.municipality).Bind(3, c.cpr).Bind(4, c.item_kind).Bind(5, c.item_id)
      .Bind(6, c.field).Bind(7, c.kind).Bind(8, c.text).Bind(9, c.status).Bind(10, c.reply)
      .Bind(11, c.created).Bind(12, c.updated).Bind(13, c.version).Bind(14, c.history);
  u.s.Step();
  return db_.Changes() == 1;
}

std::optional<Contribution> KombitStore::GetContribution(const std::string& id) {
  Using u(Cached("SELECT id, municipality, cpr, item_kind, item_id, field, kind, text, status, reply, created, "
                 "updated, version, history FROM contributions WHERE id = ?1"));
  u.s.Bind(1, id);
  if (!u.s.Step()) return std::nullopt;
  return ContributionFromRow(u.s);
}

std::vector<Contribution> KombitStore::ContributionsFor(int municipality, const std::optional<std::string>& status,
                                                        Page page) {
  Using u(Cached("SELECT id, municipality, cpr, item_kind, item_id, field, kind, text, status, reply, created, "
                 "updated, version, history FROM contributions WHERE municipality = ?1 AND "
                 "(?2 IS NULL OR status = ?2) ORDER BY created, id LIMIT ?3 OFFSET ?4"));
  u.s.Bind(1, municipality).Bind(2, status).Bind(3, page.limit).Bind(4, page.offset);
  std::vector<Contribution> out;
  while (u.s.Step()) out.push_back(ContributionFromRow(u.s));
  return out;
}

std::vector<Contribution> KombitStore::ContributionsByCpr(const std::string& cpr, Page page) {
  Using u(Cached("SELECT id, municipality, cpr, item_kind, item_id, field, kind, text, status, reply, created, "
                 "updated, version, history FROM contributions WHERE cpr = ?1 ORDER BY created, id "
                 "LIMIT ?2 OFFSET ?3"));
  u.s.Bind(1, cpr).Bind(2, page.limit).Bind(3, page.offset);
  std::vector<Contribution> out;
  while (u.s.Step()) out.push_back(ContributionFromRow(u.s));
  return out;
}

void KombitStore::UpdateContribution(const Contribution& c) {
  Using u(Cached("UPDATE contributions SET status = ?2, reply = ?3, updated = ?4, version = ?5, history = ?6 "
                 "WHERE id = ?1"));
  u.s.Bind(1, c.id).Bind(2, c.status).Bind(3, c.reply).Bind(4, c.updated).Bind(5, c.version).Bind(6, c.history);
  u.s.Step();
}

std::vector<ChangeRow> KombitStore::ChangesAfter(int64_t after, int64_t limit) {
  Using u(Cached("SELECT seq, cpr, item_kind, municipality, item_id, at FROM changes WHERE seq > ?1 ORDER BY seq LIMIT ?2"));
  u.s.Bind(1, after).Bind(2, limit);
  std::vector<ChangeRow> out;
  while (u.s.Step())
    out.push_back(ChangeRow{u.s.Int(0), u.s.Text(1), u.s.Text(2), static_cast<int>(u.s.Int(3)), u.s.Text(4), u.s.Text(5)});
  return out;
}

int64_t KombitStore::LastChangeSeq() {
  Using u(Cached("SELECT coalesce(max(seq), 0) FROM changes"));
  u.s.Step();
  return u.s.Int(0);
}

int64_t KombitStore::FirstChangeSeq() {
  Using u(Cached("SELECT coalesce(min(seq), 0) FROM changes"));
  u.s.Step();
  return u.s.Int(0);
}

int64_t KombitStore::PruneChanges(int64_t keep) {
  if (keep < 1) keep = 1;
  Using u(Cached("DELETE FROM changes WHERE seq <= (SELECT max(seq) FROM changes) - ?1"));
  u.s.Bind(1, keep);
  u.s.Step();
  return db_.Changes();
}

std::optional<std::string> KombitStore::GetMeta(const std::string& key) {
  Using u(Cached("SELECT value FROM meta WHERE key = ?1"));
  u.s.Bind(1, key);
  if (!u.s.Step()) return std::nullopt;
  return u.s.Text(0);
}

void KombitStore::SetMeta(const std::string& key, const std::string& value) {
  Using u(Cached("INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)"));
  u.s.Bind(1, key).Bind(2, value);
  u.s.Step();
}

}  // namespace adda::store
