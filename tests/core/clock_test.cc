// The clocks every service, the runner and the generator are handed.
#include <gtest/gtest.h>

#include "core/clock.h"

namespace adda {
namespace {

TEST(Clock, AManualClockMovesOnlyWhenTold) {
  ManualClock c(GoLiveMorning());
  EXPECT_EQ(c.NowIso(), "2018-12-11T08:00:00.000Z");
  EXPECT_EQ(c.Today(), GoLiveDate());
  const int64_t t0 = c.Ticks();
  EXPECT_EQ(c.Now(), GoLiveMorning());
  c.Advance(90'500);
  EXPECT_EQ(c.NowIso(), "2018-12-11T08:01:30.500Z");
  EXPECT_EQ(c.Ticks() - t0, 90'500'000);  // both readings move together
  EXPECT_DOUBLE_EQ(c.MillisSince(t0), 90'500.0);
  c.Set(*Timestamp::Parse("2019-01-31T23:59:59Z"));
  EXPECT_EQ(c.Today().ToString(), "2019-01-31");
  EXPECT_EQ(c.Ticks() - t0, 90'500'000);  // setting the calendar does not move Ticks
}

TEST(Clock, UnixSecondsRoundDownAlsoBefore1970) {
  ManualClock c(Timestamp(1'999));
  EXPECT_EQ(c.UnixSeconds(), 1);
  c.Set(Timestamp(-1));
  EXPECT_EQ(c.UnixSeconds(), -1);  // the second that began at -1000 ms
  c.Set(Timestamp(-1000));
  EXPECT_EQ(c.UnixSeconds(), -1);
}

TEST(Clock, AScenarioClockStartsWhereItIsToldAndNeverGoesBack) {
  const Timestamp start = *Timestamp::Parse("2018-12-11T08:00:00Z");
  ScenarioClock c(start, 60.0);
  EXPECT_EQ(c.start(), start);
  EXPECT_EQ(c.rate(), 60.0);
  Timestamp last = c.Now();
  int64_t last_ticks = c.Ticks();
  EXPECT_GE(last, start);
  // Far less than a scenario hour has passed: the test takes well under a real minute.
  EXPECT_LT(last, start.AddSeconds(3600));
  for (int i = 0; i < 10000; ++i) {
    const Timestamp now = c.Now();
    const int64_t ticks = c.Ticks();
    ASSERT_GE(now, last);
    ASSERT_GE(ticks, last_ticks);
    last = now;
    last_ticks = ticks;
  }
}

TEST(Clock, TheSystemClockIsTodayNot2018) {
  const Clock& c = SystemClock();
  EXPECT_GT(c.Today(), GoLiveDate());  // this machine's calendar is after go-live
  const int64_t t0 = c.Ticks();
  EXPECT_GE(c.Ticks(), t0);
  EXPECT_GE(RealTime::now().time_since_epoch().count(), t0);  // the same ticks, as a chrono clock
}

}  // namespace
}  // namespace adda
