// borger.dk on an injected clock (issue 14): every stamp it stores is the clock's, and
// every expiry — sessions, the login throttle, shares, powers of attorney, the breaker —
// moves when the clock does, not when a test has slept long enough. Real servers on
// ephemeral ports, real HTTP; only borger.dk's clock is manual (BorgerOnManualClock).
#include "borger_env.h"
#include "common/http_testing.h"

namespace adda::testing {
namespace {

using Json = nlohmann::json;

// Without the change feed every overview asks KOMBIT, so its failures reach the breaker
// and the cache at once (a live feed would serve remembered pages for a moment).
class BorgerClockNoFeed : public BorgerOnManualClock {
 protected:
  void SetUp() override {
    follow_changes_ = false;
    BorgerOnManualClock::SetUp();
  }
};

TEST_F(BorgerOnManualClock, ASessionLastsItsMinutesOnTheServicesClock) {
  const std::string cpr = CitizenWithCases(1);
  auto login = client_->PostJson("/idp/login", {{"cpr", cpr}, {"password", "test"}});
  ASSERT_EQ(login.status, 201) << login.body;
  EXPECT_EQ(login.Json()["expires_at"], "2018-12-11T08:30:00.000Z") << login.body;
  const net::Headers h{{"Authorization", "Bearer " + login.Json()["token"].get<std::string>()}};
  EXPECT_EQ(client_->Get("/v1/overview", h).status, 200);  // leaves an access-log entry
  manual_.Advance(30 * 60 * 1000 - 1000);
  EXPECT_EQ(client_->Get("/v1/me", h).status, 200) << "a second before the end";
  manual_.Advance(1000);
  const auto expired = client_->Get("/v1/me", h);
  EXPECT_TRUE(IsError(expired, 401, "session.expired")) << expired.status << " " << expired.body;
  // The row and the access log carry scenario time, not today's.
  const std::string id = login.Json()["session_id"];
  store::Db db(dir_ + "/borger.db", store::OpenMode::kReadOnly);
  EXPECT_EQ(db.QueryText("SELECT created FROM sessions WHERE id = '" + id + "'").value_or(""), "2018-12-11T08:00:00.000Z");
  EXPECT_EQ(BorgerInt("SELECT count(*) FROM access_log WHERE ts NOT LIKE '2018-12-11T08:%'"), 0);
  EXPECT_GT(BorgerInt("SELECT count(*) FROM access_log"), 0);
}

TEST_F(BorgerOnManualClock, ALockedLoginOpensWhenTheWindowHasPassed) {
  const std::string cpr = CitizenWithCases(1);
  for (int i = 0; i < 5; ++i)
    EXPECT_EQ(client_->PostJson("/idp/login", {{"cpr", cpr}, {"password", "nope"}}).status, 401);
  auto locked = client_->PostJson("/idp/login", {{"cpr", cpr}, {"password", "test"}});
  EXPECT_TRUE(IsError(locked, 429, "login.throttled")) << locked.status << " " << locked.body;
  EXPECT_EQ(locked.Header("Retry-After"), "900");
  manual_.Advance(600 * 1000);
  locked = client_->PostJson("/idp/login", {{"cpr", cpr}, {"password", "test"}});
  EXPECT_EQ(locked.status, 429);
  EXPECT_EQ(locked.Header("Retry-After"), "300") << "counts down on the clock";
  manual_.Advance(300 * 1000);
  EXPECT_EQ(client_->PostJson("/idp/login", {{"cpr", cpr}, {"password", "test"}}).status, 201);
}

TEST_F(BorgerOnManualClock, ASharedLinkAndAPowerOfAttorneyEndOnTheirDay) {
  const std::string owner = CitizenWithCases(1);
  const std::string holder = KombitText("SELECT cpr FROM citizens WHERE cpr <> '" + owner +
                                        "' AND birth_date < '1990-01-01' LIMIT 1");
  auto h = Login(owner);
  auto share = client_->PostJson(
      "/v1/shares", {{"recipient", "Min søster"}, {"purpose", "hjælp"}, {"scope", "all"}, {"expires_days", 2}}, h);
  ASSERT_EQ(share.status, 201) << share.body;
  EXPECT_EQ(share.Json()["expires_at"], "2018-12-13T08:00:00.000Z");
  const std::string token = share.Json()["token"];
  auto proxy = client_->PostJson("/v1/proxies", {{"grantee", holder}, {"areas", {"32"}}, {"expires_days", 2}}, h);
  ASSERT_EQ(proxy.status, 201) << proxy.body;
  // A fresh session each day (a session lasts 30 minutes).
  manual_.Advance((2 * 86400 - 1) * 1000LL);
  EXPECT_EQ(client_->Get("/v1/shared/" + token).status, 200) << "the last second of the second day";
  EXPECT_EQ(client_->Get("/v1/overview?on_behalf_of=" + owner, Login(holder)).status, 200);
  manual_.Advance(1000);
  EXPECT_EQ(client_->Get("/v1/shared/" + token).status, 404) << "expired";
  const auto after = client_->Get("/v1/overview?on_behalf_of=" + owner, Login(holder));
  EXPECT_TRUE(IsError(after, 403, "auth.not_on_behalf")) << after.status << " " << after.body;
  // The owner's list shows both ended, by the clock.
  const auto h2 = Login(owner);
  const auto shares = client_->Get("/v1/shares", h2).Json();  // kept: the loop reads into it
  ASSERT_EQ(shares["items"].size(), 1u) << shares.dump();
  for (const auto& s : shares["items"]) EXPECT_FALSE(s["active"].get<bool>()) << s.dump();
}

TEST_F(BorgerClockNoFeed, TheBreakerStaysOpenUntilTheClockSaysSo) {
  const std::string cpr = CitizenWithCases(1);
  auto h = Login(cpr);
  ASSERT_EQ(client_->Get("/v1/overview", h).status, 200);
  StopKombit();
  for (int i = 0; i < 5; ++i) client_->Get("/v1/overview", h);  // five failures in a row open it
  EXPECT_EQ(client_->Get("/health").Json()["kombit_breaker"], "open");
  StartKombit(kombit_port_);
  // KOMBIT is back, but the breaker does not ask it while its open time (300 ms) lasts.
  for (int i = 0; i < 3; ++i) {
    const auto r = client_->Get("/v1/overview", h);
    EXPECT_EQ(r.status, 200);
    EXPECT_TRUE(r.Json()["stale"].get<bool>()) << "served from the cache while open";
  }
  EXPECT_EQ(client_->Get("/health").Json()["kombit_breaker"], "open");
  manual_.Advance(300);
  EXPECT_EQ(client_->Get("/health").Json()["kombit_breaker"], "half_open");
  const auto fresh = client_->Get("/v1/overview", h);
  ASSERT_EQ(fresh.status, 200);
  EXPECT_FALSE(fresh.Json()["stale"].get<bool>()) << "the trial request reached KOMBIT";
  EXPECT_EQ(client_->Get("/health").Json()["kombit_breaker"], "closed");
}

TEST_F(BorgerClockNoFeed, AStaleAnswerIsDatedWhenItWasFetched) {
  const std::string cpr = CitizenWithCases(1);
  auto h = Login(cpr);
  ASSERT_EQ(client_->Get("/v1/overview", h).status, 200);
  manual_.Advance(5 * 60 * 1000);
  StopKombit();
  const auto stale = client_->Get("/v1/overview", h);
  ASSERT_EQ(stale.status, 200) << stale.body;
  ASSERT_TRUE(stale.Json()["stale"].get<bool>());
  EXPECT_EQ(stale.Json()["fetched_at"].get<std::string>().substr(0, 16), "2018-12-11T08:00") << stale.body;
  EXPECT_NE(stale.body.find("som de var 11. december 2018 kl. 08:00"), std::string::npos) << "the notice names the time";
  // Past the cache's age limit (10 minutes) nothing is shown: a clear 503.
  manual_.Advance(6 * 60 * 1000);
  auto gone = client_->Get("/v1/overview", h);
  EXPECT_TRUE(IsError(gone, 503, "kombit.unavailable")) << gone.status << " " << gone.body;
}

}  // namespace
}  // namespace adda::testing
