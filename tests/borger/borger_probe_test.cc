// What an outside security probe of borger.dk found (issue 20), each as a regression test
// over real HTTP against a real KOMBIT: credentials never logged, existence never shown in
// any gateway state, the preview refusing what is not a CPR, CSV exports neutralised,
// observed feedback only from sessions, client-chosen ids scoped to their caller, no
// caching of personal answers, adda's own request ids in the access log, and login
// throttled per client as well as per CPR; ambiguous HTTP framing refused, files for their
// owner only, tokens in one spelling, and the session row's own expiry enforced.
#include <sys/stat.h>

#include <regex>
#include <set>

#include <Poco/String.h>

#include "borger_env.h"
#include "common/http_testing.h"
#include "common/kombit_process.h"

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


// 7. Ambiguous framing — two different Content-Length headers, or Content-Length beside
//    Transfer-Encoding — is a 400 on both services (a smuggling precondition behind a
//    proxy), the connection is closed, and the service answers the next client.
TEST_F(BorgerProbe, AmbiguousFramingIsRefusedByBothServices) {
  const std::string body = R"({"origin":"observed","rating":3})";
  const std::string start = "POST /v1/feedback HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n";
  const std::vector<std::pair<std::string, std::string>> requests = {
      {"two lengths", start + "Content-Length: " + std::to_string(body.size()) + "\r\nContent-Length: 5\r\n\r\n" + body},
      {"length and chunked", start + "Content-Length: " + std::to_string(body.size()) +
                                 "\r\nTransfer-Encoding: chunked\r\n\r\n" + body},
      {"chunked and length", start + "Transfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n1\r\n{\r\n0\r\n\r\n"},
      {"lengths in other case", start + "content-length: 5\r\nCONTENT-LENGTH: 6\r\n\r\n{}{}{}"},
      {"chunked twice", start + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n1\r\n{\r\n0\r\n\r\n"}};
  for (const std::string& url : {bserver_->url(), kserver_->url()}) {
    for (const auto& [what, raw] : requests) {
      const auto r = RawHttp(url, raw);
      EXPECT_TRUE(IsError(r, 400, "request.ambiguous_length")) << url << " " << what << ": " << r.status << " " << r.body;
      EXPECT_EQ(Poco::toLower(r.Header("Connection")), "close") << what;
    }
    EXPECT_EQ(net::Client(url).Get("/health").status, 200) << url;
  }
  // A coding other than a plain "chunked" (gzip under it, or an unknown one) is not
  // taken: 501, as RFC 9112 6.1 has it, and the connection closes.
  for (const std::string& url : {bserver_->url(), kserver_->url()}) {
    for (const char* coding : {"gzip, chunked", "chunked, identity", "x-unknown", "chunked;foo"}) {
      const auto r = RawHttp(url, start + "Transfer-Encoding: " + coding + "\r\n\r\n1\r\n{\r\n0\r\n\r\n");
      EXPECT_TRUE(IsError(r, 501, "request.transfer_coding_unsupported")) << url << " " << coding << ": " << r.status;
      EXPECT_EQ(Poco::toLower(r.Header("Connection")), "close") << coding;
    }
    // Whitespace between a header's name and its colon hides the header from a reader
    // that does not trim it (RFC 9112 5.1 says reject): the length below would be missed.
    for (const char* name : {"Content-Length ", "Content-Length\t", "Transfer-Encoding "}) {
      const auto r = RawHttp(url, start + name + ": 5\r\n\r\nGET /health HTTP/1.1\r\nHost: x\r\n\r\n");
      EXPECT_TRUE(IsError(r, 400, "request.malformed_header")) << url << " '" << name << "': " << r.status;
    }
    const auto plain = RawHttp(url, "GET /health HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: Chunked\r\n\r\n0\r\n\r\n");
    EXPECT_EQ(plain.status, 200) << url << ": a plain chunked coding in any case is taken";
  }
  EXPECT_EQ(BorgerInt("SELECT count(*) FROM feedback"), 0);
  // One Content-Length twice with the same value is not ambiguous (RFC 9110 8.6).
  const auto h = Login(CitizenWithCases(1));
  const auto same = RawHttp(bserver_->url(), start + "Authorization: " + h.at("Authorization") + "\r\nContent-Length: " +
                                                  std::to_string(body.size()) + "\r\nContent-Length: " +
                                                  std::to_string(body.size()) + "\r\n\r\n" + body);
  EXPECT_EQ(same.status, 201) << same.body;
}

// Answers the server gives before the pipeline (framing refused, a body over the limit)
// carry an X-Request-Id and leave a request-log line, like every other answer.
TEST_F(BorgerProbe, EarlyRefusalsAreNamedAndLogged) {
  StopBorger();
  log_borger_ = true;
  StartBorger();
  const std::string start = "POST /v1/feedback HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n";
  const auto big = RawHttp(bserver_->url(), start + "Content-Length: " + std::to_string(borger::kMaxBody + 1) + "\r\n\r\n");
  EXPECT_TRUE(IsError(big, 413, "request.too_large")) << big.status << " " << big.body;
  const auto twice = RawHttp(bserver_->url(), start + "Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}");
  EXPECT_TRUE(IsError(twice, 400, "request.ambiguous_length")) << twice.status;
  for (const auto* r : {&big, &twice}) {
    const std::string id = r->Header("X-Request-Id");
    ASSERT_FALSE(id.empty()) << r->status;
    const std::string log = BorgerLog();
    const size_t at = log.find("\"request_id\":\"" + id + "\"");
    ASSERT_NE(at, std::string::npos) << id << " is not in the request log";
    const std::string line = log.substr(log.rfind('\n', at) + 1, log.find('\n', at) - log.rfind('\n', at) - 1);
    EXPECT_NE(line.find("\"status\":" + std::to_string(r->status)), std::string::npos) << line;
    EXPECT_NE(line.find("\"route\":\"/v1/feedback\""), std::string::npos) << line;
  }
}

// 8. What holds personal data or requests — both databases with their WAL and shared-memory
//    files, borger's access-log journals, a request log — is readable by its owner only.
TEST_F(BorgerProbe, DataAndLogFilesAreForTheirOwnerOnly) {
  const auto h = Login(CitizenWithCases(1));
  ASSERT_EQ(client_->Get("/v1/overview", h).status, 200);  // an access-log entry: journal and table
  ASSERT_EQ(client_->PostJson("/v1/feedback", {{"origin", "observed"}, {"rating", 4}}, h).status, 201);
  BorgerInt("SELECT count(*) FROM access_log");  // waits until the mover has written the table
  auto mode = [](const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 ? static_cast<int>(st.st_mode & 0777) : -1;
  };
  std::vector<std::string> files;
  for (const auto& e : std::filesystem::directory_iterator(dir_))
    if (e.is_regular_file()) files.push_back(e.path().string());
  for (const char* f : {"/borger.db", "/borger.db-wal", "/borger.db-shm", "/borger.db-access.journal.0", "/kombit.db"})
    EXPECT_NE(std::find(files.begin(), files.end(), dir_ + f), files.end()) << f << " is missing";
  for (const auto& f : files) EXPECT_EQ(mode(f) & 077, 0) << f << " has mode " << std::oct << mode(f);

  // `adda serve kombit --log FILE` as a real process: its database files and its log.
  StopBorger();
  StopKombit();
  const std::string proc_dir = dir_ + "/proc";
  std::filesystem::create_directories(proc_dir);
  KombitProcess kombit;
  std::string why;
  ASSERT_TRUE(kombit.StartServe({"kombit", "--db", kombit_db_, "--log", proc_dir + "/kombit.log"}, proc_dir, &why)) << why;
  EXPECT_EQ(net::Client(kombit.url()).Get("/health").status, 200);
  kombit.Stop();
  EXPECT_EQ(mode(proc_dir + "/kombit.log") & 077, 0) << std::oct << mode(proc_dir + "/kombit.log");
  EXPECT_NE(mode(proc_dir + "/kombit.log"), -1);
  EXPECT_EQ(mode(kombit_db_) & 077, 0);
}

// 11. A session token is accepted in its one canonical spelling only: padding, stray bits in
//     a part's last character or characters outside base64url make it a forged token.
//     (Whitespace around the header value is HTTP's, not the token's, and is trimmed.)
TEST_F(BorgerProbe, ATokenIsAcceptedInOneSpellingOnly) {
  const auto h = Login(CitizenWithCases(1));
  const std::string token = h.at("Authorization").substr(7);
  ASSERT_EQ(client_->Get("/v1/me", {{"Authorization", "Bearer " + token}}).status, 200);
  const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  // The same signature bytes with the last character's unused bits set (43 characters carry
  // 256 bits and 2 spare): a lenient decoder reads the same bytes.
  std::string stray = token;
  const size_t v = alphabet.find(stray.back());
  ASSERT_EQ(v % 4, 0u) << "the canonical last character has its spare bits zero";
  stray.back() = alphabet[v + 1];
  const size_t dot = token.find('.');
  for (const std::string& variant : {token + "=", token + "==", stray, token.substr(0, dot) + "=" + token.substr(dot),
                                     token + ".", "=" + token}) {
    const auto r = client_->Get("/v1/me", {{"Authorization", "Bearer " + variant}});
    EXPECT_TRUE(IsError(r, 401, "session.invalid")) << variant << ": " << r.status << " " << r.body;
  }
  EXPECT_EQ(client_->Get("/v1/me", {{"Authorization", "Bearer " + token}}).status, 200);
}

// 12. The session row's own expiry is enforced, not only the token's exp: a token signed
//     with a later exp (as whoever holds the secret could) for a session whose row has
//     expired is refused, also when the row was read while still in force.
TEST_F(BorgerProbe, TheSessionRowsOwnExpiryIsEnforced) {
  const std::string cpr = CitizenWithCases(1);
  const auto login = client_->PostJson("/idp/login", {{"cpr", cpr}, {"password", "test"}});
  ASSERT_EQ(login.status, 201);
  const std::string id = login.Json()["session_id"];
  borger::SessionSigner same("test-secret-0123456789abcdef0123456789abcdef");
  const std::string longer = same.Sign({id, cpr, "substantial", UnixNow() + 86400});
  const net::Headers h{{"Authorization", "Bearer " + longer}};
  ASSERT_EQ(client_->Get("/v1/me", h).status, 200) << "the row is in force and now cached";
  StopBorger();  // the row cache lives in the process; the expiry is written while it is down
  {
    store::Db db(dir_ + "/borger.db", store::OpenMode::kReadWrite);
    db.Exec("UPDATE sessions SET expires = " + std::to_string(UnixNow() - 1) + " WHERE id = '" + id + "'");
  }
  StartBorger();
  const auto r = client_->Get("/v1/me", h);
  EXPECT_TRUE(IsError(r, 401, "session.expired")) << r.status << " " << r.body;
  // A row whose time is up when it is first read: refused, although the token says a day.
  StopBorger();
  session_minutes_ = 0;  // logins from now on give rows that expire at once
  StartBorger();
  const auto third = client_->PostJson("/idp/login", {{"cpr", cpr}, {"password", "test"}});
  ASSERT_EQ(third.status, 201);
  const std::string id3 = third.Json()["session_id"];
  const net::Headers h3{{"Authorization", "Bearer " + same.Sign({id3, cpr, "substantial", UnixNow() + 86400})}};
  EXPECT_TRUE(IsError(client_->Get("/v1/me", h3), 401, "session.expired"));
}

}  // namespace
}  // namespace adda::testing
