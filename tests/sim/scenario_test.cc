// Scenario files: every shipped scenario parses, and a bad one names the file, the field
// and the reason for each problem, all at once.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "sim/scenario.h"

namespace adda::sim {
namespace {

nlohmann::json Minimal() {
  return nlohmann::json::parse(R"({
    "name": "t", "municipalities": [751], "scale": 0.002, "seed": 1,
    "load": {"model": "closed", "stages": [{"duration_s": 5, "target": 2}]},
    "personas": [{"name": "p"}],
    "journeys": [{"name": "j", "steps": [{"step": "login"}, {"step": "overview", "think_s": 1}]}]
  })");
}

std::vector<std::string> Fields(const Status& s) {
  std::vector<std::string> out;
  for (const auto& v : s.violations()) out.push_back(v.field + " " + v.rule);
  return out;
}

TEST(Scenario, EveryShippedScenarioParses) {
  int n = 0;
  for (const auto& e : std::filesystem::directory_iterator(std::string(ADDA_SOURCE_DIR) + "/pilots/scenarios")) {
    auto s = LoadScenario(e.path().string());
    EXPECT_TRUE(s.ok()) << DescribeScenarioErrors(s.status(), e.path().string());
    ++n;
  }
  EXPECT_GE(n, 6);
}

TEST(Scenario, MinimalGetsDocumentedDefaults) {
  auto s = ParseScenario(Minimal(), "t.json");
  ASSERT_TRUE(s.ok()) << DescribeScenarioErrors(s.status(), "t.json");
  EXPECT_EQ(s->clock_start.ToString(), "2018-12-11T08:00:00.000Z");
  EXPECT_EQ(s->request_timeout_ms, 5000);
  EXPECT_EQ(s->personas[0].digital_habit, "medium");
  EXPECT_EQ(s->journeys[0].steps[1].step, Step::kOverview);
  EXPECT_DOUBLE_EQ(s->load.duration_s(), 5);
}

TEST(Scenario, EveryProblemIsReportedWithItsFieldAndReason) {
  auto j = Minimal();
  j["scale"] = "big";
  j["load"]["stages"][0]["duration_s"] = -1;
  j["journeys"][0]["steps"][1]["step"] = "overveiw";
  j["personas"][0]["patiense_s"] = 3;
  j["thresholds"] = {{{"id", "x"}, {"metric", "step_p95_ms"}, {"scope", "nosuchstep"}, {"op", "<="}, {"limit", 1}}};
  auto s = ParseScenario(j, "bad.json");
  ASSERT_FALSE(s.ok());
  const auto f = Fields(s.status());
  for (const char* want : {"scale field.type", "load.stages[0].duration_s field.range", "journeys[0].steps[1].step field.enum",
                           "personas[0].patiense_s field.unknown", "thresholds[0].scope field.invalid"})
    EXPECT_NE(std::find(f.begin(), f.end(), want), f.end()) << want;
  const auto text = DescribeScenarioErrors(s.status(), "bad.json");
  EXPECT_NE(text.find("bad.json: journeys[0].steps[1].step: 'overveiw' is not a step"), std::string::npos) << text;
}

TEST(Scenario, MissingFileAndMalformedJsonAreClearErrors) {
  auto missing = LoadScenario("/nonexistent/x.json");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(DescribeScenarioErrors(missing.status(), "/nonexistent/x.json").find("cannot open"), std::string::npos);
  const std::string path = std::string(ADDA_TEST_TMP) + "/malformed-scenario.json";
  std::filesystem::create_directories(ADDA_TEST_TMP);
  { std::ofstream(path) << "{\"name\": "; }
  auto bad = LoadScenario(path);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().violations().at(0).rule, "json.malformed");
}

TEST(Scenario, CalendarNeedsTheOpenModelAndFaultsNeedAnOrderedWindow) {
  auto j = Minimal();
  j["load"]["calendar"] = {{"simulated_hours", 6}};
  j["faults"] = {{{"name", "f"}, {"start_s", 4}, {"end_s", 2}, {"rule", {{"outage", true}}}}};
  auto s = ParseScenario(j, "t.json");
  ASSERT_FALSE(s.ok());
  const auto f = Fields(s.status());
  for (const char* want : {"load.calendar field.invalid", "faults[0].end_s field.range", "faults[0].rule.route field.required"})
    EXPECT_NE(std::find(f.begin(), f.end(), want), f.end()) << want;
}

TEST(Scenario, StagesRampLinearly) {
  LoadModel l;
  l.stages = {{10, 10}, {10, 10}, {10, 0}};
  EXPECT_DOUBLE_EQ(l.TargetAt(0), 0);
  EXPECT_DOUBLE_EQ(l.TargetAt(5), 5);
  EXPECT_DOUBLE_EQ(l.TargetAt(15), 10);
  EXPECT_DOUBLE_EQ(l.TargetAt(25), 5);
  EXPECT_DOUBLE_EQ(l.TargetAt(99), 0);
}

TEST(Scenario, CalendarPeaksOnMondayMorningsAndAroundPayday) {
  const auto monday_9 = *Timestamp::Parse("2018-12-10T09:00:00Z");
  const auto wednesday_9 = *Timestamp::Parse("2018-12-12T09:00:00Z");
  const auto wednesday_3 = *Timestamp::Parse("2018-12-12T03:00:00Z");
  const auto payday_9 = *Timestamp::Parse("2018-11-30T09:00:00Z");  // last bank day of November 2018 (Friday)
  const auto after_payday = *Timestamp::Parse("2018-12-01T12:00:00Z");
  EXPECT_GT(CalendarFactor(monday_9), CalendarFactor(wednesday_9));
  EXPECT_GT(CalendarFactor(wednesday_9), 10 * CalendarFactor(wednesday_3));
  EXPECT_GT(CalendarFactor(payday_9), 1.5 * CalendarFactor(*Timestamp::Parse("2018-11-23T09:00:00Z")));
  EXPECT_GT(CalendarFactor(after_payday), CalendarFactor(*Timestamp::Parse("2018-12-08T12:00:00Z")));
}

}  // namespace
}  // namespace adda::sim
