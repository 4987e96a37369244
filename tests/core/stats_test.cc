#include "core/stats.h"

#include <gtest/gtest.h>

#include <cmath>

namespace adda {
namespace {

TEST(Stats, AdjustedWaldHandComputed) {
  // 9 of 10: p_adj = (9 + 1.9208) / 13.8416 = 0.78898; half width 0.21496.
  const Proportion p = AdjustedWald(9, 10);
  EXPECT_DOUBLE_EQ(p.rate, 0.9);
  EXPECT_NEAR(p.low, 0.57403, 1e-4);
  EXPECT_DOUBLE_EQ(p.high, 1.0);  // 1.00394, clamped
}

TEST(Stats, AdjustedWaldTable) {
  struct Case {
    uint64_t x, n;
    double rate, low, high;
  };
  const Case cases[] = {
      {5, 10, 0.5, 0.23659, 0.76341},
      {0, 10, 0.0, 0.0, 0.32090},  // low -0.0434, clamped
      {0, 0, 0.0, 0.0, 1.0},       // no data: know nothing
  };
  for (const Case& c : cases) {
    const Proportion p = AdjustedWald(c.x, c.n);
    EXPECT_DOUBLE_EQ(p.rate, c.rate) << c.x << "/" << c.n;
    EXPECT_NEAR(p.low, c.low, 1e-4) << c.x << "/" << c.n;
    EXPECT_NEAR(p.high, c.high, 1e-4) << c.x << "/" << c.n;
  }
}

TEST(Stats, MeanWithCi) {
  // Mean 5, sample sd 2.13809; t(7) = 2.3646.
  const MeanCi m = MeanWithCi({2, 4, 4, 4, 5, 5, 7, 9});
  EXPECT_EQ(m.n, 8u);
  EXPECT_DOUBLE_EQ(m.mean, 5.0);
  EXPECT_NEAR(m.sd, 2.13809, 1e-5);
  EXPECT_NEAR(m.low, 3.21253, 1e-4);
  EXPECT_NEAR(m.high, 6.78747, 1e-4);
}

TEST(Stats, MeanWithCiDegenerateSizes) {
  const MeanCi empty = MeanWithCi({});
  EXPECT_EQ(empty.n, 0u);
  EXPECT_EQ(empty.mean, 0.0);
  EXPECT_EQ(empty.low, 0.0);
  EXPECT_EQ(empty.high, 0.0);
  const MeanCi one = MeanWithCi({3.5});
  EXPECT_EQ(one.n, 1u);
  EXPECT_EQ(one.mean, 3.5);
  EXPECT_EQ(one.sd, 0.0);
  EXPECT_EQ(one.low, 3.5);
  EXPECT_EQ(one.high, 3.5);
}

TEST(Stats, MeanWithCiLargeSampleApproachesNormal) {
  // 200 values alternating 0 and 1: sd ~0.50125, t(199) ~1.97196.
  std::vector<double> xs;
  for (int i = 0; i < 200; ++i) xs.push_back(i % 2);
  const MeanCi m = MeanWithCi(xs);
  const double half = 1.97196 * m.sd / std::sqrt(200.0);
  EXPECT_NEAR(m.high - m.mean, half, 1e-4);
}

TEST(Stats, GeometricMean) {
  const MeanCi g = GeometricMean({1, 10, 100, 0, -5});  // non-positive values ignored
  EXPECT_EQ(g.n, 3u);
  EXPECT_NEAR(g.mean, 10.0, 1e-9);
  EXPECT_NEAR(g.sd, std::log(10.0), 1e-9);
  EXPECT_NEAR(g.low, 0.0327971, 1e-5);  // exp(ln 10 ± 4.3027 · ln 10 / √3)
  EXPECT_NEAR(g.high, 3049.05, 0.05);
  EXPECT_EQ(GeometricMean({0, -1}).n, 0u);
  EXPECT_EQ(GeometricMean({}).mean, 0.0);
}

TEST(Stats, SusScoreKnownAnswers) {
  struct Case {
    std::array<int, 10> answers;
    std::optional<double> score;
  };
  const Case cases[] = {
      {{3, 3, 3, 3, 3, 3, 3, 3, 3, 3}, 50.0},
      {{5, 1, 5, 1, 5, 1, 5, 1, 5, 1}, 100.0},
      {{1, 5, 1, 5, 1, 5, 1, 5, 1, 5}, 0.0},
      {{4, 2, 4, 2, 4, 2, 4, 2, 4, 2}, 75.0},
      {{3, 3, 3, 3, 3, 3, 3, 3, 3, 6}, std::nullopt},
      {{0, 3, 3, 3, 3, 3, 3, 3, 3, 3}, std::nullopt},
  };
  for (const Case& c : cases) EXPECT_EQ(SusScore(c.answers), c.score);
}

TEST(Stats, SusGradeBoundaries) {
  struct Case {
    double score;
    const char* grade;
  };
  const Case cases[] = {
      {100, "A+"},  {84.1, "A+"}, {84.0, "A"}, {80.8, "A"}, {80.7, "A-"}, {78.9, "A-"},
      {78.8, "B+"}, {77.2, "B+"}, {77.1, "B"}, {74.1, "B"}, {74.0, "B-"}, {72.6, "B-"},
      {72.5, "C+"}, {71.1, "C+"}, {71.0, "C"}, {68, "C"},   {65.0, "C"},  {64.9, "C-"},
      {62.7, "C-"}, {62.6, "D"},  {51.7, "D"}, {51.6, "F"}, {0, "F"},
  };
  for (const Case& c : cases) EXPECT_EQ(SusGrade(c.score), c.grade) << c.score;
}

TEST(Stats, SusPercentile) {
  struct Case {
    double score;
    int percentile;
  };
  const Case cases[] = {{68, 50}, {80, 83}, {50, 7}, {100, 99}, {0, 0}, {-50, 0}, {200, 100}};
  for (const Case& c : cases) EXPECT_EQ(SusPercentile(c.score), c.percentile) << c.score;
}

}  // namespace
}  // namespace adda
