// Bad input for every route of the KOMBIT mock, over real HTTP: missing, unknown and
// wrong credentials, another municipality's key, malformed and mistyped JSON, unknown
// fields, oversized and deeply nested bodies, unknown and hostile ids, bad CPRs and
// query parameters, stale versions, reused idempotency keys, invalid UTF-8 and huge
// numbers, unknown routes and wrong methods.
//
// The routes come from the service's own route table, and every route must have a row
// in Specs() below (real data to aim at, a body the route would accept): a new route
// without a row fails EveryRouteIsInTheBadInputTable. Every refusal must be the JSON
// envelope {"error": {"code", "message"}} with the right status, never a 5xx, and after
// each battery the service still answers /health and the data it accepted before is
// exactly as it was.
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/StreamSocket.h>

#include <map>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "core/ids.h"
#include "kombit_env.h"
#include "common/http_testing.h"
#include "common/bad_input.h"
#include "common/openapi_testing.h"

namespace adda::testing {
namespace {

using Json = nlohmann::json;

constexpr int kOwn = 751;    // the municipality whose data the requests aim at
constexpr int kOther = 561;  // a neighbour: its key must never open kOwn's paths
const char* const kPlaceholder = "\"@@RAW@@\"";

// What a route needs to be aimed at real data, and where its body can be spoilt.
struct Spec {
  std::map<std::string, std::string> params;  // path values naming real data of kOwn
  std::string query;                          // what a valid request needs, without '?'
  Json body;                 // accepted if the caller may use the route; null: none
  bool bulk = false;         // NDJSON: `body` is one case record, sent as one line
  std::string invalid_code;  // the code of its 422 answers
  std::map<std::string, std::string> unknown;  // param overrides naming nothing: 404 `not_found`
  std::string not_found;
  std::string text_path, text_field;      // a string field of `body`: JSON pointer, violation field
  std::string number_path, number_field;  // a number field of `body`, when it has one
  std::string unknown_path,
      unknown_field;           // where an unknown field goes, when the route refuses them
  bool preconditions = false;  // If-Match / If-None-Match honoured
  bool idempotent = false;     // Idempotency-Key honoured (the integration pipeline)
};

// The pattern with "{name}" segments filled from `values` (taken as they are: encoded).
std::string Fill(const std::string& pattern, const std::map<std::string, std::string>& values) {
  std::string out;
  for (const auto& seg : net::SplitPath(pattern)) {
    out += "/";
    if (IsParam(seg)) {
      auto it = values.find(seg.substr(1, seg.size() - 2));
      out += it == values.end() ? "MISSING-" + seg : it->second;
    } else {
      out += seg;
    }
  }
  return out.empty() ? "/" : out;
}

std::map<std::string, std::string> Merge(std::map<std::string, std::string> a,
                                         const std::map<std::string, std::string>& b) {
  for (const auto& [k, v] : b) a[k] = v;
  return a;
}

class KombitBadInput : public KombitEnv {
 protected:
  void SetUp() override {
    KombitEnv::SetUp();
    if (HasFatalFailure()) return;
    Prepare();
  }

  // Accepted data written before any battery: a sentinel case that must read back
  // byte for byte, a target case, grant and contribution the requests aim at, and a
  // fault rule that matches nothing (so a refused DELETE can be seen to do nothing).
  void Prepare() {
    cpr_ = QueryText("SELECT cpr FROM citizens WHERE municipality = " + std::to_string(kOwn) +
                     " ORDER BY cpr LIMIT 1");
    ASSERT_EQ(cpr_.size(), 10u);
    const std::string base = "/v1/municipalities/" + std::to_string(kOwn);
    auto sentinel = client_->PutJson(base + "/cases/bi-sentinel",
                                     NewCase(kOwn, "bi-sentinel", cpr_, "BI-SENTINEL"),
                                     With(Muni(kOwn), "If-None-Match", "*"));
    ASSERT_EQ(sentinel.status, 201) << sentinel.body;
    auto target =
        client_->PutJson(base + "/cases/bi-target", NewCase(kOwn, "bi-target", cpr_, "BI-TARGET"),
                         With(Muni(kOwn), "If-None-Match", "*"));
    ASSERT_EQ(target.status, 201) << target.body;
    // A generated grant with benefits and payments that passes the rules as it is.
    const std::string candidates = QueryText(
        "SELECT group_concat(id, ' ') FROM (SELECT id FROM grants WHERE municipality = " +
        std::to_string(kOwn) +
        " AND body LIKE '%\"payments\":[{%' AND body LIKE '%\"benefits\":[{%' AND id NOT IN "
        "(SELECT item_id FROM defects) ORDER BY id LIMIT 20)");
    std::istringstream ids(candidates);
    for (std::string id; ids >> id;) {
      auto got = client_->Get(base + "/grants/" + id, Muni(kOwn));
      ASSERT_EQ(got.status, 200) << got.body;
      auto put = client_->PutJson(base + "/grants/" + id, Parsed(got),
                                  With(Muni(kOwn), "If-Match", got.Header("ETag")));
      if (put.status != 200) continue;
      grant_id_ = id;
      grant_ = client_->Get(base + "/grants/" + id, Muni(kOwn)).Json();
      break;
    }
    ASSERT_FALSE(grant_id_.empty()) << "no generated grant of " << kOwn << " passes the rules";
    auto contribution = client_->PostJson("/v1/contributions",
                                          Contribution("bi-contrib", "Titlen er forkert."), Sys());
    ASSERT_EQ(contribution.status, 201) << contribution.body;
    AddQuietFault();
    sentinel_ = client_->Get(base + "/cases/bi-sentinel", Muni(kOwn));
    ASSERT_EQ(sentinel_.status, 200);
    Snapshot();
  }

  void AddQuietFault() {
    auto fault = client_->PostJson("/admin/faults", {{"route", "/never-matches/*"}}, Admin());
    ASSERT_EQ(fault.status, 201) << fault.body;
    fault_id_ = Parsed(fault)["id"];
  }

  Json Contribution(const std::string& id, const std::string& text) const {
    return {{"id", id},
            {"municipality", kOwn},
            {"cpr", cpr_},
            {"item_kind", "case"},
            {"item_id", "bi-target"},
            {"field", "title"},
            {"kind", "correction"},
            {"text", text}};
  }

