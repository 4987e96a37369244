// The conformance evaluation as pure functions: the catalogue agrees with
// docs/conformance.md; the clean fixture passes every rule; each warning fixture, stored
// as KOMBIT stores it, fails exactly its rule; refusals in the integration log count
// while they are the item's latest write; the call rules (keyless writes, a 4xx retried
// unchanged, a 4xx storm) at and around their thresholds; cross-record rules; the
// simulated clock; counting, examples and CPR masking.
#include "core/conformance.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

namespace adda::conformance {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

const std::string kFixtures = std::string(ADDA_SOURCE_DIR) + "/fixtures/conformance";

Date D(const char* s) { return *Date::Parse(s); }

std::vector<json> Lines(const std::string& path) {
  std::ifstream in(path);
  std::vector<json> out;
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) out.push_back(json::parse(line));
  return out;
}

// A write as KOMBIT logs it.
LogEntry Write(int64_t id, const std::string& item, int status, const std::string& key,
               std::vector<std::string> rules = {}, bool replayed = false) {
  LogEntry e;
  e.id = id;
  e.method = "PUT";
  e.item_kind = "case";
  e.item_id = item;
  e.path = "/v1/municipalities/751/cases/" + item;
  e.request_id = "req-" + std::to_string(id);
  e.status = status;
  e.idempotency_key = key;
  e.replayed = replayed;
  for (const auto& r : rules) e.errors.push_back({r, "", "refused for " + r});
  return e;
}

// Every line of a fixture stored, and logged as created with its own key.
Data Stored(const std::string& file) {
  Data d;
  int64_t id = 0;
  for (const auto& line : Lines(file)) {
    AddStoredRecord(line["record"], line["kind"], &d);
    ++id;
    LogEntry e = Write(id, line["record"]["id"], 201, "k" + std::to_string(id));
    e.item_kind = line["kind"];
    d.log.push_back(e);
  }
  return d;
}

Context Ctx(Date today = GoLiveDate()) { return EmbeddedContext(751, today).value(); }

std::set<std::string> FailingRules(const Report& r) {
  std::set<std::string> out;
  for (const auto& x : r.rules)
    if (x.failed()) out.insert(x.id);
  return out;
}

const RuleResult& RuleOf(const Report& r, const std::string& id) {
  for (const auto& x : r.rules)
    if (x.id == id) return x;
  static const RuleResult kNone{};
  ADD_FAILURE() << "no rule " << id;
  return kNone;
}

TEST(ConformanceCatalogue, AgreesWithTheDocument) {
  std::ifstream in(std::string(ADDA_SOURCE_DIR) + "/docs/conformance.md");
  ASSERT_TRUE(in);
  // "| `rule` | severity | …" and "| `a`, `b` | severity | … | state |" rows.
  const std::regex row(
      R"(^\| (`[a-z_0-9.]+`(?:, `[a-z_0-9.]+`)*) \| (blocker|warning|advice) \|.*)");
  const std::regex id("`([a-z_0-9.]+)`");
  std::map<std::string, std::pair<std::string, bool>> documented;  // id -> severity, planned
  for (std::string line; std::getline(in, line);) {
    std::smatch m;
    if (!std::regex_match(line, m, row)) continue;
    const std::string ids = m[1];
    const std::string last_cell = line.substr(line.rfind('|', line.size() - 2) + 1);
    const bool planned = last_cell.find(" planned") == 0;
    for (std::sregex_iterator i(ids.begin(), ids.end(), id), end; i != end; ++i)
      documented[(*i)[1]] = {m[2], planned};
  }
  std::map<std::string, std::pair<std::string, bool>> coded;
  for (const auto& r : Catalogue()) coded[r.id] = {ToString(r.severity), !r.implemented};
  EXPECT_EQ(coded, documented);
  EXPECT_EQ(coded.size(), Catalogue().size()) << "an id appears twice";
}

TEST(ConformanceCatalogue, EveryRuleFixtureNamesACatalogueRule) {
  for (const auto& e : fs::directory_iterator(kFixtures)) {
    const std::string rule = e.path().stem().string();
    if (rule == "clean") continue;
    EXPECT_NE(FindRule(rule), nullptr) << rule;
  }
}

