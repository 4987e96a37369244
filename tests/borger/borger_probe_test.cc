// What an outside security probe of borger.dk found (issue 20), each as a regression test
// over real HTTP against a real KOMBIT: credentials never logged, existence never shown in
// any gateway state, the preview refusing what is not a CPR, CSV exports neutralised,
// observed feedback only from sessions, client-chosen ids scoped to their caller, no
// caching of personal answers, adda's own request ids in the access log, and login
// throttled per client as well as per CPR.
#include <regex>
#include <set>

#include "borger_env.h"
#include "common/http_testing.h"

namespace adda::testing {
namespace {

using Json = nlohmann::json;

class BorgerProbe : public BorgerEnv {
 protected:
  // Two adults with cases of their own: A and B.
  std::pair<std::string, std::string> TwoCitizens() const {
    const std::string a = CitizenWithCases(1);
    const std::string b = KombitText("SELECT cpr FROM cases WHERE cpr <> '" + a + "' ORDER BY cpr LIMIT 1");
    return {a, b};
  }
  // One of `cpr`'s cases as {municipality, id}.
  std::pair<int, std::string> CaseOf(const std::string& cpr) const {
    const std::string row = KombitText("SELECT municipality || ' ' || id FROM cases WHERE cpr = '" + cpr + "' ORDER BY id LIMIT 1");
    const size_t sp = row.find(' ');
    return {std::stoi(row.substr(0, sp)), row.substr(sp + 1)};
  }
  static std::string CasePath(const std::pair<int, std::string>& c) {
    return "/v1/cases/" + std::to_string(c.first) + "/" + c.second;
  }
  // An error answer without what differs between any two requests (the request id).
  static Json Comparable(const net::ClientResponse& r) {
    Json j = Json::parse(r.body);
    if (j.contains("error")) j["error"].erase("request_id");
    j.erase("request_id");
    return j;
  }
};

// 1. A share link's token is a credential: the request log shows the route and a short
//    tag, never the token (on a matched route or on a wrong path).
TEST_F(BorgerProbe, ShareTokensNeverReachTheRequestLog) {
  StopBorger();
  log_borger_ = true;
  StartBorger();
  const auto [a, b] = TwoCitizens();
  auto h = Login(a);
  auto share = client_->PostJson("/v1/shares", {{"recipient", "Min søn"}, {"purpose", "hjælp"}, {"scope", "all"}, {"expires_days", 1}}, h);
  ASSERT_EQ(share.status, 201) << share.body;
  const std::string token = share.Json()["token"];
  ASSERT_GE(token.size(), 20u);
  ASSERT_EQ(client_->Get("/v1/shared/" + token).status, 200);
  const auto c = CaseOf(a);
  client_->Get("/v1/shared/" + token + "/cases/" + std::to_string(c.first) + "/" + c.second);
  client_->Get("/v1/shared/" + token + "/no/such/route");
  client_->Get("/v1/nowhere/" + token);
  const std::string log = BorgerLog();
  EXPECT_NE(log.find("\"route\":\"/v1/shared/{token}\""), std::string::npos) << log;
  EXPECT_EQ(log.find(token), std::string::npos) << "the share token is in the request log";
  EXPECT_NE(log.find("/v1/shared/{token:"), std::string::npos) << "a tag tells requests with one link apart";
  // Item ids are no credentials: a case read is still traceable by its path.
  EXPECT_NE(log.find("/cases/" + std::to_string(c.first) + "/" + c.second), std::string::npos);
}

// 2. Someone else's item answers exactly like a missing one in every state of the gateway:
//    while KOMBIT answers, while it is down (B's item is in borger's stale cache), and while
//    the breaker is open.
TEST_F(BorgerProbe, SomeoneElsesItemAnswersLikeAMissingOneDuringAnOutage) {
  const auto [a, b] = TwoCitizens();
  const auto ha = Login(a), hb = Login(b);
  const auto bcase = CaseOf(b);
  const std::string missing = "/v1/cases/" + std::to_string(bcase.first) + "/no-such-case-0001";
  ASSERT_EQ(client_->Get(CasePath(bcase), hb).status, 200);  // B reads it: now in the cache
  {
    const auto other = client_->Get(CasePath(bcase), ha), none = client_->Get(missing, ha);
    EXPECT_EQ(other.status, 404);
    EXPECT_EQ(Comparable(other), Comparable(none));
  }
  StopKombit();
  // KOMBIT down, then (after five failures) the breaker open. The gateway's state may change
  // between two requests, so B's item must answer like a missing one asked just before or
  // just after it.
  for (int round = 0; round < 8; ++round) {
    const auto before = client_->Get(missing, ha);
    const auto other = client_->Get(CasePath(bcase), ha);
    const auto after = client_->Get(missing, ha);
    EXPECT_EQ(other.status, 503) << other.body;
    EXPECT_TRUE(Comparable(other) == Comparable(before) || Comparable(other) == Comparable(after))
        << "round " << round << ": " << other.body << "\n vs " << before.body << "\n or " << after.body;
  }
  // B still gets their own item, stale and marked so.
  const auto own = client_->Get(CasePath(bcase), hb);
  ASSERT_EQ(own.status, 200) << own.body;
  EXPECT_EQ(own.Json()["stale"], true);
  EXPECT_NE(Json::parse(client_->Get("/admin/stats", Admin()).body)["kombit_breaker"], "closed");
}

// 3. The municipal preview refuses ten digits that are no CPR number with a 400 naming the
//    problem, and logs nothing for a CPR number nobody in the register has.
TEST_F(BorgerProbe, PreviewRefusesWhatIsNotACprAndLogsNoOne) {
  const auto [a, b] = TwoCitizens();
  const int m = CaseOf(a).first;
  for (const char* bad : {"0000000000", "3213991234", "0113991234"}) {
    const auto r = client_->Get(std::string("/v1/preview/") + bad, Municipality(m));
    EXPECT_TRUE(IsError(r, 400, "request.bad_cpr")) << bad << ": " << r.status << " " << r.body;
  }
  const int64_t before = BorgerInt("SELECT count(*) FROM access_log");
  const auto nobody = client_->Get("/v1/preview/0101011234", Municipality(m));
  EXPECT_TRUE(IsError(nobody, 404, "citizen.not_found")) << nobody.status << " " << nobody.body;
  EXPECT_EQ(BorgerInt("SELECT count(*) FROM access_log"), before) << "an access-log entry for nobody";
  EXPECT_EQ(BorgerInt("SELECT count(*) FROM access_log WHERE citizen = '0101011234'"), 0);
  ASSERT_EQ(client_->Get("/v1/preview/" + a, Municipality(m)).status, 200);
  EXPECT_EQ(BorgerInt("SELECT count(*) FROM access_log"), before + 1);
}

// 4. Citizen-written text that a spreadsheet would run as a formula is neutralised in the
//    researchers' CSV.
TEST_F(BorgerProbe, FeedbackCsvNeutralisesFormulas) {
  const auto h = Login(CitizenWithCases(1));
  const std::vector<std::string> hostile = {"=HYPERLINK(\"http://evil.example\",\"Klik\")", "+1+1", "-2+3",
                                            "@SUM(A1:A2)", "\t=1", "\r=1"};
  for (const auto& t : hostile)
    ASSERT_EQ(client_->PostJson("/v1/feedback", {{"origin", "observed"}, {"rating", 3}, {"text", t}}, h).status, 201) << t;
  const auto csv = client_->Get("/admin/feedback.csv", Admin());
  ASSERT_EQ(csv.status, 200);
  for (const auto& t : hostile) {
    std::string quoted = "\"'";
    for (char c : t) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
    EXPECT_NE(csv.body.find("," + quoted + "\","), std::string::npos) << "not neutralised: " << t << "\n" << csv.body;
  }
  // No cell starts with a trigger: every line is split on the commas outside quotes.
  for (const auto& t : hostile) EXPECT_EQ(csv.body.find("," + t), std::string::npos) << t;
}

// 5. Observed feedback only from a citizen's session (limited per session), simulated only
//    with the runner's credential; anonymous answers are refused.
TEST_F(BorgerProbe, ObservedFeedbackNeedsASessionAndIsLimited) {
  const Json observed{{"origin", "observed"}, {"rating", 2}};
  const Json simulated{{"origin", "simulated"}, {"rating", 2}};
  EXPECT_TRUE(IsError(client_->PostJson("/v1/feedback", observed), 401, "auth.missing"));
  EXPECT_TRUE(IsError(client_->PostJson("/v1/feedback", simulated), 401, "auth.missing"));
  EXPECT_TRUE(IsError(client_->PostJson("/v1/feedback", observed, Admin()), 403, "feedback.observed_needs_session"));
  const auto h = Login(CitizenWithCases(1));
  EXPECT_TRUE(IsError(client_->PostJson("/v1/feedback", simulated, h), 403, "feedback.simulated_needs_runner"));
  EXPECT_EQ(BorgerInt("SELECT count(*) FROM feedback"), 0);
  // A burst from one session: 20 taken, then 429 with Retry-After; another session is not held up.
  int created = 0, limited = 0;
  std::string retry_after;
  for (int i = 0; i < 30; ++i) {
    const auto r = client_->PostJson("/v1/feedback", observed, h);
    if (r.status == 201) ++created;
    if (r.status == 429) {
      ++limited;
      retry_after = r.Header("Retry-After");
      EXPECT_EQ(r.Json()["error"]["code"], "feedback.too_many");
    }
  }
  EXPECT_EQ(created, 20);
  EXPECT_EQ(limited, 10);
  EXPECT_FALSE(retry_after.empty());
  EXPECT_GT(std::stoi(retry_after), 0);
  EXPECT_EQ(client_->PostJson("/v1/feedback", observed, Login(CitizenWithCases(1))).status, 201);
  // The runner is the pilot's own load: many simulated answers are all taken.
  for (int i = 0; i < 30; ++i) ASSERT_EQ(client_->PostJson("/v1/feedback", simulated, Admin()).status, 201);
  EXPECT_EQ(BorgerInt("SELECT count(*) FROM feedback WHERE origin = 'observed' AND citizen IS NULL"), 0);
}

// 6. Client-chosen ids are the caller's own: an Idempotency-Key or a contribution id used by
//    one citizen neither blocks nor confirms anything for another.
TEST_F(BorgerProbe, ClientChosenIdsAreScopedToTheCaller) {
  const auto [a, b] = TwoCitizens();
  const auto ha = Login(a), hb = Login(b);
  auto keyed = [](net::Headers h) {
    h["Idempotency-Key"] = "shared-key-1";
    return h;
  };
  ASSERT_EQ(client_->PostJson("/v1/feedback", {{"origin", "observed"}, {"rating", 5}}, keyed(ha)).status, 201);
  const auto theirs = client_->PostJson("/v1/feedback", {{"origin", "observed"}, {"rating", 1}}, keyed(hb));
  EXPECT_EQ(theirs.status, 201) << "another caller's key refused B's feedback: " << theirs.body;
  EXPECT_EQ(client_->PostJson("/v1/feedback", {{"origin", "observed"}, {"rating", 1}}, keyed(hb)).status, 200);
  EXPECT_EQ(client_->PostJson("/v1/feedback", {{"origin", "simulated"}, {"rating", 4}}, keyed(Admin())).status, 201);
  EXPECT_EQ(BorgerInt("SELECT count(*) FROM feedback"), 3);

  const auto ca = CaseOf(a), cb = CaseOf(b);
  auto contribution = [](const std::pair<int, std::string>& c, const std::string& text) {
    return Json{{"id", "my-note-1"}, {"municipality", c.first}, {"item_kind", "case"}, {"item_id", c.second},
                {"kind", "note"}, {"text", text}};
  };
  const auto first = client_->PostJson("/v1/contributions", contribution(ca, "A skriver"), ha);
  ASSERT_EQ(first.status, 201) << first.body;
  EXPECT_EQ(first.Json()["client_id"], "my-note-1");
  EXPECT_NE(first.Json()["id"], "my-note-1") << "borger.dk chooses the id it stores and forwards";
  const auto second = client_->PostJson("/v1/contributions", contribution(cb, "B skriver"), hb);
  EXPECT_EQ(second.status, 201) << "B's own id answered as if it were taken: " << second.body;
  // Each citizen's resend is still recognised; a different text under one's own id is a conflict.
  EXPECT_EQ(client_->PostJson("/v1/contributions", contribution(ca, "A skriver"), ha).status, 200);
  EXPECT_TRUE(IsError(client_->PostJson("/v1/contributions", contribution(ca, "A ændrer"), ha), 409, "contribution.id_conflict"));
  EXPECT_EQ(BorgerInt("SELECT count(*) FROM contributions WHERE client_id = 'my-note-1'"), 2);
  borger_->ForwardDue();
  EXPECT_EQ(KombitInt("SELECT count(*) FROM contributions WHERE text IN ('A skriver', 'B skriver')"), 2);
}

// 9. Answers with a citizen's data, or a credential, are never kept by a cache.
TEST_F(BorgerProbe, PersonalAnswersAreNotStored) {
  const std::string a = CitizenWithCases(1);
  const auto login = client_->PostJson("/idp/login", {{"cpr", a}, {"password", "test"}});
  ASSERT_EQ(login.status, 201);
  EXPECT_EQ(login.Header("Cache-Control"), "no-store");
  const net::Headers h{{"Authorization", "Bearer " + login.Json()["token"].get<std::string>()}};
  for (const char* path : {"/v1/me", "/v1/overview", "/v1/access-log", "/v1/export?format=csv", "/v1/contributions"}) {
    const auto r = client_->Get(path, h);
    EXPECT_EQ(r.status, 200) << path;
    EXPECT_EQ(r.Header("Cache-Control"), "no-store") << path;
  }
  EXPECT_EQ(client_->Get(CasePath(CaseOf(a)), h).Header("Cache-Control"), "no-store");
  EXPECT_EQ(client_->Get("/v1/overview").Header("Cache-Control"), "no-store") << "errors too";
  auto share = client_->PostJson("/v1/shares", {{"recipient", "X"}, {"purpose", "y"}, {"scope", "all"}, {"expires_days", 1}}, h);
  ASSERT_EQ(share.status, 201);
  EXPECT_EQ(share.Header("Cache-Control"), "no-store");
  EXPECT_EQ(client_->Get(share.Json()["link"].get<std::string>()).Header("Cache-Control"), "no-store");
  EXPECT_EQ(client_->Get("/admin/feedback.csv", Admin()).Header("Cache-Control"), "no-store");
}

// 10. The access log is tamper-evident: it records adda's own request id, never a string the
//     caller chose; the caller's id stays in the request log, bounded and sanitised.
TEST_F(BorgerProbe, TheAccessLogHoldsAddasOwnRequestIds) {
  StopBorger();
  log_borger_ = true;
  StartBorger();
  const std::string a = CitizenWithCases(1);
  net::Headers h = Login(a);
  const int64_t before = BorgerInt("SELECT coalesce(max(seq), 0) FROM access_log");
  h["X-Request-Id"] = "attacker-chosen-id-1";
  const auto r = client_->Get("/v1/overview", h);
  ASSERT_EQ(r.status, 200);
  const std::string ours = r.Header("X-Request-Id");
  EXPECT_NE(ours, "attacker-chosen-id-1");
  EXPECT_EQ(BorgerInt("SELECT count(*) FROM access_log WHERE request_id = 'attacker-chosen-id-1'"), 0);
  EXPECT_EQ(BorgerInt("SELECT count(*) FROM access_log WHERE seq > " + std::to_string(before) + " AND request_id = '" + ours + "'"), 1);
  h["X-Request-Id"] = std::string(300, 'x') + "<script>";
  ASSERT_EQ(client_->Get("/v1/overview", h).status, 200);
  const std::string log = BorgerLog();
  EXPECT_NE(log.find("\"client_request_id\":\"attacker-chosen-id-1\""), std::string::npos) << log;
  EXPECT_NE(log.find("\"client_request_id\":\"" + std::string(64, 'x') + "\""), std::string::npos);
  EXPECT_EQ(log.find("<script>"), std::string::npos);
}

// 13. Failed logins are throttled per client as well as per CPR: a client guessing across
//     many CPR numbers (one failure each) is stopped too.
TEST_F(BorgerProbe, LoginIsThrottledPerClientAsWellAsPerCpr) {
  StopBorger();
  max_client_login_failures_ = 12;
  StartBorger();
  for (int i = 0; i < 12; ++i) {
    char cpr[11];
    std::snprintf(cpr, sizeof cpr, "%02d0190%04d", 1 + i, 1000 + i);  // twelve CPRs, one failure each
    EXPECT_EQ(client_->PostJson("/idp/login", {{"cpr", cpr}, {"password", "guess"}}).status, 401) << cpr;
  }
  const auto locked = client_->PostJson("/idp/login", {{"cpr", CitizenWithCases(1)}, {"password", "test"}});
  EXPECT_TRUE(IsError(locked, 429, "login.throttled")) << locked.status << " " << locked.body;
  EXPECT_FALSE(locked.Header("Retry-After").empty());
  EXPECT_EQ(BorgerInt("SELECT count(*) FROM login_failures WHERE subject = 'client:127.0.0.1' AND locked_until > 0"), 1);
}

}  // namespace
}  // namespace adda::testing