  // The row of every route: real data to aim at and a body it would accept.
  std::map<std::string, Spec> Specs() const {
    const std::string muni = "/v1/municipalities/{code}";
    const std::map<std::string, std::string> own = {{"code", std::to_string(kOwn)}};
    std::map<std::string, Spec> t;
    for (const char* basic :
         {"GET /health", "GET /metrics", "GET /openapi.json", "GET /v1/municipalities",
          "GET /admin/faults", "DELETE /admin/faults", "GET /admin/stats"})
      t[basic] = {};
    t["GET /v1/citizens"].query = "municipality=" + std::to_string(kOwn);
    t["GET /v1/changes"].query = "after=0&limit=10";
    {
      Spec s;
      s.params = {{"cpr", cpr_}};
      s.unknown = {{"cpr", "0101011234"}};  // a real-looking number: never in the generated data
      s.not_found = "citizen.not_found";
      t["GET /v1/citizens/{cpr}"] = s;
    }
    for (const char* list :
         {"GET /v1/citizens/{cpr}/cases", "GET /v1/citizens/{cpr}/grants",
          "GET /v1/citizens/{cpr}/overview", "GET /v1/citizens/{cpr}/contributions"})
      t[list].params = {{"cpr", cpr_}};
    {
      Spec s;
      s.params = Merge(own, {{"id", "bi-target"}});
      s.unknown = {{"id", "no-such-case"}};
      s.not_found = "case.not_found";
      t["GET /v1/cases/{code}/{id}"] = s;
      t["GET " + muni + "/cases/{id}"] = s;
    }
    {
      Spec s;
      s.params = Merge(own, {{"id", grant_id_}});
      s.unknown = {{"id", "no-such-grant"}};
      s.not_found = "grant.not_found";
      t["GET /v1/grants/{code}/{id}"] = s;
      t["GET " + muni + "/grants/{id}"] = s;
    }
    for (const char* list : {"/cases", "/grants", "/log", "/contributions"})
      t["GET " + muni + list].params = own;
    {
      Spec s;
      s.params = Merge(own, {{"id", "bi-target"}});
      s.body = NewCase(kOwn, "bi-target", cpr_, "BI-TARGET");
      s.body["title"] = "Hjælp til bolig (rettet)";
      s.invalid_code = "integration.invalid";
      s.text_path = "/title", s.text_field = "title";
      s.number_path = "/municipality", s.number_field = "municipality";
      s.preconditions = s.idempotent = true;
      t["PUT " + muni + "/cases/{id}"] = s;
    }
    {
      Spec s;
      s.params = Merge(own, {{"id", "bi-target"}});
      s.body = {{"status", "Oplyst"}, {"from", "2018-11-20"}, {"local_status", "Under behandling"}};
      s.invalid_code = "integration.invalid";
      s.unknown = {{"id", "no-such-case"}};
      s.not_found = "case.not_found";
      s.text_path = "/local_status", s.text_field = "local_status";
      s.unknown_path = "/sneaky", s.unknown_field = "sneaky";
      s.preconditions = s.idempotent = true;
      t["POST " + muni + "/cases/{id}/status"] = s;
    }
    {
      Spec s;
      s.params = Merge(own, {{"id", "bi-target"}, {"doc", "bi-doc"}});
      s.body = {{"id", "bi-doc"},
                {"title", "Afgørelse om boligstøtte"},
                {"letter_date", "2018-11-15"},
                {"type", "Brev, udgaaende"},
                {"status", "Endeligt"}};
      s.invalid_code = "integration.invalid";
      s.unknown = {{"id", "no-such-case"}};
      s.not_found = "case.not_found";
      s.text_path = "/title", s.text_field = "title";
      s.preconditions = s.idempotent = true;
      t["PUT " + muni + "/cases/{id}/documents/{doc}"] = s;
    }
    {
      Spec s;
      s.params = Merge(own, {{"id", grant_id_}});
      s.body = grant_;
      s.invalid_code = "integration.invalid";
      s.text_path = "/reason", s.text_field = "reason";
      s.number_path = "/municipality", s.number_field = "municipality";
      s.preconditions = s.idempotent = true;
      t["PUT " + muni + "/grants/{id}"] = s;
    }
    {
      Spec s;
      s.params =
          Merge(own, {{"id", grant_id_}, {"sub", grant_["benefits"][0]["id"].get<std::string>()}});
      s.body = grant_["benefits"][0];
      s.invalid_code = "integration.invalid";
      s.unknown = {{"id", "no-such-grant"}};
      s.not_found = "grant.not_found";
      s.text_path = "/name", s.text_field = "name";
      if (s.body.contains("plan") && s.body["plan"].is_object())
        s.number_path = "/plan/amount", s.number_field = "plan.amount";
      s.preconditions = s.idempotent = true;
      t["PUT " + muni + "/grants/{id}/benefits/{sub}"] = s;
    }
    {
      Spec s;
      s.params =
          Merge(own, {{"id", grant_id_}, {"sub", grant_["payments"][0]["id"].get<std::string>()}});
      s.body = grant_["payments"][0];
      s.invalid_code = "integration.invalid";
      s.unknown = {{"id", "no-such-grant"}};
      s.not_found = "grant.not_found";
      s.text_path = "/benefit_id", s.text_field = "benefit_id";
      s.number_path = "/gross", s.number_field = "gross";
      s.preconditions = s.idempotent = true;
      t["PUT " + muni + "/grants/{id}/payments/{sub}"] = s;
    }
    {
      Spec s;
      s.params = own;
      s.bulk = true;
      s.body = NewCase(kOwn, "bi-bulk", cpr_, "BI-BULK");
      s.text_path = "/title", s.text_field = "title";
      s.number_path = "/municipality", s.number_field = "municipality";
      t["POST " + muni + "/bulk"] = s;
    }
    {
      Spec s;
      s.body = Contribution("bi-contrib-new", "Beskrivelsen mangler noget.");
      s.invalid_code = "integration.invalid";
      s.text_path = "/text", s.text_field = "text";
      s.number_path = "/municipality", s.number_field = "municipality";
      s.unknown_path = "/sneaky", s.unknown_field = "sneaky";
      t["POST /v1/contributions"] = s;
    }
    {
      Spec s;
      s.params = {{"id", "bi-contrib"}};
      s.unknown = {{"id", "no-such-contribution"}};
      s.not_found = "contribution.not_found";
      t["GET /v1/contributions/{id}"] = s;
    }
    {
      Spec s;
      s.params = Merge(own, {{"id", "bi-contrib"}});
      s.body = {{"status", "under_review"}};
      s.invalid_code = "integration.invalid";
      s.unknown = {{"id", "no-such-contribution"}};
      s.not_found = "contribution.not_found";
      s.text_path = "/reply", s.text_field = "reply";
      s.unknown_path = "/sneaky", s.unknown_field = "sneaky";
      s.preconditions = s.idempotent = true;
      t["PATCH " + muni + "/contributions/{id}"] = s;
    }
    {
      Spec s;
      s.body = {{"route", "/never-matches/either/*"}, {"latency", {{"ms", 1}}}};
      s.invalid_code = "fault.invalid";
      s.text_path = "/route", s.text_field = "route";
      s.number_path = "/error_rate", s.number_field = "error_rate";
      s.unknown_path = "/sneaky", s.unknown_field = "sneaky";
      t["POST /admin/faults"] = s;
    }
    {
      Spec s;
      s.body = Json::array({{{"route", "/never-matches/*"}}});
      s.invalid_code = "fault.invalid";
      s.text_path = "/0/route", s.text_field = "[0].route";
      s.number_path = "/0/error_rate", s.number_field = "[0].error_rate";
      s.unknown_path = "/0/sneaky", s.unknown_field = "[0].sneaky";
      t["PUT /admin/faults"] = s;
    }
    {
      Spec s;
      s.params = {{"id", fault_id_}};
      s.unknown = {{"id", "f999"}};
      s.not_found = "fault.not_found";
      t["DELETE /admin/faults/{id}"] = s;
    }
    return t;
  }

  const std::vector<net::Route>& Routes() const { return service_->router().routes(); }

  // Every route with its row; a route without one is reported by the coverage test.
  std::vector<std::pair<const net::Route*, Spec>> Table() const {
    const auto specs = Specs();
    std::vector<std::pair<const net::Route*, Spec>> out;
    for (const auto& r : Routes()) {
      auto it = specs.find(Key(r));
      if (it != specs.end()) out.emplace_back(&r, it->second);
    }
    return out;
  }

  net::Headers Right(const net::Route& r) const {
    if (r.access == net::Access::kSystem) return Sys();
    if (r.access == net::Access::kAdmin) return Admin();
    if (r.access == net::Access::kMunicipality) return Muni(kOwn);
    return {};
  }

  std::string Target(const net::Route& r, const Spec& s,
                     const std::map<std::string, std::string>& overrides = {},
                     const std::string& query = "") const {
    std::string q = s.query;
    if (!query.empty()) q = query;
    return Fill(r.pattern, Merge(s.params, overrides)) + (q.empty() ? "" : "?" + q);
  }

  // The text of a body: JSON as it is, or for the bulk route one line holding the record.
  static std::string BodyText(const Spec& s, const Json& body) {
    if (body.is_null() && !s.bulk) return "";
    if (s.bulk) return Json{{"kind", "case"}, {"record", body}}.dump() + "\n";
    return body.dump();
  }
  // The body with the JSON at `pointer` replaced by `raw` text (which may be invalid JSON).
  static std::string WithRaw(const Spec& s, const std::string& pointer, const std::string& raw) {
    Json b = s.body;
    b[Json::json_pointer(pointer)] = "@@RAW@@";
    std::string text = BodyText(s, b);
    ReplaceFirst(&text, kPlaceholder, raw);
    return text;
  }
  static std::string WithValue(const Spec& s, const std::string& pointer, const Json& value) {
    Json b = s.body;
    b[Json::json_pointer(pointer)] = value;
    return BodyText(s, b);
  }

  net::ClientResponse Call(const net::Route& r, const Spec& s, const std::string& target,
                           const std::string& body, const net::Headers& h) {
    return client_->Send(r.method, target, body, h,
                         s.bulk ? "application/x-ndjson" : "application/json");
  }
  net::ClientResponse CallGood(const net::Route& r, const Spec& s, const net::Headers& h) {
    return Call(r, s, Target(r, s), BodyText(s, s.body), h);
  }

  // The route refused a spoilt body with `status`: for a JSON route the envelope with
  // `code` (or, with `field`, the route's 422 code and a violation naming the field);
  // for the bulk route an answered load whose one line was refused the same way.
  void ExpectRefused(const net::Route& r, const Spec& s, const std::string& body, int status,
                     const std::string& code, const std::string& field = "") {
    const std::string target = Target(r, s);
    const auto resp = Call(r, s, target, body, Right(r));
    const std::string what = Describe(r.method, target, resp) + "\n  body: " + body.substr(0, 200);
    if (s.bulk) {
      ASSERT_EQ(resp.status, 200) << what;
      const Json j = Parsed(resp);
      EXPECT_EQ(j["accepted"], 0) << what;
      ASSERT_EQ(j["rejected"], 1) << what;
      ASSERT_EQ(j["results"].size(), 1u) << what;
      const Json& line = j["results"][0];
      EXPECT_EQ(line["status"], status) << what;
      if (!field.empty()) {
        EXPECT_TRUE(NamesField(line["errors"], field)) << field << " in " << what;
      } else if (!code.empty()) {
        EXPECT_EQ(line["errors"][0]["rule"], code) << what;
      }
      return;
    }
    const std::string want = !field.empty() && status == 422 ? s.invalid_code : code;
    EXPECT_TRUE(IsError(resp, status, want)) << what;
    if (!field.empty()) {
      EXPECT_TRUE(NamesField(Parsed(resp)["error"]["violations"], field))
          << field << " in " << what;
    }
  }

