// The KOMBIT mock's main flows over real HTTP: index queries, a municipality's writes
// and what borger.dk then sees, idempotency, versions, the log, contributions, faults.
#include <set>
#include <thread>

#include "kombit_env.h"

namespace adda::testing {
namespace {

TEST_F(KombitEnv, HealthMetricsAndOpenApiArePublic) {
  auto h = client_->Get("/health");
  ASSERT_EQ(h.status, 200);
  EXPECT_EQ(h.Json()["status"], "ok");
  EXPECT_GT(h.Json()["citizens"].get<int>(), 1000);
  auto o = client_->Get("/openapi.json");
  ASSERT_EQ(o.status, 200);
  EXPECT_EQ(o.Json()["openapi"], "3.0.3");
  auto m = client_->Get("/metrics");
  ASSERT_EQ(m.status, 200);
  EXPECT_NE(m.body.find("adda_http_requests_total{service=\"kombit\",method=\"GET\",route=\"/health\",status=\"200\"} 1"),
            std::string::npos)
      << m.body;
  EXPECT_NE(m.body.find("adda_http_request_duration_seconds_bucket"), std::string::npos);
}

TEST_F(KombitEnv, CitizenCaseListIsNewestFirstAndPaged) {
  const std::string cpr = QueryText("SELECT cpr FROM cases GROUP BY cpr ORDER BY count(*) DESC, cpr LIMIT 1");
  const int64_t n = QueryInt("SELECT count(*) FROM cases WHERE cpr = '" + cpr + "'");
  ASSERT_GE(n, 2);
  auto all = client_->Get("/v1/citizens/" + cpr + "/cases?limit=500", Sys());
  ASSERT_EQ(all.status, 200) << all.body;
  auto items = all.Json()["items"];
  ASSERT_EQ(static_cast<int64_t>(items.size()), n);
  for (size_t i = 1; i < items.size(); ++i)
    EXPECT_GE(items[i - 1]["status_history"][0]["from"].get<std::string>(),
              items[i]["status_history"][0]["from"].get<std::string>());
  for (const auto& c : items) {
    EXPECT_FALSE(c.contains("caseworker")) << "the index never shows the caseworker";
    EXPECT_EQ(c["primary_party"], "urn:oio:cpr-nr:" + cpr);
    EXPECT_TRUE(c.contains("municipality"));
    EXPECT_TRUE(c.contains("deliverer"));
  }
  auto first = client_->Get("/v1/citizens/" + cpr + "/cases?limit=1", Sys()).Json();
  EXPECT_EQ(first["items"].size(), 1u);
  EXPECT_EQ(first["next_offset"], 1);
  EXPECT_EQ(first["items"][0], items[0]);
  auto second = client_->Get("/v1/citizens/" + cpr + "/cases?limit=1&offset=1", Sys()).Json();
  EXPECT_EQ(second["items"][0], items[1]);
}

TEST_F(KombitEnv, DocumentsShowOnlyWhereTheMunicipalityAllows) {
  // Favrskov (710) does not show document titles; the others do.
  const std::string favrskov = QueryText("SELECT cpr FROM cases WHERE municipality = 710 AND documents <> '[]' LIMIT 1");
  const std::string aarhus = QueryText("SELECT cpr FROM cases WHERE municipality = 751 AND documents <> '[]' LIMIT 1");
  ASSERT_FALSE(favrskov.empty());
  ASSERT_FALSE(aarhus.empty());
  const auto hidden = client_->Get("/v1/citizens/" + favrskov + "/cases?municipality=710", Sys()).Json();
  for (const auto& c : hidden["items"]) EXPECT_FALSE(c.contains("documents"));
  bool any = false;
  const auto shown = client_->Get("/v1/citizens/" + aarhus + "/cases?municipality=751", Sys()).Json();
  for (const auto& c : shown["items"]) any = any || (c.contains("documents") && !c["documents"].empty());
  EXPECT_TRUE(any);
  // The owner always sees its documents and caseworker.
  const std::string id = QueryText("SELECT id FROM cases WHERE municipality = 710 AND documents <> '[]' LIMIT 1");
  auto own = client_->Get("/v1/municipalities/710/cases/" + id, Muni(710)).Json();
  EXPECT_FALSE(own["documents"].empty());
  EXPECT_TRUE(own.contains("caseworker"));
}

TEST_F(KombitEnv, GrantsCarryBenefitsAndPaymentsPastAndPlanned) {
  const std::string cpr = QueryText("SELECT cpr FROM grants LIMIT 1");
  auto r = client_->Get("/v1/citizens/" + cpr + "/grants", Sys());
  ASSERT_EQ(r.status, 200);
  const auto g = r.Json()["items"][0];
  EXPECT_FALSE(g["benefits"].empty());
  EXPECT_TRUE(g.contains("payments"));
  EXPECT_TRUE(g.contains("deliverer"));
  auto one = client_->Get("/v1/grants/" + std::to_string(g["municipality"].get<int>()) + "/" + g["id"].get<std::string>(), Sys());
  ASSERT_EQ(one.status, 200);
  EXPECT_EQ(one.Json(), g);
}

TEST_F(KombitEnv, MunicipalityWriteIsVisibleToTheIndexWithVersionsAndLog) {
  const std::string cpr = QueryText("SELECT cpr FROM citizens WHERE municipality = 751 LIMIT 1");
  const std::string id = "11111111-2222-4333-8444-555555555555";
  auto body = NewCase(751, id, cpr, "TEST-0001");
  auto created = client_->PutJson("/v1/municipalities/751/cases/" + id, body, With(Muni(751), "If-None-Match", "*"));
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(created.Header("ETag"), "\"1\"");
  EXPECT_EQ(created.Json()["version"], 1);

  auto seen = client_->Get("/v1/cases/751/" + id, Sys());
  ASSERT_EQ(seen.status, 200);
  EXPECT_EQ(seen.Json()["title"], "Hjælp til bolig");

  // Append a status change with the right version.
  auto moved = client_->PostJson("/v1/municipalities/751/cases/" + id + "/status",
                                 {{"status", "Oplyst"}, {"from", "2018-11-20"}, {"local_status", "Under behandling"}},
                                 With(Muni(751), "If-Match", "\"1\""));
  ASSERT_EQ(moved.status, 200) << moved.body;
  EXPECT_EQ(moved.Json()["version"], 2);
  auto after = client_->Get("/v1/cases/751/" + id, Sys()).Json();
  ASSERT_EQ(after["status_history"].size(), 2u);
  EXPECT_EQ(after["status_history"][0]["to"], "2018-11-20");
  EXPECT_EQ(after["local_status"], "Under behandling");

  // A stale version is refused and nothing changes.
  body["title"] = "Ændret titel";
  auto stale = client_->PutJson("/v1/municipalities/751/cases/" + id, body, With(Muni(751), "If-Match", "\"1\""));
  EXPECT_EQ(stale.status, 412);
  EXPECT_EQ(stale.Json()["error"]["code"], "version.mismatch");
  EXPECT_EQ(client_->Get("/v1/cases/751/" + id, Sys()).Json()["title"], "Hjælp til bolig");

  // A backwards move is a lifecycle violation with its rule id.
  auto back = client_->PostJson("/v1/municipalities/751/cases/" + id + "/status",
                                {{"status", "Opstaaet"}, {"from", "2018-11-25"}}, Muni(751));
  EXPECT_EQ(back.status, 422) << back.body;

  auto log = client_->Get("/v1/municipalities/751/log", Muni(751)).Json()["items"];
  ASSERT_GE(log.size(), 4u);
  EXPECT_EQ(log[0]["status"], 201);
  EXPECT_EQ(log[2]["status"], 412);
  EXPECT_EQ(log[3]["status"], 422);
  EXPECT_FALSE(log[3]["errors"].empty());
  // Another municipality's log does not show it.
  EXPECT_TRUE(client_->Get("/v1/municipalities/561/log", Muni(561)).Json()["items"].empty());
}

TEST_F(KombitEnv, TheChangeFeedNamesTheCitizenOfEveryWriteToACaseOrGrant) {
  // Without `after` the feed starts now: nothing from the generated load.
  auto start = client_->Get("/v1/changes", Sys());
  ASSERT_EQ(start.status, 200) << start.body;
  EXPECT_TRUE(start.Json()["items"].empty());
  const int64_t from = start.Json()["last_seq"];
  const std::string feed = start.Json()["feed"];
  EXPECT_EQ(feed.rfind("feed-", 0), 0u);

  const std::string a = QueryText("SELECT cpr FROM citizens WHERE municipality = 751 ORDER BY cpr LIMIT 1");
  const std::string b = QueryText("SELECT cpr FROM citizens WHERE municipality = 751 ORDER BY cpr LIMIT 1 OFFSET 1");
  const std::string id = "feed-case-1";
  auto body = NewCase(751, id, a, "FEED-0001");
  ASSERT_EQ(client_->PutJson("/v1/municipalities/751/cases/" + id, body, With(Muni(751), "If-None-Match", "*")).status, 201);
  // The case moves to another primary party: both citizens' data changed.
  body["primary_party"] = "urn:oio:cpr-nr:" + b;
  auto moved = client_->PutJson("/v1/municipalities/751/cases/" + id, body, With(Muni(751), "If-Match", "\"1\""));
  ASSERT_EQ(moved.status, 200) << moved.body;
  // A grant written by direct SQL is in the feed too: the triggers see every path.
  const std::string grant = QueryText("SELECT id FROM grants WHERE municipality = 561 ORDER BY id LIMIT 1");
  const std::string grant_cpr = QueryText("SELECT cpr FROM grants WHERE municipality = 561 AND id = '" + grant + "'");
  {
    store::Db db(db_path_, store::OpenMode::kReadWrite);
    db.Exec("UPDATE grants SET version = version WHERE municipality = 561 AND id = '" + grant + "'");
  }

  auto r = client_->Get("/v1/changes?after=" + std::to_string(from), Sys());
  ASSERT_EQ(r.status, 200) << r.body;
  const auto items = r.Json()["items"];
  std::vector<std::string> seen;
  for (const auto& i : items) seen.push_back(i["item_kind"].get<std::string>() + ":" + i["cpr"].get<std::string>());
  EXPECT_EQ(seen, (std::vector<std::string>{"case:" + a, "case:" + a, "case:" + b, "grant:" + grant_cpr}));
  EXPECT_EQ(items[0]["item_id"], id);
  EXPECT_EQ(items[0]["municipality"], 751);
  EXPECT_EQ(r.Json()["next_after"], items.back()["seq"]);
  EXPECT_EQ(r.Json()["last_seq"], items.back()["seq"]);
  EXPECT_EQ(r.Json()["feed"], feed);
  // Paged by limit, oldest first.
  auto first = client_->Get("/v1/changes?limit=1&after=" + std::to_string(from), Sys()).Json();
  ASSERT_EQ(first["items"].size(), 1u);
  EXPECT_EQ(first["next_after"], items[0]["seq"]);

  // A long poll with nothing new waits about wait_ms, then answers empty.
  const auto t0 = std::chrono::steady_clock::now();
  auto idle = client_->Get("/v1/changes?wait_ms=300&after=" + r.Json()["last_seq"].dump(), Sys());
  const auto waited = std::chrono::steady_clock::now() - t0;
  EXPECT_EQ(idle.status, 200);
  EXPECT_TRUE(idle.Json()["items"].empty());
  EXPECT_GE(waited, std::chrono::milliseconds(250));
  EXPECT_LT(waited, std::chrono::milliseconds(2000));

  // Bad parameters are a 400 naming the parameter; only the system key reads the feed.
  for (const char* bad : {"after=-1", "after=x", "after=", "after=1e3", "limit=0", "limit=5001", "wait_ms=5001", "wait_ms=-1"}) {
    auto b400 = client_->Get(std::string("/v1/changes?") + bad, Sys());
    EXPECT_EQ(b400.status, 400) << bad;
    EXPECT_EQ(b400.Json()["error"]["code"], "request.bad_query") << bad;
  }
  EXPECT_EQ(client_->Get("/v1/changes", Muni(751)).status, 403);
  EXPECT_EQ(client_->Get("/v1/changes").status, 401);
}

TEST_F(KombitEnv, TheChangeFeedKeepsTheNewestChangesAndTellsAFollowerWhatItCanNoLongerGet) {
  StopServer();
  changes_keep_ = 4;
  prune_every_ = std::chrono::milliseconds(20);
  StartServer();
  const int64_t from = client_->Get("/v1/changes", Sys()).Json()["last_seq"];
  {
    store::Db db(db_path_, store::OpenMode::kReadWrite);
    db.Exec("UPDATE grants SET version = version WHERE rowid IN (SELECT rowid FROM grants ORDER BY rowid LIMIT 10)");
  }
  // Polled: the pruner is the service's own timer thread (every 20 ms here) and tells
  // no one when it has run; only the table shows it.
  const auto t0 = std::chrono::steady_clock::now();
  while (QueryInt("SELECT count(*) FROM changes") > 4 && std::chrono::steady_clock::now() - t0 < std::chrono::seconds(3))
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_EQ(QueryInt("SELECT count(*) FROM changes"), 4);
  EXPECT_EQ(QueryInt("SELECT max(seq) FROM changes"), from + 10) << "the newest are kept";

  // From before what is kept: 410, saying where the kept changes begin and where the
  // feed is now. From there on: the four kept.
  auto gone = client_->Get("/v1/changes?after=" + std::to_string(from), Sys());
  ASSERT_EQ(gone.status, 410) << gone.body;
  const auto e = gone.Json()["error"];
  EXPECT_EQ(e["code"], "changes.pruned");
  EXPECT_EQ(e["oldest_after"], from + 6);
  EXPECT_EQ(e["last_seq"], from + 10);
  EXPECT_EQ(e["feed"], client_->Get("/v1/changes", Sys()).Json()["feed"]);
  auto kept = client_->Get("/v1/changes?after=" + std::to_string(from + 6), Sys());
  ASSERT_EQ(kept.status, 200) << kept.body;
  EXPECT_EQ(kept.Json()["items"].size(), 4u);
  // A follower that is up to date is never told it fell behind.
  EXPECT_EQ(client_->Get("/v1/changes?after=" + std::to_string(from + 10), Sys()).status, 200);
  const auto health = client_->Get("/health").Json()["changes"];
  EXPECT_EQ(health["first_seq"], from + 7);
  EXPECT_EQ(health["keep"], 4);
  EXPECT_EQ(health["pruned"], 6);
}

TEST_F(KombitEnv, EveryViolationComesBackAt422WithRuleIds) {
  const std::string id = "bad-case-1";
  nlohmann::json body = NewCase(751, id, "0101011234", "TEST-0002");
  body["kle"] = {{"subject", "99"}, {"facet", "X"}};
  body["status_history"] = {{{"status", "Oplyst"}, {"from", "2018-11-01"}, {"to", nullptr}}};
  body["primary_party"] = "0101011234";
  body["municipality"] = 561;
  auto r = client_->PutJson("/v1/municipalities/751/cases/" + id, body, Muni(751));
  ASSERT_EQ(r.status, 422) << r.body;
  std::set<std::string> rules;
  const auto answer = r.Json();
  for (const auto& v : answer["error"]["violations"]) rules.insert(v["rule"].get<std::string>());
  for (const char* want : {"kle.subject_format", "kle.facet_format", "status.starts_opstaaet", "party.cpr_urn",
                           "owner.municipality"})
    EXPECT_TRUE(rules.count(want)) << want << " in " << r.body;
  EXPECT_EQ(QueryInt("SELECT count(*) FROM cases WHERE id = 'bad-case-1'"), 0);
}

TEST_F(KombitEnv, WarningsAreReturnedAndKept) {
  const std::string cpr = "0101011234";  // a real-looking CPR: warned in a test environment
  const std::string id = "warned-case";
  auto body = NewCase(751, id, cpr, "TEST-0003");
  body.erase("responsible_unit");
  body["responsible_unit"] = nullptr;
  auto r = client_->PutJson("/v1/municipalities/751/cases/" + id, body, Muni(751));
  ASSERT_EQ(r.status, 201) << r.body;
  std::set<std::string> rules;
  const auto answer = r.Json();
  for (const auto& w : answer["warnings"]) rules.insert(w["rule"].get<std::string>());
  EXPECT_TRUE(rules.count("party.cpr_substitute")) << r.body;
  EXPECT_TRUE(rules.count("unit.set")) << r.body;
  EXPECT_NE(QueryText("SELECT warnings FROM item_warnings WHERE item_id = 'warned-case'").find("party.cpr_substitute"),
            std::string::npos);
}

TEST_F(KombitEnv, IdempotencyKeyReplaysAndRefusesADifferentBody) {
  const std::string cpr = QueryText("SELECT cpr FROM citizens WHERE municipality = 561 LIMIT 1");
  const std::string id = "idem-case";
  auto body = NewCase(561, id, cpr, "TEST-0004");
  auto h = With(Muni(561), "Idempotency-Key", "k-1");
  auto a = client_->PutJson("/v1/municipalities/561/cases/" + id, body, h);
  auto b = client_->PutJson("/v1/municipalities/561/cases/" + id, body, h);
  ASSERT_EQ(a.status, 201);
  ASSERT_EQ(b.status, 201);
  EXPECT_EQ(b.Header("Idempotent-Replayed"), "true");
  EXPECT_EQ(a.body, b.body);
  EXPECT_EQ(b.Header("ETag"), a.Header("ETag")) << "the replay is the first answer, header and all";
  EXPECT_EQ(QueryInt("SELECT version FROM cases WHERE id = 'idem-case'"), 1);
  body["title"] = "Noget andet";
  auto c = client_->PutJson("/v1/municipalities/561/cases/" + id, body, h);
  EXPECT_EQ(c.status, 422);
  EXPECT_EQ(c.Json()["error"]["code"], "idempotency.key_reused");
  // The same key in another municipality is another key.
  auto other = NewCase(630, id, QueryText("SELECT cpr FROM citizens WHERE municipality = 630 LIMIT 1"), "TEST-0004");
  EXPECT_EQ(client_->PutJson("/v1/municipalities/630/cases/" + id, other, With(Muni(630), "Idempotency-Key", "k-1")).status, 201);
}

TEST_F(KombitEnv, BulkLoadAcceptsGoodLinesRejectsBadOnesAndReplays) {
  const std::string cpr = QueryText("SELECT cpr FROM citizens WHERE municipality = 430 LIMIT 1");
  std::string ndjson;
  for (int i = 0; i < 5; ++i)
    ndjson += nlohmann::json{{"kind", "case"},
                             {"record", NewCase(430, "bulk-" + std::to_string(i), cpr, "B-" + std::to_string(i))}}
                  .dump() + "\n";
  ndjson += "{not json\n";
  ndjson += nlohmann::json{{"kind", "case"}, {"record", {{"id", "bulk-bad"}}}}.dump() + "\n";
  auto h = With(Muni(430), "Idempotency-Key", "load-1");
  auto r = client_->Send("POST", "/v1/municipalities/430/bulk", ndjson, h, "application/x-ndjson");
  ASSERT_EQ(r.status, 200) << r.body;
  auto j = r.Json();
  EXPECT_EQ(j["lines"], 7);
  EXPECT_EQ(j["accepted"], 5);
  EXPECT_EQ(j["rejected"], 2);
  EXPECT_EQ(QueryInt("SELECT count(*) FROM cases WHERE id LIKE 'bulk-%'"), 5);
  auto again = client_->Send("POST", "/v1/municipalities/430/bulk", ndjson, h, "application/x-ndjson").Json();
  EXPECT_EQ(again["replayed"], 5);
  EXPECT_EQ(again["accepted"], 0);
  EXPECT_EQ(QueryInt("SELECT max(version) FROM cases WHERE id LIKE 'bulk-%'"), 1);
}

TEST_F(KombitEnv, ContributionsFlowFromCitizenToInboxAndBack) {
  const std::string id = QueryText("SELECT id FROM cases WHERE municipality = 630 LIMIT 1");
  const std::string cpr = QueryText("SELECT cpr FROM cases WHERE id = '" + id + "'");
  nlohmann::json c{{"id", "contrib-1"}, {"municipality", 630}, {"cpr", cpr}, {"item_kind", "case"},
                   {"item_id", id},      {"field", "title"},   {"kind", "correction"}, {"text", "Titlen er forkert."}};
  auto r = client_->PostJson("/v1/contributions", c, Sys());
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(client_->PostJson("/v1/contributions", c, Sys()).status, 200);  // forwarded twice: once stored
  auto inbox = client_->Get("/v1/municipalities/630/contributions?status=received", Muni(630)).Json();
  ASSERT_EQ(inbox["items"].size(), 1u);
  EXPECT_TRUE(client_->Get("/v1/municipalities/561/contributions", Muni(561)).Json()["items"].empty());
  // Another municipality cannot touch it; an illegal move is refused.
  EXPECT_EQ(client_->Send("PATCH", "/v1/municipalities/561/contributions/contrib-1",
                          R"({"status":"rejected","reply":"x"})", Muni(561)).status, 404);
  EXPECT_EQ(client_->Send("PATCH", "/v1/municipalities/630/contributions/contrib-1",
                          R"({"status":"answered"})", Muni(630)).status, 422);
  auto review = client_->Send("PATCH", "/v1/municipalities/630/contributions/contrib-1",
                              R"({"status":"under_review"})", Muni(630));
  ASSERT_EQ(review.status, 200) << review.body;
  auto done = client_->Send("PATCH", "/v1/municipalities/630/contributions/contrib-1",
                            R"({"status":"corrected","reply":"Tak, vi har rettet titlen."})", Muni(630));
  ASSERT_EQ(done.status, 200) << done.body;
  auto seen = client_->Get("/v1/contributions/contrib-1", Sys()).Json();
  EXPECT_EQ(seen["status"], "corrected");
  EXPECT_EQ(seen["reply"], "Tak, vi har rettet titlen.");
  EXPECT_EQ(seen["history"].size(), 3u);
  // A citizen cannot contribute to someone else's item.
  c["id"] = "contrib-2";
  c["cpr"] = QueryText("SELECT cpr FROM citizens WHERE cpr <> '" + cpr + "' LIMIT 1");
  EXPECT_EQ(client_->PostJson("/v1/contributions", c, Sys()).status, 404);
}

TEST_F(KombitEnv, FaultsAddLatencyErrorsAndOutagesAndReset) {
  const std::string cpr = QueryText("SELECT cpr FROM cases LIMIT 1");
  auto add = client_->PostJson("/admin/faults", {{"route", "/v1/citizens/*"}, {"outage", true}}, Admin());
  ASSERT_EQ(add.status, 201) << add.body;
  auto down = client_->Get("/v1/citizens/" + cpr + "/cases", Sys());
  EXPECT_EQ(down.status, 503);
  EXPECT_EQ(down.Json()["error"]["code"], "fault.outage");
  EXPECT_EQ(client_->Get("/health").status, 200) << "basics are never faulted";
  ASSERT_EQ(client_->Send("DELETE", "/admin/faults", "", Admin()).status, 204);
  EXPECT_EQ(client_->Get("/v1/citizens/" + cpr + "/cases", Sys()).status, 200);

  ASSERT_EQ(client_->PostJson("/admin/faults", {{"route", "/v1/citizens/*"}, {"latency", {{"ms", 150}}}}, Admin()).status, 201);
  const auto t0 = std::chrono::steady_clock::now();
  EXPECT_EQ(client_->Get("/v1/citizens/" + cpr + "/cases", Sys()).status, 200);
  EXPECT_GE(std::chrono::steady_clock::now() - t0, std::chrono::milliseconds(140));
  client_->Send("DELETE", "/admin/faults", "", Admin());

  ASSERT_EQ(client_->PostJson("/admin/faults", {{"route", "/v1/*"}, {"error_rate", 1.0}, {"error_status", 502}}, Admin()).status, 201);
  EXPECT_EQ(client_->Get("/v1/citizens/" + cpr + "/cases", Sys()).status, 502);
  auto rules = client_->Get("/admin/faults", Admin()).Json()["rules"];
  ASSERT_EQ(rules.size(), 1u);
  EXPECT_EQ(rules[0]["errored"], 1);
  client_->Send("DELETE", "/admin/faults", "", Admin());

  // A window that has not started yet does nothing; dropped connections are transport errors.
  ASSERT_EQ(client_->PostJson("/admin/faults", {{"route", "/v1/*"}, {"outage", true}, {"window", {{"start_s", 3600}}}}, Admin()).status, 201);
  EXPECT_EQ(client_->Get("/v1/citizens/" + cpr + "/cases", Sys()).status, 200);
  client_->Send("DELETE", "/admin/faults", "", Admin());
  ASSERT_EQ(client_->PostJson("/admin/faults", {{"route", "/v1/*"}, {"drop_rate", 1.0}}, Admin()).status, 201);
  EXPECT_THROW(client_->Get("/v1/citizens/" + cpr + "/cases", Sys()), net::TransportError);
  client_->Send("DELETE", "/admin/faults", "", Admin());
  EXPECT_EQ(client_->Get("/v1/citizens/" + cpr + "/cases", Sys()).status, 200);
}

}  // namespace
}  // namespace adda::testing
