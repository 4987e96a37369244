// The citizen's pages over real HTTP against both real services: the mock MitID login
// through its form, Mit Overblik, a case, a benefit, the access log, the download, the
// static files; and their bad input — no session, forged or ended sessions, missing or
// wrong CSRF tokens, someone else's ids, hostile text, oversized forms, open redirects.
// (A real browser with axe-core checks the same pages: tests/browser/web_check.mjs.)
#include <regex>
#include <thread>

#include "borger_world.h"
#include "web/assets.h"
#include "web/html.h"

namespace adda::testing {
namespace {

// A browser without JavaScript: keeps cookies, sends forms, follows nothing by itself.
class Browser {
 public:
  explicit Browser(net::Client& c) : client_(c) {}
  net::ClientResponse Get(const std::string& target) { return Keep(client_.Send("GET", target, "", Headers())); }
  net::ClientResponse Post(const std::string& target, const std::map<std::string, std::string>& form) {
    std::string body;
    for (const auto& [k, v] : form) body += (body.empty() ? "" : "&") + Encode(k) + "=" + Encode(v);
    return PostRaw(target, body);
  }
  net::ClientResponse PostRaw(const std::string& target, const std::string& body,
                              const std::string& type = "application/x-www-form-urlencoded") {
    return Keep(client_.Send("POST", target, body, Headers(), type));
  }
  std::map<std::string, std::string> cookies;

  // The CSRF token of the page's first form.
  static std::string Csrf(const net::ClientResponse& r) {
    std::smatch m;
    if (!std::regex_search(r.body, m, std::regex("name=\"csrf\" value=\"([0-9a-f]{32})\""))) return "";
    return m[1];
  }
  // Logs in through the login form as a person would (the test-user list's button).
  void LogIn(const std::string& cpr) {
    auto page = Get("/log-ind");
    ASSERT_EQ(page.status, 200) << page.body.substr(0, 300);
    auto r = Post("/log-ind", {{"csrf", Csrf(page)}, {"cpr", cpr}, {"password", "test"}, {"efter", "/mit-overblik"}});
    ASSERT_EQ(r.status, 303) << r.body.substr(0, 2000);
    ASSERT_EQ(r.Header("Location"), "/mit-overblik");
    ASSERT_TRUE(cookies.count("adda_session"));
  }

