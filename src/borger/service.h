// The mock borger.dk: login (mock NemID/MitID), a citizen's own cases and benefits
// explained in plain Danish, contributions forwarded to the owning municipality,
// export, shares with a consent receipt, acting for one's children or under a power of
// attorney, the hash-chained access log, and feedback. All case data comes from the
// KOMBIT mock over HTTP (KombitGateway). See docs/borger.md.
#pragma once

#include <atomic>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "borger/change_feed.h"
#include "borger/gateway.h"
#include "borger/page_views.h"
#include "borger/sessions.h"
#include "core/explain.h"
#include "core/kle.h"
#include "core/lru_cache.h"
#include "core/rate_limit.h"
#include "net/service.h"
#include "store/borger_store.h"

namespace adda::borger {

// The largest request body borger.dk takes: its largest real one is feedback (2,000
// characters of text and an 8 KB context), about 21 KB at worst. Kept at or under the
// server's gate size (32 KB, src/net/server.cc), so every body borger.dk accepts is
// whole before a worker takes the request, and a slowly sent body holds no worker.
constexpr size_t kMaxBody = 32 << 10;

struct BorgerOptions {
  std::string db_path;
  GatewayOptions kombit;
  std::string session_secret;
  std::string admin_token;
  std::string test_password = "test";     // the mock IdP's password for every test user
  int session_minutes = 30;
  int max_login_failures = 5;             // per CPR within the window, then locked
  int max_client_login_failures = 50;     // per client address within the window, then locked
  int feedback_per_session = 20;          // observed answers per session within feedback_window_s
  int feedback_window_s = 600;
  int login_window_s = 900;
  std::optional<Date> today;              // default: KOMBIT's clock
  std::ostream* log = nullptr;
  bool forward_in_background = true;      // the contribution outbox thread
  // The municipalities' integration keys (from KOMBIT's credentials file): each opens the
  // municipal citizen preview for its own municipality.
  std::map<int, std::string> municipality_tokens;
  // Follow KOMBIT's change feed and show an overview explained earlier while no change
  // to the citizen has arrived (see ChangeFeed); off: every overview asks KOMBIT.
  bool follow_changes = true;
  // Holds every answer to /openapi.json and keeps what does not match (tests; serve
  // --check-answers): see net::ServiceOptions::check_answers.
  bool check_answers = false;
  // The pages' cookies carry Secure (set when borger.dk is served over TLS, e.g. behind
  // a terminating proxy): a browser then sends them over https only.
  bool secure_cookies = false;
  // Every stamp (sessions, the access log, contributions, shares, feedback) and expiry
  // reads it, and so do the gateway's breaker and cache and the change feed's liveness.
  const Clock* clock = &SystemClock();
};

// Whose data a request reads, and in what capacity.
struct Subject {
  std::string cpr;         // whose data
  std::string actor;       // who reads (a CPR, or "share:<id>")
  std::string actor_kind;  // citizen | parent | proxy | share
  std::string purpose;
  std::optional<std::vector<std::string>> areas;  // a proxy's KLE main groups
  std::optional<std::string> share_id;
};

class BorgerService : public net::HttpService {
 public:
  explicit BorgerService(BorgerOptions options);
  ~BorgerService() override;

  struct Conn {
    Conn(const std::string& path, const Clock& clock);
    store::Db db;
    store::BorgerStore store;
  };
  Conn& conn();
  KombitGateway& gateway() { return gateway_; }
  Date today();
  // Forwards due contributions once (the outbox thread calls this every second).
  int ForwardDue();

 protected:
  void Authorize(net::Request& req, const net::Route& route) override;
  nlohmann::json SecuritySchemes() const override;
  nlohmann::json SecurityFor(net::Access access) const override;
  bool Serves(net::Access a) const override { return a != net::Access::kSystem; }
  nlohmann::json HealthDetails() override;
  // Feedback takes an Idempotency-Key (a contribution is made safe to retry by its own id).
  // A page's errors, and a browser's unknown path, as pages (page_routes.cc).
  net::Response ErrorAnswer(const net::Request& req, const net::Route* route, const net::HttpError& error) override;
  bool HonoursIdempotencyKey(const net::Route& r) const override {
    return r.method == "POST" && r.pattern == "/v1/feedback";
  }

