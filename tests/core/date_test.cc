#include "core/date.h"

#include <gtest/gtest.h>

namespace adda {
namespace {

TEST(Date, RoundTripsIso) {
  for (const char* s : {"1970-01-01", "2018-12-11", "2000-02-29", "1858-01-01", "2057-12-31"}) {
    auto d = Date::Parse(s);
    ASSERT_TRUE(d.has_value()) << s;
    EXPECT_EQ(d->ToString(), s);
  }
}

TEST(Date, RejectsNonDates) {
  for (const char* s : {"2018-02-30", "2019-02-29", "2018-13-01", "2018-1-01", "20181211", "", "2018-12-11T00"})
    EXPECT_FALSE(Date::Parse(s).has_value()) << s;
}

TEST(Date, CalendarArithmetic) {
  EXPECT_EQ(Date::FromYmd(1970, 1, 1).days(), 0);
  EXPECT_EQ(Date::FromYmd(2018, 12, 11).weekday(), 1u);  // a Tuesday
  EXPECT_EQ(Date::FromYmd(2019, 1, 31).AddMonths(1), Date::FromYmd(2019, 2, 28));
  EXPECT_EQ(Date::FromYmd(2018, 11, 15).LastDayOfMonth(), Date::FromYmd(2018, 11, 30));
  EXPECT_EQ(Date::FromYmd(2018, 9, 3).LastBankDayOfMonth(), Date::FromYmd(2018, 9, 28));  // 30th is Sunday
  EXPECT_EQ(GoLiveDate().ToDanish(), "11. december 2018");
}

TEST(Date, AgeOnBirthdays) {
  const Date birth = Date::FromYmd(2000, 12, 11);
  EXPECT_EQ(AgeOn(birth, Date::FromYmd(2018, 12, 10)), 17);
  EXPECT_EQ(AgeOn(birth, Date::FromYmd(2018, 12, 11)), 18);
  EXPECT_EQ(AgeOn(Date::FromYmd(2000, 2, 29), Date::FromYmd(2018, 2, 28)), 17);
  EXPECT_EQ(AgeOn(Date::FromYmd(2000, 2, 29), Date::FromYmd(2018, 3, 1)), 18);
}

TEST(Timestamp, ParsesAndPrints) {
  auto t = Timestamp::Parse("2018-12-11T08:30:05.250Z");
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->ToString(), "2018-12-11T08:30:05.250Z");
  EXPECT_EQ(t->date(), GoLiveDate());
  EXPECT_EQ(Timestamp::Parse("2018-12-11T08:30:05Z")->ToString(), "2018-12-11T08:30:05.000Z");
  EXPECT_FALSE(Timestamp::Parse("2018-12-11 08:30:05").has_value());
  EXPECT_FALSE(Timestamp::Parse("2018-12-11T25:30:05Z").has_value());
}

}  // namespace
}  // namespace adda