 private:
  static std::string Encode(const std::string& s) {
    std::string out;
    for (unsigned char c : s) {
      if (std::isalnum(c) || c == '-' || c == '_' || c == '.') out += static_cast<char>(c);
      else {
        char buf[4];
        std::snprintf(buf, sizeof buf, "%%%02X", c);
        out += buf;
      }
    }
    return out;
  }
  net::Headers Headers() const {
    net::Headers h{{"Accept", "text/html,application/xhtml+xml"}};
    std::string c;
    for (const auto& [k, v] : cookies) c += (c.empty() ? "" : "; ") + k + "=" + v;
    if (!c.empty()) h["Cookie"] = c;
    return h;
  }
  net::ClientResponse Keep(net::ClientResponse r) {
    const std::string set = r.Header("Set-Cookie");
    if (!set.empty()) {
      const std::string pair = set.substr(0, set.find(';'));
      const std::string name = pair.substr(0, pair.find('='));
      const std::string value = pair.substr(pair.find('=') + 1);
      if (value.empty() || set.find("Max-Age=0") != std::string::npos) cookies.erase(name);
      else cookies[name] = value;
    }
    return r;
  }
  net::Client& client_;
};

::testing::AssertionResult IsPage(const net::ClientResponse& r, int status) {
  if (r.status != status)
    return ::testing::AssertionFailure() << "status " << r.status << ", want " << status << ": " << r.body.substr(0, 600);
  if (r.Header("Content-Type").rfind("text/html", 0) != 0)
    return ::testing::AssertionFailure() << "Content-Type " << r.Header("Content-Type");
  const std::string csp = r.Header("Content-Security-Policy");
  if (csp.find("frame-ancestors 'none'") == std::string::npos || csp.find("unsafe-inline") != std::string::npos)
    return ::testing::AssertionFailure() << "Content-Security-Policy: " << csp;
  if (r.body.find("Testmiljø — fiktive data") == std::string::npos)
    return ::testing::AssertionFailure() << "no test-environment banner";
  return ::testing::AssertionSuccess();
}

// The page without what differs between two answers of the same kind (the request id).
std::string Normalised(const std::string& body) {
  return std::regex_replace(body, std::regex("forespørgsel [A-Za-z0-9_.:-]+"), "forespørgsel ?");
}

class BorgerPages : public BorgerWorld {
 protected:
  std::string CasePath(const Item& i) const { return "/mit-overblik/sag/" + std::to_string(i.municipality) + "/" + i.id; }
  std::string GrantPath(const Item& i) const { return "/mit-overblik/ydelse/" + std::to_string(i.municipality) + "/" + i.id; }
};

TEST_F(BorgerPages, LoggingInThroughTheFormGivesAnHttpOnlyCookieAndMitOverblik) {
  Browser b(*client_);
  auto login = b.Get("/log-ind");
  ASSERT_TRUE(IsPage(login, 200));
  const std::string csrf_cookie = login.Header("Set-Cookie");
  EXPECT_NE(csrf_cookie.find("adda_csrf="), std::string::npos);
  EXPECT_NE(csrf_cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(csrf_cookie.find("SameSite=Strict"), std::string::npos);
  EXPECT_NE(login.body.find("Vælg en testbruger"), std::string::npos);
  auto r = b.Post("/log-ind", {{"csrf", Browser::Csrf(login)}, {"cpr", first_}, {"password", "test"}});
  ASSERT_EQ(r.status, 303) << r.body;
  EXPECT_EQ(r.Header("Location"), "/mit-overblik");
  const std::string session_cookie = r.Header("Set-Cookie");
  EXPECT_NE(session_cookie.find("adda_session="), std::string::npos);
  EXPECT_NE(session_cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(session_cookie.find("SameSite=Lax"), std::string::npos);
  EXPECT_NE(session_cookie.find("Max-Age=1800"), std::string::npos);
  EXPECT_EQ(session_cookie.find("Secure"), std::string::npos);  // served over plain HTTP here

  const int64_t reads = BorgerInt("SELECT count(*) FROM access_log WHERE citizen = '" + first_ + "' AND what = 'overview'");
  auto page = b.Get("/mit-overblik");
  ASSERT_TRUE(IsPage(page, 200));
  EXPECT_NE(page.body.find(web::Escape(first_name_)), std::string::npos);
  EXPECT_NE(page.body.find("href=\"" + CasePath(case_) + "\""), std::string::npos);
  EXPECT_NE(page.body.find("href=\"" + GrantPath(grant_) + "\""), std::string::npos);
  EXPECT_NE(page.body.find("Mine sager"), std::string::npos);
  EXPECT_NE(page.body.find("Mine ydelser"), std::string::npos);
  // The same entry in the access log as the JSON route writes.
  EXPECT_EQ(BorgerInt("SELECT count(*) FROM access_log WHERE citizen = '" + first_ + "' AND what = 'overview'"), reads + 1);
  // Every title of the API's overview is on the page, escaped.
  const Json api = Parsed(client_->Get("/v1/overview", first_h_));
  for (const auto& item : api["items"]) EXPECT_NE(page.body.find(web::Escape(item["title"].get<std::string>())), std::string::npos);
  // Already logged in: the login page sends me on.
  EXPECT_EQ(b.Get("/log-ind").status, 303);
  EXPECT_EQ(b.Get("/").Header("Location"), "/mit-overblik");
}

TEST_F(BorgerPages, ACaseAndABenefitShowTheExplainedModelsTexts) {
  Browser b(*client_);
  b.LogIn(first_);
  const std::string reads_sql = "SELECT count(*) FROM access_log WHERE citizen = '" + first_ + "' AND item_id = '" + case_.id + "'";
  const int64_t reads = BorgerInt(reads_sql);
  auto page = b.Get(CasePath(case_));
  ASSERT_TRUE(IsPage(page, 200));
  EXPECT_EQ(BorgerInt(reads_sql), reads + 1);  // the JSON route's own entry
  const Json c = Parsed(client_->Get("/v1" + case_.Path(), first_h_));
  EXPECT_NE(page.body.find(web::Escape(c["title"].get<std::string>())), std::string::npos);
  EXPECT_NE(page.body.find(web::Escape(c["case_number"].get<std::string>())), std::string::npos);
  EXPECT_NE(page.body.find(web::Escape(c["unit"]["text"].get<std::string>())), std::string::npos);
  EXPECT_NE(page.body.find(web::Escape(c["deliverer"]["text"].get<std::string>())), std::string::npos);
  if (c["status"].contains("means")) {
    EXPECT_NE(page.body.find(web::Escape(c["status"]["means"].get<std::string>())), std::string::npos);
  }
  for (const auto& t : c.value("timeline", Json::array())) EXPECT_NE(page.body.find(web::Escape(t["label"].get<std::string>())), std::string::npos);
  for (const auto& d : c.value("documents", Json::array())) EXPECT_NE(page.body.find(web::Escape(d["title"].get<std::string>())), std::string::npos);
  for (const auto& n : c["notices"]) EXPECT_NE(page.body.find(web::Escape(n["text"].get<std::string>())), std::string::npos);
  EXPECT_NE(page.body.find("class=\"back-link\""), std::string::npos);

  auto grant = b.Get(GrantPath(grant_));
  ASSERT_TRUE(IsPage(grant, 200));
  const Json g = Parsed(client_->Get("/v1" + grant_.Path(), first_h_));
  EXPECT_NE(grant.body.find(web::Escape(g["title"].get<std::string>())), std::string::npos);
  for (const auto& bf : g["benefits"]) EXPECT_NE(grant.body.find(web::Escape(bf["name"].get<std::string>())), std::string::npos);
  for (const char* when : {"past", "planned"})
    for (const auto& p : g["payments"][when]) EXPECT_NE(grant.body.find(p["paid_text"].get<std::string>()), std::string::npos);
}

TEST_F(BorgerPages, SomeoneElsesCaseAnswersExactlyLikeAMissingOne) {
  Browser b(*client_);
  b.LogIn(first_);
  auto theirs = b.Get(CasePath(second_case_));
  auto missing = b.Get("/mit-overblik/sag/" + std::to_string(second_case_.municipality) + "/no-such-case");
  ASSERT_TRUE(IsPage(theirs, 404));
  ASSERT_TRUE(IsPage(missing, 404));
  EXPECT_EQ(Normalised(theirs.body), Normalised(missing.body));
  EXPECT_TRUE(Lacks(theirs, second_case_.id));
  EXPECT_EQ(BorgerInt("SELECT count(*) FROM access_log WHERE citizen = '" + second_ + "'"), 0);
  // Their case as a benefit, a bad municipality, a bad id: pages, never a stack or JSON.
  EXPECT_TRUE(IsPage(b.Get(GrantPath(second_case_)), 404));
  EXPECT_TRUE(IsPage(b.Get("/mit-overblik/sag/abc/x"), 400));
  EXPECT_TRUE(IsPage(b.Get("/mit-overblik/sag/561/%3Cscript%3E"), 400));
  // Acting for someone I may not act for: refused like the JSON route.
  EXPECT_TRUE(IsPage(b.Get("/mit-overblik?on_behalf_of=" + second_), 403));
}

TEST_F(BorgerPages, WithoutAGoodSessionEveryCitizenPageSendsToTheLogin) {
  const std::vector<std::string> pages = {"/mit-overblik", CasePath(case_), GrantPath(grant_), "/mit-overblik/adgangslog",
                                          "/mit-overblik/hent?format=csv"};
  std::string forged = first_token_;
  forged[forged.size() - 3] = forged[forged.size() - 3] == 'A' ? 'B' : 'A';
  for (const std::string& cookie : {std::string(), std::string("adda_session=") + forged,
                                    std::string("adda_session=") + ended_token_, std::string("adda_session=garbage"),
                                    std::string("adda_session=") + std::string(3000, 'a')}) {
    for (const auto& p : pages) {
      net::Headers h{{"Accept", "text/html"}};
      if (!cookie.empty()) h["Cookie"] = cookie;
      auto r = client_->Send("GET", p, "", h);
      EXPECT_EQ(r.status, 303) << p << " with " << cookie.substr(0, 40) << ": " << r.body.substr(0, 200);
      EXPECT_EQ(r.Header("Location").rfind("/log-ind?efter=/mit-overblik", 0), 0u) << r.Header("Location");
      if (!cookie.empty()) {
        EXPECT_NE(r.Header("Set-Cookie").find("Max-Age=0"), std::string::npos);  // the bad cookie dropped
      }
      EXPECT_TRUE(Lacks(r, first_name_));
    }
  }
  // The bearer token is not a page session, and the cookie is not an API session.
  EXPECT_EQ(client_->Send("GET", "/mit-overblik", "", {{"Authorization", "Bearer " + first_token_}}).status, 303);
  EXPECT_EQ(client_->Send("GET", "/v1/overview", "", {{"Cookie", "adda_session=" + first_token_}}).status, 401);
  // A session expired in its row.
  Browser b(*client_);
  b.LogIn(first_);
  ASSERT_EQ(b.Get("/mit-overblik").status, 200);
  {
    store::Db db(dir_ + "/borger.db", store::OpenMode::kReadWrite);
    db.Exec("UPDATE sessions SET expires = " + std::to_string(UnixNow() - 1) + " WHERE cpr = '" + first_ + "'");
  }
  StopBorger();  // the session cache forgets the row
  StartBorger();
  Browser again(*client_);
  again.cookies = b.cookies;
  EXPECT_EQ(again.Get("/mit-overblik").status, 303);
}

TEST_F(BorgerPages, FormsWithoutTheRightCsrfTokenAreRefusedAndChangeNothing) {
  Browser b(*client_);
  b.LogIn(first_);
  auto page = b.Get("/mit-overblik");
  const std::string csrf = Browser::Csrf(page);
  ASSERT_EQ(csrf.size(), 32u);
  Browser other(*client_);
  other.LogIn(second_);
  const std::string theirs = Browser::Csrf(other.Get("/mit-overblik"));
  ASSERT_NE(theirs, csrf);
  for (const std::string& token : {std::string(), std::string("x"), theirs, csrf.substr(0, 31) + (csrf.back() == '0' ? "1" : "0"),
                                   std::string(40, 'f'), csrf + "0"}) {
    auto r = b.Post("/log-af", {{"csrf", token}});
    EXPECT_TRUE(IsPage(r, 403)) << token;
    EXPECT_NE(r.body.find("Formularen er udløbet"), std::string::npos);
  }
  EXPECT_TRUE(IsPage(b.PostRaw("/log-af", ""), 403));
  ASSERT_EQ(b.Get("/mit-overblik").status, 200);  // still logged in
  // The login form: its token must match its cookie.
  Browser fresh(*client_);
  auto login = fresh.Get("/log-ind");
  const std::string form_token = Browser::Csrf(login);
  EXPECT_TRUE(IsPage(fresh.Post("/log-ind", {{"cpr", first_}, {"password", "test"}}), 403));
  EXPECT_TRUE(IsPage(fresh.Post("/log-ind", {{"csrf", std::string(32, 'a')}, {"cpr", first_}, {"password", "test"}}), 403));
  Browser cookieless(*client_);
  EXPECT_TRUE(IsPage(cookieless.Post("/log-ind", {{"csrf", form_token}, {"cpr", first_}, {"password", "test"}}), 403));
  EXPECT_FALSE(fresh.cookies.count("adda_session"));
  // With the right token, logging out ends the session for the pages and the API alike.
  auto out = b.Post("/log-af", {{"csrf", csrf}});
  ASSERT_EQ(out.status, 303);
  EXPECT_EQ(out.Header("Location"), "/log-ind?logget_af=1");
  EXPECT_FALSE(b.cookies.count("adda_session"));
  const std::string session = BorgerText("SELECT id FROM sessions WHERE cpr = '" + first_ + "' ORDER BY created DESC LIMIT 1");
  EXPECT_FALSE(BorgerText("SELECT revoked FROM sessions WHERE id = '" + session + "'").empty());
  EXPECT_NE(b.Get("/log-ind?logget_af=1").body.find("Du er logget af."), std::string::npos);
}

TEST_F(BorgerPages, AFailedLoginSaysSoInAnErrorSummaryAndGivesNoSession) {
  Browser b(*client_);
  const std::string csrf = Browser::Csrf(b.Get("/log-ind"));
  auto wrong = b.Post("/log-ind", {{"csrf", csrf}, {"cpr", first_}, {"password", "forkert"}});
  ASSERT_TRUE(IsPage(wrong, 401));
  EXPECT_NE(wrong.body.find("data-error-summary"), std::string::npos);
  EXPECT_NE(wrong.body.find("CPR-nummeret eller adgangskoden er forkert."), std::string::npos);
  EXPECT_NE(wrong.body.find("value=\"" + first_ + "\""), std::string::npos);  // what I typed, kept
  EXPECT_FALSE(b.cookies.count("adda_session"));
  EXPECT_TRUE(IsPage(b.Post("/log-ind", {{"csrf", csrf}, {"cpr", ""}, {"password", "test"}}), 422));
  auto hostile = b.Post("/log-ind", {{"csrf", csrf}, {"cpr", "\"><script>x"}, {"password", "test"}});
  ASSERT_TRUE(IsPage(hostile, 401));  // as any CPR nobody has
  EXPECT_TRUE(Lacks(hostile, "\"><script>x"));
  EXPECT_TRUE(IsPage(b.Post("/log-ind", {{"csrf", csrf}, {"cpr", "9999999999"}, {"password", "test"}}), 401));
  // After too many failures the form says how long to wait.
  net::ClientResponse last;
  for (int i = 0; i < 6; ++i) last = b.Post("/log-ind", {{"csrf", csrf}, {"cpr", second_}, {"password", "nej"}});
  ASSERT_TRUE(IsPage(last, 429));
  EXPECT_FALSE(last.Header("Retry-After").empty());
  EXPECT_NE(last.body.find("for mange forkerte forsøg"), std::string::npos);
  // Oversized and wrongly typed forms.
  EXPECT_EQ(b.PostRaw("/log-ind", "csrf=" + csrf + "&cpr=" + std::string(20000, '1')).status, 413);
  EXPECT_TRUE(IsPage(b.PostRaw("/log-ind", "{\"cpr\": \"1\"}", "application/json"), 403));
}

TEST_F(BorgerPages, TheLoginSendsOnlyToItsOwnPages) {
  for (const char* after : {"https://evil.example/", "//evil.example/mit-overblik", "/mit-overblik\r\nSet-Cookie: x=1",
                                   "/idp/users", "javascript:alert(1)", "/mit-overblik/sag/561/A-1?on_behalf_of=1"}) {
    Browser b(*client_);
    const std::string csrf = Browser::Csrf(b.Get("/log-ind"));
    auto r = b.Post("/log-ind", {{"csrf", csrf}, {"cpr", first_}, {"password", "test"}, {"efter", after}});
    ASSERT_EQ(r.status, 303);
    const std::string to = r.Header("Location");
    EXPECT_TRUE(to == "/mit-overblik" || (std::string(after).rfind("/mit-overblik/", 0) == 0 && to == after)) << after << " -> " << to;
  }
  // A page asked for before login is where the login goes afterwards.
  Browser b(*client_);
  auto bounced = b.Get(CasePath(case_));
  ASSERT_EQ(bounced.status, 303);
  auto login = b.Get(bounced.Header("Location"));
  ASSERT_TRUE(IsPage(login, 200));
  auto r = b.Post("/log-ind", {{"csrf", Browser::Csrf(login)}, {"cpr", first_}, {"password", "test"}, {"efter", CasePath(case_)}});
  EXPECT_EQ(r.Header("Location"), CasePath(case_));
  EXPECT_NE(login.body.find("name=\"efter\" value=\"" + CasePath(case_) + "\""), std::string::npos);
}

TEST_F(BorgerPages, HostileTextFromTheMunicipalityIsEscaped) {
  const Json overview = Parsed(client_->Get("/v1/overview", first_h_));
  Json item;
  for (const auto& i : overview["items"])
    if (i["id"] == case_.id) item = i;
  ASSERT_FALSE(item.is_null());
  const std::string hostile = "<script>alert(1)</script><img src=x onerror=alert(2)> \u202Egnp.exe";
  ASSERT_EQ(RetitleCase(item, hostile), 200);
  // borger.dk learns of the change from KOMBIT's change feed, within its poll.
  bool shown = false;
  for (int i = 0; i < 300 && !shown; ++i) {
    const Json now = Parsed(client_->Get("/v1/overview", first_h_));
    for (const auto& it : now["items"]) shown |= it["title"] == hostile;
    if (!shown) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_TRUE(shown);
  Browser b(*client_);
  b.LogIn(first_);
  for (const std::string& p : {std::string("/mit-overblik"), CasePath(case_)}) {
    auto page = b.Get(p);
    ASSERT_TRUE(IsPage(page, 200));
    EXPECT_TRUE(Lacks(page, "<script>alert"));
    EXPECT_TRUE(Lacks(page, "<img src=x"));
    EXPECT_TRUE(Lacks(page, "\u202E"));
    EXPECT_NE(page.body.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos) << p;
  }
}

TEST_F(BorgerPages, TheAccessLogAndTheDownloadAreTheApisOwn) {
  Browser b(*client_);
  b.LogIn(first_);
  ASSERT_EQ(b.Get("/mit-overblik").status, 200);
  auto log = b.Get("/mit-overblik/adgangslog");
  ASSERT_TRUE(IsPage(log, 200));
  EXPECT_NE(log.body.find("Hvem har set mine data"), std::string::npos);
  EXPECT_NE(log.body.find("Dig selv"), std::string::npos);
  EXPECT_NE(log.body.find("Mit Overblik"), std::string::npos);
  auto csv = b.Get("/mit-overblik/hent?format=csv");
  ASSERT_EQ(csv.status, 200);
  EXPECT_EQ(csv.Header("Content-Type").rfind("text/csv", 0), 0u);
  EXPECT_NE(csv.Header("Content-Disposition").find("mine-data.csv"), std::string::npos);
  EXPECT_NE(csv.body.find(case_.id), std::string::npos);
  auto json = b.Get("/mit-overblik/hent?format=json");
  ASSERT_EQ(json.status, 200);
  EXPECT_EQ(Parsed(json)["subject"], first_);
  EXPECT_TRUE(IsPage(b.Get("/mit-overblik/hent?format=pdf"), 400));
  EXPECT_TRUE(IsPage(b.Get("/mit-overblik/adgangslog?limit=0"), 400));
}

TEST_F(BorgerPages, StaticFilesAreCachedForAYearAndCheckedByTheirTag) {
  const auto& assets = web::Assets::Embedded();
  const std::string url = assets.Url("dkfds/css/dkfds-borgerdk.min.css");
  auto css = client_->Get(url);
  ASSERT_EQ(css.status, 200);
  EXPECT_EQ(css.Header("Content-Type"), "text/css; charset=utf-8");
  EXPECT_EQ(css.Header("Cache-Control"), "public, max-age=31536000, immutable");
  EXPECT_EQ(css.body, std::string(assets.Find("dkfds/css/dkfds-borgerdk.min.css")->bytes));
  const std::string etag = css.Header("ETag");
  ASSERT_FALSE(etag.empty());
  auto again = client_->Send("GET", url, "", {{"If-None-Match", etag}});
  EXPECT_EQ(again.status, 304);
  EXPECT_TRUE(again.body.empty());
  auto font = client_->Get(assets.Url("dkfds/fonts/IBMPlexSans/complete/woff2/IBMPlexSans-Regular.woff2"));
  EXPECT_EQ(font.status, 200);
  EXPECT_EQ(font.Header("Content-Type"), "font/woff2");
  for (const std::string& bad : {std::string("/static/000000000000/dkfds/css/dkfds-borgerdk.min.css"),
                                 "/static/" + assets.build() + "/dkfds/css/nope.css",
                                 "/static/" + assets.build() + "/../../../etc/passwd",
                                 "/static/" + assets.build() + "/dkfds/%2e%2e/%2e%2e/etc/passwd",
                                 "/static/" + assets.build() + "/dkfds/img/logo-borgerdk.svg"}) {
    auto r = client_->Send("GET", bad, "", {{"Accept", "text/html"}});
    EXPECT_EQ(r.status, 404) << bad;
  }
}

TEST_F(BorgerPages, ABrowserGetsPagesForErrorsAndAnApiClientJson) {
  auto page = client_->Send("GET", "/ingen-side", "", {{"Accept", "text/html"}});
  ASSERT_TRUE(IsPage(page, 404));
  EXPECT_NE(page.body.find("Siden findes ikke"), std::string::npos);
  auto api = client_->Get("/ingen-side");
  EXPECT_EQ(api.status, 404);
  EXPECT_EQ(ErrorCode(api), "request.unknown_route");
  auto wrong = client_->Send("PUT", "/mit-overblik", "", {{"Accept", "text/html"}});
  ASSERT_TRUE(IsPage(wrong, 405));
  EXPECT_EQ(wrong.Header("Allow"), "GET");
  ASSERT_TRUE(IsPage(client_->Send("GET", "/tilgaengelighed", "", {{"Accept", "text/html"}}), 200));
  // The pages are not the API: the document lists none of them.
  const Json doc = Parsed(client_->Get("/openapi.json"));
  for (const auto& [path, op] : doc["paths"].items()) {
    EXPECT_NE(path.rfind("/mit-overblik", 0), 0u) << path;
    EXPECT_NE(path.rfind("/log-ind", 0), 0u) << path;
    EXPECT_NE(path.rfind("/static", 0), 0u) << path;
  }
}

TEST_F(BorgerPages, WhenKombitIsAwayThePageSaysSoAndTheServiceStaysUp) {
  Browser b(*client_);
  b.LogIn(first_);
  StopKombit();
  auto page = b.Get(CasePath(case2_));  // never read before: nothing to show from a copy
  EXPECT_TRUE(page.status == 502 || page.status == 503) << page.status;
  EXPECT_TRUE(IsPage(page, page.status));
  EXPECT_NE(page.body.find("Vi kan ikke hente dine oplysninger lige nu"), std::string::npos);
  EXPECT_TRUE(IsPage(b.Get("/tilgaengelighed"), 200));
}

TEST_F(BorgerPages, ServedOverTlsThePagesCookiesAreSecure) {
  StopBorger();
  secure_cookies_ = true;
  StartBorger();
  Browser b(*client_);
  auto login = b.Get("/log-ind");
  ASSERT_TRUE(IsPage(login, 200));
  EXPECT_NE(login.Header("Set-Cookie").find("; Secure"), std::string::npos) << login.Header("Set-Cookie");
  auto r = b.Post("/log-ind", {{"csrf", Browser::Csrf(login)}, {"cpr", first_}, {"password", "test"}});
  ASSERT_EQ(r.status, 303);
  EXPECT_NE(r.Header("Set-Cookie").find("; Secure"), std::string::npos) << r.Header("Set-Cookie");
  EXPECT_NE(r.Header("Set-Cookie").find("HttpOnly"), std::string::npos);
}

// "Ret eller tilføj": the form, a contribution sent through it, its receipt, the
// municipality's reply on "Mine rettelser og bemærkninger".
TEST_F(BorgerPages, AContributionSentThroughTheFormIsStoredForwardedAndAnswered) {
  Browser b(*client_);
  b.LogIn(first_);
  auto item = b.Get(CasePath(case_));
  ASSERT_TRUE(IsPage(item, 200));
  const std::string path = "/mit-overblik/ret/sag/" + std::to_string(case_.municipality) + "/" + case_.id;
  EXPECT_NE(item.body.find("href=\"" + path + "\""), std::string::npos);  // the case links to its form
  auto form = b.Get(path);
  ASSERT_TRUE(IsPage(form, 200));
  EXPECT_NE(form.body.find("data-maxlength=\"2000\""), std::string::npos);
  EXPECT_NE(form.body.find("value=\"decision\""), std::string::npos);  // the case's fields from the fixture
  std::smatch m;
  ASSERT_TRUE(std::regex_search(form.body, m, std::regex("name=\"id\" value=\"([0-9a-f]{32})\"")));
  const std::string client_id = m[1];
  const int64_t before = BorgerInt("SELECT count(*) FROM contributions WHERE citizen = '" + first_ + "'");  // the world's own one
  const std::string text = "Afgørelsen nævner ikke min klage fra marts. <b>Hilsen</b> \u202E";
  const std::map<std::string, std::string> fields = {
      {"csrf", Browser::Csrf(form)}, {"id", client_id}, {"type", "correction"}, {"felt", "decision"}, {"tekst", text}};
  auto sent = b.Post(path, fields);
  ASSERT_EQ(sent.status, 303) << sent.body.substr(0, 2000);
  const std::string location = sent.Header("Location");
  ASSERT_EQ(location.rfind("/mit-overblik/bidrag?modtaget=", 0), 0u) << location;
  const std::string id = location.substr(location.find('=') + 1);
  EXPECT_EQ(BorgerInt("SELECT count(*) FROM contributions WHERE citizen = '" + first_ + "'"), before + 1);
  EXPECT_EQ(BorgerText("SELECT text FROM contributions WHERE id = '" + id + "'"), text);
  EXPECT_EQ(BorgerText("SELECT field FROM contributions WHERE id = '" + id + "'"), "decision");
  // Sent again (a double click, a lost answer): stored once.
  auto resent = b.Post(path, fields);
  ASSERT_EQ(resent.status, 303);
  EXPECT_EQ(resent.Header("Location"), location);
  EXPECT_EQ(BorgerInt("SELECT count(*) FROM contributions WHERE citizen = '" + first_ + "'"), before + 1);
  // Changed after sending and sent again with the same form: a second contribution.
  auto changed = fields;
  changed["tekst"] = "Og sagens navn er også forkert.";
  auto second = b.Post(path, changed);
  ASSERT_EQ(second.status, 303);
  EXPECT_NE(second.Header("Location"), location);
  EXPECT_EQ(BorgerInt("SELECT count(*) FROM contributions WHERE citizen = '" + first_ + "'"), before + 2);

  auto receipt = b.Get(location);
  ASSERT_TRUE(IsPage(receipt, 200));
  EXPECT_NE(receipt.body.find("Tak. Din besked er modtaget"), std::string::npos);
  EXPECT_NE(receipt.body.find("Kvitteringsnummer " + id), std::string::npos);
  EXPECT_NE(receipt.body.find(web::Escape(text)), std::string::npos);
  EXPECT_TRUE(Lacks(receipt, "<b>Hilsen"));
  // Forwarded to KOMBIT at once; the municipality answers; the page shows the reply.
  const std::string kid = KombitText("SELECT id FROM contributions WHERE id = '" + id + "'");
  ASSERT_EQ(kid, id);
  const std::string reply = "Vi har rettet afgørelsen. <script>x</script>";
  ASSERT_EQ(kclient_->Send("PATCH", "/v1/municipalities/" + std::to_string(case_.municipality) + "/contributions/" + id,
                           nlohmann::json{{"status", "corrected"}, {"reply", reply}}.dump(), Municipality(case_.municipality))
                .status, 200);
  auto mine = b.Get("/mit-overblik/bidrag");
  ASSERT_TRUE(IsPage(mine, 200));
  EXPECT_NE(mine.body.find(web::Escape(reply)), std::string::npos);
  EXPECT_TRUE(Lacks(mine, "<script>x"));
  EXPECT_NE(mine.body.find(">Rettet<"), std::string::npos);  // the status's label from the fixture
  EXPECT_EQ(mine.body.find("Tak. Din besked er modtaget"), std::string::npos);  // no receipt without ?modtaget
  // Someone else's receipt id shows nothing of theirs.
  Browser other(*client_);
  other.LogIn(second_);
  auto theirs = other.Get(location);
  ASSERT_TRUE(IsPage(theirs, 200));
  EXPECT_TRUE(Lacks(theirs, id));
  EXPECT_TRUE(Lacks(theirs, "Afgørelsen nævner"));
  // The benefit's form too.
  auto grant_form = b.Get("/mit-overblik/ret/ydelse/" + std::to_string(grant_.municipality) + "/" + grant_.id);
  ASSERT_TRUE(IsPage(grant_form, 200));
  EXPECT_NE(grant_form.body.find("value=\"payments\""), std::string::npos);
}

TEST_F(BorgerPages, AContributionFormWithProblemsComesBackWithAnErrorSummaryAndStoresNothing) {
  Browser b(*client_);
  b.LogIn(first_);
  const std::string path = "/mit-overblik/ret/sag/" + std::to_string(case_.municipality) + "/" + case_.id;
  auto form = b.Get(path);
  ASSERT_TRUE(IsPage(form, 200));
  const std::string csrf = Browser::Csrf(form);
  const auto stored = [&] { return BorgerInt("SELECT count(*) FROM contributions"); };
  const int64_t before = stored();  // the world's own one
  struct Bad {
    std::map<std::string, std::string> form;
    std::string says;
  };
  std::string long_text;
  for (int i = 0; i < 2001; ++i) long_text += "æ";  // 2001 characters, 4002 bytes
  const std::vector<Bad> bad = {
      {{{"type", "correction"}, {"tekst", "   \n "}}, "Skriv, hvad der er forkert eller mangler."},
      {{{"type", "correction"}}, "Skriv, hvad der er forkert eller mangler."},
      {{{"type", "rude"}, {"tekst", "x"}}, "Vælg, om noget er forkert"},
      {{{"tekst", "x"}}, "Vælg, om noget er forkert"},
      {{{"type", "note"}, {"felt", "caseworker"}, {"tekst", "x"}}, "Vælg en af oplysningerne på listen."},
      {{{"type", "note"}, {"tekst", long_text}}, "Teksten er 2001 tegn"},
  };
  for (const auto& c : bad) {
    auto f = c.form;
    f["csrf"] = csrf;
    auto r = b.Post(path, f);
    ASSERT_TRUE(IsPage(r, 422)) << c.says;
    EXPECT_NE(r.body.find("data-error-summary"), std::string::npos);
    EXPECT_NE(r.body.find(web::Escape(c.says)), std::string::npos) << r.body.substr(0, 3000);
    if (f.count("tekst") && f["tekst"] == "x") {
      EXPECT_NE(r.body.find(">x</textarea>"), std::string::npos);  // kept
    }
  }
  EXPECT_EQ(stored(), before);
  // Hostile text that is otherwise fine is kept as written and shown escaped, never as markup.
  auto hostile = b.Post(path, {{"csrf", csrf}, {"type", "rude"}, {"tekst", "</textarea><script>alert(1)</script>"}});
  ASSERT_TRUE(IsPage(hostile, 422));
  EXPECT_TRUE(Lacks(hostile, "<script>alert(1)"));
  EXPECT_NE(hostile.body.find("&lt;/textarea&gt;&lt;script&gt;"), std::string::npos);
  // No CSRF token, someone else's, an oversized form: refused, nothing stored.
  EXPECT_TRUE(IsPage(b.Post(path, {{"type", "note"}, {"tekst", "x"}}), 403));
  Browser other(*client_);
  other.LogIn(second_);
  const std::string theirs = Browser::Csrf(other.Get("/mit-overblik"));
  EXPECT_TRUE(IsPage(b.Post(path, {{"csrf", theirs}, {"type", "note"}, {"tekst", "x"}}), 403));
  EXPECT_EQ(b.PostRaw(path, "csrf=" + csrf + "&type=note&tekst=" + std::string(20000, 'x')).status, 413);
  EXPECT_TRUE(IsPage(b.PostRaw(path, "{\"type\":\"note\",\"tekst\":\"x\"}", "application/json"), 403));
  EXPECT_EQ(stored(), before);
  // Someone else's case, a missing one, a kind that is neither: 404 like the case page;
  // a bad municipality or id: 400. The form of someone else's case shows nothing of it.
  const std::string theirs_path = "/mit-overblik/ret/sag/" + std::to_string(second_case_.municipality) + "/" + second_case_.id;
  auto their_form = b.Get(theirs_path);
  auto missing = b.Get("/mit-overblik/ret/sag/" + std::to_string(second_case_.municipality) + "/no-such-case");
  ASSERT_TRUE(IsPage(their_form, 404));
  ASSERT_TRUE(IsPage(missing, 404));
  EXPECT_EQ(Normalised(their_form.body), Normalised(missing.body));
  EXPECT_TRUE(IsPage(b.Post(theirs_path, {{"csrf", csrf}, {"type", "note"}, {"tekst", "x"}}), 404));
  EXPECT_TRUE(IsPage(b.Get("/mit-overblik/ret/sagen/" + std::to_string(case_.municipality) + "/" + case_.id), 404));
  EXPECT_TRUE(IsPage(b.Get("/mit-overblik/ret/sag/12/" + case_.id), 400));
  EXPECT_TRUE(IsPage(b.Get("/mit-overblik/ret/sag/561/%3Cx%3E"), 400));
  EXPECT_EQ(stored(), before);
  // Without a session: to the login, and back to the form afterwards.
  Browser anonymous(*client_);
  auto bounced = anonymous.Get(path);
  ASSERT_EQ(bounced.status, 303);
  EXPECT_EQ(bounced.Header("Location"), "/log-ind?efter=" + path);
  EXPECT_EQ(anonymous.Post(path, {{"type", "note"}, {"tekst", "x"}}).status, 303);
  EXPECT_EQ(stored(), before);
}

// The feedback form's fields for a rating, all ten SUS answers and a text.
std::map<std::string, std::string> FeedbackFields(const std::string& csrf, const std::string& id, const std::string& text) {
  std::map<std::string, std::string> f = {{"csrf", csrf}, {"id", id}, {"vurdering", "4"}, {"tekst", text},
                                          {"side", "/mit-overblik"}};
  for (int i = 1; i <= 10; ++i) f["sus" + std::to_string(i)] = i % 2 ? "4" : "2";  // SUS 75
  return f;
}

std::string FormId(const net::ClientResponse& r) {
  std::smatch m;
  if (!std::regex_search(r.body, m, std::regex("name=\"id\" value=\"([0-9a-f]{32})\""))) return "";
  return m[1];
}

TEST_F(BorgerPages, FeedbackThroughTheFormIsStoredOnceAsObservedWithItsSusScore) {
  Browser b(*client_);
  b.LogIn(first_);
  auto overview = b.Get("/mit-overblik");
  ASSERT_TRUE(IsPage(overview, 200));
  const std::string link = "/mit-overblik/din-mening?side=/mit-overblik";
  EXPECT_NE(overview.body.find("href=\"" + link + "\""), std::string::npos);
  auto form = b.Get(link);
  ASSERT_TRUE(IsPage(form, 200));
  for (const char* label : {"Hvor tilfreds er du alt i alt med Mit Overblik?", "Jeg tror, at jeg gerne vil bruge",
                            "Helt uenig", "Helt enig", "Send din vurdering"})
    EXPECT_NE(form.body.find(web::Escape(label)), std::string::npos) << label;
  EXPECT_NE(form.body.find("name=\"sus10\""), std::string::npos);
  EXPECT_EQ(form.body.find("name=\"sus11\""), std::string::npos);
  const std::string id = FormId(form);
  ASSERT_EQ(id.size(), 32u);
  const auto mine = [&] { return BorgerInt("SELECT count(*) FROM feedback WHERE citizen = '" + first_ + "'"); };
  const int64_t before = mine();
  const std::string text = "Let at finde. <img src=x onerror=alert(1)> \u202Eomvendt";
  const auto fields = FeedbackFields(Browser::Csrf(form), id, text);
  auto sent = b.Post("/mit-overblik/din-mening", fields);
  ASSERT_EQ(sent.status, 303) << sent.body.substr(0, 2000);
  EXPECT_EQ(sent.Header("Location"), "/mit-overblik/din-mening?tak=1");
  ASSERT_EQ(mine(), before + 1);
  const std::string row = "FROM feedback WHERE citizen = '" + first_ + "' ORDER BY id DESC LIMIT 1";
  EXPECT_EQ(BorgerText("SELECT origin " + row), "observed");
  EXPECT_EQ(BorgerInt("SELECT rating " + row), 4);
  EXPECT_EQ(BorgerText("SELECT sus " + row), "[4,2,4,2,4,2,4,2,4,2]");
  EXPECT_EQ(BorgerText("SELECT sus_score " + row), "75.0");
  EXPECT_EQ(BorgerText("SELECT text " + row), text);  // kept as written
  EXPECT_EQ(BorgerText("SELECT page " + row), "/mit-overblik");
  // Sent again (a double click): stored once. Changed and sent again: a second answer.
  ASSERT_EQ(b.Post("/mit-overblik/din-mening", fields).status, 303);
  EXPECT_EQ(mine(), before + 1);
  auto changed = fields;
  changed["vurdering"] = "5";
  ASSERT_EQ(b.Post("/mit-overblik/din-mening", changed).status, 303);
  EXPECT_EQ(mine(), before + 2);
  // Only a rating, only a text: each is an answer of its own; a page that is not ours is not stored as one.
  ASSERT_EQ(b.Post("/mit-overblik/din-mening", {{"csrf", Browser::Csrf(form)}, {"vurdering", "2"},
                                                {"side", "https://example.org/"}}).status, 303);
  EXPECT_EQ(BorgerText("SELECT page " + row), "/mit-overblik");
  EXPECT_EQ(BorgerText("SELECT coalesce(sus, 'none') " + row), "none");
  ASSERT_EQ(b.Post("/mit-overblik/din-mening", {{"csrf", Browser::Csrf(form)}, {"tekst", "Mere om betalinger."}}).status, 303);
  EXPECT_EQ(mine(), before + 4);
  auto thanks = b.Get("/mit-overblik/din-mening?tak=1");
  ASSERT_TRUE(IsPage(thanks, 200));
  EXPECT_NE(thanks.body.find("Tak"), std::string::npos);
  EXPECT_EQ(thanks.body.find("name=\"vurdering\""), std::string::npos);
  // The researcher's export has it, as observed, and nobody else's page shows it.
  auto csv = client_->Send("GET", "/admin/feedback.csv?origin=observed", "", Admin());
  ASSERT_EQ(csv.status, 200);
  EXPECT_NE(csv.body.find("Mere om betalinger."), std::string::npos);
}

TEST_F(BorgerPages, AFeedbackFormWithProblemsComesBackWithAnErrorSummaryAndStoresNothing) {
  Browser b(*client_);
  b.LogIn(first_);
  auto form = b.Get("/mit-overblik/din-mening");
  ASSERT_TRUE(IsPage(form, 200));
  const std::string csrf = Browser::Csrf(form);
  const auto stored = [&] { return BorgerInt("SELECT count(*) FROM feedback"); };
  const int64_t before = stored();
  std::string long_text;
  for (int i = 0; i < 2001; ++i) long_text += "ø";
  auto partial = FeedbackFields(csrf, FormId(form), "x");
  partial.erase("sus3");
  partial.erase("sus7");
  struct Bad {
    std::map<std::string, std::string> form;
    std::string says, focus;
  };
  const std::vector<Bad> bad = {
      {{{"csrf", csrf}}, "Giv en vurdering, svar på udsagnene, eller skriv en kommentar.", "#vurdering-1"},
      {{{"csrf", csrf}, {"tekst", " \r\n\t "}}, "Giv en vurdering, svar på udsagnene, eller skriv en kommentar.", "#vurdering-1"},
      {{{"csrf", csrf}, {"vurdering", "6"}}, "Vælg en af de fem svarmuligheder.", "#vurdering-1"},
      {{{"csrf", csrf}, {"vurdering", "fire"}, {"tekst", "x"}}, "Vælg en af de fem svarmuligheder.", "#vurdering-1"},
      {partial, "Udsagn 3 mangler et svar.", "#sus3-1"},
      {{{"csrf", csrf}, {"tekst", long_text}}, "Teksten er 2001 tegn", "#tekst"},
  };
  for (const auto& c : bad) {
    auto r = b.Post("/mit-overblik/din-mening", c.form);
    ASSERT_TRUE(IsPage(r, 422)) << c.says;
    EXPECT_NE(r.body.find("data-error-summary"), std::string::npos);
    EXPECT_NE(r.body.find(web::Escape(c.says)), std::string::npos) << c.says << "\n" << r.body.substr(0, 3000);
    EXPECT_NE(r.body.find("href=\"" + c.focus + "\""), std::string::npos) << c.focus;
  }
  // What was answered is kept: the partial form comes back with its other answers checked.
  auto again = b.Post("/mit-overblik/din-mening", partial);
  EXPECT_NE(again.body.find("id=\"sus1-4\" name=\"sus1\" value=\"4\" checked"), std::string::npos) << again.body.substr(0, 200);
  EXPECT_EQ(stored(), before);
  // Hostile text is shown escaped when the form comes back.
  auto hostile = b.Post("/mit-overblik/din-mening",
                        {{"csrf", csrf}, {"vurdering", "9"}, {"tekst", "</textarea><script>alert(1)</script>"}});
  ASSERT_TRUE(IsPage(hostile, 422));
  EXPECT_TRUE(Lacks(hostile, "<script>alert(1)"));
  // No CSRF token, someone else's, JSON instead of a form, text that is not UTF-8, too big: refused.
  EXPECT_TRUE(IsPage(b.Post("/mit-overblik/din-mening", {{"vurdering", "4"}}), 403));
  Browser other(*client_);
  other.LogIn(second_);
  EXPECT_TRUE(IsPage(b.Post("/mit-overblik/din-mening", {{"csrf", Browser::Csrf(other.Get("/mit-overblik"))},
                                                         {"vurdering", "4"}}), 403));
  EXPECT_TRUE(IsPage(b.PostRaw("/mit-overblik/din-mening", "{\"vurdering\":4}", "application/json"), 403));
  EXPECT_TRUE(IsPage(b.PostRaw("/mit-overblik/din-mening", "csrf=" + csrf + "&vurdering=4&tekst=%FF%FE"), 400));
  EXPECT_EQ(b.PostRaw("/mit-overblik/din-mening", "csrf=" + csrf + "&tekst=" + std::string(20000, 'x')).status, 413);
  EXPECT_EQ(stored(), before);
  // Without a session: to the login, nothing stored.
  Browser anonymous(*client_);
  auto bounced = anonymous.Post("/mit-overblik/din-mening", {{"vurdering", "4"}});
  ASSERT_EQ(bounced.status, 303);
  EXPECT_EQ(bounced.Header("Location").rfind("/log-ind", 0), 0u);
  EXPECT_EQ(stored(), before);
  // The service is still up and the form still works.
  EXPECT_EQ(b.Post("/mit-overblik/din-mening", {{"csrf", csrf}, {"vurdering", "3"}}).status, 303);
  EXPECT_EQ(stored(), before + 1);
}

TEST_F(BorgerPages, TooMuchFeedbackFromOneSessionIsHeldBackWithRetryAfter) {
  Browser b(*client_);
  b.LogIn(first_);
  const std::string csrf = Browser::Csrf(b.Get("/mit-overblik/din-mening"));
  net::ClientResponse last;
  for (int i = 0; i < 30 && last.status != 429; ++i)
    last = b.Post("/mit-overblik/din-mening", {{"csrf", csrf}, {"vurdering", "3"}, {"tekst", "svar " + std::to_string(i)}});
  ASSERT_TRUE(IsPage(last, 429));
  EXPECT_FALSE(last.Header("Retry-After").empty());
  EXPECT_NE(last.body.find("Vent " + last.Header("Retry-After") + " sekunder"), std::string::npos);
  EXPECT_NE(last.body.find(">svar "), std::string::npos);  // the text is kept for later
}

}  // namespace
}  // namespace adda::testing
