#include "core/date.h"

#include <algorithm>
#include <cstdio>

namespace adda {
namespace {

// Howard Hinnant's days_from_civil / civil_from_days.
int32_t DaysFromCivil(int y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int32_t>(doe) - 719468;
}

struct Ymd {
  int y;
  unsigned m, d;
};

Ymd CivilFromDays(int32_t z) {
  z += 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int y = static_cast<int>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {y + (m <= 2), m, d};
}

bool IsLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

unsigned DaysInMonth(int y, unsigned m) {
  static const unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeap(y) ? 29 : kDays[m - 1];
}

bool ParseDigits(std::string_view s, size_t pos, size_t n, int& out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  out = v;
  return true;
}

}  // namespace

bool Date::IsValidYmd(int year, unsigned month, unsigned day) {
  return year >= 1 && year <= 9999 && month >= 1 && month <= 12 && day >= 1 &&
         day <= DaysInMonth(year, month);
}

Date Date::FromYmd(int year, unsigned month, unsigned day) {
  return Date(DaysFromCivil(year, month, day));
}

std::optional<Date> Date::Parse(std::string_view s) {
  int y, m, d;
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  if (!ParseDigits(s, 0, 4, y) || !ParseDigits(s, 5, 2, m) || !ParseDigits(s, 8, 2, d))
    return std::nullopt;
  if (!IsValidYmd(y, static_cast<unsigned>(m), static_cast<unsigned>(d))) return std::nullopt;
  return FromYmd(y, static_cast<unsigned>(m), static_cast<unsigned>(d));
}

int Date::year() const { return CivilFromDays(days_).y; }
unsigned Date::month() const { return CivilFromDays(days_).m; }
unsigned Date::day() const { return CivilFromDays(days_).d; }

unsigned Date::weekday() const {
  // 1970-01-01 was a Thursday (3 when Monday = 0).
  const int32_t w = (days_ % 7 + 7 + 3) % 7;
  return static_cast<unsigned>(w);
}

Date Date::AddMonths(int n) const {
  const Ymd c = CivilFromDays(days_);
  int total = c.y * 12 + static_cast<int>(c.m) - 1 + n;
  const int y = total / 12;
  const unsigned m = static_cast<unsigned>(total % 12) + 1;
  const unsigned d = std::min(c.d, DaysInMonth(y, m));
  return FromYmd(y, m, d);
}

Date Date::LastDayOfMonth() const {
  const Ymd c = CivilFromDays(days_);
  return FromYmd(c.y, c.m, DaysInMonth(c.y, c.m));
}

Date Date::LastBankDayOfMonth() const {
  Date d = LastDayOfMonth();
  while (d.weekday() >= 5) d = d.AddDays(-1);
  return d;
}

void Date::AppendTo(std::string& out) const {
  const Ymd c = CivilFromDays(days_);
  const unsigned y = static_cast<unsigned>(std::clamp(c.y, 0, 9999));
  const char buf[10] = {static_cast<char>('0' + y / 1000),     static_cast<char>('0' + y / 100 % 10),
                        static_cast<char>('0' + y / 10 % 10),  static_cast<char>('0' + y % 10),
                        '-',
                        static_cast<char>('0' + c.m / 10),     static_cast<char>('0' + c.m % 10),
                        '-',
                        static_cast<char>('0' + c.d / 10),     static_cast<char>('0' + c.d % 10)};
  out.append(buf, sizeof buf);
}

std::string Date::ToString() const {
  std::string s;
  s.reserve(10);
  AppendTo(s);
  return s;
}

std::string Date::ToDanish() const {
  static const char* kMonths[] = {"januar", "februar", "marts",     "april",   "maj",      "juni",
                                  "juli",   "august",  "september", "oktober", "november", "december"};
  const Ymd c = CivilFromDays(days_);
  return std::to_string(c.d) + ". " + kMonths[c.m - 1] + " " + std::to_string(c.y);
}

int AgeOn(Date birth, Date on) {
  const Ymd b = CivilFromDays(birth.days());
  const Ymd o = CivilFromDays(on.days());
  int age = o.y - b.y;
  if (o.m < b.m || (o.m == b.m && o.d < b.d)) --age;
  return age;
}

std::optional<Timestamp> Timestamp::Parse(std::string_view s) {
  if (s.size() == 10) {
    auto d = Date::Parse(s);
    if (!d) return std::nullopt;
    return FromDate(*d);
  }
  if (s.size() < 20 || s[10] != 'T' || s.back() != 'Z') return std::nullopt;
  auto d = Date::Parse(s.substr(0, 10));
  int hh, mm, ss, ms = 0;
  if (!d || s[13] != ':' || s[16] != ':' || !ParseDigits(s, 11, 2, hh) ||
      !ParseDigits(s, 14, 2, mm) || !ParseDigits(s, 17, 2, ss))
    return std::nullopt;
  if (s.size() == 24) {
    if (s[19] != '.' || !ParseDigits(s, 20, 3, ms)) return std::nullopt;
  } else if (s.size() != 20) {
    return std::nullopt;
  }
  if (hh > 23 || mm > 59 || ss > 60) return std::nullopt;
  return Timestamp(FromDate(*d).millis() + ((hh * 60 + mm) * 60 + ss) * 1000LL + ms);
}

Date Timestamp::date() const {
  int64_t days = millis_ / 86400000;
  if (millis_ < 0 && millis_ % 86400000 != 0) --days;
  return Date(static_cast<int32_t>(days));
}

std::string Timestamp::ToString() const {
  const Date d = date();
  int64_t rem = millis_ - int64_t{d.days()} * 86400000;
  char buf[40];
  std::snprintf(buf, sizeof buf, "%sT%02d:%02d:%02d.%03dZ", d.ToString().c_str(),
                static_cast<int>(rem / 3600000), static_cast<int>(rem / 60000 % 60),
                static_cast<int>(rem / 1000 % 60), static_cast<int>(rem % 1000));
  return buf;
}

Date GoLiveDate() { return Date::FromYmd(2018, 12, 11); }

}  // namespace adda
