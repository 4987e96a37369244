// adda conform as a municipality meets it: the real binary end to end. One KOMBIT mock
// (`adda generate --citizens-only`, then `adda serve kombit --port 0` in a child
// process) serves every test; each test pushes with `adda push` into a municipality of
// its own, so no test sees another's data or integration log: the clean fixture as
// Aarhus (751), and every fixtures/conformance/<rule>.ndjson as a test municipality
// (codes 101…) with its "municipality": 751 rewritten to that code. Then `adda conform`
// must give the verdict, exit code, conformance.json, junit.xml and printed table that
// agree with each other and fail exactly the expected rules.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>

#include "common/cli_testing.h"
#include "common/http_testing.h"
#include "common/kombit_process.h"

namespace {

namespace fs = std::filesystem;
using adda::testing::Adda;
using adda::testing::CliRun;
using adda::testing::KombitProcess;
using adda::testing::ScratchDir;
using json = nlohmann::json;

const std::string kFixtures = std::string(ADDA_SOURCE_DIR) + "/fixtures/conformance";
constexpr int kFirstTestCode = 101;
constexpr int kTestCodes = 49;       // 101…149: one per rule fixture, and spares
constexpr int kCallsCode = 149;      // the calls test's municipality
constexpr int kGeneratedCode = 148;  // the generated population's
const std::set<std::string> kPlanned = {"call.versions_respected", "status.explained"};

std::string Read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<std::string> RuleFixtures() {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(kFixtures))
    if (e.path().extension() == ".ndjson" && e.path().stem() != "clean")
      out.push_back(e.path().stem().string());
  std::sort(out.begin(), out.end());
  return out;
}

// `file` with every "municipality": 751 made `code` (7510 and "751" stay as they are).
std::string ForMunicipality(const std::string& file, int code) {
  static const std::regex aarhus("\"municipality\": 751([,}])");
  return std::regex_replace(Read(file), aarhus, "\"municipality\": " + std::to_string(code) + "$1");
}

// What one `adda conform` gave: its run, conformance.json and junit.xml.
struct Conformed {
  CliRun run;
  json doc;
  std::string junit;

  std::set<std::string> Failing() const {
    std::set<std::string> out;
    for (const auto& r : doc.value("rules", json::array()))
      if (r["state"] == "fail") out.insert(r["id"].get<std::string>());
    return out;
  }
  const json& Rule(const std::string& id) const {
    for (const auto& r : doc["rules"])
      if (r["id"] == id) return r;
    static const json kNone;
    ADD_FAILURE() << "no rule " << id;
    return kNone;
  }
  // The names of the JUnit test cases that hold a <failure>.
  std::set<std::string> JunitFailures() const {
    std::set<std::string> out;
    const std::regex failing(
        "<testcase classname=\"[^\"]*\" name=\"([^\"]+)\" time=\"0\">\\s*<failure");
    for (std::sregex_iterator i(junit.begin(), junit.end(), failing), end; i != end; ++i)
      out.insert((*i)[1]);
    return out;
  }
};

// A PUT with headers over a plain socket (If-Match is not something adda push sends).
int HttpPut(int port, const std::string& path, const std::string& headers,
            const std::string& body) {
  return adda::testing::RawHttp("http://127.0.0.1:" + std::to_string(port),
                                "PUT " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + headers +
                                    "Content-Type: application/json\r\nContent-Length: " +
                                    std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body)
      .status;
}

