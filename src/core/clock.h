// Time is injected: nothing in adda's data or logic reads the wall clock directly.
// Every service, the runner and the generator are handed a Clock through their options,
// and this file (with clock.cc) is the only place that reads std::chrono's clocks.
//
// A Clock gives two readings:
//  * Now()   — the calendar: the instant records are stamped with (sessions, the access
//              log, contributions, shares, the integration log) and expiries are compared
//              against. In a pilot this is scenario time (2018-12-11 …).
//  * Ticks() — a monotonic count of microseconds for the durations a process measures
//              itself: a breaker's open time, a cache entry's age, a fault window, a
//              long poll's deadline, a request's latency. Its origin means nothing; it
//              never goes back.
//
// Implementations (all thread-safe):
//  * SystemClock()  — the wall clock (Now) and the steady clock (Ticks).
//  * ScenarioClock  — starts at a given instant and advances `rate` scenario
//                     milliseconds per real millisecond; Ticks are real. A pilot runs
//                     both services on one, so what a run stores is in scenario time.
//  * ManualClock    — stands still until told: tests advance it instead of sleeping;
//                     Advance() moves both readings.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>

#include "core/date.h"

namespace adda {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual Timestamp Now() const = 0;
  virtual int64_t Ticks() const = 0;  // microseconds, monotonic
  Date Today() const { return Now().date(); }
  int64_t UnixSeconds() const { return FloorDiv(Now().millis(), 1000); }
  std::string NowIso() const { return Now().ToString(); }  // 2018-12-11T10:15:00.123Z
  // Milliseconds of Ticks since `ticks`, for latencies and ages.
  double MillisSince(int64_t ticks) const { return static_cast<double>(Ticks() - ticks) / 1000.0; }

 private:
  static int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }
};

// The process's wall clock and steady clock.
const Clock& SystemClock();

class ScenarioClock : public Clock {
 public:
  // `rate` scenario milliseconds pass per real millisecond (1: real time). Starts now.
  explicit ScenarioClock(Timestamp start, double rate = 1.0);
  Timestamp Now() const override;
  int64_t Ticks() const override;
  Timestamp start() const { return start_; }
  double rate() const { return rate_; }

 private:
  Timestamp start_;
  double rate_;
  int64_t origin_;  // Ticks at construction
};

class ManualClock : public Clock {
 public:
  explicit ManualClock(Timestamp t) : millis_(t.millis()) {}
  Timestamp Now() const override { return Timestamp(millis_.load()); }
  int64_t Ticks() const override { return ticks_.load(); }
  void Set(Timestamp t) { millis_.store(t.millis()); }
  void Advance(int64_t ms) {
    millis_.fetch_add(ms);
    ticks_.fetch_add(ms * 1000);
  }

 private:
  std::atomic<int64_t> millis_;
  std::atomic<int64_t> ticks_{0};
};

// SystemClock()'s Ticks as a std::chrono clock, for code that keeps time_points and waits
// on real sockets (the HTTP server's read deadlines): bytes arrive in real time, whatever
// a service's calendar says.
struct RealTime {
  using duration = std::chrono::microseconds;
  using rep = duration::rep;
  using period = duration::period;
  using time_point = std::chrono::time_point<RealTime>;
  static constexpr bool is_steady = true;
  static time_point now() { return time_point(duration(SystemClock().Ticks())); }
};

// 2018-12-11T08:00:00Z: the morning of go-live.
inline Timestamp GoLiveMorning() { return Timestamp::FromDate(GoLiveDate()).AddSeconds(8 * 3600); }

}  // namespace adda
