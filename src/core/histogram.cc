#include "core/histogram.h"

#include <algorithm>
#include <cmath>

namespace adda {

namespace {

// Layout: bucket index = (shift << 6) + (v >> shift), where shift = max(0, msb(v) - 6).
// Values below 128 map to themselves (exact); above, each power of two [2^k, 2^(k+1))
// splits into 64 buckets of width 2^(k-6). Contiguous, no gaps, no holes.
constexpr int kSubBucketBits = 6;  // 64 sub-buckets per power of two
constexpr int kRangeBits = 40;
constexpr size_t kBucketCount =
    (size_t{kRangeBits - kSubBucketBits - 1} << kSubBucketBits) + (size_t{2} << kSubBucketBits);

}  // namespace

Histogram::Histogram() : counts_(kBucketCount, 0) {}

size_t Histogram::BucketOf(uint64_t v) {
  if (v > kMaxTrackable) return kBucketCount - 1;
  // OR-ing in 127 keeps msb >= 6, so values below 128 get shift 0 and map to themselves.
  const int msb = 63 - __builtin_clzll(v | 127);
  const int shift = msb - kSubBucketBits;
  return (static_cast<size_t>(shift) << kSubBucketBits) + static_cast<size_t>(v >> shift);
}

uint64_t Histogram::HighestEquivalent(size_t bucket) {
  const size_t half = size_t{1} << kSubBucketBits;
  const int shift = bucket < 2 * half ? 0 : static_cast<int>(bucket >> kSubBucketBits) - 1;
  const uint64_t sub = bucket - (static_cast<size_t>(shift) << kSubBucketBits);
  return (sub << shift) + ((uint64_t{1} << shift) - 1);
}

void Histogram::RecordN(uint64_t v, uint64_t n) {
  if (n == 0) return;
  counts_[BucketOf(v)] += n;
  count_ += n;
  sum_ += static_cast<Sum>(v) * n;
  min_ = std::min(min_, v);
  max_ = std::max(max_, v);
}

void Histogram::Merge(const Histogram& other) {
  if (other.count_ == 0) return;
  for (size_t i = 0; i < kBucketCount; ++i) counts_[i] += other.counts_[i];
  count_ += other.count_;
  sum_ += other.sum_;
  min_ = std::min(min_, other.min_);
  max_ = std::max(max_, other.max_);
}

void Histogram::Reset() {
  std::fill(counts_.begin(), counts_.end(), 0);
  count_ = 0;
  min_ = UINT64_MAX;
  max_ = 0;
  sum_ = 0;
}

double Histogram::Mean() const {
  if (count_ == 0) return 0.0;
  return static_cast<double>(sum_) / static_cast<double>(count_);
}

uint64_t Histogram::Quantile(double q) const {
  if (count_ == 0) return 0;
  if (!(q > 0.0)) return Min();  // also catches NaN
  if (q >= 1.0) return max_;
  // The tiny relative slack keeps e.g. 0.3 * 10 = 3.0000000000000004 at rank 3.
  const double exact = q * static_cast<double>(count_);
  const uint64_t rank =
      std::max<uint64_t>(1, static_cast<uint64_t>(std::ceil(exact * (1 - 1e-12))));
  uint64_t seen = 0;
  for (size_t i = 0; i < kBucketCount; ++i) {
    seen += counts_[i];
    if (seen >= rank) {
      // The last occupied bucket holds Max(), which is exact (and may lie above the range).
      if (seen >= count_) return max_;
      return std::clamp(HighestEquivalent(i), min_, max_);
    }
  }
  return max_;
}

}  // namespace adda