  // What rejected requests must not change: cases, grants, contributions, idempotency
  // records and warnings, and the fault rules.
  std::string Fingerprint() const {
    std::string f;
    for (const char* sql :
         {"SELECT count(*) || ':' || total(version) || ':' || total(length(body)) FROM cases",
          "SELECT count(*) || ':' || total(version) || ':' || total(length(body)) FROM grants",
          "SELECT count(*) || ':' || total(version) || ':' || group_concat(id || status || "
          "coalesce(reply, ''), ',') "
          "FROM (SELECT * FROM contributions ORDER BY id)",
          "SELECT count(*) FROM idempotency",
          "SELECT count(*) || ':' || total(length(warnings)) FROM item_warnings",
          "SELECT count(*) FROM citizens"})
      f += QueryText(sql) + "|";
    return f;
  }
  std::vector<std::string> FaultIds() {
    std::vector<std::string> ids;
    auto r = client_->Get("/admin/faults", Admin());
    EXPECT_EQ(r.status, 200) << r.body;
    const auto parsed = Parsed(r);  // a range-for over a temporary's member would dangle
    for (const auto& rule : parsed["rules"]) ids.push_back(rule["id"]);
    return ids;
  }
  void Snapshot() {
    fingerprint_ = Fingerprint();
    faults_ = FaultIds();
  }

  // After a battery: the service answers, nothing it accepted before has changed.
  void ExpectIntact() {
    auto health = client_->Get("/health");
    ASSERT_EQ(health.status, 200) << health.body;
    EXPECT_EQ(Parsed(health)["status"], "ok");
    EXPECT_EQ(Fingerprint(), fingerprint_) << "a refused request changed the data";
    EXPECT_EQ(FaultIds(), faults_) << "a refused request changed the fault rules";
    const std::string base = "/v1/municipalities/" + std::to_string(kOwn);
    auto sentinel = client_->Get(base + "/cases/bi-sentinel", Muni(kOwn));
    ASSERT_EQ(sentinel.status, 200) << sentinel.body;
    EXPECT_EQ(sentinel.body, sentinel_.body);
    EXPECT_EQ(sentinel.Header("ETag"), sentinel_.Header("ETag"));
    EXPECT_EQ(client_->Get("/v1/cases/" + std::to_string(kOwn) + "/bi-sentinel", Sys()).status,
              200);
    EXPECT_EQ(QueryInt("SELECT count(*) FROM cases WHERE id LIKE 'no-such%' OR id LIKE 'bi-bulk%' "
                       "OR id LIKE '%etc%'"),
              0);
  }

  // Restarts the service on the same database (e.g. after lowering bulk_limit_).
  void Restart() {
    StopServer();
    StartServer();
    AddQuietFault();  // fault rules live in the service, not the database
    faults_ = FaultIds();
  }

  // One request as raw bytes on a fresh connection, and the answer read back: for what
  // net::Client cannot send, such as a Content-Length with no body behind it.
  net::ClientResponse Raw(const std::string& request, int timeout_s = 5) {
    return RawHttp(server_->url(), request, timeout_s, &send_errors_);
  }
  std::string RawHead(const std::string& method, const std::string& target, const net::Headers& h,
                      size_t length) const {
    std::string req = method + " " + target +
                      " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n";
    for (const auto& [k, v] : h) req += k + ": " + v + "\r\n";
    return req + "Content-Length: " + std::to_string(length) + "\r\n\r\n";
  }

  static std::string Chunked(const std::string& method, const std::string& target,
                             const net::Headers& h, const std::string& body,
                             const std::string& content_type = "application/json") {
    std::string req = method + " " + target +
                      " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: " + content_type + "\r\n";
    for (const auto& [k, v] : h) req += k + ": " + v + "\r\n";
    char size[32];
    std::snprintf(size, sizeof size, "%zx", body.size());
    return req + "Transfer-Encoding: chunked\r\n\r\n" + size + "\r\n" + body + "\r\n0\r\n\r\n";
  }

  // ---- the batteries; each test runs one, and one test runs them all in one process.
 public:
  void MissingToken() {
    for (const auto& [r, s] : Table()) {
      if (r->access == net::Access::kPublic) continue;
      for (const net::Headers& h : {net::Headers{}, net::Headers{{"Authorization", "Bearer"}},
                                    net::Headers{{"Authorization", "Bearer "}},
                                    net::Headers{{"Authorization", "Basic dXNlcjpwYXNz"}},
                                    net::Headers{{"Authorization", creds_.system}}}) {
        const auto resp = CallGood(*r, s, h);
        EXPECT_TRUE(IsError(resp, 401, "auth.missing")) << Describe(r->method, Target(*r, s), resp);
      }
    }
  }

  void UnknownToken() {
    const std::string system = creds_.system;
    for (const auto& [r, s] : Table()) {
      if (r->access == net::Access::kPublic) continue;
      for (const std::string& token :
           {std::string("nope"), system + "x", system.substr(0, system.size() - 1),
            std::string(2000, 'a'), std::string("' OR '1'='1")}) {
        const auto resp = CallGood(*r, s, {{"Authorization", "Bearer " + token}});
        EXPECT_TRUE(IsError(resp, 401, "auth.invalid")) << Describe(r->method, Target(*r, s), resp);
      }
    }
  }

  void WrongKind() {
    const std::map<std::string, net::Headers> holders = {
        {"system", Sys()}, {"admin", Admin()}, {"municipality", Muni(kOwn)}};
    for (const auto& [r, s] : Table()) {
      if (r->access == net::Access::kPublic) continue;
      ASSERT_TRUE(holders.count(net::AccessName(r->access)))
          << "unknown access '" << net::AccessName(r->access) << "' on " << Key(*r);
      for (const auto& [kind, h] : holders) {
        if (kind == net::AccessName(r->access)) continue;
        const auto resp = CallGood(*r, s, h);
        EXPECT_TRUE(IsError(resp, 403, "auth.forbidden"))
            << kind << " key: " << Describe(r->method, Target(*r, s), resp);
      }
      // The right key opens what it reads (writes are exercised where they belong).
      if (r->method == "GET") {
        const auto ok = CallGood(*r, s, Right(*r));
        EXPECT_EQ(ok.status, 200) << Describe(r->method, Target(*r, s), ok);
      }
    }
  }

  void OtherMunicipality() {
    for (const auto& [r, s] : Table()) {
      if (r->access != net::Access::kMunicipality) continue;
      std::vector<std::string> targets = {Target(*r, s)};
      if (!s.unknown.empty()) targets.push_back(Target(*r, s, s.unknown));
      for (const auto& name : ParamNames(*r))
        if (name != "code") targets.push_back(Target(*r, s, {{name, "no-such-item"}}));
      targets.push_back(Target(*r, s, {{"code", "999"}}));  // a municipality without a key
      std::string first;
      for (const auto& target : targets) {
        const auto resp = Call(*r, s, target, BodyText(s, s.body), Muni(kOther));
        EXPECT_TRUE(IsError(resp, 403, "auth.forbidden")) << Describe(r->method, target, resp);
        if (first.empty()) first = resp.body;
        EXPECT_EQ(resp.body, first) << "the answer must not tell whether " << target << " exists";
      }
      // In its own namespace, another municipality's id is as absent as a made-up one.
      if (r->method == "GET" && !s.not_found.empty()) {
        const std::string code = std::to_string(kOther);
        const auto theirs = client_->Get(Target(*r, s, {{"code", code}}), Muni(kOther));
        const auto made_up =
            client_->Get(Target(*r, s, Merge({{"code", code}}, s.unknown)), Muni(kOther));
        EXPECT_TRUE(IsError(theirs, 404, s.not_found))
            << Describe("GET", Target(*r, s, {{"code", code}}), theirs);
        EXPECT_EQ(theirs.body, made_up.body);
      }
    }
  }

  void MalformedJson() {
    const std::vector<std::string> bad = {
        "{",          "{\"a\":}", "not json", "{}x",
        "{\"a\":1,}", "[1,2",     "'single'", "{\"t\":\"unterminated}",
        "{\"a\":01}", "NaN",      "{a:1}",    "\"\\x41\""};
    for (const auto& [r, s] : Table()) {
      if (!r->request_body) continue;
      for (const auto& text : bad) {
        if (s.bulk)
          ExpectRefused(*r, s, text + "\n", 400, "request.malformed_json");
        else
          ExpectRefused(*r, s, text, 400, "request.malformed_json");
      }
      if (!s.bulk) ExpectRefused(*r, s, "", 400, "request.malformed_json");
    }
  }

