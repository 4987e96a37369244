#include "core/random.h"

#include <algorithm>
#include <cmath>

namespace adda {
namespace {
inline uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
}  // namespace

uint64_t SplitMix64(uint64_t& state) {
  uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

uint64_t DeriveSeed(uint64_t parent, std::string_view label, uint64_t index) {
  // FNV-1a over the label, then SplitMix to spread the bits.
  uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : label) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  uint64_t state = parent ^ Rotl(h, 17) ^ (index * 0x9e3779b97f4a7c15ULL);
  SplitMix64(state);
  return SplitMix64(state);
}

Rng::Rng(uint64_t seed) {
  uint64_t st = seed;
  for (auto& s : s_) s = SplitMix64(st);
}

uint64_t Rng::Next() {
  const uint64_t result = Rotl(s_[1] * 5, 7) * 9;
  const uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = Rotl(s_[3], 45);
  return result;
}

double Rng::Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }

int64_t Rng::Between(int64_t lo, int64_t hi) {
  const uint64_t span = static_cast<uint64_t>(hi - lo) + 1;
  if (span == 0) return static_cast<int64_t>(Next());
  return lo + static_cast<int64_t>(Next() % span);
}

size_t Rng::Pick(const std::vector<double>& weights) {
  double total = 0;
  for (double w : weights) total += w > 0 ? w : 0;
  double r = Uniform() * total;
  for (size_t i = 0; i < weights.size(); ++i) {
    if (weights[i] <= 0) continue;
    if (r < weights[i]) return i;
    r -= weights[i];
  }
  for (size_t i = weights.size(); i-- > 0;)
    if (weights[i] > 0) return i;
  return 0;
}

double Rng::Normal() {
  double u1 = Uniform();
  if (u1 < 1e-300) u1 = 1e-300;
  const double u2 = Uniform();
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * M_PI * u2);
}

double Rng::LogNormal(double median, double sigma) { return median * std::exp(sigma * Normal()); }

double Rng::Exponential(double mean) {
  double u = Uniform();
  return -mean * std::log(1.0 - u);
}

WeightedTable::WeightedTable(const std::vector<double>& weights) {
  cumulative_.reserve(weights.size());
  double total = 0;
  for (double w : weights) {
    total += w > 0 ? w : 0;
    cumulative_.push_back(total);
  }
}

size_t WeightedTable::Pick(Rng& rng) const {
  const double r = rng.Uniform() * cumulative_.back();
  auto it = std::upper_bound(cumulative_.begin(), cumulative_.end(), r);
  size_t i = static_cast<size_t>(it - cumulative_.begin());
  return i < cumulative_.size() ? i : cumulative_.size() - 1;
}

}  // namespace adda
