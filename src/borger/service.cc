#include "borger/service.h"

#include <unordered_map>

#include "core/cpr.h"
#include "core/fixtures.h"
#include "core/ids.h"
#include "core/policy.h"
#include "store/schema.h"

namespace adda::borger {
namespace {

// A grant's KLE number, for the areas of a power of attorney: its first granted benefit's.
std::string GrantKle(const Grant& g) { return g.benefits.empty() ? "" : g.benefits.front().kle; }

// The service's clock for its parts too.
BorgerOptions WithClock(BorgerOptions o) {
  if (!o.clock) o.clock = &SystemClock();
  o.kombit.clock = o.clock;
  return o;
}

store::Db& WithServicePragmas(store::Db& db, const Clock& clock) {
  db.SetClock(clock);
  store::ApplyServicePragmas(db);
  return db;
}

}  // namespace

BorgerService::Conn::Conn(const std::string& path, const Clock& clock)
    : db(path, store::OpenMode::kReadWrite), store(WithServicePragmas(db, clock)) {}

BorgerService::BorgerService(BorgerOptions options)
    : net::HttpService({"borger", "adda mock borger.dk: a citizen's own cases and benefits", ADDA_VERSION, kMaxBody, 64,
                        options.log, options.clock ? options.clock : &SystemClock(), options.check_answers}),
      options_(WithClock(std::move(options))),
      gateway_(options_.kombit),
      signer_(options_.session_secret),
      feedback_limit_(options_.feedback_per_session, options_.feedback_window_s),
      today_(options_.today) {
  if (options_.follow_changes) {
    ChangeFeedOptions fo;
    fo.kombit = options_.kombit.kombit;
    fo.token = options_.kombit.token;
    fo.clock = options_.clock;
    feed_ = std::make_unique<ChangeFeed>(fo);
  }
  {
    store::Db db(options_.db_path, store::OpenMode::kCreate);
    store::Migrate(db, store::BorgerMigrations());
    store::ApplyServicePragmas(db);
  }
  access_ = std::make_unique<store::AccessLogWriter>(options_.db_path);
  auto kle = KleCatalogue::FromJson(nlohmann::json::parse(EmbeddedFixture("kle")));
  if (!kle.ok()) throw std::runtime_error(kle.status().message());
  kle_ = *kle;
  AddBasicRoutes();
  AddRoutes();
  if (options_.forward_in_background) {
    outbox_ = std::thread([this] {
      std::unique_lock<std::mutex> lock(outbox_mu_);
      while (!stop_) {
        outbox_cv_.wait_for(lock, std::chrono::seconds(1));
        if (stop_) break;
        lock.unlock();
        try {
          ForwardDue();
        } catch (const std::exception& e) {
          Log({{"level", "warn"}, {"event", "outbox.error"}, {"error", e.what()}});
        }
        lock.lock();
      }
    });
  }
}

BorgerService::~BorgerService() {
  stop_ = true;
  outbox_cv_.notify_all();
  if (outbox_.joinable()) outbox_.join();
}

BorgerService::Conn& BorgerService::conn() {
  return net::PerThread<Conn>(id(), [this] { return std::make_unique<Conn>(options_.db_path, clock()); });
}

Date BorgerService::today() {
  {
    std::lock_guard<std::mutex> lock(names_mu_);
    if (today_) return *today_;
  }
  try {
    auto h = gateway_.Get("/health");
    auto j = nlohmann::json::parse(h.body, nullptr, false);
    if (!j.is_discarded() && j.contains("today"))
      if (auto d = Date::Parse(j["today"].get<std::string>())) {
        std::lock_guard<std::mutex> lock(names_mu_);
        today_ = *d;
        return *d;
      }
  } catch (const std::exception&) {
  }
  return GoLiveDate();
}

ExplainContext BorgerService::Context() {
  ExplainContext ctx;
  ctx.explanations = &Explanations::Embedded();
  ctx.kle = &kle_;
  ctx.today = today();
  std::lock_guard<std::mutex> lock(names_mu_);
  if (municipality_names_.empty()) {
    try {
      auto r = gateway_.Get("/v1/municipalities");
      auto j = nlohmann::json::parse(r.body, nullptr, false);
      if (!j.is_discarded())
        for (const auto& m : j.value("items", nlohmann::json::array())) {
          municipality_names_[m["code"].get<int>()] = m["name"].get<std::string>();
        }
    } catch (const std::exception&) {
    }
  }
  ctx.municipality_names = municipality_names_;
  return ctx;
}

nlohmann::json BorgerService::StaleNotice(const std::string& fetched_at) const {
  std::string when = fetched_at;
  if (auto t = Timestamp::Parse(fetched_at)) {
    // "11. december 2018 kl. 10:15" in UTC; the mock does not model time zones.
    const std::string iso = t->ToString();
    when = Date::Parse(iso.substr(0, 10))->ToDanish() + " kl. " + iso.substr(11, 5);
  }
  return {{"kind", "stale_data"}, {"text", Explanations::Embedded().Notice("stale_data", {{"time", when}})}};
}

void BorgerService::Authorize(net::Request& req, const net::Route& route) {
  using net::Access;
  if (route.page) return AuthorizePage(req, route);
  if (route.access == Access::kPublic || route.access == Access::kShare) return;
  const std::string token = net::BearerToken(req);
  if (token.empty()) throw net::HttpError("auth.missing", "log in first: this needs a session (Authorization: Bearer …)");
  // Feedback: observed answers from a citizen's session (checked below like any citizen
  // route), simulated ones with the runner's credential (the admin key it holds).
  if (route.access == Access::kFeedback && net::ConstantTimeEquals(token, options_.admin_token)) {
    req.principal = net::Principal{"runner", std::nullopt, "runner"};
    return;
  }
  if (route.access == Access::kAdmin) {
    if (!net::ConstantTimeEquals(token, options_.admin_token)) throw net::HttpError("auth.forbidden", "this route is for the admin credential");
    req.principal = net::Principal{"admin", std::nullopt, "admin"};
    return;
  }
  if (route.access == Access::kMunicipality) {
    for (const auto& [code, key] : options_.municipality_tokens)
      if (net::ConstantTimeEquals(token, key)) {
        req.principal = net::Principal{"municipality", code, "municipality:" + std::to_string(code)};
        return;
      }
    throw net::HttpError("auth.forbidden", "this route is for a municipality's integration key");
  }
  req.principal = SessionPrincipal(token);
}

net::Principal BorgerService::SessionPrincipal(const std::string& token) {
  auto s = signer_.Verify(token, clock().UnixSeconds());
  if (!s.ok()) throw net::HttpError::From(s.status());
  auto row = FindSession(s->id);
  if (!row || row->cpr != s->cpr) throw net::HttpError("session.invalid", "the session token is not valid");
  if (row->revoked) throw net::HttpError("session.ended", "the session has ended (logged out); log in again");
  // The row's own expiry holds too, not only the token's exp (which whoever holds the
  // signing secret could set to anything).
  if (row->expires <= clock().UnixSeconds()) throw net::HttpError("session.expired", "the session has expired; log in again");
  if (s->loa != "substantial" && s->loa != "high")
    throw net::HttpError("session.assurance", "seeing your own case data needs assurance level Substantial");
  return net::Principal{"citizen", std::nullopt, s->cpr, s->id};
}

std::shared_ptr<const store::SessionRow> BorgerService::FindSession(const std::string& id) {
  if (auto known = sessions_.Find(id)) return known;
  auto row = conn().store.GetSession(id);
  if (!row) return nullptr;
  // If-absent: a logout's revoked row put meanwhile wins over this earlier read.
  return sessions_.PutIfAbsent(id, std::make_shared<const store::SessionRow>(std::move(*row)));
}

void BorgerService::RevokeSession(const std::string& id) {
  const std::string when = clock().NowIso();
  conn().store.RevokeSession(id, when);
  if (auto row = conn().store.GetSession(id)) sessions_.Put(id, std::make_shared<const store::SessionRow>(std::move(*row)));
}

nlohmann::json BorgerService::SecuritySchemes() const {
  return {{"citizen", {{"type", "http"}, {"scheme", "bearer"}, {"bearerFormat", "JWT"},
                       {"description", "a session from POST /idp/login (assurance level Substantial)"}}},
          {"admin", {{"type", "http"}, {"scheme", "bearer"}, {"description", "the researchers' admin key"}}},
          {"municipality", {{"type", "http"}, {"scheme", "bearer"},
                            {"description", "a municipality's integration key (the KOMBIT mock's credentials file)"}}}};
}

nlohmann::json BorgerService::SecurityFor(net::Access access) const {
  if (access == net::Access::kShare) return nlohmann::json::array();
  if (access == net::Access::kFeedback) return nlohmann::json::array({{{"citizen", nlohmann::json::array()}}, {{"admin", nlohmann::json::array()}}});
  return HttpService::SecurityFor(access);
}

nlohmann::json BorgerService::HealthDetails() {
  return {{"kombit_breaker", gateway_.breaker_state()},
          {"access_log_entries_appended", access_->appended()},
          {"access_log_commits", access_->commits()},
          {"access_log_pending", access_->pending()},
          {"access_log_recovered", access_->recovered()},
          {"kombit_failures", gateway_.failures_total()},
          {"stale_answers", gateway_.stale_served()},
          {"kombit_changes", feed_ ? feed_->Health() : nlohmann::json("not followed")}};
}

Subject BorgerService::ResolveSubject(const net::Request& req) {
  const std::string me = req.principal->subject;
  Subject s{me, me, "citizen", "own access", std::nullopt, std::nullopt};
  auto other = req.Query("on_behalf_of");
  if (!other || *other == me) return s;
  auto cpr = Cpr::Parse(*other);
  if (!cpr.ok()) throw net::HttpError("request.bad_cpr", "on_behalf_of must be a CPR number");
  const std::string them = cpr->digits();
  if (them == me) return s;
  // The facts: my children in the CPR register mock, the powers of attorney I hold.
  std::vector<ChildLink> children;
  for (const auto& child : gateway_.CitizenOf(me).children) children.push_back({child.cpr, child.birth_date});
  std::vector<PowerOfAttorney> held;
  for (const auto& p : conn().store.ProxiesHeldBy(me))
    held.push_back({p.id, p.grantor, p.grantee, nlohmann::json::parse(p.areas).get<std::vector<std::string>>(),
                    p.expires, p.revoked.has_value()});
  const Authority a = AuthorityOver(me, them, children, held, today(), clock().UnixSeconds());
  if (a.kind == Authority::Kind::kParent)
    return Subject{them, me, "parent", "acting on behalf of a minor child (custody)", std::nullopt, std::nullopt};
  if (a.kind == Authority::Kind::kProxy)
    return Subject{them, me, "proxy", "acting on behalf under a power of attorney (" + a.proxy_id + ")", a.areas,
                   std::nullopt};
  throw net::HttpError("auth.not_on_behalf", "you may not act on behalf of this person");
}

void BorgerService::LogAccess(const Subject& s, const net::Request& req, const std::string& what,
                              const std::optional<std::string>& item_kind, const std::optional<std::string>& item_id,
                              std::optional<int> municipality) {
  store::AccessEntry e;
  e.ts = clock().NowIso();
  e.citizen = s.cpr;
  e.actor = s.actor;
  e.actor_kind = s.actor_kind;
  e.purpose = s.purpose;
  e.what = what;
  e.item_kind = item_kind;
  e.item_id = item_id;
  e.municipality = municipality;
  e.request_id = req.request_id;
  access_->Append(std::move(e));
}

void BorgerService::SettleAccessLog() {
  if (!access_->Settle())
    throw net::HttpError("access_log.unavailable", "the access log cannot be read right now; try again shortly");
}

BorgerService::Overview BorgerService::ExplainOverview(const Subject& s, const Fetched& r, Depth depth) {
  auto index = DecodeOverview(r.body);
  if (!index.ok()) throw net::HttpError::From(index.status());
  const ExplainContext ctx = Context();
  Overview o;
  o.stale = r.stale;
  o.fetched_at = r.fetched_at;
  for (const auto& [c, documents] : index->cases)
    if (MaySee(s.cpr, c.primary_party, c.kle_subject, s.areas))  // only the primary party sees it
      o.items.push_back(ExplainCase(c, documents, ctx, depth));
  for (const auto& g : index->grants)
    if (MaySee(s.cpr, g.recipient, GrantKle(g), s.areas)) o.items.push_back(ExplainGrant(g, ctx, depth));
  SortForOverview(&o.items);
  return o;
}

namespace {

std::string OverviewKey(const Subject& s) {
  std::string key = s.cpr;
  if (s.areas)
    for (const auto& a : *s.areas) key += "|" + a;
  return key;
}

}  // namespace

std::shared_ptr<const BorgerService::OverviewPage> BorgerService::UnchangedOverview(const Subject& s) {
  if (!feed_) return nullptr;
  auto page = overview_pages_.Find(OverviewKey(s));
  if (!page || !feed_->Unchanged(s.cpr, page->stamp)) return nullptr;
  const ExplainContext ctx = Context();
  if (page->today != ctx.today || page->names != ctx.municipality_names.size()) return nullptr;
  return page;
}

std::shared_ptr<const BorgerService::OverviewPage> BorgerService::ExplainedOverview(const Subject& s, const Fetched& r,
                                                                                    ChangeFeed::Stamp stamp) {
  const std::string key = OverviewKey(s);
  const ExplainContext ctx = Context();
  auto known = overview_pages_.Find(key);
  auto page = std::make_shared<OverviewPage>();
  page->fetched_at = r.fetched_at;
  page->stamp = stamp;
  if (known && known->kombit_body == r.body && known->today == ctx.today && known->names == ctx.municipality_names.size()) {
    page->kombit_body = known->kombit_body;
    page->today = known->today;
    page->names = known->names;
    page->items_json = known->items_json;
    page->items = known->items;
    page->open = known->open;
  } else {
    Overview o = ExplainOverview(s, r, Depth::kSummary);
    page->kombit_body = r.body;
    page->today = ctx.today;
    page->names = ctx.municipality_names.size();
    page->items = static_cast<int>(o.items.size());
    for (auto& i : o.items) {
      page->open += i.value("open", false) ? 1 : 0;
      i["href"] = std::string(i["kind"] == "case" ? "/v1/cases/" : "/v1/benefits/") +
                  std::to_string(i["municipality"].get<int>()) + "/" + i["id"].get<std::string>();
    }
    page->items_json = nlohmann::json(std::move(o.items)).dump();
  }
  // A stale answer is shown but never remembered as if it were current.
  if (!r.stale) overview_pages_.Put(key, page);
  return page;
}

nlohmann::json BorgerService::LoadItem(const Subject& s, const std::string& kind, int municipality, const std::string& id) {
  const auto item = gateway_.ItemOf(kind, municipality, id);
  // Someone else's item answers exactly like a missing one: a 404 while KOMBIT answers,
  // and while it does not, the 503 an item nobody has read gets (a stale copy of another
  // citizen's item must not tell that it exists).
  auto not_found = [&] {
    return item && item->stale ? KombitUnavailable(item->cause)
                               : net::HttpError(kind + ".not_found", "no such item among your data");
  };
  if (!item) throw not_found();
  const ExplainContext ctx = Context();
  nlohmann::json out;
  if (const auto* c = std::get_if<IndexCase>(&item->value)) {
    if (!MaySee(s.cpr, c->value.primary_party, c->value.kle_subject, s.areas)) throw not_found();
    out = ExplainCase(c->value, c->documents_shown, ctx);
  } else {
    const Grant& g = std::get<Grant>(item->value);
    if (!MaySee(s.cpr, g.recipient, GrantKle(g), s.areas)) throw not_found();
    out = ExplainGrant(g, ctx);
  }
  if (item->stale) {
    out["stale"] = true;
    out["notices"].push_back(StaleNotice(item->fetched_at));
  }
  return out;
}

}  // namespace adda::borger
