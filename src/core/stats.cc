#include "core/stats.h"

#include <algorithm>
#include <cmath>

namespace adda {

namespace {

// Two-sided 95% critical values of Student's t (the 0.975 quantile), df 1..30.
constexpr double kT975[30] = {12.7062, 4.3027, 3.1824, 2.7764, 2.5706, 2.4469, 2.3646, 2.3060,
                              2.2622,  2.2281, 2.2010, 2.1788, 2.1604, 2.1448, 2.1314, 2.1199,
                              2.1098,  2.1009, 2.0930, 2.0860, 2.0796, 2.0739, 2.0687, 2.0639,
                              2.0595,  2.0555, 2.0518, 2.0484, 2.0452, 2.0423};

double T975(size_t df) {
  if (df >= 1 && df <= 30) return kT975[df - 1];
  // Cornish–Fisher expansion of the t quantile around the normal one (Abramowitz &
  // Stegun 26.7.5); for df > 30 its first three terms are accurate to better than 1e-4.
  const double z = 1.959963984540054;
  const double z3 = z * z * z, z5 = z3 * z * z;
  const double d = static_cast<double>(df);
  return z + (z3 + z) / (4 * d) + (5 * z5 + 16 * z3 + 3 * z) / (96 * d * d);
}

}  // namespace

Proportion AdjustedWald(uint64_t successes, uint64_t n, double z) {
  if (n == 0) return {0.0, 0.0, 1.0};
  const double x = static_cast<double>(std::min(successes, n));
  const double z2 = z * z;
  const double n_adj = static_cast<double>(n) + z2;
  const double p_adj = (x + z2 / 2) / n_adj;
  const double half = z * std::sqrt(p_adj * (1 - p_adj) / n_adj);
  return {x / static_cast<double>(n), std::max(0.0, p_adj - half), std::min(1.0, p_adj + half)};
}

MeanCi MeanWithCi(const std::vector<double>& xs) {
  MeanCi r;
  r.n = xs.size();
  if (r.n == 0) return r;
  double sum = 0;
  for (double x : xs) sum += x;
  r.mean = sum / static_cast<double>(r.n);
  r.low = r.high = r.mean;
  if (r.n == 1) return r;
  double squares = 0;
  for (double x : xs) squares += (x - r.mean) * (x - r.mean);
  r.sd = std::sqrt(squares / static_cast<double>(r.n - 1));
  const double half = T975(r.n - 1) * r.sd / std::sqrt(static_cast<double>(r.n));
  r.low = r.mean - half;
  r.high = r.mean + half;
  return r;
}

MeanCi GeometricMean(const std::vector<double>& positive) {
  std::vector<double> logs;
  logs.reserve(positive.size());
  for (double x : positive) {
    if (x > 0) logs.push_back(std::log(x));
  }
  MeanCi r = MeanWithCi(logs);
  if (r.n == 0) return r;
  r.mean = std::exp(r.mean);
  r.low = std::exp(r.low);
  r.high = std::exp(r.high);
  return r;
}

std::optional<double> SusScore(const std::array<int, 10>& answers) {
  int sum = 0;
  for (size_t i = 0; i < answers.size(); ++i) {
    const int a = answers[i];
    if (a < 1 || a > 5) return std::nullopt;
    sum += i % 2 == 0 ? a - 1 : 5 - a;  // index 0 is item 1 (odd-numbered)
  }
  return sum * 2.5;
}

std::string SusGrade(double score) {
  struct Grade {
    double lower;
    const char* name;
  };
  static constexpr Grade kGrades[] = {{84.1, "A+"}, {80.8, "A"},  {78.9, "A-"}, {77.2, "B+"},
                                      {74.1, "B"},  {72.6, "B-"}, {71.1, "C+"}, {65.0, "C"},
                                      {62.7, "C-"}, {51.7, "D"}};
  for (const Grade& g : kGrades) {
    if (score >= g.lower) return g.name;
  }
  return "F";
}

int SusPercentile(double score) {
  const double p = 50.0 * std::erfc(-(score - 68.0) / (12.5 * std::sqrt(2.0)));
  return static_cast<int>(std::clamp(std::round(p), 0.0, 100.0));
}

}  // namespace adda
