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

}  // namespace
}  // namespace adda::net