TEST(Conformance, CleanFixturePassesEveryRule) {
  const Report r = Evaluate(Stored(kFixtures + "/clean.ndjson"), Ctx());
  EXPECT_TRUE(r.ready());
  EXPECT_EQ(FailingRules(r), std::set<std::string>{});
  EXPECT_EQ(r.cases, 5);
  EXPECT_EQ(r.grants, 2);
  EXPECT_EQ(r.log_entries, 7);
  EXPECT_EQ(r.rules.size(), Catalogue().size());
  for (const auto& x : r.rules) EXPECT_STREQ(x.state(), x.implemented ? "pass" : "planned") << x.id;
}

// A warning fixture is stored whole (KOMBIT accepts it): re-validating the stored
// records finds exactly its rule, once, on the changed line's record.
TEST(Conformance, EachWarningFixtureStoredFailsExactlyItsRule) {
  int warnings = 0;
  for (const auto& rule : Catalogue()) {
    const std::string file = kFixtures + "/" + rule.id + ".ndjson";
    if (rule.severity != Severity::kWarning || !fs::exists(file)) continue;
    ++warnings;
    SCOPED_TRACE(rule.id);
    const Report r = Evaluate(Stored(file), Ctx());
    EXPECT_EQ(FailingRules(r), std::set<std::string>{rule.id});
    EXPECT_TRUE(r.ready());
    EXPECT_EQ(RuleOf(r, rule.id).count, 1);
    ASSERT_EQ(RuleOf(r, rule.id).examples.size(), 1u);
    EXPECT_EQ(RuleOf(r, rule.id).examples[0].source, "stored");
  }
  EXPECT_EQ(warnings, 11);
}

struct LogCase {
  const char* name;
  std::vector<LogEntry> log;
  std::set<std::string> failing;
  int64_t open_rejections;
};

std::vector<LogEntry> Many(int64_t first_id, int n, int refused) {
  std::vector<LogEntry> out;
  for (int i = 0; i < n; ++i)
    out.push_back(
        i < refused ? Write(first_id + i, "x" + std::to_string(i), 422, "kx" + std::to_string(i),
                            {"field.required"})
                    : Write(first_id + i, "y" + std::to_string(i), 201, "ky" + std::to_string(i)));
  return out;
}