class ConformCli : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::string(ScratchDir("conform-" + std::to_string(::getpid())));
    server_ = new KombitProcess();
    const std::string pilots = *dir_ + "/pilots";
    fs::create_directories(pilots);
    const std::string aarhus =
        std::string(ADDA_SOURCE_DIR) + "/pilots/municipalities/751-aarhus.json";
    fs::copy_file(aarhus, pilots + "/751-aarhus.json");
    auto config = json::parse(Read(aarhus));
    for (int code = kFirstTestCode; code < kFirstTestCode + kTestCodes; ++code) {
      config["code"] = code;
      config["name"] = "Test " + std::to_string(code);
      config["population"] = 2000;
      std::ofstream(pilots + "/" + std::to_string(code) + "-test.json") << config.dump(2);
    }
    auto gen = Adda("generate --citizens-only --scale 0.002 --pilots " + pilots + " --out " +
                        *dir_ + "/kombit.db",
                    *dir_);
    if (gen.exit_code != 0) {
      setup_error_ = new std::string("adda generate failed: " + gen.err);
      return;
    }
    std::string why;
    if (!server_->Start(*dir_ + "/kombit.db", *dir_, "2018-12-11", &why))
      setup_error_ = new std::string("adda serve kombit did not start: " + why);
  }

  static void TearDownTestSuite() {
    delete server_;
    std::error_code ec;
    fs::remove_all(*dir_, ec);
    delete dir_;
    delete setup_error_;
    server_ = nullptr;
    dir_ = setup_error_ = nullptr;
  }

  void SetUp() override { ASSERT_EQ(setup_error_, nullptr) << *setup_error_; }

  static std::string Creds() { return *dir_ + "/kombit.db.credentials.json"; }

  static CliRun Push(int code, const std::string& file, const std::string& extra = "") {
    return Adda("push --municipality " + std::to_string(code) + " --kombit " + server_->url() +
                    " --from " + file + " --credentials " + Creds() + " --json " + extra,
                *dir_);
  }

  // `file` rewritten for `code`, saved under the scratch folder; its path.
  static std::string Fixture(const std::string& file, int code) {
    const std::string out =
        *dir_ + "/" + std::to_string(code) + "-" + fs::path(file).filename().string();
    std::ofstream(out) << ForMunicipality(file, code);
    return out;
  }

  static Conformed Conform(int code, const std::string& name, const std::string& extra = "") {
    const std::string out = *dir_ + "/reports/" + name;
    Conformed c;
    c.run = Adda("conform --municipality " + std::to_string(code) + " --kombit " + server_->url() +
                     " --credentials " + Creds() + " --out " + out + " " + extra,
                 *dir_);
    c.doc = json::parse(Read(out + "/conformance.json"), nullptr, false);
    c.junit = Read(out + "/junit.xml");
    EXPECT_FALSE(c.doc.is_discarded()) << c.run.out << c.run.err;
    if (c.doc.is_discarded()) c.doc = json::object();
    EXPECT_TRUE(fs::exists(out + "/conformance.html"));
    EXPECT_NE(c.run.out.find("report: " + out + "/conformance.html"), std::string::npos)
        << c.run.out;
    return c;
  }

  static std::string Token(int code) {
    return json::parse(Read(Creds()))["municipalities"][std::to_string(code)].get<std::string>();
  }

  static std::string* dir_;
  static std::string* setup_error_;
  static KombitProcess* server_;
};

std::string* ConformCli::dir_ = nullptr;
std::string* ConformCli::setup_error_ = nullptr;
KombitProcess* ConformCli::server_ = nullptr;

// The verdict, the exit code, the JSON, the JUnit file and the printed table agree, and
// exactly `failing` fails.
void ExpectAgreement(const Conformed& c, const std::set<std::string>& failing) {
  EXPECT_EQ(c.Failing(), failing);
  bool blocker = false;
  std::set<std::string> junit_failing;
  for (const auto& id : failing) {
    const std::string severity = c.Rule(id).value("severity", "");
    blocker |= severity == "blocker";
    if (severity != "advice") junit_failing.insert(id);
  }
  EXPECT_EQ(c.run.exit_code, blocker ? 1 : 0) << c.run.out << c.run.err;
  EXPECT_EQ(c.doc["verdict"], blocker ? "not_ready" : "ready");
  EXPECT_EQ(c.JunitFailures(), junit_failing) << c.junit;
  const size_t rules = c.doc.value("rules", json::array()).size();
  EXPECT_NE(c.junit.find("tests=\"" + std::to_string(rules) + "\" failures=\"" +
                         std::to_string(junit_failing.size()) + "\""),
            std::string::npos)
      << c.junit;
  EXPECT_EQ(
      c.run.out.rfind(std::string("adda conform ") + c.doc.value("municipality", json(0)).dump() +
                          ": " + (blocker ? "NOT READY" : "READY"),
                      0),
      0u)
      << c.run.out;
  for (const auto& r : c.doc.value("rules", json::array())) {
    const std::string id = r["id"], state = r["state"];
    EXPECT_EQ(state, kPlanned.count(id) ? "planned" : failing.count(id) ? "fail" : "pass") << id;
    const std::regex line("\\n  " + std::regex_replace(id, std::regex("\\."), "\\.") + " +" +
                          r["severity"].get<std::string>() + " +" +
                          (state == "fail" ? "FAIL" : state));
    EXPECT_TRUE(std::regex_search(c.run.out, line)) << id << " in\n" << c.run.out;
  }
}

