// Civil dates and UTC timestamps without the wall clock or time zones.
//
// Date counts days since 1970-01-01 (proleptic Gregorian), Timestamp counts
// milliseconds since the Unix epoch, UTC. Both are plain values, thread-safe to copy.
// Parsing returns std::nullopt on anything malformed (never throws).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace adda {

class Date {
 public:
  Date() = default;
  explicit constexpr Date(int32_t days) : days_(days) {}
  // Precondition: a real calendar date; use IsValidYmd to check first.
  static Date FromYmd(int year, unsigned month, unsigned day);
  static bool IsValidYmd(int year, unsigned month, unsigned day);
  // "YYYY-MM-DD" only.
  static std::optional<Date> Parse(std::string_view iso);

  int32_t days() const { return days_; }
  int year() const;
  unsigned month() const;
  unsigned day() const;
  // 0 = Monday … 6 = Sunday.
  unsigned weekday() const;
  Date AddDays(int32_t n) const { return Date(days_ + n); }
  // Same day n months later, clamped to the month's last day.
  Date AddMonths(int n) const;
  Date LastDayOfMonth() const;
  // The last weekday (Mon–Fri) of this date's month: "sidste bankdag" without holidays.
  Date LastBankDayOfMonth() const;
  std::string ToString() const;  // YYYY-MM-DD
  void AppendTo(std::string& out) const;  // appends YYYY-MM-DD without allocating
  std::string ToDanish() const;  // D. month YYYY, e.g. "11. december 2018"

  friend bool operator==(Date a, Date b) { return a.days_ == b.days_; }
  friend bool operator!=(Date a, Date b) { return a.days_ != b.days_; }
  friend bool operator<(Date a, Date b) { return a.days_ < b.days_; }
  friend bool operator<=(Date a, Date b) { return a.days_ <= b.days_; }
  friend bool operator>(Date a, Date b) { return a.days_ > b.days_; }
  friend bool operator>=(Date a, Date b) { return a.days_ >= b.days_; }
  friend int32_t operator-(Date a, Date b) { return a.days_ - b.days_; }

 private:
  int32_t days_ = 0;
};

// Whole years between birth and on (age on a date).
int AgeOn(Date birth, Date on);

class Timestamp {
 public:
  Timestamp() = default;
  explicit constexpr Timestamp(int64_t millis) : millis_(millis) {}
  static Timestamp FromDate(Date d) { return Timestamp(int64_t{d.days()} * 86400000); }
  // "YYYY-MM-DDTHH:MM:SS[.mmm]Z" (also accepts a plain date as midnight UTC).
  static std::optional<Timestamp> Parse(std::string_view iso);

  int64_t millis() const { return millis_; }
  int64_t seconds() const { return millis_ / 1000; }
  Date date() const;
  Timestamp AddMillis(int64_t ms) const { return Timestamp(millis_ + ms); }
  Timestamp AddSeconds(int64_t s) const { return Timestamp(millis_ + s * 1000); }
  std::string ToString() const;  // YYYY-MM-DDTHH:MM:SS.mmmZ

  friend bool operator==(Timestamp a, Timestamp b) { return a.millis_ == b.millis_; }
  friend bool operator!=(Timestamp a, Timestamp b) { return a.millis_ != b.millis_; }
  friend bool operator<(Timestamp a, Timestamp b) { return a.millis_ < b.millis_; }
  friend bool operator<=(Timestamp a, Timestamp b) { return a.millis_ <= b.millis_; }
  friend bool operator>(Timestamp a, Timestamp b) { return a.millis_ > b.millis_; }
  friend bool operator>=(Timestamp a, Timestamp b) { return a.millis_ >= b.millis_; }

 private:
  int64_t millis_ = 0;
};

// The pilot's go-live, the default start of the simulated clock.
inline constexpr int kGoLiveYear = 2018;
Date GoLiveDate();

}  // namespace adda
