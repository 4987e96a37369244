#include "core/histogram.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

namespace adda {
namespace {

constexpr double kRelativeError = 1.0 / 64;

// The exact quantile with the rank rule the Histogram documents: rank ceil(q * n), >= 1.
uint64_t ExactQuantile(const std::vector<uint64_t>& sorted, double q) {
  const double exact = q * static_cast<double>(sorted.size());
  const auto rank = std::max<size_t>(1, static_cast<size_t>(std::ceil(exact * (1 - 1e-12))));
  return sorted[std::min(rank, sorted.size()) - 1];
}

// Log-uniform values from 1 to ~1e9, so every range of buckets gets exercised.
std::vector<uint64_t> RandomValues(uint64_t seed, size_t n) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> exponent(0.0, 9.0);
  std::vector<uint64_t> values(n);
  for (auto& v : values) v = static_cast<uint64_t>(std::pow(10.0, exponent(rng)));
  return values;
}

TEST(Histogram, EmptyIsAllZero) {
  Histogram h;
  EXPECT_EQ(h.Count(), 0u);
  EXPECT_EQ(h.Min(), 0u);
  EXPECT_EQ(h.Max(), 0u);
  EXPECT_EQ(h.Mean(), 0.0);
  for (double q : {0.0, 0.5, 1.0}) EXPECT_EQ(h.Quantile(q), 0u) << q;
}

TEST(Histogram, SmallValuesAreExact) {
  Histogram h;
  for (uint64_t v = 0; v < 128; ++v) h.Record(v);
  EXPECT_EQ(h.Count(), 128u);
  EXPECT_EQ(h.Min(), 0u);
  EXPECT_EQ(h.Max(), 127u);
  EXPECT_DOUBLE_EQ(h.Mean(), 63.5);
  EXPECT_EQ(h.Quantile(0.5), 63u);
  EXPECT_EQ(h.Quantile(0.25), 31u);
}

TEST(Histogram, QuantilesWithinRelativeErrorOfExact) {
  std::vector<uint64_t> values = RandomValues(20181211, 100000);
  Histogram h;
  double sum = 0;
  for (uint64_t v : values) {
    h.Record(v);
    sum += static_cast<double>(v);
  }
  std::sort(values.begin(), values.end());
  EXPECT_EQ(h.Count(), values.size());
  EXPECT_EQ(h.Min(), values.front());
  EXPECT_EQ(h.Max(), values.back());
  EXPECT_NEAR(h.Mean(), sum / values.size(), 1e-6 * h.Mean());
  for (double q : {0.0, 0.001, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 0.9999, 1.0}) {
    const double exact = static_cast<double>(ExactQuantile(values, q));
    const double got = static_cast<double>(h.Quantile(q));
    EXPECT_GE(got, exact) << "q=" << q;  // highest equivalent value: never below
    EXPECT_LE(got, exact * (1 + kRelativeError)) << "q=" << q;
  }
  EXPECT_EQ(h.Quantile(0.0), h.Min());
  EXPECT_EQ(h.Quantile(1.0), h.Max());
}

TEST(Histogram, QuantileStaysWithinMinAndMax) {
  Histogram h;
  h.RecordN(1000, 10);  // bucket [1000, 1007]: highest equivalent 1007 > Max
  for (double q : {0.0, 0.3, 0.5, 1.0}) EXPECT_EQ(h.Quantile(q), 1000u) << q;
}

TEST(Histogram, MergeEqualsRecordingIntoOne) {
  const std::vector<uint64_t> values = RandomValues(7, 30000);
  Histogram all, parts[3];
  for (size_t i = 0; i < values.size(); ++i) {
    all.Record(values[i]);
    parts[i % 3].Record(values[i]);
  }
  Histogram merged;
  for (const Histogram& p : parts) merged.Merge(p);
  merged.Merge(Histogram());  // merging an empty one changes nothing
  EXPECT_EQ(merged.Count(), all.Count());
  EXPECT_EQ(merged.Min(), all.Min());
  EXPECT_EQ(merged.Max(), all.Max());
  EXPECT_DOUBLE_EQ(merged.Mean(), all.Mean());
  for (int i = 0; i <= 1000; ++i) {
    EXPECT_EQ(merged.Quantile(i / 1000.0), all.Quantile(i / 1000.0)) << i;
  }
}

TEST(Histogram, RecordNEqualsRepeatedRecord) {
  Histogram a, b;
  a.RecordN(12345, 5);
  a.RecordN(99, 0);  // no-op
  for (int i = 0; i < 5; ++i) b.Record(12345);
  EXPECT_EQ(a.Count(), 5u);
  EXPECT_EQ(a.Min(), b.Min());
  EXPECT_EQ(a.Quantile(0.5), b.Quantile(0.5));
  EXPECT_DOUBLE_EQ(a.Mean(), 12345.0);
}

TEST(Histogram, HugeValuesClampIntoTopBucketButKeepExactMaxAndMean) {
  Histogram h;
  h.Record(10);
  h.Record(Histogram::kMaxTrackable);
  h.Record(UINT64_MAX);
  h.Record(UINT64_MAX);  // the sum overflows 64 bits; the mean must not
  EXPECT_EQ(h.Max(), UINT64_MAX);
  EXPECT_EQ(h.Min(), 10u);
  EXPECT_EQ(h.Quantile(1.0), UINT64_MAX);
  EXPECT_EQ(h.Quantile(0.25), 10u);
  // The top bucket has no upper edge, so any rank that lands in it reports the exact Max.
  EXPECT_EQ(h.Quantile(0.5), UINT64_MAX);
  const double expected =
      (10.0 + static_cast<double>(Histogram::kMaxTrackable) + 2.0 * UINT64_MAX) / 4;
  EXPECT_DOUBLE_EQ(h.Mean(), expected);
}

TEST(Histogram, ResetForgetsEverything) {
  Histogram h;
  h.Record(5);
  h.Record(500000);
  h.Reset();
  EXPECT_EQ(h.Count(), 0u);
  EXPECT_EQ(h.Max(), 0u);
  EXPECT_EQ(h.Quantile(0.5), 0u);
  h.Record(42);
  EXPECT_EQ(h.Min(), 42u);
  EXPECT_EQ(h.Quantile(0.5), 42u);
}

}  // namespace
}  // namespace adda