 private:
  void AddRoutes();  // the table (routes.cc)
  // Handlers, in the table's order (idp_routes.cc, citizen_routes.cc,
  // contribution_routes.cc, share_routes.cc, feedback_routes.cc, preview_routes.cc).
  net::Response TestUsers(net::Request& req);
  net::Response Login(net::Request& req);
  net::Response Logout(net::Request& req);
  net::Response Me(net::Request& req);
  net::Response MyOverview(net::Request& req);
  net::Response CaseItem(net::Request& req);
  net::Response BenefitItem(net::Request& req);
  net::Response Export(net::Request& req);
  net::Response AccessLogPage(net::Request& req);
  net::Response Contribute(net::Request& req);
  net::Response MyContributions(net::Request& req);
  net::Response CreateShare(net::Request& req);
  net::Response MyShares(net::Request& req);
  net::Response EndShare(net::Request& req);
  net::Response GiveProxy(net::Request& req);
  net::Response MyProxies(net::Request& req);
  net::Response EndProxy(net::Request& req);
  net::Response TakeFeedback(net::Request& req);
  net::Response FeedbackCsv(net::Request& req);
  net::Response Stats(net::Request& req);
  net::Response Preview(net::Request& req);
  // The citizen's pages (page_routes.cc): the same handlers' answers, as HTML.
  net::Response HomePage(net::Request& req);
  net::Response LoginPage(net::Request& req);
  net::Response LoginSubmit(net::Request& req);
  net::Response LogoutSubmit(net::Request& req);
  net::Response OverviewHtml(net::Request& req);
  net::Response CasePage(net::Request& req);
  net::Response BenefitPage(net::Request& req);
  net::Response AccessLogHtml(net::Request& req);
  net::Response DownloadPage(net::Request& req);
  net::Response AccessibilityPage(net::Request& req);
  net::Response ContributionFormPage(net::Request& req);
  net::Response ContributionSubmit(net::Request& req);
  net::Response ContributionsHtml(net::Request& req);
  // The contribution form for the path's item (404 when it is not the subject's own).
  views::ContributionFormView ContributionFormFor(net::Request& req);
  // fixtures/explanations.json's "contributions": kinds, fields, statuses.
  const nlohmann::json& ContributionTexts();
  net::Response FeedbackPage(net::Request& req);
  net::Response FeedbackSubmit(net::Request& req);
  // fixtures/explanations.json's "feedback": the question, SUS statements and scales.
  const nlohmann::json& FeedbackTexts();
  net::Response StaticFile(net::Request& req);
  // The login page with `view`'s error or notice, the test users and a CSRF cookie.
  net::Response LoginAnswer(const net::Request& req, int status, views::LoginView view);
  // A page in the frame, for the request's citizen (name, log-out form, whose data).
  net::Response PageFor(const net::Request& req, const std::string& title, const std::string& main,
                        const nlohmann::json* model = nullptr, const std::string& back = "");
  // The pages' session: the cookie's token checked like a bearer token, and each POST's
  // CSRF token (bound to the session; the login form's is a double-submitted cookie).
  void AuthorizePage(net::Request& req, const net::Route& route);
  std::string CsrfFor(const std::string& session_id) const;
  // A citizen's principal from a session token (signature, row, expiry, assurance), or
  // the HttpError a bad one answers.
  net::Principal SessionPrincipal(const std::string& token);
  // The logged-in citizen of a public page, when the cookie holds a good session.
  std::optional<net::Principal> CookiePrincipal(const net::Request& req);
  // Login (the JSON route and the page's form): the throttle, the check, the session.
  net::Response LoginWith(const net::Request& req, const std::string& cpr_text, const std::string& password);
  // Stores one feedback answer, once per Idempotency-Key of its caller (a retry replays).
  net::Response StoreFeedbackOnce(const net::Request& req, store::FeedbackRow f, bool runner);
  net::Response ItemPage(net::Request& req, const std::string& kind, const std::string& what);
  net::Response StartSession(const std::string& cpr, const std::string& name);
  net::Response SharedOverview(net::Request& req);
  net::Response SharedCase(net::Request& req);
  net::Response SharedBenefit(net::Request& req);
  net::Response SharedItem(net::Request& req, const std::string& kind);
  store::ShareRow OpenShare(const net::Request& req);
  static Subject ShareSubject(const store::ShareRow& s);