  void WrongTypes() {
    for (const auto& [r, s] : Table()) {
      if (!r->request_body) continue;
      ASSERT_FALSE(s.text_path.empty()) << Key(*r);
      ExpectRefused(*r, s, WithValue(s, s.text_path, 42), 422, "", s.text_field);
      ExpectRefused(*r, s, WithValue(s, s.text_path, Json::array({"a"})), 422, "", s.text_field);
      ExpectRefused(*r, s, WithValue(s, s.text_path, {{"a", 1}}), 422, "", s.text_field);
      ExpectRefused(*r, s, WithValue(s, s.text_path, true), 422, "", s.text_field);
      if (!s.number_path.empty()) {
        ExpectRefused(*r, s, WithValue(s, s.number_path, std::to_string(kOwn)), 422, "",
                      s.number_field);
        ExpectRefused(*r, s, WithValue(s, s.number_path, Json::array()), 422, "", s.number_field);
      }
      // A body of the wrong shape altogether.
      for (const std::string shape : {"[]", "{}", "42", "\"text\"", "null", "true"}) {
        if (shape == "[]" && s.body.is_array())
          continue;  // an empty list of fault rules is a reset
        if (s.bulk) {
          std::string line = "{\"kind\":\"case\",\"record\":" + shape + "}\n";
          ExpectRefused(*r, s, line, 422, "");
        } else {
          ExpectRefused(*r, s, shape, 422, s.invalid_code);
        }
      }
    }
  }

  // The shared batteries (tests/common/bad_input.h), over this service's body routes.
  std::vector<BodyTarget> BodyTargets() const {
    std::vector<BodyTarget> out;
    for (const auto& [r, s] : Table())
      if (r->request_body) out.push_back({r, Target(*r, s), s.body, BodyText(s, s.body), Right(*r)});
    return out;
  }
  void WrongContentTypes() { ExpectOtherContentTypesRefused(*client_, BodyTargets()); }
  void DocumentedRules() {
    Json doc;
    FetchOpenApi(*client_, &doc);
    EXPECT_GE(ExpectDocumentedRulesEnforced(*client_, doc, BodyTargets()), 80u)
        << "the document gives the bodies fewer rules than it should";
  }

  void UnknownFields() {
    int checked = 0;
    for (const auto& [r, s] : Table()) {
      if (s.unknown_path.empty()) continue;
      ++checked;
      ExpectRefused(*r, s, WithValue(s, s.unknown_path, "x"), 422, "", s.unknown_field);
      // Misspelt keys are named too.
      std::string misspelt = s.text_path.substr(0, s.text_path.rfind('/') + 1) + "Status";
      std::string field = s.unknown_field.substr(0, s.unknown_field.rfind("sneaky")) + "Status";
      ExpectRefused(*r, s, WithValue(s, misspelt, "x"), 422, "", field);
    }
    EXPECT_GE(checked, 5);
  }

  void Oversized() {
    for (const auto& [r, s] : Table()) {
      const std::string target = Target(*r, s);
      const size_t limit = service_->BodyLimit(r->method, Fill(r->pattern, s.params));
      ASSERT_EQ(limit, s.bulk ? bulk_limit_ : size_t{1} << 20) << Key(*r);
      // The announced length is enough: the body is neither awaited nor read.
      for (size_t size : {limit + 1, limit * 4, size_t{1} << 40}) {
        for (const net::Headers& h : {Right(*r), net::Headers{}}) {
          const auto resp = Raw(RawHead(r->method, target, h, size));
          EXPECT_TRUE(IsError(resp, 413, "request.too_large"))
              << size << " bytes: " << Describe(r->method, target, resp);
          if (resp.status == 413) {
            EXPECT_EQ(Parsed(resp)["error"]["limit_bytes"], limit);
          }
        }
      }
      // Sent whole in one go, or chunked with no length announced, it is refused the same way.
      if (limit <= (size_t{1} << 20)) {
        const std::string body(limit + 1, ' ');
        const auto whole = Raw(RawHead(r->method, target, Right(*r), body.size()) + body);
        EXPECT_TRUE(IsError(whole, 413, "request.too_large")) << Describe(r->method, target, whole);
        const auto chunked = Raw(Chunked(r->method, target, Right(*r), body));
        EXPECT_TRUE(IsError(chunked, 413, "request.too_large"))
            << "chunked: " << Describe(r->method, target, chunked);
      }
    }
    // Exactly at the limit is read and judged on its content.
    const std::string base = "/v1/municipalities/" + std::to_string(kOwn);
    Json at = NewCase(kOwn, "bi-limit", cpr_, "BI-LIMIT");
    at["description"] = "";
    at["description"] = std::string((size_t{1} << 20) - at.dump().size(), 'd');
    ASSERT_EQ(at.dump().size(), size_t{1} << 20);
    auto judged = client_->PutJson(base + "/cases/bi-limit", at, Muni(kOwn));
    EXPECT_TRUE(IsError(judged, 422, "integration.invalid")) << judged.body.substr(0, 300);
    EXPECT_TRUE(NamesField(Parsed(judged)["error"]["violations"], "description"))
        << judged.body.substr(0, 300);
  }

  // A bulk limit lowered for the test (the fixture's bulk_limit_, then a restart).
  void OversizedBulk() {
    bulk_limit_ = 64 << 10;
    Restart();
    const std::string bulk = "/v1/municipalities/" + std::to_string(kOwn) + "/bulk";
    EXPECT_EQ(service_->BodyLimit("POST", bulk), bulk_limit_);
    const auto over = Raw(RawHead("POST", bulk, Muni(kOwn), bulk_limit_ + 1));
    EXPECT_TRUE(IsError(over, 413, "request.too_large")) << over.body;
    const auto chunked = Raw(Chunked("POST", bulk, Muni(kOwn), std::string(bulk_limit_ + 1, ' ')));
    EXPECT_TRUE(IsError(chunked, 413, "request.too_large")) << chunked.body;
    // Under the limit, a chunked load is read whole.
    const auto small = Raw(Chunked("POST", bulk, Muni(kOwn), "{not json\n", "application/x-ndjson"));
    ASSERT_EQ(small.status, 200) << small.body;
    EXPECT_EQ(Parsed(small)["rejected"], 1);
    std::string lines = "{\"kind\":\"case\",\"record\":{\"id\":\"bi-bulk-limit\"}}\n";
    lines += std::string(bulk_limit_ - lines.size(), ' ');
    auto at = client_->Send("POST", bulk, lines, Muni(kOwn), "application/x-ndjson");
    ASSERT_EQ(at.status, 200) << at.body.substr(0, 300);
    EXPECT_EQ(Parsed(at)["rejected"], 1);
  }

  void DeeplyNested() {
    const std::string deep_array = Repeat("[", 65) + Repeat("]", 65);
    const std::string deep_object = Repeat("{\"a\":", 65) + "1" + Repeat("}", 65);
    const std::string very_deep = Repeat("[", 100000) + Repeat("]", 100000);
    const std::string ok_depth = Repeat("[", 64) + Repeat("]", 64);
    const std::string brackets_in_text = "{\"title\":\"" + Repeat("[{", 500) + "\"}";
    for (const auto& [r, s] : Table()) {
      const std::string target = Target(*r, s);
      for (const std::string* body : {&deep_array, &deep_object, &very_deep}) {
        const auto resp = client_->Send(r->method, target, *body, Right(*r),
                                        s.bulk ? "application/x-ndjson" : "application/json");
        if (s.bulk) {
          // A bulk load judges each line on its own: the deep line is refused, the load answered.
          ASSERT_EQ(resp.status, 200) << Describe(r->method, target, resp);
          const auto j = Parsed(resp);
          EXPECT_EQ(j["rejected"], 1);
          EXPECT_EQ(j["results"][0]["errors"][0]["rule"], "request.too_deep");
          continue;
        }
        EXPECT_TRUE(IsError(resp, 400, "request.too_deep")) << Describe(r->method, target, resp);
      }
      // At the limit, and brackets inside strings, are not "too deep"; a body-less
      // route that acts (a reset) is not sent a body it would act on.
      if (!r->request_body && r->method != "GET") continue;
      for (const std::string* body : {&ok_depth, &brackets_in_text}) {
        const auto resp = client_->Send(r->method, target, s.bulk ? *body + "\n" : *body, Right(*r),
                                        s.bulk ? "application/x-ndjson" : "application/json");
        EXPECT_LT(resp.status, 500) << Describe(r->method, target, resp);
        EXPECT_NE(ErrorCode(resp), "request.too_deep") << Describe(r->method, target, resp);
        if (r->request_body && !s.bulk) {
          EXPECT_TRUE(IsClientError(resp)) << Describe(r->method, target, resp);
        }
      }
    }
  }

