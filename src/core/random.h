// Seeded random streams: reproducible, cheap, one per entity or worker.
//
// Rng is xoshiro256** seeded through SplitMix64. DeriveSeed mixes a parent seed with
// a label and an index so that every municipality, citizen or virtual user gets its own
// independent stream whose numbers do not depend on the order things are generated in.
// An Rng is a plain value: not thread-safe to share, cheap to copy.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace adda {

uint64_t SplitMix64(uint64_t& state);
uint64_t DeriveSeed(uint64_t parent, std::string_view label, uint64_t index = 0);

class Rng {
 public:
  explicit Rng(uint64_t seed);
  uint64_t Next();
  // Uniform in [0, 1).
  double Uniform();
  // Uniform integer in [lo, hi] (inclusive); precondition lo <= hi.
  int64_t Between(int64_t lo, int64_t hi);
  double BetweenReal(double lo, double hi) { return lo + (hi - lo) * Uniform(); }
  bool Chance(double p) { return Uniform() < p; }
  // Index drawn in proportion to weights; precondition: some weight > 0.
  size_t Pick(const std::vector<double>& weights);
  // Standard normal (Box–Muller).
  double Normal();
  // Log-normal with the given median and sigma of the underlying normal.
  double LogNormal(double median, double sigma);
  // Exponential with the given mean.
  double Exponential(double mean);

 private:
  uint64_t s_[4];
};

// Precomputed cumulative weights for picking from a large table many times (O(log n)).
class WeightedTable {
 public:
  WeightedTable() = default;
  explicit WeightedTable(const std::vector<double>& weights);
  size_t Pick(Rng& rng) const;
  size_t size() const { return cumulative_.size(); }

 private:
  std::vector<double> cumulative_;
};

}  // namespace adda
