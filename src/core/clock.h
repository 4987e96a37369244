// Time is injected: nothing in adda's data or logic reads the wall clock directly.
//
// Clock is the interface. FixedClock stands still until told (tests, the generator).
// SimulatedClock starts at a given instant (by default the pilot's go-live,
// 2018-12-11) and advances with a monotonic source scaled by a factor, so a service can
// run "in 2018" and a scenario can compress time. Implementations are thread-safe.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>

#include "core/date.h"

namespace adda {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual Timestamp Now() const = 0;
  Date Today() const { return Now().date(); }
};

class FixedClock : public Clock {
 public:
  explicit FixedClock(Timestamp t) : millis_(t.millis()) {}
  Timestamp Now() const override { return Timestamp(millis_.load()); }
  void Set(Timestamp t) { millis_.store(t.millis()); }
  void Advance(int64_t ms) { millis_.fetch_add(ms); }

 private:
  std::atomic<int64_t> millis_;
};

class SimulatedClock : public Clock {
 public:
  // `monotonic_millis` is a source of elapsed real time (e.g. steady_clock); `scale`
  // simulated milliseconds pass per real millisecond.
  SimulatedClock(Timestamp start, std::function<int64_t()> monotonic_millis, double scale = 1.0)
      : start_(start), source_(std::move(monotonic_millis)), origin_(source_()), scale_(scale) {}
  Timestamp Now() const override {
    return start_.AddMillis(static_cast<int64_t>(static_cast<double>(source_() - origin_) * scale_));
  }

 private:
  Timestamp start_;
  std::function<int64_t()> source_;
  int64_t origin_;
  double scale_;
};

// 2018-12-11T08:00:00Z: the morning of go-live.
inline Timestamp GoLiveMorning() { return Timestamp::FromDate(GoLiveDate()).AddSeconds(8 * 3600); }

}  // namespace adda