TEST_F(ConformCli, CleanFixtureIsReadyAndEveryRulePasses) {
  auto push = Push(751, kFixtures + "/clean.ndjson");
  ASSERT_EQ(push.exit_code, 0) << push.out << push.err;
  const Conformed c = Conform(751, "clean");
  ExpectAgreement(c, {});
  EXPECT_EQ(c.doc["read"],
            json({{"cases", 5}, {"grants", 2}, {"log_entries", 7}, {"open_rejections", 0}}));
  EXPECT_EQ(c.doc["today"], "2018-12-11");
  const std::string html = Read(*dir_ + "/reports/clean/conformance.html");
  const size_t banner = html.find("<div class=\"banner pass\"><strong>READY</strong>");
  EXPECT_NE(banner, std::string::npos);
  EXPECT_LT(banner, html.find("<section id=\"rules\">"));
  EXPECT_EQ(html.find("<script"), std::string::npos);

  // A year on, the same data has gone stale and a payment looks missing: warnings only.
  const Conformed later = Conform(751, "clean-2019", "--today 2019-12-11");
  ExpectAgreement(later, {"status.stale", "payment.settled"});
  EXPECT_EQ(later.doc["today"], "2019-12-11");
}

TEST_F(ConformCli, EveryRuleFixtureFailsExactlyThatRule) {
  const auto fixtures = RuleFixtures();
  ASSERT_GE(fixtures.size(), 38u);
  ASSERT_LT(fixtures.size(), static_cast<size_t>(kGeneratedCode - kFirstTestCode));
  int code = kFirstTestCode;
  for (const auto& rule : fixtures) {
    SCOPED_TRACE(rule + " as municipality " + std::to_string(code));
    auto push = Push(code, Fixture(kFixtures + "/" + rule + ".ndjson", code));
    const Conformed c = Conform(code, rule);
    ExpectAgreement(c, {rule});
    // A record the integration API refused is a blocker; one it accepted with a warning is not.
    EXPECT_EQ(c.Rule(rule)["severity"] == "blocker", push.exit_code == 1) << push.out;
    EXPECT_EQ(c.Rule(rule)["count"], 1);
    ASSERT_EQ(c.Rule(rule)["examples"].size(), 1u);
    const json& example = c.Rule(rule)["examples"][0];
    EXPECT_FALSE(example["id"].get<std::string>().empty());
    EXPECT_EQ(example["source"], push.exit_code == 1 ? "rejected" : "stored");
    const std::string party = example["party"];
    EXPECT_TRUE(party.empty() || std::regex_match(party, std::regex("[0-9]{4}xx-xxxx"))) << party;
    EXPECT_FALSE(std::regex_search(c.doc.dump(), std::regex("[0-9]{10}")));
    ++code;
  }
}

TEST_F(ConformCli, CallsFromTheLogAndTheirResolution) {
  const int m = kCallsCode;
  ASSERT_EQ(Push(m, Fixture(kFixtures + "/clean.ndjson", m)).exit_code, 0);
  // A refused record sent twice unchanged, under the same key.
  const std::string ordered = Fixture(kFixtures + "/status.ordered.ndjson", m);
  ASSERT_EQ(Push(m, ordered, "--key-prefix retry:").exit_code, 1);
  ASSERT_EQ(Push(m, ordered, "--key-prefix retry:").exit_code, 1);
  // A key used again for a changed record.
  std::vector<std::string> clean;
  std::istringstream lines(ForMunicipality(kFixtures + "/clean.ndjson", m));
  for (std::string l; std::getline(lines, l);) clean.push_back(l);
  ASSERT_GE(clean.size(), 2u);
  auto record = json::parse(clean[0]);
  record["key"] = "reuse-1";
  std::ofstream(*dir_ + "/reuse-a.ndjson") << record.dump() << "\n";
  record["record"]["title"] = "Kontanthjælp til forsørger";
  std::ofstream(*dir_ + "/reuse-b.ndjson") << record.dump() << "\n";
  ASSERT_EQ(Push(m, *dir_ + "/reuse-a.ndjson").exit_code, 0);
  ASSERT_EQ(Push(m, *dir_ + "/reuse-b.ndjson").exit_code, 1);
  // A conditional write against a version that is not the item's.
  const auto second = json::parse(clean[1]);
  ASSERT_EQ(
      HttpPut(server_->port(), "/v1/municipalities/" + std::to_string(m) + "/cases/aar-sag-0002",
              "Authorization: Bearer " + Token(m) +
                  "\r\nIdempotency-Key: if-match-1\r\nIf-Match: \"99\"\r\n",
              second["record"].dump()),
      412);

  const Conformed broken = Conform(m, "calls");
  ExpectAgreement(broken, {"status.ordered", "call.no_4xx_storm", "idempotency.key_reused",
                           "version.mismatch"});
  EXPECT_EQ(broken.doc["read"]["open_rejections"], 3);
  const std::string retry = broken.Rule("call.no_4xx_storm")["examples"][0]["message"];
  EXPECT_NE(retry.find("refused 2 times with the same key"), std::string::npos) << retry;
  EXPECT_EQ(broken.Rule("idempotency.key_reused")["examples"][0]["id"], "aar-sag-0001");
  EXPECT_EQ(broken.Rule("version.mismatch")["examples"][0]["status"], 412);

  // Sending every record again, fixed, resolves the refusals; the unchanged retry stays
  // on record as a warning about the calls.
  ASSERT_EQ(Push(m, Fixture(kFixtures + "/clean.ndjson", m), "--key-prefix fixed:").exit_code, 0);
  const Conformed fixed = Conform(m, "calls-fixed");
  ExpectAgreement(fixed, {"call.no_4xx_storm"});
  EXPECT_EQ(fixed.doc["read"]["open_rejections"], 0);
}