  void UnknownIds() {
    int checked = 0;
    for (const auto& [r, s] : Table()) {
      if (s.not_found.empty()) continue;
      ++checked;
      const std::string target = Target(*r, s, s.unknown);
      const auto resp = Call(*r, s, target, BodyText(s, s.body), Right(*r));
      EXPECT_TRUE(IsError(resp, 404, s.not_found)) << Describe(r->method, target, resp);
    }
    EXPECT_GE(checked, 12);
    // Owned elsewhere: the index has no case 999/…, and a contribution to a missing item.
    EXPECT_TRUE(IsError(client_->Get("/v1/cases/999/bi-target", Sys()), 404, "case.not_found"));
    EXPECT_TRUE(
        IsError(client_->Get("/v1/grants/999/" + grant_id_, Sys()), 404, "grant.not_found"));
    Json c = Contribution("bi-contrib-missing", "Hvor er sagen?");
    c["item_id"] = "no-such-case";
    EXPECT_TRUE(IsError(client_->PostJson("/v1/contributions", c, Sys()), 404, "item.not_found"));
    c["item_id"] = "bi-target";
    c["item_kind"] = "grant";
    EXPECT_TRUE(IsError(client_->PostJson("/v1/contributions", c, Sys()), 404, "item.not_found"));
  }

  void HostileIds() {
    std::vector<std::string> hostile = {"..%2F..%2Fetc",
                                              "..%2F..%2Fetc%2Fpasswd",
                                              "1'%20OR%20'1'='1",
                                              "%00",
                                              "x%00y",
                                              "..",
                                              ".",
                                              "%2e%2e",
                                              "a%2Fb",
                                              "%2F",
                                              "%FF%FE",
                                              "%C3%28",
                                              "%20",
                                              "%0D%0AX:%201",
                                              "%3Cscript%3E",
                                              "1%3B%20DROP%20TABLE%20cases%3B--",
                                              "%25",
                                              "*",
                                              "%3F",
                                              "%23",
                                              "...",
                                              std::string(65, 'a'),
                                              std::string(64, 'a'),
                                              "%E2%80%AE",
                                              "~"};
    hostile.insert(hostile.end(), DisguisedTraversals().begin(), DisguisedTraversals().end());
    const std::set<std::string> bad_codes = {"request.bad_id", "request.bad_cpr",
                                             "request.bad_municipality"};
    for (const auto& [r, s] : Table()) {
      for (const auto& name : ParamNames(*r)) {
        for (const auto& v : hostile) {
          const std::string target = Target(*r, s, {{name, v}});
          const auto resp = Call(*r, s, target, BodyText(s, s.body), Right(*r));
          const std::string what = Describe(r->method, target, resp);
          // A safe-looking id ("...", 64 letters) on a write reaches the body, which names another
          // id.
          if (resp.status == 422 && IsSafeId(net::PercentDecode(v, false))) {
            EXPECT_TRUE(NamesField(Parsed(resp)["error"]["violations"], "id")) << what;
            continue;
          }
          ASSERT_TRUE(resp.status == 400 || resp.status == 404) << what;
          EXPECT_TRUE(IsError(resp, resp.status, "")) << what;
          if (resp.status == 400) {
            EXPECT_TRUE(bad_codes.count(ErrorCode(resp))) << what;
          }
          if (resp.status == 404) {
            EXPECT_NE(ErrorCode(resp), "request.unknown_route") << what;
          }
        }
      }
    }
  }

  void BadCprs() {
    int checked = 0;
    for (const auto& [r, s] : Table()) {
      if (!s.params.count("cpr")) continue;
      ++checked;
      for (const std::string cpr :
           {"123", "abcdefghij", "3201011234", "0001011234", "0113011234", "2902011234",
            "01010112345", "010101-123", "010101+1234", "0101011234%00", "-", "%20",
            "%EF%BC%91%EF%BC%90%EF%BC%91%EF%BC%90%EF%BC%91%EF%BC%90%EF%BC%91%EF%BC%92%EF%BC%93%EF%"
            "BC%94",
            "urn:oio:cpr-nr:", "0101011234%0A"}) {
        const std::string target = Target(*r, s, {{"cpr", cpr}});
        const auto resp = client_->Get(target, Right(*r));
        EXPECT_TRUE(IsError(resp, 400, "request.bad_cpr")) << Describe("GET", target, resp);
      }
    }
    EXPECT_GE(checked, 5);
  }

  void BadQueries() {
    const std::map<std::string, std::vector<std::string>> specific = {
        {"limit", {"0", "-5", "100000"}},
        {"offset", {"-1"}},
        {"after", {"x", "1234567890%27--", "..%2F..%2F", "%00"}},
        {"municipality", {"5", "1000", "-751"}},
        {"status", {"bogus", "RECEIVED", "%00", "received%20"}}};
    const std::vector<std::string> not_integers = {
        "abc", "1.5", "", "0x10", "99999999999999999999", "%FF", "1e3", "%201", "+1", "1%00"};
    int checked = 0;
    for (const auto& [r, s] : Table()) {
      for (const auto& q : r->query) {
        std::vector<std::string> values;
        if (q.type == "integer") values = not_integers;
        if (specific.count(q.name))
          values.insert(values.end(), specific.at(q.name).begin(), specific.at(q.name).end());
        EXPECT_FALSE(values.empty())
            << "no bad values for query parameter " << q.name << " of " << Key(*r);
        for (const auto& v : values) {
          ++checked;
          const std::string query =
              (s.query.empty() || q.name == "municipality" ? "" : s.query + "&") + q.name + "=" + v;
          const std::string target = Target(*r, s, {}, query);
          const auto resp = client_->Get(target, Right(*r));
          EXPECT_TRUE(IsError(resp, 400, "request.bad_query")) << Describe("GET", target, resp);
          if (resp.status == 400) {
            EXPECT_EQ(Parsed(resp)["error"]["parameter"], q.name) << target;
          }
        }
      }
    }
    EXPECT_GE(checked, 100);
    auto missing = client_->Get("/v1/citizens", Sys());
    EXPECT_TRUE(IsError(missing, 400, "request.bad_query")) << missing.body;
  }

  void Preconditions() {
    int checked = 0;
    for (const auto& [r, s] : Table()) {
      if (!s.preconditions) continue;
      ++checked;
      const std::string target = Target(*r, s);
      for (const std::string stale : {"\"999\"", "W/\"999\"", "\"0\"", "\"abc\"", "999", "\"\""}) {
        const auto resp =
            Call(*r, s, target, BodyText(s, s.body), With(Right(*r), "If-Match", stale));
        EXPECT_TRUE(IsError(resp, 412, "version.mismatch"))
            << stale << ": " << Describe(r->method, target, resp);
        if (resp.status == 412) {
          EXPECT_TRUE(Parsed(resp)["error"]["current_version"].is_number_integer());
        }
      }
      const auto exists =
          Call(*r, s, target, BodyText(s, s.body), With(Right(*r), "If-None-Match", "*"));
      EXPECT_TRUE(IsError(exists, 412, "version.exists")) << Describe(r->method, target, exists);
    }
    EXPECT_GE(checked, 7);
    // A version for an item that does not exist.
    const std::string base = "/v1/municipalities/" + std::to_string(kOwn);
    for (const std::string precondition : {"\"1\"", "*"}) {
      auto missing = client_->PutJson(base + "/cases/no-such-case",
                                      NewCase(kOwn, "no-such-case", cpr_, "BI-NEW"),
                                      With(Muni(kOwn), "If-Match", precondition));
      EXPECT_TRUE(IsError(missing, 412, "version.missing")) << missing.body;
    }
  }

