// The mock borger.dk's principles over real HTTP against a real KOMBIT mock: only the
// citizen (or someone they chose) sees their data; items are explained; contributions
// are never lost; shares show exactly their scope; acting on behalf is logged; the
// access log's chain holds; KOMBIT trouble degrades to stale data or a clear 503.
#include <atomic>
#include <set>
#include <thread>

#include "borger_env.h"
#include "common/http_testing.h"

namespace adda::testing {
namespace {

TEST_F(BorgerEnv, LoginLogoutAndThrottling) {
  const std::string cpr = CitizenWithCases();
  auto bad = client_->PostJson("/idp/login", {{"cpr", cpr}, {"password", "wrong"}});
  EXPECT_EQ(bad.status, 401);
  EXPECT_EQ(bad.Json()["error"]["code"], "login.failed");
  auto unknown = client_->PostJson("/idp/login", {{"cpr", "0101011234"}, {"password", "test"}});
  EXPECT_EQ(unknown.status, 401) << "an unknown CPR answers like a wrong password";
  auto ok = client_->PostJson("/idp/login", {{"cpr", cpr}, {"password", "test"}});
  ASSERT_EQ(ok.status, 201);
  EXPECT_EQ(ok.Json()["loa"], "substantial");
  net::Headers h{{"Authorization", "Bearer " + ok.Json()["token"].get<std::string>()}};
  EXPECT_EQ(client_->Get("/v1/overview", h).status, 200);
  EXPECT_EQ(client_->Send("POST", "/v1/logout", "", h).status, 204);
  auto after = client_->Get("/v1/overview", h);
  EXPECT_EQ(after.status, 401);
  EXPECT_EQ(after.Json()["error"]["code"], "session.ended");
  // Five wrong passwords lock the CPR for a while, even for the right password.
  const std::string other = KombitText("SELECT cpr FROM citizens WHERE cpr <> '" + cpr + "' LIMIT 1");
  for (int i = 0; i < 5; ++i) client_->PostJson("/idp/login", {{"cpr", other}, {"password", "nope"}});
  auto locked = client_->PostJson("/idp/login", {{"cpr", other}, {"password", "test"}});
  EXPECT_EQ(locked.status, 429);
  EXPECT_FALSE(locked.Header("Retry-After").empty());
}

TEST_F(BorgerEnv, ForgedAndExpiredTokensAreRefused) {
  const std::string cpr = CitizenWithCases();
  auto h = Login(cpr);
  std::string token = h["Authorization"].substr(7);
  std::string forged = token;
  forged[forged.size() - 3] = forged[forged.size() - 3] == 'A' ? 'B' : 'A';
  EXPECT_EQ(client_->Get("/v1/overview", {{"Authorization", "Bearer " + forged}}).Json()["error"]["code"], "session.invalid");
  // A token signed with another key for someone else.
  borger::SessionSigner other("another-secret-0123456789abcdef0123456789");
  const std::string foreign = other.Sign({"x", cpr, "substantial", UnixNow() + 600});
  EXPECT_EQ(client_->Get("/v1/overview", {{"Authorization", "Bearer " + foreign}}).status, 401);
  // An expired token with a valid signature.
  borger::SessionSigner same("test-secret-0123456789abcdef0123456789abcdef");
  const std::string expired = same.Sign({"y", cpr, "substantial", UnixNow() - 5});
  auto r = client_->Get("/v1/overview", {{"Authorization", "Bearer " + expired}});
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.Json()["error"]["code"], "session.expired");
  // A validly signed token for a session that was never issued.
  const std::string invented = same.Sign({"never-issued", cpr, "substantial", UnixNow() + 600});
  EXPECT_EQ(client_->Get("/v1/overview", {{"Authorization", "Bearer " + invented}}).status, 401);
  EXPECT_EQ(client_->Get("/v1/overview").Json()["error"]["code"], "auth.missing");
}

TEST_F(BorgerEnv, OverviewShowsOnlyMyItemsExplained) {
  const std::string cpr = CitizenWithCases(2);
  const int64_t cases = KombitInt("SELECT count(*) FROM cases WHERE cpr = '" + cpr + "'");
  const int64_t grants = KombitInt("SELECT count(*) FROM grants WHERE cpr = '" + cpr + "'");
  auto h = Login(cpr);
  auto r = client_->Get("/v1/overview", h);
  ASSERT_EQ(r.status, 200) << r.body;
  const auto j = r.Json();
  EXPECT_EQ(static_cast<int64_t>(j["items"].size()), cases + grants);
  bool seen_closed = false;
  for (const auto& i : j["items"]) {
    if (!i["open"].get<bool>()) seen_closed = true;
    else EXPECT_FALSE(seen_closed) << "open items come first";
    EXPECT_TRUE(i.contains("deliverer"));
    EXPECT_FALSE(i["deliverer"]["text"].get<std::string>().empty());
    EXPECT_FALSE(i.contains("caseworker"));
    if (i["kind"] == "case") {
      EXPECT_FALSE(i["status"]["label"].get<std::string>().empty());
      EXPECT_FALSE(i["status"]["means"].get<std::string>().empty());
      EXPECT_FALSE(i["status"]["you_can"].get<std::string>().empty());
    }
  }
  // No other citizen's CPR anywhere in my answer.
  for (const auto& c : CprsIn(r.body)) EXPECT_EQ(c, cpr);
}

TEST_F(BorgerEnv, SomeoneElsesItemAnswersLikeAMissingOne) {
  const std::string me = CitizenWithCases(1);
  const std::string theirs = KombitText("SELECT municipality || '/' || id FROM cases WHERE cpr <> '" + me + "' LIMIT 1");
  const std::string mine = KombitText("SELECT municipality || '/' || id FROM cases WHERE cpr = '" + me + "' LIMIT 1");
  auto h = Login(me);
  EXPECT_EQ(client_->Get("/v1/cases/" + mine, h).status, 200);
  auto other = client_->Get("/v1/cases/" + theirs, h);
  auto missing = client_->Get("/v1/cases/751/no-such-case", h);
  EXPECT_EQ(other.status, 404);
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(other.Json()["error"]["code"], missing.Json()["error"]["code"]);
  EXPECT_EQ(client_->Get("/v1/benefits/" + theirs, h).status, 404);
}

TEST_F(BorgerEnv, DataDefectsAreShownToTheCitizen) {
  const std::string missing = KombitText("SELECT c.municipality || '/' || c.id || '/' || c.cpr FROM defects d JOIN cases c "
                                         "ON c.id = d.item_id WHERE d.kind = 'missing_unit' LIMIT 1");
  ASSERT_FALSE(missing.empty());
  const std::string cpr = missing.substr(missing.rfind('/') + 1);
  const std::string path = missing.substr(0, missing.rfind('/'));
  auto h = Login(cpr);
  auto r = client_->Get("/v1/cases/" + path, h);
  ASSERT_EQ(r.status, 200);
  const auto j = r.Json();
  EXPECT_TRUE(j["unit"]["name"].is_null());
  EXPECT_NE(j["unit"]["text"].get<std::string>().find("Kommune"), std::string::npos);
  bool noticed = false;
  for (const auto& n : j["notices"]) noticed = noticed || n["kind"] == "missing_unit";
  EXPECT_TRUE(noticed);
}

TEST_F(BorgerOnManualClock, ContributionIsKeptWhenKombitIsDownAndForwardedLater) {
  const std::string cpr = CitizenWithCases(1);
  const std::string item = KombitText("SELECT municipality || ' ' || id FROM cases WHERE cpr = '" + cpr + "' LIMIT 1");
  const int m = std::stoi(item.substr(0, 3));
  const std::string id = item.substr(4);
  auto h = Login(cpr);
  ASSERT_EQ(client_->Get("/v1/cases/" + std::to_string(m) + "/" + id, h).status, 200);  // warms the cache
  nlohmann::json c{{"municipality", m}, {"item_kind", "case"}, {"item_id", id}, {"field", "title"},
                   {"kind", "correction"}, {"text", "Titlen passer ikke."}, {"id", "my-first-note"}};
  auto first = client_->PostJson("/v1/contributions", c, h);
  ASSERT_EQ(first.status, 201) << first.body;
  EXPECT_EQ(first.Json()["forwarded"], true);
  EXPECT_EQ(first.Json()["status"], "received");

  // A retried submit (the client's same id) replays it; the same id for anything else is a conflict.
  EXPECT_EQ(first.Json()["client_id"], "my-first-note");
  const auto replay = client_->PostJson("/v1/contributions", c, h);
  EXPECT_EQ(replay.status, 200);
  EXPECT_EQ(replay.Json()["id"], first.Json()["id"]);
  for (const auto& [key, value] : std::vector<std::pair<std::string, nlohmann::json>>{
           {"field", "responsible_unit"}, {"kind", "note"}, {"text", "Noget andet."}}) {
    nlohmann::json other = c;
    other[key] = value;
    auto conflict = client_->PostJson("/v1/contributions", other, h);
    EXPECT_EQ(conflict.status, 409) << key << ": " << conflict.body;  // regression: field and kind were not compared
  }
  EXPECT_EQ(BorgerInt("SELECT count(*) FROM contributions"), 1);
  c.erase("id");

  StopKombit();
  c["text"] = "Og enheden mangler.";
  auto second = client_->PostJson("/v1/contributions", c, h);
  ASSERT_EQ(second.status, 201) << second.body;  // the item is known from the cache
  EXPECT_EQ(second.Json()["forwarded"], false);
  EXPECT_EQ(second.Json()["status"], "pending");
  EXPECT_EQ(BorgerInt("SELECT count(*) FROM contributions WHERE forwarded = 0"), 1);

  StartKombit(kombit_port_);
  // The outbox waits out its backoff, and the breaker its open time, on borger's clock.
  EXPECT_EQ(borger_->ForwardDue(), 0) << "not yet due";
  manual_.Advance(301'000);  // past the longest backoff (300 s) and the breaker's 300 ms
  EXPECT_EQ(borger_->ForwardDue(), 1);
  EXPECT_EQ(KombitInt("SELECT count(*) FROM contributions WHERE cpr = '" + cpr + "'"), 2);

  // The municipality answers; the citizen sees the reply.
  net::Headers mh{{"Authorization", "Bearer " + kcreds_.municipalities.at(m)}};
  const std::string kid = second.Json()["id"];
  ASSERT_EQ(kclient_->Send("PATCH", "/v1/municipalities/" + std::to_string(m) + "/contributions/" + kid,
                           R"({"status":"answered","reply":"Tak, vi ser på det."})", mh).status, 200);
  auto mine = client_->Get("/v1/contributions", h).Json();
  bool replied = false;
  for (const auto& x : mine["items"]) replied = replied || (x["id"] == kid && x["reply"] == "Tak, vi ser på det.");
  EXPECT_TRUE(replied) << mine.dump();
}

TEST_F(BorgerEnv, ExportAsJsonAndCsv) {
  const std::string cpr = CitizenWithCases(2);
  auto h = Login(cpr);
  auto j = client_->Get("/v1/export?format=json", h);
  ASSERT_EQ(j.status, 200);
  const auto body = j.Json();
  EXPECT_FALSE(body["items"].empty());
  EXPECT_TRUE(body["items"][0].contains("notices"));
  auto csv = client_->Get("/v1/export?format=csv", h);
  ASSERT_EQ(csv.status, 200);
  EXPECT_EQ(csv.Header("Content-Type").rfind("text/csv", 0), 0u);
  EXPECT_EQ(std::count(csv.body.begin(), csv.body.end(), '\n'), static_cast<long>(body["items"].size()) + 1);
  EXPECT_EQ(client_->Get("/v1/export?format=xml", h).status, 400);
}

TEST_F(BorgerEnv, ShareShowsExactlyItsScopeUntilRevoked) {
  const std::string cpr = CitizenWithCases(2);
  auto h = Login(cpr);
  const auto overview = client_->Get("/v1/overview", h).Json();
  ASSERT_GE(overview["items"].size(), 2u);
  const auto& a = overview["items"][0];
  const auto& b = overview["items"][1];
  auto created = client_->PostJson("/v1/shares",
                                   {{"recipient", "Min søster"}, {"purpose", "hjælp med ansøgning"}, {"expires_days", 7},
                                    {"scope", {{{"kind", a["kind"]}, {"municipality", a["municipality"]}, {"id", a["id"]}}}}},
                                   h);
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string link = created.Json()["link"];
  EXPECT_EQ(created.Json()["receipt"]["given_to"], "Min søster");
  auto seen = client_->Get(link);
  ASSERT_EQ(seen.status, 200) << seen.body;
  ASSERT_EQ(seen.Json()["items"].size(), 1u);
  EXPECT_EQ(seen.Json()["items"][0]["id"], a["id"]);
  const std::string kind_a = a["kind"] == "case" ? "cases" : "benefits";
  const std::string kind_b = b["kind"] == "case" ? "cases" : "benefits";
  EXPECT_EQ(client_->Get(link + "/" + kind_a + "/" + std::to_string(a["municipality"].get<int>()) + "/" + a["id"].get<std::string>()).status, 200);
  EXPECT_EQ(client_->Get(link + "/" + kind_b + "/" + std::to_string(b["municipality"].get<int>()) + "/" + b["id"].get<std::string>()).status, 404)
      << "not one item more than the scope";
  // Revoked: the link stops at once; the access log shows the recipient's reads.
  const std::string id = created.Json()["id"];
  EXPECT_EQ(client_->Send("DELETE", "/v1/shares/" + id, "", h).status, 204);
  EXPECT_EQ(client_->Get(link).status, 404);
  auto log = client_->Get("/v1/access-log", h).Json();
  int share_reads = 0;
  for (const auto& e : log["items"]) share_reads += e["actor_kind"] == "share" ? 1 : 0;
  EXPECT_EQ(share_reads, 2);
  // Someone else cannot revoke or see my shares.
  const std::string other = KombitText("SELECT cpr FROM citizens WHERE cpr <> '" + cpr + "' LIMIT 1");
  auto oh = Login(other);
  EXPECT_EQ(client_->Send("DELETE", "/v1/shares/" + id, "", oh).status, 404);
  EXPECT_TRUE(client_->Get("/v1/shares", oh).Json()["items"].empty());
}

TEST_F(BorgerEnv, ParentSeesMinorChildAndProxyHolderSeesOnlyTheirAreas) {
  const std::string pair = KombitText(
      "SELECT c.mother || ' ' || c.cpr FROM citizens c WHERE c.mother IS NOT NULL AND c.birth_date > '2001-01-01' "
      "AND EXISTS (SELECT 1 FROM citizens p WHERE p.cpr = c.mother) LIMIT 1");
  ASSERT_FALSE(pair.empty());
  const std::string mother = pair.substr(0, 10), child = pair.substr(11);
  auto h = Login(mother);
  auto me = client_->Get("/v1/me", h).Json();
  bool listed = false;
  for (const auto& c : me["children"]) listed = listed || c["cpr"] == child;
  EXPECT_TRUE(listed);
  auto r = client_->Get("/v1/overview?on_behalf_of=" + child, h);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Json()["acting_as"], "parent");
  // The child's access log records the parent's read.
  EXPECT_EQ(BorgerInt("SELECT count(*) FROM access_log WHERE citizen = '" + child + "' AND actor = '" + mother +
                      "' AND actor_kind = 'parent'"), 1);
  // A stranger cannot act for the child.
  const std::string stranger = CitizenWithCases(1);
  auto sh = Login(stranger);
  EXPECT_EQ(client_->Get("/v1/overview?on_behalf_of=" + child, sh).status, 403);

  // A power of attorney over area 32 only.
  auto grantor_h = Login(stranger);
  auto proxy = client_->PostJson("/v1/proxies", {{"grantee", mother}, {"areas", {"32"}}, {"expires_days", 30}}, grantor_h);
  ASSERT_EQ(proxy.status, 201) << proxy.body;
  auto via = client_->Get("/v1/overview?on_behalf_of=" + stranger, h);
  ASSERT_EQ(via.status, 200) << via.body;
  EXPECT_EQ(via.Json()["acting_as"], "proxy");
  const auto via_json = via.Json();  // a range-for over a temporary's member would dangle
  for (const auto& i : via_json["items"]) {
    const std::string code = i["kind"] == "case" ? i["subject"]["code"].get<std::string>() : "32";
    EXPECT_EQ(code.substr(0, 2), "32");
  }
  EXPECT_EQ(client_->Send("DELETE", "/v1/proxies/" + proxy.Json()["id"].get<std::string>(), "", grantor_h).status, 204);
  EXPECT_EQ(client_->Get("/v1/overview?on_behalf_of=" + stranger, h).status, 403);
}

TEST_F(BorgerEnv, AccessLogChainVerifiesAndATamperedRowIsNamed) {
  const std::string cpr = CitizenWithCases(2);
  auto h = Login(cpr);
  for (int i = 0; i < 3; ++i) ASSERT_EQ(client_->Get("/v1/overview", h).status, 200);
  const auto log = client_->Get("/v1/access-log", h).Json();
  ASSERT_EQ(log["items"].size(), 3u);
  EXPECT_EQ(log["items"][0]["what"], "overview");
  EXPECT_EQ(log["items"][0]["actor_kind"], "citizen");
  const std::string db = dir_ + "/borger.db";
  auto run = [&](const std::string& args) {
    FILE* p = popen((std::string(ADDA_BINARY) + " audit verify --db " + db + " " + args).c_str(), "r");
    std::string out;
    char buf[512];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    const int status = pclose(p);
    return std::make_pair(WEXITSTATUS(status), out);
  };
  auto good = run("");
  EXPECT_EQ(good.first, 0) << good.second;
  EXPECT_NE(good.second.find("3 entries, chain intact"), std::string::npos) << good.second;
  {
    store::Db d(db, store::OpenMode::kReadWrite);
    d.Exec("UPDATE access_log SET actor = 'someone else' WHERE seq = 2");
  }
  auto bad = run("");
  EXPECT_EQ(bad.first, 1);
  EXPECT_NE(bad.second.find("BROKEN at entry 2"), std::string::npos) << bad.second;
}

TEST_F(BorgerEnv, FeedbackIsStoredScoredAndExported) {
  const std::string cpr = CitizenWithCases(1);
  auto h = Login(cpr);
  // Simulated answers come with the runner's credential, observed ones from a session.
  auto r = client_->PostJson("/v1/feedback", {{"origin", "simulated"}, {"rating", 4}, {"sus", {5, 1, 5, 1, 5, 1, 5, 1, 5, 1}},
                                              {"text", "Let at finde, \"god\" forklaring"}, {"journey", "see_case"},
                                              {"step", "open_case"}, {"run_id", "run-1"}, {"persona", "erfaren"}}, Admin());
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.Json()["sus_score"], 100.0);
  EXPECT_EQ(client_->PostJson("/v1/feedback", {{"origin", "observed"}, {"sus", {3, 3, 3}}}, h).status, 422);
  EXPECT_EQ(client_->PostJson("/v1/feedback", {{"origin", "guessed"}, {"rating", 3}}, h).status, 422);
  ASSERT_EQ(client_->PostJson("/v1/feedback", {{"origin", "observed"}, {"rating", 2}}, h).status, 201);
  EXPECT_EQ(BorgerInt("SELECT count(*) FROM feedback WHERE origin = 'observed' AND citizen = '" + cpr + "'"), 1);
  auto csv = client_->Get("/admin/feedback.csv?origin=simulated", Admin());
  ASSERT_EQ(csv.status, 200);
  EXPECT_EQ(std::count(csv.body.begin(), csv.body.end(), '\n'), 2);
  EXPECT_NE(csv.body.find("\"Let at finde, \"\"god\"\" forklaring\""), std::string::npos) << csv.body;
  EXPECT_EQ(client_->Get("/admin/feedback.csv", h).status, 403);
}

