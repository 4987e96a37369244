// adda push as a municipality meets it: the real binary against a real KOMBIT mock
// (`adda generate --citizens-only`, then `adda serve kombit --port 0` in a child
// process on 127.0.0.1). The clean fixture is accepted, then replayed; every
// fixtures/conformance/<rule>.ndjson fails exactly that rule; a malformed line is bad
// usage naming the line; a service that is down costs a few bounded retries, an outage
// window is ridden out, and nothing is ever written twice.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include "common/cli_testing.h"
#include "common/http_testing.h"
#include "common/kombit_process.h"

namespace {

namespace fs = std::filesystem;
using adda::testing::Adda;
using adda::testing::CliRun;
using adda::testing::ScratchDir;
using json = nlohmann::json;

const std::string kFixtures = std::string(ADDA_SOURCE_DIR) + "/fixtures/conformance";

// The rules that warn (the record is accepted); every other fixture must be rejected.
const std::set<std::string> kWarnings = {
    "party.cpr_substitute", "unit.set",          "deliverer.set",  "kle.subject_known",
    "kle.facet_known",      "title.no_jargon",   "status.stale",   "status.no_gap",
    "grant.period",         "payment.in_period", "payment.settled"};

std::string Read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

int Lines(const std::string& path) {
  const std::string text = Read(path);
  return static_cast<int>(std::count(text.begin(), text.end(), '\n'));
}

// The --json summary of a push.
json Summary(const CliRun& r) {
  auto j = json::parse(r.out, nullptr, false);
  EXPECT_FALSE(j.is_discarded()) << r.out << r.err;
  return j.is_discarded() ? json::object() : j;
}

// A port on 127.0.0.1 nothing listens on (bound, then released).
int FreePort() {
  const int s = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t n = sizeof a;
  ::getsockname(s, reinterpret_cast<sockaddr*>(&a), &n);
  ::close(s);
  return ntohs(a.sin_port);
}

// One HTTP/1.1 request over a plain socket (the admin API, for fault rules); the status.
int HttpStatus(int port, const std::string& method, const std::string& path,
               const std::string& token, const std::string& body) {
  return adda::testing::RawHttp("http://127.0.0.1:" + std::to_string(port),
                                method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " +
                                    token + "\r\nContent-Type: application/json\r\nContent-Length: " +
                                    std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body)
      .status;
}

// Every rule id the validation code can raise has its fixture, so a new rule without
// one fails here.
TEST(PushFixtures, EveryValidationRuleHasAFixture) {
  std::set<std::string> rules;
  const std::regex pushed("push_back\\(\\{\"([a-z_]+\\.[a-z_]+)\"");
  const std::regex constant("kRule[A-Za-z]+ = \"([a-z_]+\\.[a-z_]+)\"");
  for (const char* file : {"src/core/validation.cc", "src/kombit/service.cc"}) {
    const std::string text = Read(std::string(ADDA_SOURCE_DIR) + "/" + file);
    for (std::sregex_iterator i(text.begin(), text.end(), pushed), end; i != end; ++i)
      rules.insert((*i)[1]);
  }
  const std::string lifecycle = Read(std::string(ADDA_SOURCE_DIR) + "/src/core/lifecycle.h");
  for (std::sregex_iterator i(lifecycle.begin(), lifecycle.end(), constant), end; i != end; ++i)
    rules.insert((*i)[1]);
  ASSERT_GE(rules.size(), 30u);
  for (const auto& rule : rules)
    EXPECT_TRUE(fs::exists(kFixtures + "/" + rule + ".ndjson")) << "no fixture for " << rule;
}

// Each rule's file is the clean file with exactly one line changed.
TEST(PushFixtures, EachRuleFileChangesOneLineOfTheCleanFile) {
  auto split = [](const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string l; std::getline(in, l);) lines.push_back(l);
    return lines;
  };
  const auto clean = split(Read(kFixtures + "/clean.ndjson"));
  for (const auto& e : fs::directory_iterator(kFixtures)) {
    if (e.path().extension() != ".ndjson" || e.path().stem() == "clean") continue;
    const auto lines = split(Read(e.path().string()));
    ASSERT_EQ(lines.size(), clean.size()) << e.path();
    int changed = 0;
    for (size_t i = 0; i < lines.size(); ++i) changed += lines[i] != clean[i];
    EXPECT_EQ(changed, 1) << e.path();
  }
}