  Subject ResolveSubject(const net::Request& req);
  // The session row, read through a cache of rows (borger.dk is the only writer of its
  // sessions): a logout revokes in the database and then puts the revoked row in the
  // cache, and a concurrent read never overwrites it. Null when there is no such session.
  std::shared_ptr<const store::SessionRow> FindSession(const std::string& id);
  void RevokeSession(const std::string& id);
  void LogAccess(const Subject& s, const net::Request& req, const std::string& what,
                 const std::optional<std::string>& item_kind = std::nullopt,
                 const std::optional<std::string>& item_id = std::nullopt,
                 std::optional<int> municipality = std::nullopt);
  // Before reading the access_log table: waits until it holds every entry appended so
  // far (the writer moves them from its journal within milliseconds); 503 if it cannot.
  void SettleAccessLog();
  // The subject's explained items (cases and grants), filtered to a proxy's areas.
  struct Overview {
    std::vector<nlohmann::json> items;
    bool stale = false;
    std::string fetched_at;
  };
  Overview LoadOverview(const Subject& s, Depth depth = Depth::kSummary) {
    return ExplainOverview(s, FetchOverview(s), depth);
  }
  Fetched FetchOverview(const Subject& s) { return gateway_.OverviewOf(s.cpr); }  // 200 (maybe stale), or 502/503 thrown
  Overview ExplainOverview(const Subject& s, const Fetched& r, Depth depth);
  // The overview page's items: explained, sorted, linked and serialised once per KOMBIT
  // answer, and remembered per subject (the CPR and a proxy's areas, so one subject's
  // page never serves another's). Two ways to reuse one:
  //  - UnchangedOverview: KOMBIT's change feed is live and has brought no change to the
  //    citizen since the page was fetched, so KOMBIT is not asked at all;
  //  - ExplainedOverview: KOMBIT was asked and answered the same bytes on the same day,
  //    so the answer is not parsed and explained again.
  struct OverviewPage {
    std::string kombit_body;  // the answer these items were explained from
    std::string fetched_at;   // when KOMBIT gave it
    ChangeFeed::Stamp stamp;  // the feed's position taken before it was asked
    Date today;
    size_t names = 0;         // municipality names known when explained
    std::string items_json;   // a JSON array of the explained items, each with its href
    int items = 0;
    int open = 0;
  };
  std::shared_ptr<const OverviewPage> UnchangedOverview(const Subject& s);  // null when not vouched for
  std::shared_ptr<const OverviewPage> ExplainedOverview(const Subject& s, const Fetched& r, ChangeFeed::Stamp stamp);
  nlohmann::json LoadItem(const Subject& s, const std::string& kind, int municipality, const std::string& id);
  ExplainContext Context();
  nlohmann::json StaleNotice(const std::string& fetched_at) const;
  // The overview's notices, in this order: the data is stale, there are no items, the
  // reader acts on someone else's behalf (that person's name from KOMBIT).
  nlohmann::json OverviewNotices(const Subject& s, bool stale, const std::string& fetched_at, int items);
  // The overview's body, written around `page`'s serialised items.
  static std::string OverviewJson(const Subject& s, const OverviewPage& page, const std::string& fetched_at,
                                  bool stale, const nlohmann::json& notices);

  BorgerOptions options_;
  KombitGateway gateway_;
  SessionSigner signer_;
  std::unique_ptr<store::AccessLogWriter> access_;
  KleCatalogue kle_;
  std::unique_ptr<ChangeFeed> feed_;  // null when not following
  LruCache<store::SessionRow> sessions_{16384};
  LruCache<OverviewPage> overview_pages_{1024};  // about 6 KB each
  RateLimiter feedback_limit_;                   // observed feedback per session
  std::mutex names_mu_;
  std::map<int, std::string> municipality_names_;
  std::optional<Date> today_;
  std::atomic<bool> stop_{false};
  std::thread outbox_;
  std::mutex outbox_mu_;
  std::condition_variable outbox_cv_;
};

}  // namespace adda::borger
