// The journey plan is a pure function of the scenario and its seed, and simulated
// answers are a pure function of the seed and what the persona met.
#include <gtest/gtest.h>

#include "sim/feedback_model.h"
#include "sim/plan.h"

namespace adda::sim {
namespace {

Population Users() {
  std::vector<TestUser> users;
  for (int m : {561, 751})
    for (int i = 0; i < 40; ++i)
      users.push_back({std::to_string(m) + "0101" + std::to_string(1000 + i), m,
                       Date::FromYmd(1940 + i * 2, 1 + i % 12, 1 + i % 28)});
  return Population(users, GoLiveDate());
}

Scenario Make(uint64_t seed, bool open) {
  auto j = nlohmann::json::parse(R"({
    "name": "t", "municipalities": [561, 751], "seed": 1,
    "load": {"model": "closed", "stages": [{"duration_s": 60, "target": 20}], "journeys": 500},
    "personas": [{"name": "young", "age_group": "18-29", "weight": 2}, {"name": "old", "age_group": "65+", "think_factor": 2}],
    "journeys": [{"name": "a", "steps": [{"step": "login"}, {"step": "overview", "think_s": 3}]},
                 {"name": "b", "weight": 3, "steps": [{"step": "login"}, {"step": "export", "think_s": 5}]}]
  })");
  j["seed"] = seed;
  if (open) {
    j["load"] = {{"model", "open"}, {"stages", {{{"duration_s", 0.01}, {"target", 5}}, {{"duration_s", 59.99}, {"target", 5}}}}, {"calendar", {{"simulated_hours", 24}}}};
  }
  auto s = ParseScenario(j, "t.json");
  EXPECT_TRUE(s.ok()) << DescribeScenarioErrors(s.status(), "t.json");
  return *s;
}

TEST(Plan, SameSeedSameScenarioSamePlan) {
  const auto users = Users();
  for (bool open : {false, true}) {
    const auto s1 = Make(7, open), s2 = Make(7, open);
    Plan a(s1, users), b(s2, users);
    EXPECT_EQ(a.Digest(), b.Digest());
    EXPECT_EQ(a.total(), b.total());
    EXPECT_EQ(a.arrivals(), b.arrivals());
    for (uint64_t i : {0, 1, 17, 499}) {
      const auto x = a.At(i), y = b.At(i);
      EXPECT_EQ(x.persona, y.persona);
      EXPECT_EQ(x.journey, y.journey);
      EXPECT_EQ(x.user, y.user);
      EXPECT_EQ(x.think_s, y.think_s);
      EXPECT_EQ(x.seed, y.seed);
    }
  }
}

TEST(Plan, AnotherSeedAnotherPlan) {
  const auto users = Users();
  const auto s1 = Make(7, false), s2 = Make(8, false);
  EXPECT_NE(Plan(s1, users).Digest(), Plan(s2, users).Digest());
}

TEST(Plan, FollowsTheWeightsAndTheAgeGroups) {
  const auto users = Users();
  const auto s = Make(3, false);
  Plan p(s, users);
  int journey_b = 0, young_ok = 0, young = 0;
  for (uint64_t i = 0; i < 500; ++i) {
    const auto j = p.At(i);
    journey_b += j.journey == 1;
    if (j.persona == 0) {
      ++young;
      young_ok += users.AgeBandOf(j.user) == "18-29";
    }
    EXPECT_EQ(j.think_s.size(), 2u);
    EXPECT_EQ(users.users()[j.user].municipality, j.municipality);
  }
  EXPECT_NEAR(journey_b / 500.0, 0.75, 0.06);
  EXPECT_NEAR(young / 500.0, 2.0 / 3, 0.06);
  EXPECT_EQ(young_ok, young);  // the population has 18-29 year olds in both municipalities
}

TEST(Plan, OpenModelArrivalsFollowTheRateAndTheCalendar) {
  const auto users = Users();
  const auto s = Make(5, true);
  Plan p(s, users);
  ASSERT_GT(p.total(), 20u);
  EXPECT_EQ(p.total(), p.arrivals().size());
  EXPECT_TRUE(std::is_sorted(p.arrivals().begin(), p.arrivals().end()));
  EXPECT_LT(p.arrivals().back(), 60);
  // 24 simulated hours from 08:00: the first third (08–16) is busier than the last (00–08).
  const auto first = std::count_if(p.arrivals().begin(), p.arrivals().end(), [](double t) { return t < 20; });
  const auto last = std::count_if(p.arrivals().begin(), p.arrivals().end(), [](double t) { return t >= 40; });
  EXPECT_GT(first, 2 * last);
}

TEST(Plan, EachCitizenOnceInOrder) {
  const auto users = Users();
  auto j = Make(1, false).source;
  j["load"].erase("journeys");
  j["load"]["citizens"] = "each";
  auto s = ParseScenario(j, "t.json");
  ASSERT_TRUE(s.ok());
  Plan p(*s, users);
  ASSERT_EQ(p.total(), users.size());
  for (uint32_t i = 0; i < users.size(); ++i) EXPECT_EQ(p.At(i).user, i);
}

Experience Calm() {
  Experience e;
  e.steps_planned = e.steps_done = 4;
  e.latencies_ms = {5, 8, 6, 3};
  e.slowest_ms = 8;
  e.explanations_read = 1;
  return e;
}

double MeanSus(const Persona& p, const Experience& e) {
  double sum = 0;
  for (uint64_t seed = 0; seed < 300; ++seed) {
    const auto a = SimulateAnswer(p, e, seed);
    double s = 0;
    for (int i = 0; i < 10; ++i) s += i % 2 == 0 ? a.sus[i] - 1 : 5 - a.sus[i];
    sum += s * 2.5;
  }
  return sum / 300;
}

TEST(FeedbackModel, AnswersAreADeterministicFunctionOfSeedAndExperience) {
  Persona p;
  const auto e = Calm();
  const auto a = SimulateAnswer(p, e, 42), b = SimulateAnswer(p, e, 42);
  EXPECT_EQ(a.rating, b.rating);
  EXPECT_EQ(a.sus, b.sus);
  EXPECT_EQ(a.text, b.text);
  for (int v : a.sus) {
    EXPECT_GE(v, 1);
    EXPECT_LE(v, 5);
  }
}

TEST(FeedbackModel, WhatThePersonaMetMovesTheAnswers) {
  Persona p;
  const auto calm = Calm();
  auto failed = calm;
  failed.errors = 1;
  failed.failed = true;
  auto slow = calm;
  slow.slowest_ms = p.patience_s * 1000 * 1.5;
  slow.abandoned = true;
  auto confusing = calm;
  confusing.explanations_missing = 2;
  confusing.jargon_seen = 1;
  confusing.explanations_read = 0;
  const double base = MeanSus(p, calm);
  EXPECT_GT(base, 68);
  EXPECT_LT(MeanSus(p, failed), base - 15);
  EXPECT_LT(MeanSus(p, slow), base - 15);
  EXPECT_LT(MeanSus(p, confusing), base - 5);
  EXPECT_EQ(SimulateAnswer(p, failed, 1).theme, "errors");
  EXPECT_EQ(SimulateAnswer(p, slow, 1).theme, "slow");
  EXPECT_EQ(SimulateAnswer(p, confusing, 1).theme, "confusing");
  Persona easy = p;
  easy.reading_level = "easy";
  EXPECT_LT(MeanSus(easy, confusing), MeanSus(p, confusing));
}

}  // namespace
}  // namespace adda::sim
