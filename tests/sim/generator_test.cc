// The generator's promises: deterministic, realistic, every CPR a substitute number,
// defects planted at the configured rates and recorded as ground truth that matches
// what validation finds in the data.
#include "sim/generator.h"

#include <gtest/gtest.h>

#include <algorithm>

#include <cmath>
#include <filesystem>
#include <unistd.h>

#include "core/cpr.h"
#include "core/lifecycle.h"
#include "core/validation.h"
#include "store/kombit_store.h"
#include "store/schema.h"

namespace adda::sim {
namespace {

const std::string kPilots = std::string(ADDA_SOURCE_DIR) + "/pilots/municipalities";
constexpr double kScale = 0.01;

// Per process: ctest runs each test of this suite as its own process, in parallel, and
// each one's SetUpTestSuite generates gen-a.db; a shared path let one process's
// generation write over the file another was reading (a flaky failure on a full run).
std::string TempPath(const std::string& name) {
  const std::string dir = std::string(ADDA_TEST_TMP) + "/generator-" + std::to_string(::getpid());
  std::filesystem::create_directories(dir);
  return dir + "/" + name;
}

class GeneratorTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto in = LoadGeneratorInputs(kPilots);
    ASSERT_TRUE(in.ok()) << in.status().ToString();
    inputs_ = new GeneratorInputs(std::move(in.value()));
    GenerateOptions opt;
    opt.scale = kScale;
    opt.seed = 7;
    auto s = GenerateDatabase(*inputs_, opt, TempPath("gen-a.db"), nullptr, nullptr);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    summary_ = new GenerateSummary(s.value());
  }
  static void TearDownTestSuite() {
    delete inputs_;
    delete summary_;
    std::error_code ec;
    std::filesystem::remove_all(std::filesystem::path(TempPath("x")).parent_path(), ec);
  }
  static GeneratorInputs* inputs_;
  static GenerateSummary* summary_;
};
GeneratorInputs* GeneratorTest::inputs_ = nullptr;
GenerateSummary* GeneratorTest::summary_ = nullptr;

std::string DumpTables(const std::string& path) {
  store::Db db(path, store::OpenMode::kReadOnly);
  std::string out;
  for (const char* q : {"SELECT * FROM citizens ORDER BY cpr", "SELECT * FROM cases ORDER BY municipality, id",
                        "SELECT * FROM grants ORDER BY municipality, id", "SELECT * FROM defects ORDER BY 1, 2, 3, 4",
                        "SELECT * FROM municipalities ORDER BY code"}) {
    store::Stmt s = db.Prepare(q);
    while (s.Step()) {
      for (int c = 0; c < s.ColumnCount(); ++c) out += std::string(s.TextView(c)) + "\x1f";
      out += "\n";
    }
  }
  return out;
}

TEST_F(GeneratorTest, SameInputsSameDataByteForByte) {
  GenerateOptions opt;
  opt.scale = kScale;
  opt.seed = 7;
  auto again = GenerateDatabase(*inputs_, opt, TempPath("gen-b.db"), nullptr, nullptr);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->digest, summary_->digest);
  EXPECT_EQ(DumpTables(TempPath("gen-a.db")), DumpTables(TempPath("gen-b.db")));
  opt.seed = 8;
  auto other = GenerateDatabase(*inputs_, opt, TempPath("gen-c.db"), nullptr, nullptr);
  ASSERT_TRUE(other.ok());
  EXPECT_NE(other->digest, summary_->digest);
}

