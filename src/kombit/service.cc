#include "kombit/service.h"

#include <sstream>
#include <unordered_map>

#include "core/cpr.h"
#include "core/fixtures.h"
#include "core/ids.h"
#include "core/validation.h"
#include "kombit/credentials.h"
#include "kombit/helpers.h"
#include "store/schema.h"

namespace adda::kombit {

namespace {

store::Db& WithServicePragmas(store::Db& db, const Clock& clock) {
  db.SetClock(clock);
  store::ApplyServicePragmas(db);
  return db;
}

Date TodayFromDb(const std::string& path, std::optional<Date> given) {
  if (given) return *given;
  store::Db db(path, store::OpenMode::kReadOnly);
  store::KombitStore s(db);
  if (auto t = s.GetMeta("today"))
    if (auto d = Date::Parse(*t)) return *d;
  return GoLiveDate();
}

}  // namespace

KombitService::KombitService(KombitOptions options)
    : net::HttpService({"kombit", "adda mock KOMBIT: case index, benefit index, integration API", ADDA_VERSION,
                        options.max_body, 64, options.log, options.clock ? options.clock : &SystemClock(),
                        options.check_answers}),
      options_(std::move(options)) {
  {
    store::Db db(options_.db_path, store::OpenMode::kReadWrite);
    db.SetClock(clock());
    store::Migrate(db, store::KombitMigrations());
    store::ApplyServicePragmas(db);
    // Names this database's change feed, so a follower notices when KOMBIT comes back
    // on another database (whose seqs mean something else).
    store::KombitStore ks(db);
    if (!ks.GetMeta("feed_id")) ks.SetMeta("feed_id", RandomToken("feed-"));
    feed_id_ = *ks.GetMeta("feed_id");
  }
  today_ = TodayFromDb(options_.db_path, options_.today);
  auto kle = KleCatalogue::FromJson(nlohmann::json::parse(EmbeddedFixture("kle")));
  if (!kle.ok()) throw std::runtime_error("embedded KLE fixture: " + kle.status().message());
  kle_ = *kle;
  const auto expl = nlohmann::json::parse(EmbeddedFixture("explanations"));
  for (const auto& t : expl.value("jargon", nlohmann::json::array()))
    if (t.is_string()) jargon_.push_back(t.get<std::string>());

  if (options_.changes_keep > 0) pruner_ = std::thread([this] { PruneChanges(); });
  AddBasicRoutes();
  AddRoutes();
}

KombitService::Conn::Conn(const std::string& path, const Clock& clock)
    : db(path, store::OpenMode::kReadWrite), store(WithServicePragmas(db, clock)) {}

KombitService::Conn& KombitService::conn() {
  return net::PerThread<Conn>(id(), [this] { return std::make_unique<Conn>(options_.db_path, clock()); });
}

void KombitService::Authorize(net::Request& req, const net::Route& route) {
  if (route.access == net::Access::kPublic) return;
  const std::string token = net::BearerToken(req);
  if (token.empty())
    throw net::HttpError("auth.missing", "this route needs a bearer token (Authorization: Bearer …)");
  auto who = options_.credentials.Identify(token);
  if (!who) throw net::HttpError("auth.invalid", "the bearer token is not known");
  req.principal = *who;
  if (route.access == net::Access::kMunicipality) {
    // Another municipality's path answers 403 whether or not the item exists there.
    if (who->kind != "municipality" || !who->municipality || *who->municipality != PathMunicipality(req))
      throw net::HttpError("auth.forbidden", "this credential may not use another municipality's data");
    return;
  }
  if (who->kind != net::AccessName(route.access))
    throw net::HttpError("auth.forbidden", std::string("this route is for the ") + net::AccessName(route.access) + " credential");
}

nlohmann::json KombitService::SecuritySchemes() const {
  auto bearer = [](const char* d) { return nlohmann::json{{"type", "http"}, {"scheme", "bearer"}, {"description", d}}; };
  return {{"system", bearer("borger.dk's system key")},
          {"municipality", bearer("one key per municipality; it opens only /v1/municipalities/{its code}/…")},
          {"admin", bearer("the pilot team's admin key: faults and counters")}};
}

KombitService::~KombitService() {
  {
    std::lock_guard<std::mutex> lock(prune_mu_);
    stopping_ = true;
  }
  prune_cv_.notify_all();
  if (pruner_.joinable()) pruner_.join();
}

void KombitService::PruneChanges() {
  std::unique_lock<std::mutex> lock(prune_mu_);
  std::unique_ptr<store::Db> db;
  do {
    lock.unlock();
    try {
      if (!db) {
        db = std::make_unique<store::Db>(options_.db_path, store::OpenMode::kReadWrite);
        store::ApplyServicePragmas(*db);
      }
      store::KombitStore s(*db);
      changes_pruned_ += s.PruneChanges(options_.changes_keep);
    } catch (const std::exception&) {
      db.reset();  // busy or failing: the next round tries again
    }
    lock.lock();
  } while (!prune_cv_.wait_for(lock, options_.changes_prune_every, [&] { return stopping_; }));
}

nlohmann::json KombitService::HealthDetails() {
  auto& s = conn().store;
  return {{"today", today_.ToString()},
          {"municipalities", s.Municipalities().size()},
          {"citizens", s.CountCitizens(std::nullopt)},
          {"data_digest", [&]() -> nlohmann::json {
             if (auto d = s.GetMeta("digest")) return "sha256:" + *d;
             return nullptr;
           }()},
          {"changes", {{"first_seq", s.FirstChangeSeq()}, {"last_seq", s.LastChangeSeq()},
                       {"keep", options_.changes_keep}, {"pruned", changes_pruned_.load()}}}};
}

net::Response KombitService::Integrate(net::Request& req, const std::string& item_kind, const std::string& item_id,
                                       const Write& write) {
  const int m = *req.principal->municipality;
  const std::string key = req.Header("Idempotency-Key");
  store::LogEntry entry;
  entry.municipality = m;
  entry.ts = clock().NowIso();
  entry.request_id = req.request_id;
  entry.method = req.method;
  entry.path = req.path;
  if (!item_kind.empty()) entry.item_kind = item_kind;
  if (!item_id.empty()) entry.item_id = item_id;
  if (!key.empty()) entry.idempotency_key = key;
  Conn& c = conn();
  try {
    if (key.size() > 200 || (!key.empty() && key.find_first_of("\r\n\t") != std::string::npos))
      throw net::HttpError("idempotency.bad_key", "Idempotency-Key must be at most 200 printable characters");
    const std::string hash = net::Sha256Hex(req.method + "\n" + req.path + "\n" + req.body);
    store::Transaction tx(c.db);
    if (!key.empty()) {
      if (auto rec = c.store.GetIdempotency(m, key)) {
        if (rec->request_hash != hash)
          throw net::HttpError("idempotency.key_reused",
                               "this Idempotency-Key was used for a different request");
        net::Response replay = net::Response::Raw(rec->status, rec->body);
        replay.headers["Idempotent-Replayed"] = "true";
        // The stored answer is the body; its ETag follows from the version it names, so
        // the replay carries the header the first answer did.
        const auto stored = nlohmann::json::parse(rec->body, nullptr, false);
        if (stored.is_object() && stored.contains("version") && stored["version"].is_number_integer())
          replay.headers["ETag"] = ETag(stored["version"].get<int64_t>());
        entry.status = rec->status;
        entry.replayed = true;
        c.store.AppendLog(entry);
        tx.Commit();
        return replay;
      }
    }
    Outcome out = write(c.store, m);
    if (!key.empty() && out.response.status < 300)
      c.store.PutIdempotency(m, key, {hash, out.response.status, out.response.body});
    entry.status = out.response.status;
    entry.warnings = out.warnings.dump();
    c.store.AppendLog(entry);
    tx.Commit();
    return out.response;
  } catch (const net::HttpError& e) {
    RecordRefusal(e, &entry);
    store::Transaction tx(c.db);
    c.store.AppendLog(entry);
    tx.Commit();
    throw;
  }
}

KombitService::Outcome KombitService::PutCase(store::KombitStore& s, int m, const std::string& id,
                                              const nlohmann::json& body, const net::Request* req) {
  std::vector<Violation> structural;
  Case c = DecodeCase(body, &structural);
  if (!structural.empty()) ThrowUnprocessable(structural, {});
  ValidationContext ctx{&kle_, &jargon_, today_, true, m};
  ValidationReport report = ValidateCase(c, ctx);
  if (c.id != id) report.errors.push_back({"field.id", "id", "must equal the id in the path (" + id + ")"});
  const auto existing = s.CaseForOwner(m, id);
  if (req) CheckPreconditions(*req, existing);
  if (report.ok() && s.CaseNumberTaken(m, c.case_number, id))
    report.errors.push_back({"case_number.unique", "case_number",
                             "case number " + c.case_number + " is used by another case of this municipality"});
  if (!report.ok()) ThrowUnprocessable(report.errors, report.warnings);
  c.version = existing ? existing->version + 1 : 1;
  s.PutCase(c, *CprDigitsFromUrn(c.primary_party));
  return Stored(s, m, "case", id, c.version, !existing, report.warnings);
}

KombitService::Outcome KombitService::Stored(store::KombitStore& s, int m, const std::string& kind,
                                             const std::string& id, int64_t version, bool created,
                                             const std::vector<Violation>& warnings) {
  Outcome out;
  out.warnings = ViolationsJson(warnings);
  s.SetWarnings(m, kind, id, out.warnings.dump());
  out.response = net::Response::Json(created ? 201 : 200, {{"id", id}, {"municipality", m}, {"version", version},
                                                          {"warnings", out.warnings}});
  out.response.headers["ETag"] = ETag(version);
  return out;
}

KombitService::Outcome KombitService::PutGrant(store::KombitStore& s, int m, const std::string& id,
                                               const nlohmann::json& body, const net::Request* req) {
  std::vector<Violation> structural;
  Grant g = DecodeGrant(body, &structural);
  if (!structural.empty()) ThrowUnprocessable(structural, {});
  ValidationContext ctx{&kle_, &jargon_, today_, true, m};
  ValidationReport report = ValidateGrant(g, ctx);
  if (g.id != id) report.errors.push_back({"field.id", "id", "must equal the id in the path (" + id + ")"});
  if (g.case_id && report.ok() && !s.CaseForOwner(m, *g.case_id))
    report.errors.push_back({"grant.case_link", "case_id",
                             "case " + *g.case_id + " is not in this municipality's case index; push the case first"});
  const auto existing = s.GrantForOwner(m, id);
  if (req) CheckPreconditions(*req, existing);
  if (!report.ok()) ThrowUnprocessable(report.errors, report.warnings);
  g.version = existing ? existing->version + 1 : 1;
  s.PutGrant(g, *CprDigitsFromUrn(g.recipient));
  return Stored(s, m, "grant", id, g.version, !existing, report.warnings);
}

net::Response KombitService::Bulk(net::Request& req) {
  const int m = *req.principal->municipality;
  const std::string batch_key = req.Header("Idempotency-Key");
  if (batch_key.size() > 150)
    throw net::HttpError("idempotency.bad_key", "Idempotency-Key must be at most 150 characters for bulk loads");
  Conn& c = conn();
  int64_t accepted = 0, rejected = 0, replayed = 0, line_no = 0;
  nlohmann::json results = nlohmann::json::array();
  constexpr int kBatch = 500;
  std::istringstream in(req.body);
  std::string line;
  std::unique_ptr<store::Transaction> tx;
  int in_batch = 0;
  auto flush = [&] {
    if (tx) tx->Commit();
    tx.reset();
    in_batch = 0;
  };
  while (std::getline(in, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    if (!tx) tx = std::make_unique<store::Transaction>(c.db);
    store::LogEntry entry;
    entry.municipality = m;
    entry.ts = clock().NowIso();
    entry.request_id = req.request_id + "#" + std::to_string(line_no);
    entry.method = "POST";
    entry.path = req.path;
    nlohmann::json result{{"line", line_no}};
    try {
      if (static_cast<int>(net::JsonDepth(line, 64)) > 64)
        throw net::HttpError("request.too_deep", "the line nests too deeply");
      auto j = nlohmann::json::parse(line, nullptr, false);
      if (j.is_discarded()) throw net::HttpError("request.malformed_json", "the line is not valid JSON");
      if (!j.is_object() || !j.contains("kind") || !j["kind"].is_string() || !j.contains("record") ||
          !j["record"].is_object())
        throw net::HttpError("bulk.line_shape", "each line is {\"kind\": \"case\"|\"grant\", \"record\": {…}, \"key\": optional}");
      const std::string kind = j["kind"];
      if (kind != "case" && kind != "grant")
        throw net::HttpError("bulk.line_shape", "kind must be \"case\" or \"grant\"");
      const auto& rec = j["record"];
      const std::string id = rec.contains("id") && rec["id"].is_string() ? rec["id"].get<std::string>() : "";
      if (id.empty() || id.size() > 64 || !IsSafeId(id))
        throw net::HttpError("field.id", "record.id must be 1-64 characters of letters, digits, '.', '_' or '-'");
      entry.item_kind = kind;
      entry.item_id = id;
      result["id"] = id;
      std::string key;
      if (j.contains("key") && j["key"].is_string()) key = j["key"];
      else if (!batch_key.empty()) key = batch_key + ":" + std::to_string(line_no);
      if (key.size() > 200) throw net::HttpError("idempotency.bad_key", "key must be at most 200 characters");
      if (!key.empty()) entry.idempotency_key = key;
      const std::string hash = net::Sha256Hex("BULK\n" + kind + "\n" + rec.dump());
      std::optional<store::IdempotencyRecord> prior;
      if (!key.empty()) prior = c.store.GetIdempotency(m, key);
      if (prior) {
        if (prior->request_hash != hash)
          throw net::HttpError("idempotency.key_reused", "this key was used for a different record");
        entry.status = prior->status;
        entry.replayed = true;
        result["status"] = prior->status;
        result["replayed"] = true;
        ++replayed;
      } else {
        // A savepoint per line: a failed line leaves nothing behind.
        c.db.Exec("SAVEPOINT line");
        try {
          Outcome o = kind == "case" ? PutCase(c.store, m, id, rec, nullptr) : PutGrant(c.store, m, id, rec, nullptr);
          if (!key.empty()) c.store.PutIdempotency(m, key, {hash, o.response.status, o.response.body});
          c.db.Exec("RELEASE line");
          entry.status = o.response.status;
          entry.warnings = o.warnings.dump();
          result["status"] = o.response.status;
          if (!o.warnings.empty()) result["warnings"] = o.warnings;
          ++accepted;
        } catch (...) {
          c.db.Exec("ROLLBACK TO line");
          c.db.Exec("RELEASE line");
          throw;
        }
      }
    } catch (const net::HttpError& e) {
      ++rejected;
      result["errors"] = RecordRefusal(e, &entry);
      result["status"] = e.status();
    }
    c.store.AppendLog(entry);
    if (result.contains("errors") || result.contains("warnings")) results.push_back(result);
    if (++in_batch >= kBatch) flush();
  }
  flush();
  metrics().Count("kombit_bulk_lines_total", line_no);
  return net::Response::Json(200, {{"lines", line_no},
                                   {"accepted", accepted},
                                   {"replayed", replayed},
                                   {"rejected", rejected},
                                   {"results", results}});
}

}  // namespace adda::kombit