  // Accepted writes (re-snapshotted), then the same keys misused.
  void Idempotency() {
    int n = 0;
    std::vector<std::pair<const net::Route*, Spec>> writes;
    for (const auto& [r, s] : Table())
      if (s.idempotent) writes.emplace_back(r, s);
    ASSERT_GE(writes.size(), 7u);
    for (const auto& [r, s] : writes) {
      const std::string key = "bi-key-" + std::to_string(++n);
      const std::string target = Target(*r, s);
      const auto first = CallGood(*r, s, With(Right(*r), "Idempotency-Key", key));
      ASSERT_TRUE(first.status == 200 || first.status == 201) << Describe(r->method, target, first);
      const auto again = CallGood(*r, s, With(Right(*r), "Idempotency-Key", key));
      EXPECT_EQ(again.status, first.status);
      EXPECT_EQ(again.Header("Idempotent-Replayed"), "true") << Describe(r->method, target, again);
      EXPECT_EQ(again.body, first.body);
    }
    Snapshot();
    n = 0;
    for (const auto& [r, s] : writes) {
      const std::string key = "bi-key-" + std::to_string(++n);
      const std::string target = Target(*r, s);
      const std::string other = WithValue(s, s.text_path, "Anden tekst");
      const auto reused = Call(*r, s, target, other, With(Right(*r), "Idempotency-Key", key));
      EXPECT_TRUE(IsError(reused, 422, "idempotency.key_reused"))
          << Describe(r->method, target, reused);
      // A key is the municipality's, not the route's: the previous route's key is taken too.
      const std::string previous = "bi-key-" + std::to_string(n == 1 ? 2 : n - 1);
      const auto crossed = CallGood(*r, s, With(Right(*r), "Idempotency-Key", previous));
      EXPECT_TRUE(IsError(crossed, 422, "idempotency.key_reused"))
          << Describe(r->method, target, crossed);
      for (const std::string& bad_key : {std::string(201, 'k'), std::string("a\tb")}) {
        const auto refused = CallGood(*r, s, With(Right(*r), "Idempotency-Key", bad_key));
        EXPECT_TRUE(IsError(refused, 400, "idempotency.bad_key"))
            << Describe(r->method, target, refused);
      }
    }
    // The bulk route: a line key reused for another record, and an over-long batch key.
    const std::string bulk = "/v1/municipalities/" + std::to_string(kOwn) + "/bulk";
    Json line{{"kind", "case"},
              {"key", "bi-key-1"},
              {"record", NewCase(kOwn, "bi-bulk-1", cpr_, "BI-BULK-1")}};
    auto reused =
        client_->Send("POST", bulk, line.dump() + "\n", Muni(kOwn), "application/x-ndjson");
    ASSERT_EQ(reused.status, 200) << reused.body;
    EXPECT_EQ(Parsed(reused)["rejected"], 1) << reused.body;
    EXPECT_EQ(Parsed(reused)["results"][0]["errors"][0]["rule"], "idempotency.key_reused")
        << reused.body;
    auto long_key = client_->Send("POST", bulk, line.dump() + "\n",
                                  With(Muni(kOwn), "Idempotency-Key", std::string(151, 'k')),
                                  "application/x-ndjson");
    EXPECT_TRUE(IsError(long_key, 400, "idempotency.bad_key")) << long_key.body;
    // A contribution id reused for another text.
    auto conflict = client_->PostJson("/v1/contributions",
                                      Contribution("bi-contrib", "En helt anden tekst."), Sys());
    EXPECT_TRUE(IsError(conflict, 409, "contribution.id_conflict")) << conflict.body;
    // Regression: the same id with only another field or item kind was answered as a
    // replay of the first (200), so the second contribution was silently dropped.
    Json other_field = Contribution("bi-contrib", "Titlen er forkert.");
    other_field["field"] = "responsible_unit";
    EXPECT_TRUE(IsError(client_->PostJson("/v1/contributions", other_field, Sys()), 409, "contribution.id_conflict"));
    other_field.erase("field");
    EXPECT_TRUE(IsError(client_->PostJson("/v1/contributions", other_field, Sys()), 409, "contribution.id_conflict"));
    Json other_kind = Contribution("bi-contrib", "Titlen er forkert.");
    other_kind["item_kind"] = "grant";
    EXPECT_TRUE(IsClientError(client_->PostJson("/v1/contributions", other_kind, Sys())));
  }

  void Utf8AndHugeNumbers() {
    const std::vector<std::string> bad_text = {
        "\"\xff\xfe\"",       "\"\xc3\x28\"", "\"\xed\xa0\x80\"",
        "\"\xc0\xaf\"",       "\"\\ud800\"",  "\"abc\xf4\x90\x80\x80\"",
        "\"\\udc00\\ud800\"", "\"\x80\"",     "\"a\xe2\x82\""};
    for (const auto& [r, s] : Table()) {
      if (!r->request_body) continue;
      for (const auto& raw : bad_text)
        ExpectRefused(*r, s, WithRaw(s, s.text_path, raw), 400, "request.malformed_json");
      for (const std::string huge : {"1e400", "-1e400"})
        ExpectRefused(*r, s, WithRaw(s, s.text_path, huge), 400, "request.malformed_json");
      for (const std::string huge :
           {"1e308", "-1e308", "123456789012345678901234567890", "18446744073709551615",
            "-9223372036854775809", "1.7976931348623157e308"})
        ExpectRefused(*r, s, WithRaw(s, s.text_path, huge), 422, "", s.text_field);
      if (s.number_path.empty()) continue;
      for (const std::string huge : {"1e400", "-1e400"})
        ExpectRefused(*r, s, WithRaw(s, s.number_path, huge), 400, "request.malformed_json");
      for (const std::string huge :
           {"1e308", "-1e308", "18446744073709551615", "9223372036854775808",
            "-9223372036854775809", "123456789012345678901234567890"})
        ExpectRefused(*r, s, WithRaw(s, s.number_path, huge), 422, "", s.number_field);
    }
    // Invalid UTF-8 in a query value and in headers: a clear answer, never a 5xx.
    auto q = client_->Get(
        "/v1/municipalities/" + std::to_string(kOwn) + "/contributions?status=%FF", Muni(kOwn));
    EXPECT_TRUE(IsError(q, 400, "request.bad_query")) << q.body;
    auto h = client_->Get("/v1/municipalities", {{"Authorization", "Bearer \xff\xfe"}});
    EXPECT_TRUE(IsError(h, 401, "auth.invalid")) << h.body;
  }

  // Odd but valid text is stored and read back exactly (an accepted write).
  void OddTextRoundTrips() {
    const std::string text =
        std::string("Rettelse: \"citat\" \\ ") + '\0' + " æøå \xf0\x9f\x98\x80 \xe2\x80\xae";
    auto created =
        client_->PostJson("/v1/contributions", Contribution("bi-contrib-odd", text), Sys());
    ASSERT_EQ(created.status, 201) << created.body;
    auto read = client_->Get("/v1/contributions/bi-contrib-odd", Sys());
    ASSERT_EQ(read.status, 200) << read.body;
    EXPECT_EQ(Parsed(read)["text"], text);
    // An Idempotency-Key with invalid UTF-8 is kept apart and the log still reads.
    const std::string base = "/v1/municipalities/" + std::to_string(kOwn);
    Json status{{"status", "Oplyst"}, {"from", "2018-11-20"}};
    auto odd_key = client_->PostJson(base + "/cases/bi-target/status", status,
                                     With(Muni(kOwn), "Idempotency-Key", "k\xff\xfe"));
    EXPECT_TRUE(odd_key.status == 200 || IsClientError(odd_key)) << odd_key.body;
    auto log = client_->Get(base + "/log", Muni(kOwn));
    EXPECT_EQ(log.status, 200) << log.body.substr(0, 300);
    Snapshot();
  }

