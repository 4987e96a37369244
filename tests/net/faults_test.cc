// The fault injector in process, on a manual clock: windows open and close when the clock
// says, not when a test has slept long enough.
#include <gtest/gtest.h>

#include "core/clock.h"
#include "net/faults.h"

namespace adda::net {
namespace {

TEST(Faults, AWindowOpensAndClosesOnTheInjectedClock) {
  ManualClock clock(GoLiveMorning());
  FaultInjector faults(clock);
  ASSERT_TRUE(faults.Add({{"route", "/v1/*"}, {"outage", true}, {"window", {{"start_s", 10}, {"end_s", 20}}}}).ok());
  EXPECT_FALSE(faults.Decide("GET", "/v1/overview").outage) << "before the window";
  clock.Advance(9'999);
  EXPECT_FALSE(faults.Decide("GET", "/v1/overview").outage) << "a millisecond before";
  clock.Advance(1);
  EXPECT_TRUE(faults.Decide("GET", "/v1/overview").outage) << "at its start";
  EXPECT_FALSE(faults.Decide("GET", "/health").outage) << "outside the route";
  clock.Advance(9'999);
  EXPECT_TRUE(faults.Decide("GET", "/v1/cases/x").outage);
  clock.Advance(1);
  EXPECT_FALSE(faults.Decide("GET", "/v1/overview").outage) << "at its end";
  const auto described = faults.Describe();
  ASSERT_EQ(described.size(), 1u);
  EXPECT_DOUBLE_EQ(described[0]["age_s"].get<double>(), 20.0);
  EXPECT_EQ(described[0]["matched"], 2);
}

TEST(Faults, ReplacingTheRulesRestartsTheirWindows) {
  ManualClock clock(GoLiveMorning());
  FaultInjector faults(clock);
  const nlohmann::json rules = nlohmann::json::array(
      {{{"route", "*"}, {"error_rate", 1.0}, {"error_status", 502}, {"window", {{"end_s", 5}}}}});
  ASSERT_TRUE(faults.ReplaceAll(rules).ok());
  EXPECT_EQ(faults.Decide("POST", "/anything").error_status, 502);
  clock.Advance(5'000);
  EXPECT_EQ(faults.Decide("POST", "/anything").error_status, 0) << "the window ended";
  ASSERT_TRUE(faults.ReplaceAll(rules).ok());
  EXPECT_EQ(faults.Decide("POST", "/anything").error_status, 502) << "a fresh rule counts from now";
}

TEST(Faults, ABadRuleNamesItsFieldAndChangesNothing) {
  ManualClock clock(GoLiveMorning());
  FaultInjector faults(clock);
  ASSERT_TRUE(faults.Add({{"route", "/v1/*"}, {"outage", true}}).ok());
  const auto s = faults.ReplaceAll(nlohmann::json::array(
      {{{"route", "/x"}}, {{"route", "/y"}, {"window", {{"start_s", 5}, {"end_s", 1}}}}}));
  ASSERT_FALSE(s.ok());
  bool named = false;
  for (const auto& v : s.violations()) named = named || v.field.rfind("[1].window", 0) == 0;
  EXPECT_TRUE(named) << s.message();
  EXPECT_TRUE(faults.Decide("GET", "/v1/overview").outage) << "the old rules still stand";
  EXPECT_FALSE(faults.ReplaceAll(nlohmann::json::object()).ok()) << "an object is not an array of rules";
}

// The schema /openapi.json documents and the parser are one list of fields: what Describe
// shows is accepted back (every field the schema names), and a field it does not name is
// refused by name.
TEST(Faults, TheRuleSchemaIsTheParsersListOfFields) {
  ManualClock clock(GoLiveMorning());
  FaultInjector faults(clock);
  const auto& schema = FaultInjector::RuleSchema();
  EXPECT_EQ(schema["additionalProperties"], false);
  ASSERT_TRUE(faults.Add({{"route", "/v1/*"}, {"method", "GET"}, {"latency", {{"ms", 5}}}, {"error_rate", 0.5},
                          {"error_status", 503}, {"drop_rate", 0.1}, {"outage", false},
                          {"window", {{"start_s", 1}, {"end_s", 2}}}})
                  .ok());
  const auto shown = faults.Describe()[0];
  nlohmann::json back = nlohmann::json::object();
  for (const auto& [k, v] : shown.items())
    if (schema["properties"].contains(k)) back[k] = v;
  EXPECT_GE(back.size(), 8u);
  const auto readded = faults.Add(back);
  EXPECT_TRUE(readded.ok()) << readded.status().ToString();
  for (const auto& [k, _] : schema["properties"].items()) EXPECT_TRUE(shown.contains(k)) << k << " is in the schema but Describe never shows it";
  const auto refused = faults.Add({{"route", "*"}, {"latency_ms", 5}});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().violations().at(0).rule, "field.unknown");
  EXPECT_EQ(refused.status().violations().at(0).field, "latency_ms");
}

}  // namespace
}  // namespace adda::net
