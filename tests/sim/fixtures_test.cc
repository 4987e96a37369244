// The shipped fixtures hold together: every code they use exists, every subject and
// status has a citizen explanation, and none of the plain titles is jargon.
#include <gtest/gtest.h>

#include "core/fixtures.h"
#include "core/kle.h"
#include "core/validation.h"
#include "sim/case_mix.h"
#include "sim/names.h"

namespace adda::sim {
namespace {

nlohmann::json Fixture(const char* name) { return nlohmann::json::parse(EmbeddedFixture(name)); }

TEST(Fixtures, KleHasEveryDomainSubject) {
  auto kle = KleCatalogue::FromJson(Fixture("kle"));
  ASSERT_TRUE(kle.ok()) << kle.status().ToString();
  for (const char* code : {"02.34.02", "15.17.06", "27.36.04", "28.09.40", "32.03.04", "32.03.16",
                           "32.24.04", "34.25.00"})
    EXPECT_NE(kle->Subject(code), nullptr) << code;
  EXPECT_EQ(kle->Subject("32.03.04")->deliverer, Deliverer::kUdbetalingDanmark);
  EXPECT_EQ(kle->Subject("27.36.04")->deliverer, Deliverer::kMunicipality);
  EXPECT_TRUE(kle->FacetTitle("G01").has_value());
  EXPECT_EQ(kle->main_groups().size(), 10u);
}

TEST(Fixtures, CaseMixDecodesAndCoversEverySubject) {
  auto kle = KleCatalogue::FromJson(Fixture("kle")).value();
  auto rules = DecodeCaseMix(Fixture("case_mix"), kle);
  ASSERT_TRUE(rules.ok()) << rules.status().ToString();
  std::set<std::string> covered;
  for (const auto& r : *rules) covered.insert(r.kle);
  for (const auto& s : kle.subjects()) EXPECT_TRUE(covered.count(s.code)) << s.code;
}

TEST(Fixtures, ExplanationsCoverEveryStatusAreaAndSubject) {
  const auto e = Fixture("explanations");
  auto kle = KleCatalogue::FromJson(Fixture("kle")).value();
  for (const auto& s : CaseStatusNames())
    for (const char* k : {"label", "means", "next", "you_can"})
      EXPECT_FALSE(e["statuses"][s].value(k, "").empty()) << s << "." << k;
  for (const auto& [code, title] : kle.main_groups())
    for (const char* k : {"means", "next", "you_can"}) EXPECT_FALSE(e["areas"][code].value(k, "").empty()) << code;
  for (const auto& s : kle.subjects()) EXPECT_TRUE(e["subjects"].contains(s.code)) << s.code;
  for (const auto& o : DecisionOutcomeNames()) EXPECT_TRUE(e["outcomes"].contains(o)) << o;
  for (const char* d : {"missing_unit", "status_gap", "stale_status", "unknown_kle", "payment_without_grant_period"})
    EXPECT_TRUE(e["defects"].contains(d)) << d;
}

TEST(Fixtures, PlainTitlesHaveNoJargonAndJargonTitlesDo) {
  const auto e = Fixture("explanations");
  const auto jargon = e["jargon"].get<std::vector<std::string>>();
  auto kle = KleCatalogue::FromJson(Fixture("kle")).value();
  const auto rules = DecodeCaseMix(Fixture("case_mix"), kle).value();
  for (const auto& r : rules) {
    EXPECT_EQ(FindJargon(r.title, jargon), "") << r.title;
    for (const auto& d : r.documents) EXPECT_EQ(FindJargon(d.title, jargon), "") << d.title;
  }
  for (const auto& t : e["jargon_titles"]) EXPECT_NE(FindJargon(t.get<std::string>(), jargon), "") << t;
}

TEST(Fixtures, NamesLoadWithCohorts) {
  auto names = NameTables::FromJson(Fixture("names"));
  ASSERT_TRUE(names.ok()) << names.status().ToString();
  Rng rng(1);
  std::set<std::string> old_women, young_women;
  for (int i = 0; i < 300; ++i) {
    old_women.insert(names->FirstName(rng, Sex::kFemale, 1945));
    young_women.insert(names->FirstName(rng, Sex::kFemale, 2012));
  }
  EXPECT_GT(old_women.size(), 10u);
  // Cohorts differ: the most common names of 1945 are not those of 2012.
  std::vector<std::string> both;
  std::set_intersection(old_women.begin(), old_women.end(), young_women.begin(), young_women.end(),
                        std::back_inserter(both));
  EXPECT_LT(both.size(), old_women.size() / 2);
}

}  // namespace
}  // namespace adda::sim