std::vector<LogEntry> Concat(std::vector<LogEntry> a, const std::vector<LogEntry>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

TEST(Conformance, RefusalsAndCallsFromTheLog) {
  // KOMBIT logs a bulk line it cannot parse without item and key.
  LogEntry bulk_line = Write(2, "", 400, "", {"request.malformed_json"});
  bulk_line.item_kind = "";
  bulk_line.method = "POST";
  LogEntry no_key = Write(1, "a", 201, "");
  const LogCase cases[] = {
      {"a refusal counts while it is the item's latest write",
       {Write(1, "a", 201, "k1"), Write(2, "a", 422, "k2", {"status.ordered"})},
       {"status.ordered"},
       1},
      {"a later accepted write resolves it",
       {Write(1, "a", 422, "k1", {"status.ordered"}), Write(2, "a", 200, "k2")},
       {},
       0},
      {"a later replay resolves it",
       {Write(1, "a", 201, "k1"), Write(2, "a", 422, "k2", {"status.ordered"}),
        Write(3, "a", 201, "k1", {}, true)},
       {},
       0},
      {"a 5xx neither refuses nor resolves",
       {Write(1, "a", 422, "k1", {"status.ordered"}), Write(2, "a", 500, "k2")},
       {"status.ordered"},
       1},
      {"a refusal without an item always counts, as an extra blocker rule",
       {Write(1, "a", 201, "k1"), bulk_line},
       {"request.malformed_json"},
       1},
      {"a version conflict",
       {Write(1, "a", 412, "k1", {"version.mismatch"})},
       {"version.mismatch"},
       1},
      {"a key reused for another body",
       {Write(1, "a", 201, "k1"), Write(2, "a", 422, "k1", {"idempotency.key_reused"})},
       {"idempotency.key_reused"},
       1},
      {"a write without a key", {no_key}, {"call.idempotent_retries"}, 0},
      {"a 4xx retried unchanged",
       {Write(1, "a", 422, "k1", {"status.ordered"}), Write(2, "a", 422, "k1", {"status.ordered"})},
       {"status.ordered", "call.no_4xx_storm"},
       1},
      {"the same key refused for another reason is a changed retry",
       {Write(1, "a", 422, "k1", {"status.ordered"}),
        Write(2, "a", 422, "k1", {"status.no_overlap"})},
       {"status.no_overlap"},
       1},
      {"a storm: 10 of 40 writes refused (25%)",
       Many(1, 40, 10),
       {"field.required", "call.no_4xx_storm"},
       10},
      {"no storm below 10 refusals: 9 of 10", Many(1, 10, 9), {"field.required"}, 9},
      {"no storm at 20% or less: 10 of 50", Many(1, 50, 10), {"field.required"}, 10},
      {"only the last 100 writes count",
       Concat(Many(1, 20, 20), Many(21, 100, 0)),
       {"field.required"},
       20},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    Data d;
    d.log = c.log;
    const Report r = Evaluate(d, Ctx());
    EXPECT_EQ(FailingRules(r), c.failing);
    EXPECT_EQ(r.open_rejections, c.open_rejections);
    const bool blocker = std::any_of(c.failing.begin(), c.failing.end(), [](const std::string& id) {
      const Rule* rule = FindRule(id);
      return !rule || rule->severity == Severity::kBlocker;
    });
    EXPECT_EQ(r.ready(), !blocker);
  }
}

TEST(Conformance, ARefusalNamesTheRecordAndItsStoredParty) {
  Data d = Stored(kFixtures + "/clean.ndjson");
  d.log.push_back(Write(8, "aar-sag-0002", 422, "k8", {"status.no_backwards"}));
  const Report r = Evaluate(d, Ctx());
  const auto& rule = RuleOf(r, "status.no_backwards");
  ASSERT_EQ(rule.examples.size(), 1u);
  const Finding& f = rule.examples[0];
  EXPECT_EQ(f.kind, "case");
  EXPECT_EQ(f.id, "aar-sag-0002");
  EXPECT_EQ(f.party, "6211xx-xxxx");  // the stored case's party, masked
  EXPECT_EQ(f.source, "rejected");
  EXPECT_EQ(f.log_id, 8);
  EXPECT_EQ(f.status, 422);
  EXPECT_FALSE(r.ready());
}

TEST(Conformance, CrossRecordRulesOverTheStoredSet) {
  Data d = Stored(kFixtures + "/clean.ndjson");
  d.cases[4].case_number = d.cases[1].case_number;  // aar-sag-0005 takes 0002's number
  d.grants[0].case_id = "aar-sag-0099";
  const Report r = Evaluate(d, Ctx());
  EXPECT_EQ(FailingRules(r), (std::set<std::string>{"case_number.unique", "grant.case_link"}));
  EXPECT_EQ(RuleOf(r, "case_number.unique").examples.at(0).id, "aar-sag-0005");
  EXPECT_EQ(RuleOf(r, "grant.case_link").examples.at(0).id, "aar-bev-0001");
}

TEST(Conformance, TheSimulatedClockDecides) {
  struct ClockCase {
    const char* today;
    std::set<std::string> failing;
  };
  const ClockCase cases[] = {
      {"2018-12-11", {}},
      {"2018-12-02", {"date.not_future"}},  // aar-sag-0005 opened the day after
      {"2019-12-11", {"status.stale", "payment.settled"}},
  };
  const Data d = Stored(kFixtures + "/clean.ndjson");
  for (const auto& c : cases) {
    SCOPED_TRACE(c.today);
    EXPECT_EQ(FailingRules(Evaluate(d, Ctx(D(c.today)))), c.failing);
  }
}

TEST(Conformance, CountsRecordsOnceAndKeepsTenExamples) {
  Data d = Stored(kFixtures + "/clean.ndjson");
  const Case base = d.cases[0];
  d.cases.clear();
  for (int i = 0; i < 12; ++i) {
    Case c = base;
    c.id = "c" + std::to_string(i);
    c.case_number = "n" + std::to_string(i);
    c.responsible_unit.reset();
    c.deliverer.reset();
    d.cases.push_back(c);
  }
  d.grants.clear();
  d.log.clear();
  const Report r = Evaluate(d, Ctx());
  EXPECT_EQ(FailingRules(r), (std::set<std::string>{"unit.set", "deliverer.set"}));
  EXPECT_EQ(RuleOf(r, "unit.set").count, 12);
  EXPECT_EQ(RuleOf(r, "unit.set").examples.size(), Report::kMaxExamples);
  EXPECT_TRUE(r.ready());
  EXPECT_EQ(r.Failed(Severity::kWarning), 2);
}

TEST(Conformance, NoFullCprLeavesTheEvaluation) {
  Data d = Stored(kFixtures + "/party.cpr_substitute.ndjson");
  d.log.push_back(Write(8, "sag-0101905001", 422, "k8", {"field.id"}));
  d.log.back().errors[0].message = "0101905001 is not a safe id";
  const json j = Evaluate(d, Ctx());
  EXPECT_EQ(RuleOf(Evaluate(d, Ctx()), "party.cpr_substitute").examples.at(0).party, "0101xx-xxxx");
  EXPECT_FALSE(std::regex_search(j.dump(), std::regex("[0-9]{10}|[0-9]{6}-[0-9]{4}"))) << j.dump(2);
}

TEST(Conformance, MaskCprs) {
  const std::pair<const char*, const char*> cases[] = {
      {"7403852041", "7403xx-xxxx"},
      {"740385-2041", "7403xx-xxxx"},
      {"urn:oio:cpr-nr:0101905001", "urn:oio:cpr-nr:0101xx-xxxx"},
      {"sag-7403852041-b", "sag-7403xx-xxxx-b"},
      {"12345678901", "12345678901"},  // eleven digits: not a CPR
      {"123456789", "123456789"},
      {"740385-20411", "740385-20411"},
      {"2018-12-11", "2018-12-11"},
      {"32.24.04-\xC3\x98"
       "30-000101-18",
       "32.24.04-\xC3\x98"
       "30-000101-18"},
      {"", ""},
  };
  for (const auto& [in, out] : cases) EXPECT_EQ(MaskCprs(in), out) << in;
}

TEST(Conformance, LogEntriesReadAsKombitWritesThem) {
  const json j =
      json::parse(R"({"id": 7, "ts": "2018-12-11T10:00:00Z", "request_id": "r7", "method": "PUT",
      "path": "/v1/municipalities/751/cases/a", "status": 422, "replayed": false, "item_kind": "case",
      "item_id": "a", "idempotency_key": null,
      "errors": [{"rule": "status.ordered", "field": "status_history[1].from", "message": "m"}],
      "warnings": []})");
  LogEntry e;
  from_json(j, e);
  EXPECT_EQ(e.id, 7);
  EXPECT_EQ(e.status, 422);
  EXPECT_EQ(e.idempotency_key, "");
  ASSERT_EQ(e.errors.size(), 1u);
  EXPECT_EQ(e.errors[0].field, "status_history[1].from");
  LogEntry odd;
  from_json(json::parse(R"({"id": "x", "errors": "none", "replayed": 1})"), odd);
  EXPECT_EQ(odd.id, 0);
  EXPECT_TRUE(odd.errors.empty());
  EXPECT_FALSE(odd.replayed);
}

