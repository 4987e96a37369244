// Small-sample statistics for reading small usability studies honestly.
//
// Following Sauro & Lewis, "Quantifying the User Experience": completion rates with the
// adjusted-Wald interval, means with Student's t interval, times on task as geometric
// means with the interval taken on the log scale, and System Usability Scale (SUS)
// scoring, curved grades and percentile ranks. Pure functions of their arguments:
// no I/O, no state, safe to call from any thread. All intervals are two-sided.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace adda {

struct Proportion {
  double rate = 0;  // observed successes / n
  double low = 0;   // interval bounds, within [0, 1]
  double high = 0;
};

// Observed rate successes / n with the adjusted-Wald (Agresti–Coull) interval:
// p_adj = (x + z²/2) / (n + z²), p_adj ± z·sqrt(p_adj(1 − p_adj) / (n + z²)), clamped to
// [0, 1]. z = 1.96 gives 95%. n == 0 yields {0, 0, 1}. successes > n is treated as n.
Proportion AdjustedWald(uint64_t successes, uint64_t n, double z = 1.96);

struct MeanCi {
  size_t n = 0;  // number of values used
  double mean = 0;
  double sd = 0;   // sample standard deviation (divides by n − 1)
  double low = 0;  // 95% interval bounds
  double high = 0;
};

// Mean, sample sd and 95% interval mean ± t·sd/√n with Student's t at df = n − 1: exact
// (4-digit) table values for df 1..30, beyond that the Cornish–Fisher expansion of t in
// terms of the normal quantile (error < 1e-4). n == 0 gives all zeros; n == 1 gives
// low == high == mean and sd 0.
MeanCi MeanWithCi(const std::vector<double>& xs);

// Geometric mean of the positive values, with the 95% interval computed on the natural
// logs by MeanWithCi and back-transformed (Sauro & Lewis's choice for time on task).
// Non-positive values are ignored, and n counts only the positive ones; sd is the sd of
// the logs. No positive values gives all zeros.
MeanCi GeometricMean(const std::vector<double>& positive);

// Standard SUS score 0..100 from the ten answers in questionnaire order: odd-numbered
// items (1st, 3rd, …) contribute answer − 1, even-numbered 5 − answer; the sum × 2.5.
// nullopt if any answer is outside 1..5.
std::optional<double> SusScore(const std::array<int, 10>& answers);

// Sauro–Lewis curved grade of a SUS score: "A+" (>= 84.1), "A" (>= 80.8), "A-" (>= 78.9),
// "B+" (>= 77.2), "B" (>= 74.1), "B-" (>= 72.6), "C+" (>= 71.1), "C" (>= 65.0),
// "C-" (>= 62.7), "D" (>= 51.7), else "F".
std::string SusGrade(double score);

// Percentile rank 0..100 of a SUS score against the norm (normal, mean 68, sd 12.5),
// rounded and clamped; 68 gives 50.
int SusPercentile(double score);

}  // namespace adda
