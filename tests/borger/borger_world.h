// The world every borger.dk authorization and bad-input test lives in: two citizens, A's
// data (cases, benefits, a contribution, a share, a power of attorney) and ways to reach
// it, over real HTTP against a real KOMBIT mock. The routes come from the service's own
// route table, so a new route is swept as soon as it is registered.
#pragma once

#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/StreamSocket.h>
#include <sys/wait.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "borger_env.h"
#include "common/http_testing.h"
#include "common/openapi_testing.h"

namespace adda::testing {


using Json = nlohmann::json;

inline const char kSecret[] =
    "test-secret-0123456789abcdef0123456789abcdef";  // the fixture's session secret
inline const char kPlaceholder[] = "\"@@RAW@@\"";

// ---- small helpers ---------------------------------------------------------------------

inline bool TakesQuery(const net::Route& r, const std::string& name) {
  for (const auto& q : r.query)
    if (q.name == name) return true;
  return false;
}

// Base64url without padding, as JWTs are written.
inline std::string Base64Url(const std::string& in) {
  static const char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  uint32_t value = 0;
  int bits = -6;
  for (unsigned char c : in) {
    value = (value << 8) | c;
    bits += 8;
    while (bits >= 0) {
      out.push_back(kAlphabet[(value >> bits) & 0x3F]);
      bits -= 6;
    }
  }
  if (bits > -6) out.push_back(kAlphabet[((value << 8) >> (bits + 8)) & 0x3F]);
  return out;
}

// A 404 whose code says which kind of thing is missing ("case.not_found", …).
inline ::testing::AssertionResult IsNotFound(const net::ClientResponse& r) {
  auto e = IsError(r, 404, "");
  if (!e) return e;
  const std::string code = ErrorCode(r);
  const std::string suffix = ".not_found";
  if (code.size() <= suffix.size() ||
      code.compare(code.size() - suffix.size(), suffix.size(), suffix) != 0 ||
      code == "request.unknown_route")
    return ::testing::AssertionFailure() << "code " << code << ", want <kind>.not_found";
  return ::testing::AssertionSuccess();
}

// `text` does not occur in the answer's body.
inline ::testing::AssertionResult Lacks(const net::ClientResponse& r, const std::string& text) {
  if (r.body.find(text) == std::string::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "'" << text << "' is in " << r.body.substr(0, 400);
}

struct Item {
  std::string kind;  // case | grant
  int municipality = 0;
  std::string id;
  std::string Path() const {
    return std::string(kind == "case" ? "/cases/" : "/benefits/") + std::to_string(municipality) +
           "/" + id;
  }
  Json Scope() const { return {{"kind", kind}, {"municipality", municipality}, {"id", id}}; }
};

// One way of presenting (or not presenting) a session, and how it must be refused.
struct Credential {
  std::string what;
  net::Headers headers;
  int status;
  std::string code;
};

// ---- the world: two citizens, A's data, and ways to reach it -----------------------------

class BorgerWorld : public BorgerEnv {
 protected:
  void SetUp() override {
    BorgerEnv::SetUp();
    if (HasFatalFailure()) return;
    Prepare();
  }

  // A (first_): an adult with a unique name, two cases and a benefit of their own; B
  // (second_): another adult with a case; C (third_): the holder of A's power of attorney.
  void Prepare() {
    std::istringstream candidates(
        KombitText("SELECT group_concat(cpr, ' ') FROM (SELECT c.cpr FROM citizens c WHERE "
                   "c.birth_date < '1995-01-01' "
                   "AND (SELECT count(*) FROM cases k WHERE k.cpr = c.cpr) >= 2 "
                   "AND (SELECT count(*) FROM grants g WHERE g.cpr = c.cpr) >= 1 "
                   "AND (SELECT count(*) FROM citizens d WHERE d.first_name = c.first_name AND "
                   "d.last_name = c.last_name) = 1 "
                   "ORDER BY c.cpr LIMIT 20)"));
    for (std::string cpr; candidates >> cpr && first_.empty();) {
      auto h = Login(cpr);
      auto o = client_->Get("/v1/overview", h);
      ASSERT_EQ(o.status, 200) << o.body;
      std::vector<Item> cases, grants;
      const Json overview = Parsed(o);
      for (const auto& i : overview["items"]) {
        Item it{i["kind"].get<std::string>(), i["municipality"].get<int>(),
                i["id"].get<std::string>()};
        (it.kind == "case" ? cases : grants).push_back(it);
      }
      if (cases.size() < 2 || grants.empty()) continue;
      first_ = cpr;
      first_h_ = h;
      case_ = cases[0];
      case2_ = cases[1];
      grant_ = grants[0];
      if (grants.size() > 1) grant2_ = grants[1];
    }
    ASSERT_FALSE(first_.empty())
        << "no adult citizen with two cases and a benefit in the generated data";
    first_name_ = KombitText("SELECT first_name || ' ' || last_name FROM citizens WHERE cpr = '" +
                             first_ + "'");
    ASSERT_FALSE(first_name_.empty());
    first_token_ = first_h_["Authorization"].substr(7);
    first_session_ =
        BorgerText("SELECT id FROM sessions WHERE cpr = '" + first_ + "' AND revoked IS NULL");
    ASSERT_EQ(first_session_.size(), 32u);

    second_ = KombitText(
        "SELECT c.cpr FROM citizens c WHERE c.birth_date < '1995-01-01' AND c.cpr <> '" + first_ +
        "' AND EXISTS (SELECT 1 FROM cases k WHERE k.cpr = c.cpr) ORDER BY c.cpr DESC LIMIT 1");
    ASSERT_EQ(second_.size(), 10u);
    third_ =
        KombitText("SELECT cpr FROM citizens WHERE birth_date < '1995-01-01' AND cpr NOT IN ('" +
                   first_ + "', '" + second_ + "') ORDER BY cpr LIMIT 1");
    ASSERT_EQ(third_.size(), 10u);
    second_h_ = Login(second_);
    second_token_ = second_h_["Authorization"].substr(7);
    second_session_ = BorgerText("SELECT id FROM sessions WHERE cpr = '" + second_ + "'");
    const std::string theirs = KombitText(
        "SELECT municipality || ' ' || id FROM cases WHERE cpr = '" + second_ + "' LIMIT 1");
    ASSERT_FALSE(theirs.empty());
    second_case_ = {"case", std::stoi(theirs.substr(0, 3)), theirs.substr(4)};

    // A's accepted data: a contribution, a share of one case and one benefit, a power of
    // attorney, and a revoked and an expired share.
    auto c = client_->PostJson("/v1/contributions", GoodContribution(), first_h_);
    ASSERT_EQ(c.status, 201) << c.body;
    contribution_id_ = Parsed(c)["id"];
    auto s = client_->PostJson("/v1/shares", GoodShare({case_, grant_}), first_h_);
    ASSERT_EQ(s.status, 201) << s.body;
    share_id_ = Parsed(s)["id"];
    share_token_ = Parsed(s)["token"];
    auto p = client_->PostJson("/v1/proxies", GoodProxy(), first_h_);
    ASSERT_EQ(p.status, 201) << p.body;
    proxy_id_ = Parsed(p)["id"];
    auto revoked = client_->PostJson("/v1/shares", GoodShare({case_, grant_}), first_h_);
    ASSERT_EQ(revoked.status, 201) << revoked.body;
    revoked_token_ = Parsed(revoked)["token"];
    ASSERT_EQ(
        client_
            ->Send("DELETE", "/v1/shares/" + Parsed(revoked)["id"].get<std::string>(), "", first_h_)
            .status,
        204);
    auto expired = client_->PostJson("/v1/shares", GoodShare({case_, grant_}), first_h_);
    ASSERT_EQ(expired.status, 201) << expired.body;
    expired_token_ = Parsed(expired)["token"];
    {
      store::Db db(dir_ + "/borger.db", store::OpenMode::kReadWrite);
      db.Exec("UPDATE shares SET expires = " + std::to_string(UnixNow() - 60) +
              " WHERE id = '" + Parsed(expired)["id"].get<std::string>() + "'");
    }
    ASSERT_EQ(client_->Get("/v1/shared/" + expired_token_).status, 404);
    // A second session of A's, logged out.
    auto ended = Login(first_);
    ended_token_ = ended["Authorization"].substr(7);
    ASSERT_EQ(client_->Send("POST", "/v1/logout", "", ended).status, 204);
    Snapshot();
  }

  std::string BorgerText(const std::string& sql) const {
    store::Db db(dir_ + "/borger.db", store::OpenMode::kReadOnly);
    return db.QueryText(sql).value_or("");
  }

  Json GoodContribution() const {
    return {{"municipality", case_.municipality},
            {"item_kind", "case"},
            {"item_id", case_.id},
            {"field", "title"},
            {"kind", "correction"},
            {"text", "Titlen passer ikke."}};
  }
  Json GoodShare(const std::vector<Item>& items) const {
    Json scope = Json::array();
    for (const auto& i : items) scope.push_back(i.Scope());
    return {{"recipient", "Min søster"},
            {"purpose", "hjælp med ansøgning"},
            {"expires_days", 7},
            {"scope", scope}};
  }
  Json GoodProxy() const {
    return {{"grantee", third_}, {"areas", Json::array({"32"})}, {"expires_days", 30}};
  }
  Json GoodFeedback() const {
    return {{"origin", "observed"}, {"rating", 3}, {"text", "Fin side."}};
  }

  // The API's routes (pages have their own suite, borger_pages_test.cc).
  const std::vector<net::Route>& Routes() const {
    if (api_routes_.empty()) api_routes_ = ApiRoutes(borger_->router().routes());
    return api_routes_;
  }
  mutable std::vector<net::Route> api_routes_;

  // A real value for path parameter `name` of `pattern`, aimed at A's data: the kind is
  // the literal segment before it (cases/{code}/{id}, shares/{id}, proxies/{id}, …).
  std::string Value(const std::string& pattern, const std::string& name) const {
    if (name == "token") return share_token_;
    if (name == "cpr") return first_;
    const auto segs = net::SplitPath(pattern);
    std::string kind;
    for (size_t i = 1; i < segs.size(); ++i)
      if (segs[i] == "{" + name + "}")
        kind = segs[i - 1] == "{code}" && i >= 2 ? segs[i - 2] : segs[i - 1];
    const Item& item = kind == "benefits" ? grant_ : case_;
    if (name == "code") return std::to_string(item.municipality);
    if (kind == "shares") return share_id_;
    if (kind == "proxies") return proxy_id_;
    if (kind == "cases" || kind == "benefits") return item.id;
    ADD_FAILURE() << "no real value for {" << name << "} in " << pattern
                  << ": teach Value() about it";
    return case_.id;
  }

  // The pattern with its parameters filled from A's data, overridden by `overrides`
  // (taken as they are: already encoded).
  std::string Fill(const std::string& pattern,
                   const std::map<std::string, std::string>& overrides = {}) const {
    std::string out;
    for (const auto& seg : net::SplitPath(pattern)) {
      out += "/";
      if (!IsParam(seg)) {
        out += seg;
        continue;
      }
      const std::string name = seg.substr(1, seg.size() - 2);
      auto it = overrides.find(name);
      out += it != overrides.end() ? it->second : Value(pattern, name);
    }
    return out.empty() ? "/" : out;
  }

  // The credential a route wants, as A (or the admin) holds it.
  net::Headers Right(const net::Route& r) const {
    if (r.access == net::Access::kCitizen || r.access == net::Access::kFeedback) return first_h_;
    if (r.access == net::Access::kAdmin) return Admin();
    if (r.access == net::Access::kMunicipality) return Municipality(case_.municipality);
    return {};
  }
  // What a valid request to the route needs in its query.
  static std::string NeededQuery(const net::Route& r) {
    return r.pattern == "/idp/users" ? "municipality=751" : "";
  }

  // Everything that identifies A and must never reach anyone but A (or A's share link).
  std::vector<std::string> FirstsIdentifiers() const {
    return {first_,           first_.substr(0, 6) + "-" + first_.substr(6),
            first_name_,      first_session_,
            share_id_,        proxy_id_,
            contribution_id_, share_token_,
            case_.id,         case2_.id,
            grant_.id};
  }
  ::testing::AssertionResult NothingOfFirst(const net::ClientResponse& r) const {
    for (const auto& s : FirstsIdentifiers())
      if (!s.empty() && r.body.find(s) != std::string::npos)
        return ::testing::AssertionFailure() << "the answer carries A's '" << s << "'";
    for (const auto& [k, v] : r.headers)
      if (v.find(first_) != std::string::npos)
        return ::testing::AssertionFailure() << "header " << k << " carries A's CPR";
    return ::testing::AssertionSuccess();
  }

  // The rows that belong to A in borger.db, and whether anyone read A's data.
  std::string FirstsRows() const {
    std::string f;
    for (const std::string sql :
         {"SELECT count(*) || ':' || group_concat(id || '/' || item_id || '/' || text || '/' || "
          "forwarded, ',') FROM "
          "(SELECT * FROM contributions WHERE citizen = '@' ORDER BY id)",
          "SELECT count(*) || ':' || group_concat(id || '/' || scope || '/' || expires || '/' || "
          "coalesce(revoked, '-'), ',') "
          "FROM (SELECT * FROM shares WHERE owner = '@' ORDER BY id)",
          "SELECT count(*) || ':' || group_concat(id || '/' || grantee || '/' || expires || '/' || "
          "coalesce(revoked, '-'), ',') "
          "FROM (SELECT * FROM proxies WHERE grantor = '@' ORDER BY id)",
          "SELECT count(*) || ':' || group_concat(id || '/' || coalesce(revoked, '-'), ',') FROM "
          "(SELECT * FROM sessions WHERE cpr = '@' ORDER BY id)",
          "SELECT count(*) FROM proxies WHERE grantee = '@'",
          "SELECT count(*) FROM feedback WHERE citizen = '@'"}) {
      std::string q = sql;
      for (size_t at; (at = q.find('@')) != std::string::npos;) q.replace(at, 1, first_);
      f += BorgerText(q) + "|";
    }
    return f;
  }

  // What refused requests must not change: every contribution, share, proxy and
  // feedback row, and A's rows in particular.
  std::string Fingerprint() const {
    std::string f = FirstsRows();
    for (const char* sql : {"SELECT count(*) || ':' || group_concat(id || citizen || item_id || "
                            "text || kind, ',') FROM "
                            "(SELECT * FROM contributions ORDER BY id)",
                            "SELECT count(*) || ':' || group_concat(id || owner || scope || "
                            "expires || coalesce(revoked, '-'), ',') FROM "
                            "(SELECT * FROM shares ORDER BY id)",
                            "SELECT count(*) || ':' || group_concat(id || grantor || grantee || "
                            "coalesce(revoked, '-'), ',') FROM "
                            "(SELECT * FROM proxies ORDER BY id)",
                            "SELECT count(*) FROM feedback"})
      f += BorgerText(sql) + "|";
    return f;
  }

  void Snapshot() {
    fingerprint_ = Fingerprint();
    first_rows_ = FirstsRows();
    contributions_ = client_->Get("/v1/contributions", first_h_);
    ASSERT_EQ(contributions_.status, 200) << contributions_.body;
    shares_ = client_->Get("/v1/shares", first_h_);
    ASSERT_EQ(shares_.status, 200) << shares_.body;
  }

  std::pair<int, std::string> AuditVerify() const {
    FILE* p = popen(
        (std::string(ADDA_BINARY) + " audit verify --db " + dir_ + "/borger.db 2>&1").c_str(), "r");
    std::string out;
    char buf[512];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    const int status = pclose(p);
    return {WEXITSTATUS(status), out};
  }

  // After a battery: the service answers, what it accepted before is as it was, A's
  // session, share and contribution still work, and the access log's chain holds.
  void ExpectIntact() {
    auto health = client_->Get("/health");
    ASSERT_EQ(health.status, 200) << health.body;
    EXPECT_EQ(Parsed(health)["status"], "ok");
    EXPECT_EQ(Fingerprint(), fingerprint_) << "a refused request changed the data";
    auto contributions = client_->Get("/v1/contributions", first_h_);
    ASSERT_EQ(contributions.status, 200) << contributions.body;
    Json now = Parsed(contributions)["items"], then = Parsed(contributions_)["items"];
    ASSERT_EQ(now.size(), then.size());
    for (size_t i = 0; i < now.size(); ++i) {
      for (const char* k : {"id", "item_id", "text", "kind", "field", "forwarded", "created"})
        EXPECT_EQ(now[i][k], then[i][k]) << k;
    }
    EXPECT_EQ(client_->Get("/v1/shares", first_h_).body, shares_.body);
    auto shared = client_->Get("/v1/shared/" + share_token_);
    EXPECT_EQ(shared.status, 200) << shared.body;
    EXPECT_EQ(Parsed(shared)["items"].size(), 2u);
    const auto audit = AuditVerify();
    EXPECT_EQ(audit.first, 0) << audit.second;
    EXPECT_NE(audit.second.find("chain intact"), std::string::npos) << audit.second;
  }

  // One request as raw bytes on a fresh connection, and the answer read back: for what
  // net::Client cannot send (a Content-Length with no body behind it) or would fail to
  // read (a server answering before the whole body is sent).
  net::ClientResponse Raw(const std::string& request, int timeout_s = 5) {
    return RawHttp(bserver_->url(), request, timeout_s);
  }
  static std::string RawHead(const std::string& method, const std::string& target,
                             const net::Headers& h, size_t length) {
    std::string req = method + " " + target +
                      " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n";
    for (const auto& [k, v] : h) req += k + ": " + v + "\r\n";
    return req + "Content-Length: " + std::to_string(length) + "\r\n\r\n";
  }
  static std::string Chunked(const std::string& method, const std::string& target,
                             const net::Headers& h, const std::string& body) {
    std::string req = method + " " + target +
                      " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n";
    for (const auto& [k, v] : h) req += k + ": " + v + "\r\n";
    char size[32];
    std::snprintf(size, sizeof size, "%zx", body.size());
    return req + "Transfer-Encoding: chunked\r\n\r\n" + size + "\r\n" + body + "\r\n0\r\n\r\n";
  }

  std::string first_, second_, third_, first_name_;
  net::Headers first_h_, second_h_;
  std::string first_token_, first_session_, second_token_, second_session_, ended_token_;
  Item case_, case2_, grant_, grant2_, second_case_;
  std::string contribution_id_, share_id_, share_token_, revoked_token_, expired_token_, proxy_id_;
  std::string fingerprint_, first_rows_;
  net::ClientResponse contributions_, shares_;
};


}  // namespace adda::testing