TEST(PushUsage, BadUsageSaysWhat) {
  const std::string dir = ScratchDir("push-usage-" + std::to_string(::getpid()));
  const std::string url = "http://127.0.0.1:9", creds = dir + "/credentials.json";
  std::ofstream(creds) << R"({"system": "s", "admin": "a", "municipalities": {"751": "m751"}})";
  const std::string clean = kFixtures + "/clean.ndjson";
  struct Case {
    std::string args, expect;
  };
  const Case cases[] = {
      {"--kombit " + url + " --from " + clean, "--municipality"},
      {"--municipality 751 --from " + clean, "--kombit"},
      {"--municipality 751 --kombit " + url, "--from"},
      {"--municipality 751 --kombit " + url + " --from " + dir + "/missing.ndjson",
       "missing.ndjson"},
      {"--municipality 751 --kombit localhost:1 --from " + clean + " --token x", "--kombit"},
      {"--municipality 751 --kombit " + url + " --from " + clean + " --credentials " + dir +
           "/none.json",
       "none.json"},
      {"--municipality 999 --kombit " + url + " --from " + clean + " --credentials " + creds,
       "999"},
  };
  for (const auto& c : cases) {
    auto r = Adda("push " + c.args, dir);
    EXPECT_EQ(r.exit_code, 2) << c.args;
    EXPECT_NE(r.err.find(c.expect), std::string::npos) << c.args << ": " << r.err;
  }
}

TEST(PushDown, KombitDownIsBoundedRetriesThenExit1) {
  const std::string dir = ScratchDir("push-down-" + std::to_string(::getpid()));
  const auto start = std::chrono::steady_clock::now();
  auto r = Adda("push --municipality 751 --kombit http://127.0.0.1:" + std::to_string(FreePort()) +
                    " --from " + kFixtures + "/clean.ndjson --token x --max-attempts 4 --json",
                dir);
  const auto seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_LT(seconds, 10.0);
  auto j = Summary(r);
  EXPECT_EQ(j["failed"], 1);
  EXPECT_EQ(j["retries"], 3);  // four attempts at the first record, then stop
  EXPECT_EQ(j["not_sent"], Lines(kFixtures + "/clean.ndjson") - 1);
  ASSERT_EQ(j["failures"].size(), 1u);
  EXPECT_EQ(j["failures"][0]["attempts"], 4);
}

// A citizens-only KOMBIT database for Aarhus and `adda serve kombit` over it, in a child
// process on an ephemeral port (common/kombit_process.h), stopped when the test ends.
class PushCli : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = ScratchDir(std::string("push-") + info->name() + "-" + std::to_string(::getpid()));
    const std::string pilots = std::string(ADDA_SOURCE_DIR) + "/pilots/municipalities";
    auto gen = Adda("generate --citizens-only --scale 0.002 --municipality 751 --pilots " + pilots +
                        " --out " + dir_ + "/kombit.db",
                    dir_);
    ASSERT_EQ(gen.exit_code, 0) << gen.err;
    std::string why;
    ASSERT_TRUE(kombit_.Start(dir_ + "/kombit.db", dir_, "2018-12-11", &why)) << "adda serve kombit did not start: " << why;
    url_ = kombit_.url();
    port_ = kombit_.port();
    creds_ = dir_ + "/kombit.db.credentials.json";
  }

  void TearDown() override {
    kombit_.Stop();
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  CliRun Push(const std::string& file, const std::string& extra = "") {
    return Adda("push --municipality 751 --kombit " + url_ + " --from " + file + " --credentials " +
                    creds_ + " --json " + extra,
                dir_);
  }

  std::string Token(const std::string& who) const {
    auto j = json::parse(Read(creds_));
    return who == "admin" ? j["admin"].get<std::string>()
                          : j["municipalities"][who].get<std::string>();
  }

  std::string dir_, url_, creds_;
  int port_ = 0;
  adda::testing::KombitProcess kombit_;
};

TEST_F(PushCli, CleanIsAcceptedThenReplayed) {
  const std::string clean = kFixtures + "/clean.ndjson";
  const int n = Lines(clean);
  auto first = Push(clean);
  ASSERT_EQ(first.exit_code, 0) << first.out << first.err;
  auto j = Summary(first);
  EXPECT_EQ(j["records"], n);
  EXPECT_EQ(j["accepted"], n);
  EXPECT_EQ(j["created"], n);
  EXPECT_EQ(j["replayed"], 0);
  EXPECT_EQ(j["rejected"], 0);
  EXPECT_EQ(j["retries"], 0);
  EXPECT_TRUE(j["warnings_by_rule"].empty()) << j.dump(2);  // clean means no warnings either

  auto again = Push(clean);
  ASSERT_EQ(again.exit_code, 0) << again.out << again.err;
  j = Summary(again);
  EXPECT_EQ(j["replayed"], n);
  EXPECT_EQ(j["accepted"], 0);

  // The same records under other keys are replacements (200), not new items.
  auto replaced = Push(clean, "--key-prefix second-load:");
  ASSERT_EQ(replaced.exit_code, 0) << replaced.out;
  j = Summary(replaced);
  EXPECT_EQ(j["replaced"], n);
  EXPECT_EQ(j["created"], 0);

  // The text summary, as a person reads it.
  auto text = Adda(
      "push --municipality 751 --kombit " + url_ + " --from " + clean + " --credentials " + creds_,
      dir_);
  EXPECT_EQ(text.exit_code, 0);
  EXPECT_NE(text.out.find(std::to_string(n) + " records: 0 accepted, " + std::to_string(n) +
                          " replayed, 0 rejected, 0 retries"),
            std::string::npos)
      << text.out;
}

