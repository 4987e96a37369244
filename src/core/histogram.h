// Histogram: a log-linear (HdrHistogram-style) histogram of non-negative integers.
//
// It covers 0 .. 2^40-1 (about 12.7 days in microseconds) with 64 linear sub-buckets per
// power of two, so any reported value is within 1/64 (~1.6%) of a recorded one; values
// below 128 are exact. Larger values are counted in the top bucket, while Min, Max and
// Mean stay exact. Counts live in one flat vector sized at construction: Record never
// allocates. Histograms with the same layout merge by adding counts, so a load runner
// keeps one per worker thread and merges them after the run. Not thread-safe: a
// Histogram is a plain value owned by one thread at a time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace adda {

class Histogram {
 public:
  // The largest value counted in its own bucket; larger values share the top bucket.
  static constexpr uint64_t kMaxTrackable = (uint64_t{1} << 40) - 1;

  Histogram();

  // Counts one value / n copies of a value (n == 0 is a no-op).
  void Record(uint64_t v) { RecordN(v, 1); }
  void RecordN(uint64_t v, uint64_t n);

  // Adds every value recorded in `other` to this histogram; `other` is unchanged.
  void Merge(const Histogram& other);

  // Forgets all values.
  void Reset();

  uint64_t Count() const { return count_; }
  // Smallest / largest recorded value, exact; 0 when empty.
  uint64_t Min() const { return count_ == 0 ? 0 : min_; }
  uint64_t Max() const { return max_; }
  // Exact arithmetic mean (from a tracked sum); 0 when empty.
  double Mean() const;

  // The value at or below which a fraction q (clamped to [0, 1]) of the recorded values
  // fall: the value of rank ceil(q * Count()), reported as the highest value equivalent
  // to its bucket, but never above Max() nor below Min(). Quantile(0) == Min(),
  // Quantile(1) == Max(); a rank in the last occupied bucket (including the open-ended
  // top bucket) reports Max() itself. 0 when empty. Costs a scan of the buckets.
  uint64_t Quantile(double q) const;

 private:
  static size_t BucketOf(uint64_t v);
  static uint64_t HighestEquivalent(size_t bucket);

  // 128 bits so that the sum, and thus Mean(), stays exact for any realistic input.
  __extension__ typedef unsigned __int128 Sum;  // __extension__: GCC/Clang, quiet -Wpedantic

  std::vector<uint64_t> counts_;
  uint64_t count_ = 0;
  uint64_t min_ = UINT64_MAX;
  uint64_t max_ = 0;
  Sum sum_ = 0;
};

}  // namespace adda