TEST_F(GeneratorTest, OneMunicipalityAloneIsTheSameAsInTheFullRun) {
  GenerateOptions opt;
  opt.scale = kScale;
  opt.seed = 7;
  opt.only_municipality = 710;
  auto one = GenerateDatabase(*inputs_, opt, TempPath("gen-710.db"), nullptr, nullptr);
  ASSERT_TRUE(one.ok());
  store::Db a(TempPath("gen-a.db"), store::OpenMode::kReadOnly);
  store::Db b(TempPath("gen-710.db"), store::OpenMode::kReadOnly);
  EXPECT_EQ(a.QueryText("SELECT group_concat(cpr) FROM (SELECT cpr FROM citizens WHERE municipality = 710 ORDER BY cpr)"),
            b.QueryText("SELECT group_concat(cpr) FROM (SELECT cpr FROM citizens ORDER BY cpr)"));
}

TEST_F(GeneratorTest, PopulationPerMunicipalityWithinOnePercent) {
  store::Db db(TempPath("gen-a.db"), store::OpenMode::kReadOnly);
  store::KombitStore s(db);
  ASSERT_EQ(inputs_->municipalities.size(), 5u);
  for (const auto& m : inputs_->municipalities) {
    const double want = static_cast<double>(m.population) * kScale;
    const double got = static_cast<double>(s.CountCitizens(m.code));
    EXPECT_NEAR(got, want, std::max(1.0, want * 0.01)) << m.name;
  }
}

TEST_F(GeneratorTest, EveryCprIsAUniqueSubstituteNumberMatchingItsPerson) {
  store::Db db(TempPath("gen-a.db"), store::OpenMode::kReadOnly);
  store::Stmt s = db.Prepare("SELECT cpr, sex, birth_date FROM citizens");
  int64_t n = 0;
  while (s.Step()) {
    auto cpr = Cpr::Parse(s.TextView(0));
    ASSERT_TRUE(cpr.ok()) << s.Text(0);
    ASSERT_TRUE(cpr->is_substitute()) << s.Text(0);
    EXPECT_EQ(cpr->birth_date().ToString(), s.Text(2));
    EXPECT_EQ(cpr->sex() == Sex::kMale ? "M" : "K", s.Text(1));
    ++n;
  }
  EXPECT_GT(n, 6000);
}

TEST_F(GeneratorTest, AgeAndSexLookDanish) {
  store::Db db(TempPath("gen-a.db"), store::OpenMode::kReadOnly);
  for (const auto& m : inputs_->municipalities) {
    double child_share = 0, old_share = 0;
    for (const auto& b : m.age_structure) {
      // A band straddling 18 (15-19) or 65 counts in proportion to its years on each side.
      const double years = b.to - b.from + 1;
      child_share += b.share * std::clamp((18 - b.from) / years, 0.0, 1.0);
      old_share += b.share * std::clamp((b.to + 1 - 65) / years, 0.0, 1.0);
    }
    store::Stmt s = db.Prepare("SELECT birth_date, sex FROM citizens WHERE municipality = ?1");
    s.Bind(1, m.code);
    double n = 0, children = 0, old = 0, men = 0;
    while (s.Step()) {
      const int age = AgeOn(*Date::Parse(s.TextView(0)), GoLiveDate());
      n += 1;
      children += age < 18 ? 1 : 0;
      old += age >= 65 ? 1 : 0;
      men += s.TextView(1) == "M" ? 1 : 0;
    }
    EXPECT_NEAR(children / n, child_share, 0.02) << m.name;
    EXPECT_NEAR(old / n, old_share, 0.02) << m.name;
    EXPECT_NEAR(men / n, 0.49, 0.04) << m.name;
  }
}

TEST_F(GeneratorTest, ChildrenLinkToPlausibleParents) {
  store::Db db(TempPath("gen-a.db"), store::OpenMode::kReadOnly);
  store::Stmt s = db.Prepare(
      "SELECT c.birth_date, p.birth_date, c.household = p.household, p.sex FROM citizens c "
      "JOIN citizens p ON p.cpr IN (c.mother, c.father)");
  int64_t links = 0;
  while (s.Step()) {
    const int gap = AgeOn(*Date::Parse(s.TextView(1)), *Date::Parse(s.TextView(0)));
    EXPECT_GE(gap, 16);
    EXPECT_LE(gap, 55);
    EXPECT_EQ(s.Int(2), 1);
    ++links;
  }
  const auto minors = summary_->Total().minors;
  EXPECT_GT(summary_->Total().children_with_parent, minors * 85 / 100);
  EXPECT_GT(links, summary_->Total().children_with_parent);  // many have two parents
  EXPECT_EQ(db.QueryInt("SELECT count(*) FROM citizens WHERE mother IS NOT NULL AND "
                        "mother NOT IN (SELECT cpr FROM citizens)"), 0);
}