  // SQL metacharacters in every string of every body the integration and index routes
  // take, and in every query parameter: an accepted write reads back holding the exact
  // text, a refused one is a clear 4xx that changed nothing, and nothing is a 5xx. (Fault
  // rules are admin-only and kept in memory, not in SQL.)
  void SqlMetacharacterText() {
    int accepted = 0, refused = 0, queries = 0;
    std::string now = Fingerprint();  // changes only when a write is accepted
    for (auto [r, s] : Table()) {
      if (s.body.is_null() || r->access == net::Access::kAdmin) continue;
      if (s.bulk) s.body["id"] = "bi-sql-bulk";  // not one of the ids the batteries keep free
      if (!s.text_path.empty() && !s.body.contains(Json::json_pointer(s.text_path)))
        s.body[Json::json_pointer(s.text_path)] = "";
      std::vector<std::string> pointers;
      StringLeaves(s.body, "", &pointers);
      for (const auto& pointer : pointers) {
        for (const auto& sql : SqlMetacharacters()) {
          // A new contribution each time (the same id would be the same contribution).
          if (Key(*r) == "POST /v1/contributions" && pointer != "/id") s.body["id"] = "bi-sql-" + std::to_string(accepted + refused);
          const std::string target = Target(*r, s);
          const auto resp = Call(*r, s, target, WithValue(s, pointer, sql), Right(*r));
          const std::string what = Describe(r->method, target, resp) + "\n  with " + pointer + " = " + sql;
          ASSERT_LT(resp.status, 500) << what;
          bool ok = resp.status >= 200 && resp.status < 300;
          if (s.bulk && ok) {  // the load is answered; its results list the lines refused
            const Json j = Parsed(resp);
            ASSERT_EQ(j["lines"], 1) << what;
            for (const auto& line : j["results"]) EXPECT_LT(line.value("status", 0), 500) << what;
            ok = j["accepted"] == 1;
          }
          if (!ok) {
            ++refused;
            if (!s.bulk) {
              EXPECT_TRUE(IsClientError(resp)) << what;
            }
            EXPECT_EQ(Fingerprint(), now) << "a refused write left something behind: " << what;
            continue;
          }
          ++accepted;
          std::string back;
          net::Headers as = Muni(kOwn);
          const std::string muni = "/v1/municipalities/" + std::to_string(kOwn);
          if (r->pattern.find("/cases/") != std::string::npos) back = muni + "/cases/" + s.params.at("id");
          else if (r->pattern.find("/grants/") != std::string::npos) back = muni + "/grants/" + s.params.at("id");
          else if (s.bulk) back = muni + "/cases/bi-sql-bulk";
          else if (r->pattern.find("contributions") != std::string::npos) {
            back = "/v1/contributions/" + (s.params.count("id") ? s.params.at("id") : s.body["id"].get<std::string>());
            as = Sys();
          }
          ASSERT_FALSE(back.empty()) << "no read-back for " << Key(*r);
          const auto read = client_->Get(back, as);
          ASSERT_EQ(read.status, 200) << back << ": " << read.body.substr(0, 300);
          EXPECT_TRUE(HoldsString(Parsed(read), sql)) << "not stored verbatim: " << what;
          now = Fingerprint();
        }
      }
    }
    Snapshot();  // what was accepted is the state to keep
    for (const auto& [r, s] : Table()) {
      if (r->method != "GET") continue;
      for (const auto& q : r->query)
        for (const auto& sql : SqlMetacharacters()) {
          ++queries;
          const std::string query = q.name + "=" + net::PercentEncode(sql);
          const std::string target = Target(*r, s, {}, s.query.empty() ? query : s.query + "&" + query);
          const auto resp = client_->Get(target, Right(*r));
          const std::string what = Describe("GET", target, resp);
          EXPECT_TRUE(resp.status == 200 || IsClientError(resp)) << what;
        }
    }
    EXPECT_GT(accepted, 20);
    EXPECT_GT(refused, 100);
    EXPECT_GT(queries, 30);
    RecordProperty("accepted", accepted);
    RecordProperty("refused", refused);
  }

  void RoutingErrors() {
    const std::string cpr = cpr_;
    const std::vector<std::string> unknown = {"/",
                                              "/v1",
                                              "/v2/municipalities",
                                              "/v1/municipalities/",
                                              "/v1//municipalities",
                                              "/V1/MUNICIPALITIES",
                                              "/v1/municipalities/751/cases/bi-target/extra/more",
                                              "/admin",
                                              "/admin/faults/f1/extra",
                                              "/health/",
                                              "/openapi.yaml",
                                              "/v1/citizens/" + cpr + "/cases/extra",
                                              "/.env",
                                              "/v1/municipalities/751/../../admin/stats",
                                              "/v1/municipalities/751/cases/bi-target/status/",
                                              "/%2e%2e/admin/stats",
                                              "/v1/municipalities%2F751",
                                              "/v1/contributions/bi-contrib/../../admin/faults",
                                              "/v1/cases/751",
                                              "/v1/grants"};
    for (const auto& path : unknown) {
      for (const net::Headers& h : {net::Headers{}, Sys(), Admin(), Muni(kOwn)}) {
        const auto resp = client_->Get(path, h);
        EXPECT_TRUE(IsError(resp, 404, "request.unknown_route")) << Describe("GET", path, resp);
      }
    }
    std::vector<const net::Route*> routes;
    std::map<const net::Route*, std::string> paths;
    for (const auto& [r, s] : Table()) {
      routes.push_back(r);
      paths[r] = Fill(r->pattern, s.params);
    }
    ExpectOtherMethods405WithAllow(
        *client_, service_->router(), routes, [&](const net::Route& r) { return paths.at(&r); },
        [&](const net::Route& r) { return Right(r); });
  }

  // Bulk lines are judged one by one: a bad line never sinks its neighbours.
  void BulkLines() {
    const std::string bulk = "/v1/municipalities/" + std::to_string(kOwn) + "/bulk";
    std::string body;
    body += "{not json\n";
    body += "[1,2]\n";
    body += "{\"kind\":\"person\",\"record\":{}}\n";
    body += "{\"kind\":\"case\",\"record\":{\"id\":\"..%2F..%2Fetc\"}}\n";
    body += "{\"kind\":\"case\",\"record\":{\"id\":\"" + std::string(65, 'a') + "\"}}\n";
    body +=
        "{\"kind\":\"case\",\"record\":" + NewCase(kOwn, "bi-bulk-x", cpr_, "BI-SENTINEL").dump() +
        "}\n";  // taken number
    body += "{\"kind\":\"case\",\"record\":{\"id\":\"bi-bulk-y\",\"title\":\"\\ud800\"}}\n";
    body += "{\"kind\":\"grant\",\"record\":{\"id\":\"bi-bulk-z\",\"municipality\":1e308}}\n";
    auto r = client_->Send("POST", bulk, body, Muni(kOwn), "application/x-ndjson");
    ASSERT_EQ(r.status, 200) << r.body;
    const Json j = Parsed(r);
    EXPECT_EQ(j["lines"], 8);
    EXPECT_EQ(j["accepted"], 0);
    EXPECT_EQ(j["rejected"], 8) << r.body;
    for (const auto& line : j["results"]) {
      EXPECT_GE(line["status"].get<int>(), 400) << line;
      EXPECT_LT(line["status"].get<int>(), 500) << line;
      EXPECT_FALSE(line["errors"].empty()) << line;
    }
  }

