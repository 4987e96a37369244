// The only reads of std::chrono's clocks in adda (see clock.h).
#include "core/clock.h"

#include <chrono>
#include <cmath>

namespace adda {
namespace {

int64_t SteadyMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

class WallClock : public Clock {
 public:
  Timestamp Now() const override {
    return Timestamp(std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count());
  }
  int64_t Ticks() const override { return SteadyMicros(); }
};

}  // namespace

const Clock& SystemClock() {
  static const WallClock clock;
  return clock;
}

ScenarioClock::ScenarioClock(Timestamp start, double rate) : start_(start), rate_(rate), origin_(SteadyMicros()) {}

Timestamp ScenarioClock::Now() const {
  return start_.AddMillis(static_cast<int64_t>(std::floor(static_cast<double>(SteadyMicros() - origin_) / 1000.0 * rate_)));
}

int64_t ScenarioClock::Ticks() const { return SteadyMicros(); }

}  // namespace adda