TEST_F(GeneratorTest, CasesFollowTheLifecycleAndTheRulesAgeBands) {
  store::Db db(TempPath("gen-a.db"), store::OpenMode::kReadOnly);
  store::Stmt s = db.Prepare("SELECT c.body, p.birth_date FROM cases c JOIN citizens p ON p.cpr = c.cpr");
  int64_t n = 0, pensions = 0;
  while (s.Step()) {
    const Case c = nlohmann::json::parse(s.TextView(0)).get<Case>();
    ASSERT_FALSE(c.status_history.empty());
    EXPECT_EQ(c.status_history.front().status, CaseStatus::kOpstaaet) << c.id;
    EXPECT_TRUE(CheckHistory(c.status_history, GoLiveDate()).errors.empty()) << c.id;
    const int age = AgeOn(*Date::Parse(s.TextView(1)), GoLiveDate());
    const std::string area = c.kle_subject.substr(0, 2);
    if (area == "28") {
      EXPECT_LE(age, 6) << c.title;
    }
    if (c.kle_subject == "32.03.04") {
      EXPECT_GE(age, 65);
      ++pensions;
    }
    if (c.kle_subject == "15.17.06") {  // sygedagpengeopfølgning: working age
      EXPECT_GE(age, 18);
      EXPECT_LE(age, 67);
    }
    for (const auto& d : c.documents) EXPECT_LE(d.letter_date, GoLiveDate());
    ++n;
  }
  EXPECT_EQ(n, summary_->Total().cases);
  EXPECT_GT(pensions, 0);
  // Folkepension for nearly everyone past pension age.
  const int64_t old = *db.QueryInt("SELECT count(*) FROM citizens WHERE birth_date <= '1951-12-11'");
  EXPECT_GT(pensions, old * 80 / 100);
}

TEST_F(GeneratorTest, PaymentsArePlausible) {
  store::Db db(TempPath("gen-a.db"), store::OpenMode::kReadOnly);
  store::Stmt s = db.Prepare("SELECT body FROM grants");
  int64_t grants = 0, past = 0, planned = 0;
  while (s.Step()) {
    const Grant g = nlohmann::json::parse(s.TextView(0)).get<Grant>();
    ASSERT_EQ(g.benefits.size(), 1u);
    for (const auto& p : g.payments) {
      EXPECT_GE(p.gross, p.after_tax);
      EXPECT_GE(p.after_tax, p.paid);
      EXPECT_GE(p.period_start, Date::FromYmd(2018, 1, 1));
      EXPECT_LE(p.period_end, Date::FromYmd(2019, 12, 31));
      EXPECT_LT(p.gross.ore, 100'000'00);  // under 100.000 kr. a period
      if (p.planned_on(GoLiveDate())) {
        ++planned;
        EXPECT_EQ(p.paid.ore, 0);
      } else {
        ++past;
        EXPECT_GT(p.paid.ore, 0);
      }
    }
    ++grants;
  }
  EXPECT_EQ(grants, summary_->Total().grants);
  EXPECT_GT(past, grants);
  EXPECT_GT(planned, 0);
}