TEST(Conformance, DocumentSaysVerdictAndCounts) {
  Data d = Stored(kFixtures + "/clean.ndjson");
  d.log.push_back(Write(8, "aar-sag-0002", 422, "k8", {"status.no_backwards"}));
  const json j = Evaluate(d, Ctx());
  EXPECT_EQ(j["schema"], "adda-conformance/1");
  EXPECT_EQ(j["verdict"], "not_ready");
  EXPECT_EQ(j["rules_failed"], json({{"blocker", 1}, {"warning", 0}, {"advice", 0}}));
  EXPECT_EQ(j["read"]["open_rejections"], 1);
  EXPECT_EQ(j["rules"].size(), Catalogue().size());
  for (const auto& r : j["rules"])
    EXPECT_EQ(r["state"], r["id"] == "status.no_backwards"                    ? "fail"
                          : FindRule(r["id"].get<std::string>())->implemented ? "pass"
                                                                              : "planned");
}

TEST(Conformance, UndecodableStoredRecordsAreFindings) {
  Data d;
  AddStoredRecord(json::parse(R"({"id": "bad-1", "municipality": 751})"), "case", &d);
  AddStoredRecord(json::array(), "grant", &d);
  const Report r = Evaluate(d, Ctx());
  EXPECT_TRUE(FailingRules(r).count("field.required"));
  EXPECT_TRUE(FailingRules(r).count("field.type"));
  EXPECT_EQ(r.cases, 1);
  EXPECT_EQ(r.grants, 1);
}

}  // namespace
}  // namespace adda::conformance