 protected:
  std::vector<std::string> send_errors_;
  std::string cpr_, grant_id_, fault_id_, fingerprint_;
  Json grant_;
  net::ClientResponse sentinel_;
  std::vector<std::string> faults_;
};

TEST_F(KombitBadInput, EveryRouteIsInTheBadInputTable) {
  const auto specs = Specs();
  std::set<std::string> routes;
  for (const auto& r : Routes()) {
    routes.insert(Key(r));
    auto it = specs.find(Key(r));
    if (it == specs.end()) {
      ADD_FAILURE() << Key(r) << " has no row in Specs(): add one so bad input reaches it";
      continue;
    }
    const Spec& s = it->second;
    EXPECT_EQ(r.request_body, !s.body.is_null())
        << Key(r) << ": a body route needs a body to spoil, and only it";
    EXPECT_EQ(s.bulk, r.request_content_type == "application/x-ndjson") << Key(r);
    if (r.request_body) {
      EXPECT_FALSE(s.text_path.empty()) << Key(r) << " needs a text field to spoil";
    }
    for (const auto& name : ParamNames(r))
      EXPECT_TRUE(s.params.count(name)) << Key(r) << " needs a value for {" << name << "}";
    EXPECT_EQ(Fill(r.pattern, s.params).find("MISSING"), std::string::npos) << Key(r);
  }
  for (const auto& [key, spec] : specs)
    EXPECT_TRUE(routes.count(key)) << key << " is in Specs() but not a route";
  EXPECT_GE(routes.size(), 30u);
  ExpectIntact();
}

TEST_F(KombitBadInput, MissingTokenIs401OnEveryProtectedRoute) {
  MissingToken();
  ExpectIntact();
}

TEST_F(KombitBadInput, UnknownTokenIs401OnEveryProtectedRoute) {
  UnknownToken();
  ExpectIntact();
}

TEST_F(KombitBadInput, WrongCredentialKindIs403OnEveryProtectedRoute) {
  WrongKind();
  ExpectIntact();
}

TEST_F(KombitBadInput, AnotherMunicipalityGets403WhetherOrNotTheItemExists) {
  OtherMunicipality();
  ExpectIntact();
}

TEST_F(KombitBadInput, MalformedJsonIs400OnEveryBodyRoute) {
  MalformedJson();
  ExpectIntact();
}

TEST_F(KombitBadInput, WrongTypesAre422NamingTheField) {
  WrongTypes();
  ExpectIntact();
}

TEST_F(KombitBadInput, UnknownFieldsAreRefusedWhereTheRouteListsItsFields) {
  UnknownFields();
  ExpectIntact();
}

TEST_F(KombitBadInput, OversizedBodiesAre413OnEveryRoute) {
  Oversized();
  ExpectIntact();
}

TEST_F(KombitBadInput, BulkBodyLimitCanBeLoweredAndIsEnforced) {
  OversizedBulk();
  ExpectIntact();
}

// BUG: src/net/server.cc:44-51 answers 413 as soon as Content-Length is over the limit and
// closes the connection without reading the body (no lingering close, RFC 9112 §9.6). A
// client that writes its body before reading the answer — net::Client, and with it
// `adda push` and `generate --via` — gets "Broken pipe" or "Connection reset by peer"
// instead of the 413, so it cannot tell a body that is too large from a server that is down.
TEST_F(KombitBadInput, OversizedBodySentByTheClientGets413NotATransportError) {
  const std::string target = "/v1/municipalities/" + std::to_string(kOwn) + "/cases/bi-target";
  for (size_t size : {(size_t{1} << 20) + 1, size_t{4} << 20}) {
    for (int attempt = 0; attempt < 5; ++attempt) {
      net::ClientResponse r;
      ASSERT_NO_THROW(r = client_->Send("PUT", target, std::string(size, ' '), Muni(kOwn)))
          << size << " bytes";
      EXPECT_TRUE(IsError(r, 413, "request.too_large")) << r.body;
    }
  }
  ExpectIntact();
}

// BUG: a PUT, POST or PATCH with neither Content-Length nor chunked encoding has an
// empty body (RFC 9112 §6.3), but Poco hands such a request a read-until-close stream and
// src/net/server.cc:55 (the `while (body)` loop in Handler::handleRequest) reads it to the end:
// the request hangs until the server's read timeout (ServerOptions::timeout_s, 15 s) and
// holds a server thread all that time — a handful of such connections stall the service.
// Observed: no answer within 5 s for POST /v1/contributions, PUT …/cases/{id}, PATCH …,
// POST /admin/faults, and for OPTIONS or a lower-case "get" without a length.
TEST_F(KombitBadInput, BodyWithoutALengthIsEmptyAndAnsweredAtOnce) {
  const std::string base = "/v1/municipalities/" + std::to_string(kOwn);
  const std::vector<std::tuple<std::string, std::string, net::Headers>> requests = {
      {"POST", "/v1/contributions", Sys()},
      {"PUT", base + "/cases/bi-target", Muni(kOwn)},
      {"PATCH", base + "/contributions/bi-contrib", Muni(kOwn)},
      {"POST", "/admin/faults", Admin()}};
  for (const auto& [method, target, h] : requests) {
    std::string req = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    for (const auto& [k, v] : h) req += k + ": " + v + "\r\n";
    const auto resp = Raw(req + "\r\n", 2);
    EXPECT_TRUE(IsError(resp, 400, "request.malformed_json")) << Describe(method, target, resp);
  }
  const auto options = Raw("OPTIONS /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 2);
  EXPECT_TRUE(IsError(options, 405, "request.method_not_allowed")) << options.body;
  ExpectIntact();
}

// Regression (Poco layer, src/net/server.cc): requests Poco cannot frame never reached
// the service's error handling. A Content-Length that is not a number ("abc") or too big
// for 64 bits was answered by closing the connection with no answer at all; a 10 KB
// header, a 20 KB URI, 200 headers or a garbage request line got an empty text 400. The
// server now answers each with the JSON envelope (request.malformed_http) and closes.
TEST_F(KombitBadInput, MalformedHttpFramingIsAnsweredWithAJsonError) {
  const std::string auth = "Authorization: Bearer " + creds_.municipalities.at(kOwn) + "\r\n";
  const std::string cases = "/v1/municipalities/" + std::to_string(kOwn) + "/cases";
  for (const std::string& req :
       {"PUT " + cases + "/bi-target HTTP/1.1\r\nHost: x\r\n" + auth +
            "Content-Length: abc\r\n\r\n{}",
        "PUT " + cases + "/bi-target HTTP/1.1\r\nHost: x\r\n" + auth +
            "Content-Length: 99999999999999999999999\r\n\r\n{}",
        "GET " + cases + " HTTP/1.1\r\nHost: x\r\n" + auth + "X-Long: " + std::string(10000, 'a') +
            "\r\n\r\n",
        "GET " + cases + "/" + std::string(20000, 'a') + " HTTP/1.1\r\nHost: x\r\n" + auth + "\r\n",
        "GET /health HTTP/1.1\r\nHost: x\r\n" + Repeat("X-A: b\r\n", 200) + "\r\n",
        std::string("\x01\x02\x03 / \r\n\r\n")}) {
    const auto resp = Raw(req, 2);
    EXPECT_TRUE(IsClientError(resp))
        << resp.status << " '" << resp.body << "' for " << req.substr(0, 120);
  }
  ExpectIntact();
}

TEST_F(KombitBadInput, DeeplyNestedJsonIs400OnEveryRoute) {
  DeeplyNested();
  ExpectIntact();
}

TEST_F(KombitBadInput, UnknownIdsAre404) {
  UnknownIds();
  ExpectIntact();
}

TEST_F(KombitBadInput, HostileIdsAre400Or404NeverServerErrors) {
  HostileIds();
  ExpectIntact();
}

TEST_F(KombitBadInput, BadCprsInPathsAre400) {
  BadCprs();
  ExpectIntact();
}

TEST_F(KombitBadInput, BadQueryParametersAre400) {
  BadQueries();
  ExpectIntact();
}

TEST_F(KombitBadInput, StaleIfMatchAndIfNoneMatchStarAre412) {
  Preconditions();
  ExpectIntact();
}

TEST_F(KombitBadInput, ReusedIdempotencyKeyWithAnotherBodyIs422) {
  Idempotency();
  ExpectIntact();
}

TEST_F(KombitBadInput, InvalidUtf8AndHugeNumbersAreClearClientErrors) {
  Utf8AndHugeNumbers();
  ExpectIntact();
}

TEST_F(KombitBadInput, OddButValidTextRoundTripsExactly) {
  OddTextRoundTrips();
  ExpectIntact();
}

TEST_F(KombitBadInput, SqlMetacharactersAreStoredVerbatimOrRefusedNeverA5xx) {
  SqlMetacharacterText();
  ExpectIntact();
}

TEST_F(KombitBadInput, UnknownRoutesAre404AndWrongMethodsAre405) {
  RoutingErrors();
  ExpectIntact();
}

TEST_F(KombitBadInput, BulkLinesAreRefusedOneByOne) {
  BulkLines();
  ExpectIntact();
}

// BUG: the whole-body nesting check (src/net/service.cc:102, JsonDepth over req.body)
// counts brackets across NDJSON lines, so a bulk load whose malformed lines each leave a
// '{' open is refused whole as 400 request.too_deep instead of being answered line by
// line — though no line nests deeper than one level (Bulk() checks each line's depth
// itself). 65 such lines in a load of thousands sink every good line with them.
TEST_F(KombitBadInput, BulkLinesWithUnclosedBracketsAreRefusedOneByOne) {
  const std::string bulk = "/v1/municipalities/" + std::to_string(kOwn) + "/bulk";
  std::string body;
  for (int i = 0; i < 70; ++i) body += "{\"kind\":\n";
  auto r = client_->Send("POST", bulk, body, Muni(kOwn), "application/x-ndjson");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Parsed(r)["rejected"], 70);
  ExpectIntact();
}

// Every battery in one process, one after another, against one server: state left by
// one (connections, faults, logs) must not trip another, and nothing accepted changes.
TEST_F(KombitBadInput, AnotherContentTypeIs415OnEveryBodyRoute) {
  WrongContentTypes();
  ExpectIntact();
}

TEST_F(KombitBadInput, EveryRuleTheDocumentGivesABodyIsEnforced) {
  DocumentedRules();
  ExpectIntact();
}

TEST_F(KombitBadInput, TheWholeBatteryLeavesTheServiceHealthyAndDataIntact) {
  for (auto battery :
       {&KombitBadInput::MissingToken, &KombitBadInput::UnknownToken, &KombitBadInput::WrongKind,
        &KombitBadInput::OtherMunicipality, &KombitBadInput::MalformedJson,
        &KombitBadInput::WrongTypes, &KombitBadInput::UnknownFields, &KombitBadInput::DeeplyNested,
        &KombitBadInput::UnknownIds, &KombitBadInput::HostileIds, &KombitBadInput::BadCprs,
        &KombitBadInput::BadQueries, &KombitBadInput::Preconditions, &KombitBadInput::Idempotency,
        &KombitBadInput::OddTextRoundTrips, &KombitBadInput::Utf8AndHugeNumbers,
        &KombitBadInput::RoutingErrors, &KombitBadInput::BulkLines, &KombitBadInput::Oversized,
        &KombitBadInput::WrongContentTypes, &KombitBadInput::DocumentedRules}) {
    (this->*battery)();
    if (HasFatalFailure()) return;
  }
  ExpectIntact();
  // The refusals were counted per route and status; none was a server error.
  auto metrics = client_->Get("/metrics");
  ASSERT_EQ(metrics.status, 200);
  EXPECT_EQ(metrics.body.find("status=\"5"), std::string::npos) << "a 5xx was answered";
  const auto stats = client_->Get("/admin/stats", Admin()).Json();
  RecordProperty("requests", std::to_string(stats["requests"].get<int64_t>()));
  EXPECT_GT(stats["requests"].get<int64_t>(), 2500) << "the battery is smaller than it should be";
  OversizedBulk();  // last: it restarts the service
  ExpectIntact();
}

}  // namespace
}  // namespace adda::testing