// Ground truth: the data shows exactly the planted defects, nothing more, nothing less.
TEST_F(GeneratorTest, PlantedDefectsAreExactlyWhatValidationFinds) {
  const std::map<std::string, std::string> rule_of = {
      {"unit.set", "missing_unit"},       {"status.no_gap", "status_gap"}, {"status.stale", "stale_status"},
      {"title.no_jargon", "jargon_title"}, {"kle.subject_known", "unknown_kle"},
      {"grant.period", "payment_without_grant_period"}};
  ValidationContext ctx;
  ctx.kle = &inputs_->kle;
  ctx.jargon = &inputs_->jargon_terms;
  store::Db db(TempPath("gen-a.db"), store::OpenMode::kReadOnly);
  std::set<std::tuple<std::string, std::string, std::string>> truth, found;
  store::Stmt d = db.Prepare("SELECT item_kind, item_id, kind FROM defects");
  while (d.Step()) truth.insert({d.Text(0), d.Text(1), d.Text(2)});
  auto collect = [&](const std::string& kind, const std::string& id, const ValidationReport& r) {
    EXPECT_TRUE(r.errors.empty()) << kind << " " << id << ": " << r.errors.front().rule;
    for (const auto& w : r.warnings) {
      auto it = rule_of.find(w.rule);
      ASSERT_NE(it, rule_of.end()) << "unexpected warning " << w.rule << " on " << id;
      found.insert({kind, id, it->second});
    }
  };
  store::Stmt cs = db.Prepare("SELECT body FROM cases");
  while (cs.Step()) {
    const Case c = nlohmann::json::parse(cs.TextView(0)).get<Case>();
    collect("case", c.id, ValidateCase(c, ctx));
  }
  store::Stmt gs = db.Prepare("SELECT body FROM grants");
  while (gs.Step()) {
    const Grant g = nlohmann::json::parse(gs.TextView(0)).get<Grant>();
    collect("grant", g.id, ValidateGrant(g, ctx));
  }
  EXPECT_EQ(found, truth);
  EXPECT_GT(truth.size(), 50u);
}

TEST_F(GeneratorTest, DefectRatesWithinToleranceOfConfig) {
  for (const auto& m : summary_->municipalities) {
    const auto& cfg = *std::find_if(inputs_->municipalities.begin(), inputs_->municipalities.end(),
                                    [&](const Municipality& x) { return x.code == m.code; });
    for (const auto& [kind, rate] : cfg.defect_rates) {
      const double n = static_cast<double>(m.defect_eligible.count(kind) ? m.defect_eligible.at(kind) : 0);
      if (n < 30) continue;  // too few eligible items at this scale to judge
      const double got = static_cast<double>(m.defects.count(kind) ? m.defects.at(kind) : 0);
      const double sigma = std::sqrt(n * rate * (1 - rate));
      EXPECT_NEAR(got, n * rate, 4 * sigma + 1) << m.name << " " << kind;
    }
  }
}

TEST(GeneratorInputsTest, BadScaleAndUnknownMunicipalityAreRefused) {
  auto in = LoadGeneratorInputs(kPilots);
  ASSERT_TRUE(in.ok());
  struct NullSink : PopulationSink {
    void Municipality(const adda::Municipality&) override {}
    void Citizen(const adda::Citizen&) override {}
    void Case(const store::CaseRow&) override {}
    void Grant(const store::GrantRow&) override {}
    void Defect(int, const std::string&, const std::string&, const std::string&) override {}
  } sink;
  GenerateOptions opt;
  opt.scale = 0;
  EXPECT_EQ(GeneratePopulation(*in, opt, sink, nullptr, nullptr).status().code(), "config.invalid");
  opt.scale = 0.001;
  opt.only_municipality = 101;
  EXPECT_EQ(GeneratePopulation(*in, opt, sink, nullptr, nullptr).status().code(), "config.invalid");
}

TEST(GeneratorInputsTest, MissingFolderIsAClearError) {
  auto in = LoadGeneratorInputs("/nonexistent/pilots");
  ASSERT_FALSE(in.ok());
  EXPECT_NE(in.status().message().find("/nonexistent/pilots"), std::string::npos);
}

}  // namespace
}  // namespace adda::sim