TEST_F(PushCli, EveryRuleFixtureFailsExactlyThatRule) {
  const int n = Lines(kFixtures + "/clean.ndjson");
  ASSERT_EQ(Push(kFixtures + "/clean.ndjson").exit_code, 0);
  int fixtures = 0;
  for (const auto& e : fs::directory_iterator(kFixtures)) {
    const std::string rule = e.path().stem().string();
    if (e.path().extension() != ".ndjson" || rule == "clean") continue;
    ++fixtures;
    SCOPED_TRACE(rule);
    EXPECT_EQ(Lines(e.path().string()), n);
    // A fresh key prefix: every line is judged on its content, none is replayed.
    auto r = Push(e.path().string(), "--key-prefix " + rule + ":");
    auto j = Summary(r);
    EXPECT_EQ(j["retries"], 0);  // a 4xx is never retried
    if (kWarnings.count(rule)) {
      EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
      EXPECT_EQ(j["warnings_by_rule"], json({{rule, 1}})) << j.dump(2);
      EXPECT_TRUE(j["rejected_by_rule"].empty()) << j.dump(2);
      EXPECT_EQ(j["accepted"], n);
    } else {
      EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
      EXPECT_EQ(j["rejected_by_rule"], json({{rule, 1}})) << j.dump(2);
      EXPECT_TRUE(j["warnings_by_rule"].empty()) << j.dump(2);
      EXPECT_EQ(j["rejected"], 1);
      ASSERT_EQ(j["first_rejections"].size(), 1u);
      const auto& rej = j["first_rejections"][0];
      EXPECT_GT(rej["line"].get<int>(), 0);
      EXPECT_FALSE(rej["id"].get<std::string>().empty());
      EXPECT_EQ(rej["violations"][0]["rule"], rule);
    }
  }
  EXPECT_GE(fixtures, 38);
}

TEST_F(PushCli, MalformedLineIsBadUsageNamingTheLineAndSendsNothing) {
  const std::string bad = dir_ + "/bad.ndjson";
  std::string clean = Read(kFixtures + "/clean.ndjson");
  std::ofstream(bad) << clean.substr(0, clean.find('\n') + 1)
                     << "\n{\"kind\": \"case\", \"record\": {\"id\": \n";
  auto r = Push(bad);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("line 3"), std::string::npos) << r.err;
  EXPECT_TRUE(r.out.empty()) << r.out;
  // Nothing was sent: the first line is still new.
  auto after = Push(kFixtures + "/clean.ndjson");
  EXPECT_EQ(Summary(after)["created"], Lines(kFixtures + "/clean.ndjson"));

  struct Case {
    std::string line, expect;
  };
  const Case cases[] = {
      {"[1, 2]", "line 1: not a JSON object"},
      {R"({"kind": "sag", "record": {"id": "x"}})", "line 1: \"kind\""},
      {R"({"kind": "case", "record": "x"})", "line 1: \"record\""},
      {R"({"kind": "case", "record": {"title": "x"}})", "line 1: the record needs a string \"id\""},
      {R"({"kind": "case", "record": {"id": "x"}, "key": 7})", "line 1: \"key\""},
  };
  for (const auto& c : cases) {
    std::ofstream(bad) << c.line << "\n";
    auto b = Push(bad);
    EXPECT_EQ(b.exit_code, 2) << c.line;
    EXPECT_NE(b.err.find(c.expect), std::string::npos) << c.line << ": " << b.err;
  }
}

TEST_F(PushCli, WrongTokenStopsAtTheFirstRecord) {
  const std::string clean = kFixtures + "/clean.ndjson";
  auto r = Adda("push --municipality 751 --kombit " + url_ + " --from " + clean +
                    " --token m751-wrong --json",
                dir_);
  EXPECT_EQ(r.exit_code, 1);
  auto j = Summary(r);
  EXPECT_EQ(j["rejected"], 1);
  EXPECT_EQ(j["rejected_by_rule"], json({{"auth.invalid", 1}}));
  EXPECT_EQ(j["not_sent"], Lines(clean) - 1);
}

TEST_F(PushCli, OutageWindowIsRiddenOutAndNothingIsWrittenTwice) {
  const std::string rule =
      R"({"route": "/v1/municipalities/*", "outage": true, "window": {"start_s": 0, "end_s": 1}})";
  ASSERT_EQ(HttpStatus(port_, "POST", "/admin/faults", Token("admin"), rule), 201);
  auto r = Push(kFixtures + "/clean.ndjson");
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  auto j = Summary(r);
  EXPECT_GT(j["retries"].get<int>(), 0) << j.dump(2);
  EXPECT_EQ(j["created"], Lines(kFixtures + "/clean.ndjson"));
}

}  // namespace