// The generator plants data-quality defects and says how many of each; pushed through
// the integration API, each one comes back as the warning rule that names it.
TEST_F(ConformCli, GeneratedDefectsAreFoundAsPlanted) {
  const std::string pilots = *dir_ + "/pilots", code = std::to_string(kGeneratedCode);
  const std::string population = " --scale 1 --municipality " + code + " --pilots " + pilots;
  auto truth = Adda("generate --json --out " + *dir_ + "/truth.db" + population, *dir_);
  ASSERT_EQ(truth.exit_code, 0) << truth.err;
  const json defects = json::parse(truth.out)["municipalities"][0]["defects"];
  auto via =
      Adda("generate --via " + server_->url() + " --credentials " + Creds() + population, *dir_);
  ASSERT_EQ(via.exit_code, 0) << via.out << via.err;

  const Conformed c = Conform(kGeneratedCode, "generated");
  const std::map<std::string, std::string> rule_of = {
      {"jargon_title", "title.no_jargon"},
      {"missing_unit", "unit.set"},
      {"payment_without_grant_period", "grant.period"},
      {"stale_status", "status.stale"},
      {"status_gap", "status.no_gap"},
      {"unknown_kle", "kle.subject_known"}};
  std::set<std::string> planted;
  for (const auto& [kind, n] : defects.items()) {
    ASSERT_TRUE(rule_of.count(kind)) << kind;
    EXPECT_EQ(c.Rule(rule_of.at(kind))["count"], n) << kind;
    if (n.get<int>() > 0) planted.insert(rule_of.at(kind));
  }
  EXPECT_GE(planted.size(), 4u) << defects;
  ExpectAgreement(c, planted);
}

TEST_F(ConformCli, BadUsageUnreachableAndRefusedKey) {
  struct Case {
    std::string args, expect;
    int exit_code;
  };
  const std::string url = server_->url(), creds = " --credentials " + Creds();
  const Case cases[] = {
      {"--kombit " + url + creds, "--municipality", 2},
      {"--municipality 751" + creds, "--kombit", 2},
      {"--municipality 751 --kombit " + url + creds + " --today 2018-02-30", "--today", 2},
      {"--municipality 751 --kombit " + url + " --credentials " + *dir_ + "/none.json", "none.json",
       2},
      {"--municipality 998 --kombit " + url + creds, "998", 2},
      {"--municipality 751 --kombit localhost:1 --token x", "kombit", 2},
      {"--municipality 751 --kombit " + url + " --token m751-wrong", "auth.invalid", 2},
      {"--municipality 751 --kombit http://127.0.0.1:1 --token x", "GET /health", 1},
  };
  for (const auto& c : cases) {
    auto r = Adda("conform " + c.args + " --out " + *dir_ + "/reports/usage", *dir_);
    EXPECT_EQ(r.exit_code, c.exit_code) << c.args << ": " << r.err;
    EXPECT_NE(r.err.find(c.expect), std::string::npos) << c.args << ": " << r.err;
    EXPECT_FALSE(fs::exists(*dir_ + "/reports/usage")) << c.args;
  }
}

}  // namespace