// A client that lost the answer to a feedback post (a crash between commit and reply)
// retries it under the same Idempotency-Key: stored once, the first answer replayed.
TEST_F(BorgerEnv, FeedbackRetriedWithTheSameIdempotencyKeyIsStoredOnce) {
  const nlohmann::json body{{"origin", "observed"}, {"rating", 4}, {"text", "Fin side"}};
  const net::Headers session = Login(CitizenWithCases(1));
  auto keyed = [&](const std::string& key) {
    net::Headers h = session;
    h["Idempotency-Key"] = key;
    return h;
  };
  auto first = client_->PostJson("/v1/feedback", body, keyed("fb-retry-1"));
  ASSERT_EQ(first.status, 201) << first.body;
  auto again = client_->PostJson("/v1/feedback", body, keyed("fb-retry-1"));
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(again.Header("Idempotent-Replayed"), "true");
  EXPECT_EQ(again.Json(), first.Json());
  EXPECT_EQ(BorgerInt("SELECT count(*) FROM feedback"), 1);
  // The same key with other feedback is refused and stores nothing.
  auto other = client_->PostJson("/v1/feedback", {{"origin", "observed"}, {"rating", 1}}, keyed("fb-retry-1"));
  EXPECT_EQ(other.status, 422) << other.body;
  EXPECT_EQ(other.Json()["error"]["code"], "idempotency.key_reused");
  EXPECT_EQ(client_->PostJson("/v1/feedback", body, keyed(std::string(201, 'k'))).status, 400);
  EXPECT_EQ(BorgerInt("SELECT count(*) FROM feedback"), 1);
  // Without a key every post is new feedback, as before; another key is another answer.
  EXPECT_EQ(client_->PostJson("/v1/feedback", body, session).status, 201);
  EXPECT_EQ(client_->PostJson("/v1/feedback", body, session).status, 201);
  EXPECT_EQ(client_->PostJson("/v1/feedback", body, keyed("fb-retry-2")).status, 201);
  EXPECT_EQ(BorgerInt("SELECT count(*) FROM feedback"), 4);
  // Many retries of one key at once: one row.
  std::vector<std::thread> threads;
  std::atomic<int> created{0}, replayed{0};
  for (int i = 0; i < 8; ++i)
    threads.emplace_back([&] {
      net::Client c(bserver_->url());
      for (int k = 0; k < 5; ++k) {
        const int status = c.PostJson("/v1/feedback", body, keyed("fb-race")).status;
        (status == 201 ? created : replayed) += status == 201 || status == 200 ? 1 : 0;
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(created.load(), 1);
  EXPECT_EQ(replayed.load(), 39);
  EXPECT_EQ(BorgerInt("SELECT count(*) FROM feedback WHERE idempotency_key = 'fb-race'"), 1);
}

// A borger.db from before feedback took an Idempotency-Key is migrated on start and keeps
// its rows.
TEST_F(BorgerEnv, FeedbackFromAVersion1DatabaseSurvivesTheMigration) {
  const net::Headers session = Login(CitizenWithCases(1));
  ASSERT_EQ(client_->PostJson("/v1/feedback", {{"origin", "observed"}, {"rating", 5}}, session).status, 201);
  bserver_->Stop();
  bserver_.reset();
  borger_.reset();
  {
    store::Db db(dir_ + "/borger.db", store::OpenMode::kReadWrite);
    db.Exec("DROP INDEX feedback_by_scoped_key");
    db.Exec("DROP INDEX contributions_by_client_id");
    db.Exec("ALTER TABLE contributions DROP COLUMN client_id");
    db.Exec("ALTER TABLE feedback DROP COLUMN idempotency_scope");
    db.Exec("ALTER TABLE feedback DROP COLUMN request_hash");
    db.Exec("ALTER TABLE feedback DROP COLUMN idempotency_key");
    db.Exec("PRAGMA user_version = 1");
  }
  StartBorger();
  EXPECT_EQ(BorgerInt("PRAGMA user_version"), 3);
  EXPECT_EQ(BorgerInt("SELECT count(*) FROM feedback WHERE rating = 5"), 1);
  net::Headers keyed = Login(CitizenWithCases(1));
  keyed["Idempotency-Key"] = "k";
  EXPECT_EQ(client_->PostJson("/v1/feedback", {{"origin", "observed"}, {"rating", 3}}, keyed).status, 201);
  EXPECT_EQ(client_->PostJson("/v1/feedback", {{"origin", "observed"}, {"rating", 3}}, keyed).status, 200);
  EXPECT_EQ(BorgerInt("SELECT count(*) FROM feedback"), 2);
}

TEST_F(BorgerEnv, KombitTroubleGivesStaleDataOrAClear503AndRecovers) {
  // Without the change feed every overview asks KOMBIT, so KOMBIT's trouble on its
  // overview route shows at once (with the feed, see OverviewFollowsKombitsChangeFeed…).
  StopBorger();
  follow_changes_ = false;
  StartBorger();
  const std::string cpr = CitizenWithCases(1);
  auto h = Login(cpr);
  ASSERT_EQ(client_->Get("/v1/overview", h).status, 200);

  // Answering 500s: the last known overview, marked stale with a notice.
  ASSERT_EQ(kclient_->PostJson("/admin/faults", {{"route", "/v1/citizens/*"}, {"error_rate", 1.0}, {"error_status", 500}}, KAdmin()).status, 201);
  auto stale = client_->Get("/v1/overview", h);
  ASSERT_EQ(stale.status, 200) << stale.body;
  EXPECT_TRUE(stale.Json()["stale"].get<bool>());
  EXPECT_EQ(stale.Json()["notices"][0]["kind"], "stale_data");
  // Someone never seen before gets a clear 503, not someone else's cached data.
  const std::string other = KombitText("SELECT cpr FROM cases WHERE cpr <> '" + cpr + "' LIMIT 1");
  ASSERT_EQ(kclient_->Send("DELETE", "/admin/faults", "", KAdmin()).status, 204);
  auto oh = Login(other);
  ASSERT_EQ(kclient_->PostJson("/admin/faults", {{"route", "/v1/citizens/*/overview"}, {"outage", true}}, KAdmin()).status, 201);
  auto unavailable = client_->Get("/v1/overview", oh);
  EXPECT_EQ(unavailable.status, 503);
  EXPECT_EQ(unavailable.Json()["error"]["code"], "kombit.unavailable");
  ASSERT_EQ(kclient_->Send("DELETE", "/admin/faults", "", KAdmin()).status, 204);

  // Slower than the timeout: bounded, never a hang.
  ASSERT_EQ(kclient_->PostJson("/admin/faults", {{"route", "/v1/citizens/*"}, {"latency", {{"ms", 2000}}}}, KAdmin()).status, 201);
  const auto t0 = std::chrono::steady_clock::now();
  auto slow = client_->Get("/v1/overview", h);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::milliseconds(1500));
  EXPECT_EQ(slow.status, 200);
  EXPECT_TRUE(slow.Json()["stale"].get<bool>());
  ASSERT_EQ(kclient_->Send("DELETE", "/admin/faults", "", KAdmin()).status, 204);

  // KOMBIT stopped entirely, then back: recovery within seconds.
  StopKombit();
  EXPECT_TRUE(client_->Get("/v1/overview", h).Json()["stale"].get<bool>());
  StartKombit(kombit_port_);
  // Polled: borger.dk's breaker recovers on its own timer, and only its answers show it.
  bool fresh = false;
  for (int i = 0; i < 50 && !fresh; ++i) {
    auto r = client_->Get("/v1/overview", h);
    fresh = r.status == 200 && !r.Json()["stale"].get<bool>();
    if (!fresh) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_TRUE(fresh) << "borger recovers when KOMBIT does";
}

// Waits up to `limit` for borger's /health to say the change feed is (or is not) live
// (polled: borger.dk's own thread follows the feed, and tells only /health).
bool FeedLive(net::Client& c, bool want, std::chrono::milliseconds limit = std::chrono::milliseconds(3000)) {
  const auto end = std::chrono::steady_clock::now() + limit;
  for (;;) {
    const bool live = c.Get("/health").Json()["kombit_changes"]["live"].get<bool>();
    if (live == want) return true;
    if (std::chrono::steady_clock::now() > end) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

// The last case among an overview's items; null when there is none.
nlohmann::json LastCase(const nlohmann::json& items) {
  nlohmann::json item;
  for (const auto& i : items)
    if (i["kind"] == "case") item = i;
  return item;
}

// Whether an overview's items show the item `id` with `title`.
bool Shows(const nlohmann::json& items, const nlohmann::json& id, const std::string& title) {
  for (const auto& i : items)
    if (i["id"] == id && i["title"] == title) return true;
  return false;
}

TEST_F(BorgerEnv, OverviewFollowsKombitsChangeFeedAndAsksKombitWhenTheFeedIsDown) {
  const std::string cpr = CitizenWithCases(1);
  auto h = Login(cpr);
  ASSERT_TRUE(FeedLive(*client_, true)) << client_->Get("/health").body;
  auto first = client_->Get("/v1/overview", h);
  ASSERT_EQ(first.status, 200) << first.body;
  const auto first_items = first.Json()["items"];
  const auto item = LastCase(first_items);
  ASSERT_FALSE(item.is_null()) << first.body;

  // KOMBIT's overview route down, the feed live with no news: the page explained before
  // is current, shown without asking KOMBIT, and not marked stale.
  ASSERT_EQ(kclient_->PostJson("/admin/faults", {{"route", "/v1/citizens/*/overview"}, {"outage", true}}, KAdmin()).status, 201);
  auto again = client_->Get("/v1/overview", h);
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_FALSE(again.Json()["stale"].get<bool>());
  EXPECT_EQ(again.Json()["items"], first_items);
  EXPECT_EQ(again.Json()["fetched_at"], first.Json()["fetched_at"]) << "the data is as KOMBIT gave it then";
  ASSERT_EQ(kclient_->Send("DELETE", "/admin/faults", "", KAdmin()).status, 204);

  // The municipality changes the case: the next reads show it within the feed's poll.
  ASSERT_EQ(RetitleCase(item, "Ny titel fra kommunen"), 200);
  // Polled: how soon the change shows is what is measured.
  const auto t0 = std::chrono::steady_clock::now();
  bool shown = false;
  while (!shown && std::chrono::steady_clock::now() - t0 < std::chrono::seconds(3)) {
    shown = Shows(client_->Get("/v1/overview", h).Json()["items"], item["id"], "Ny titel fra kommunen");
    if (!shown) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_TRUE(shown) << "a change at KOMBIT shows on borger.dk";
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::milliseconds(1500));

  // The feed down: nothing is vouched for, every overview asks KOMBIT, and KOMBIT's
  // trouble shows as before (stale, with its notice).
  ASSERT_EQ(kclient_->PostJson("/admin/faults", {{"route", "/v1/changes"}, {"outage", true}}, KAdmin()).status, 201);
  ASSERT_TRUE(FeedLive(*client_, false)) << "a failing feed stops vouching";
  ASSERT_EQ(kclient_->PostJson("/admin/faults", {{"route", "/v1/citizens/*/overview"}, {"outage", true}}, KAdmin()).status, 201);
  auto stale = client_->Get("/v1/overview", h);
  ASSERT_EQ(stale.status, 200) << stale.body;
  EXPECT_TRUE(stale.Json()["stale"].get<bool>());
  EXPECT_EQ(stale.Json()["notices"][0]["kind"], "stale_data");
  ASSERT_EQ(kclient_->Send("DELETE", "/admin/faults", "", KAdmin()).status, 204);
  EXPECT_TRUE(FeedLive(*client_, true)) << "the feed recovers when KOMBIT does";
  EXPECT_FALSE(client_->Get("/v1/overview", h).Json()["stale"].get<bool>());

  // KOMBIT back on another database: the follower starts over, and pages explained
  // before are not vouched for (the first read after asks KOMBIT again).
  StopKombit();
  ASSERT_TRUE(FeedLive(*client_, false));
  EXPECT_TRUE(client_->Get("/v1/overview", h).Json()["stale"].get<bool>()) << "KOMBIT stopped: last known, marked stale";
  {
    store::Db db(kombit_db_, store::OpenMode::kReadWrite);
    db.Exec("UPDATE meta SET value = 'feed-another-database' WHERE key = 'feed_id'");
  }
  StartKombit(kombit_port_);
  ASSERT_TRUE(FeedLive(*client_, true));
  EXPECT_EQ(client_->Get("/health").Json()["kombit_changes"]["cursor"], KombitInt("SELECT coalesce(max(seq), 0) FROM changes"));
  EXPECT_FALSE(client_->Get("/v1/overview", h).Json()["stale"].get<bool>());
}

// KOMBIT keeps only the newest changes. A follower that was away while more than that
// happened cannot know what it missed: KOMBIT says so (410 changes.pruned), the follower
// starts over, and no page remembered before is vouched for — the change it missed
// shows at once.
TEST_F(BorgerEnv, AFollowerBehindWhatKombitStillKeepsStartsOverAndMissesNothing) {
  StopKombit();
  kombit_changes_keep_ = 3;
  kombit_prune_every_ = std::chrono::milliseconds(20);
  StartKombit(kombit_port_);
  ASSERT_TRUE(FeedLive(*client_, true)) << client_->Get("/health").body;
  const std::string cpr = CitizenWithCases(1);
  auto h = Login(cpr);
  auto first = client_->Get("/v1/overview", h);
  ASSERT_EQ(first.status, 200) << first.body;
  const auto item = LastCase(first.Json()["items"]);
  ASSERT_FALSE(item.is_null()) << first.body;

  // The feed away while the municipality changes the case, and then five more changes
  // elsewhere: more than KOMBIT keeps.
  ASSERT_EQ(kclient_->PostJson("/admin/faults", {{"route", "/v1/changes"}, {"outage", true}}, KAdmin()).status, 201);
  ASSERT_TRUE(FeedLive(*client_, false));
  const int64_t cursor = client_->Get("/health").Json()["kombit_changes"]["cursor"];
  const std::string title = "Ændret mens borger.dk ikke lyttede";
  ASSERT_EQ(RetitleCase(item, title), 200);
  {
    store::Db db(kombit_db_, store::OpenMode::kReadWrite);
    db.Exec("UPDATE grants SET version = version WHERE rowid IN (SELECT rowid FROM grants ORDER BY rowid LIMIT 5)");
  }
  // Polled: KOMBIT's pruner runs on its own timer thread and tells no one; only its table shows it.
  const auto t0 = std::chrono::steady_clock::now();
  while (KombitInt("SELECT coalesce(min(seq), 0) FROM changes") <= cursor + 1 &&
         std::chrono::steady_clock::now() - t0 < std::chrono::seconds(3))
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  ASSERT_EQ(KombitInt("SELECT count(*) FROM changes"), 3) << "KOMBIT pruned all but the newest 3";

  // The feed back: told it fell behind, it starts over; the missed change shows.
  ASSERT_EQ(kclient_->Send("DELETE", "/admin/faults", "", KAdmin()).status, 204);
  auto gone = kclient_->Get("/v1/changes?after=" + std::to_string(cursor), KSystem());
  ASSERT_EQ(gone.status, 410) << gone.body;
  EXPECT_EQ(gone.Json()["error"]["code"], "changes.pruned");
  EXPECT_EQ(gone.Json()["error"]["oldest_after"], KombitInt("SELECT min(seq) FROM changes") - 1);
  ASSERT_TRUE(FeedLive(*client_, true));
  EXPECT_EQ(client_->Get("/health").Json()["kombit_changes"]["fell_behind"], 1);
  auto after = client_->Get("/v1/overview", h);
  ASSERT_EQ(after.status, 200) << after.body;
  EXPECT_FALSE(after.Json()["stale"].get<bool>());
  EXPECT_TRUE(Shows(after.Json()["items"], item["id"], title)) << after.body.substr(0, 400);
  const auto health = kclient_->Get("/health").Json()["changes"];
  EXPECT_EQ(health["keep"], 3);
  EXPECT_GE(health["pruned"].get<int64_t>(), 3);
}

TEST_F(BorgerEnv, HealthMetricsAndOpenApi) {
  EXPECT_EQ(client_->Get("/health").Json()["kombit_breaker"], "closed");
  EXPECT_EQ(client_->Get("/openapi.json").Json()["openapi"], "3.0.3");
  EXPECT_NE(client_->Get("/metrics").body.find("adda_http_requests_total{service=\"borger\""), std::string::npos);
}

TEST_F(BorgerEnv, TestUsersPageByOffsetOrByKeyAndBothSeeEveryoneOnce) {
  // Keyset paging (after=CPR) exists so a full-population run can list 300,000 users
  // without OFFSET's quadratic cost; it must return exactly what offset paging does.
  std::vector<std::string> by_offset, by_key;
  for (int64_t offset = 0;;) {
    auto j = client_->Get("/idp/users?municipality=751&limit=7&offset=" + std::to_string(offset), Admin()).Json();
    for (const auto& u : j["items"]) by_offset.push_back(u["cpr"]);
    if (j["next_offset"].is_null()) break;
    offset = j["next_offset"];
  }
  for (std::string after = "0000000000";;) {
    auto r = client_->Get("/idp/users?municipality=751&limit=7&after=" + after, Admin());
    ASSERT_EQ(r.status, 200) << r.body;
    auto j = r.Json();
    for (const auto& u : j["items"]) by_key.push_back(u["cpr"]);
    if (j["next_after"].is_null()) break;
    after = j["next_after"];
  }
  EXPECT_EQ(by_key, by_offset);
  EXPECT_EQ(static_cast<int64_t>(by_key.size()), KombitInt("SELECT count(*) FROM citizens WHERE municipality = 751"));
  for (const char* bad : {"x", "12345", "1234567890'--", "../../etc"}) {
    auto r = client_->Get(std::string("/idp/users?municipality=751&after=") + bad, Admin());
    EXPECT_EQ(r.status, 400) << bad << " " << r.body;
  }
}

TEST_F(BorgerEnv, MunicipalPreviewShowsOnlyItsOwnItemsFlagsConfusionAndIsLogged) {
  const std::string cpr = CitizenWithCases(1);
  const int code = static_cast<int>(KombitInt("SELECT municipality FROM cases WHERE cpr = '" + cpr + "' LIMIT 1"));
  const int other = code == 561 ? 751 : 561;
  auto r = client_->Get("/v1/preview/" + cpr, Municipality(code));
  ASSERT_EQ(r.status, 200) << r.body;
  const auto j = r.Json();
  EXPECT_EQ(j["purpose"], "municipal pre-go-live preview");
  ASSERT_FALSE(j["items"].empty());
  int flagged = 0;
  for (const auto& i : j["items"]) {
    EXPECT_EQ(i["municipality"], code);
    EXPECT_TRUE(i.contains("would_confuse"));
    flagged += !i["would_confuse"].empty();
    // (kind first: a benefit has no "status", and const operator[] on a missing key is
    // undefined behaviour; ThreadSanitizer caught it reading freed memory)
    EXPECT_TRUE(i["kind"] != "case" || i["status"].contains("means")) << i.dump();
  }
  EXPECT_EQ(j["counts"]["flagged"], flagged);
  // Another municipality's key sees none of these items.
  auto o = client_->Get("/v1/preview/" + cpr, Municipality(other)).Json();
  for (const auto& i : o["items"]) EXPECT_EQ(i["municipality"], other);
  // Both reads are in the citizen's access log, as the municipalities', with the purpose.
  EXPECT_EQ(BorgerInt("SELECT count(*) FROM access_log WHERE citizen = '" + cpr +
                      "' AND actor_kind = 'municipality' AND purpose = 'municipal pre-go-live preview'"),
            2);
  const auto log = client_->Get("/v1/access-log", Login(cpr)).Json();
  bool seen = false;
  for (const auto& e : log["items"]) seen = seen || e["actor"] == "municipality:" + std::to_string(code);
  EXPECT_TRUE(seen) << log.dump();
  // Only a municipality's key opens it.
  EXPECT_EQ(client_->Get("/v1/preview/" + cpr).status, 401);
  EXPECT_EQ(client_->Get("/v1/preview/" + cpr, Login(cpr)).status, 403);
  EXPECT_EQ(client_->Get("/v1/preview/" + cpr, Admin()).status, 403);
  EXPECT_EQ(client_->Get("/v1/preview/" + cpr, {{"Authorization", "Bearer " + kcreds_.system}}).status, 403);
  EXPECT_EQ(client_->Get("/v1/preview/12345", Municipality(code)).status, 400);
}

}  // namespace
}  // namespace adda::testing
