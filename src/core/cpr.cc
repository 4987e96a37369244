#include "core/cpr.h"

#include <cstdio>

namespace adda {
namespace {

constexpr std::string_view kUrnPrefix = "urn:oio:cpr-nr:";

Status Invalid(const std::string& why) { return Status::Error("cpr.invalid", why); }

}  // namespace

int CenturyYear(int yy, int digit7) {
  if (digit7 <= 3) return 1900 + yy;
  if (digit7 == 4 || digit7 == 9) return (yy <= 36 ? 2000 : 1900) + yy;
  return (yy <= 57 ? 2000 : 1800) + yy;  // 5–8
}

std::optional<std::string> CprDigitsFromUrn(std::string_view urn) {
  if (urn.substr(0, kUrnPrefix.size()) != kUrnPrefix) return std::nullopt;
  std::string_view rest = urn.substr(kUrnPrefix.size());
  if (rest.size() != 10) return std::nullopt;
  for (char c : rest)
    if (c < '0' || c > '9') return std::nullopt;
  return std::string(rest);
}

Result<Cpr> Cpr::Parse(std::string_view text) {
  std::string digits;
  if (text.substr(0, kUrnPrefix.size()) == kUrnPrefix) text = text.substr(kUrnPrefix.size());
  if (text.size() == 11) {
    if (text[6] != '-') return Invalid("expected DDMMYY-SSSS or DDMMYYSSSS");
    digits = std::string(text.substr(0, 6)) + std::string(text.substr(7));
  } else if (text.size() == 10) {
    digits = std::string(text);
  } else {
    return Invalid("expected DDMMYY-SSSS or DDMMYYSSSS");
  }
  for (char c : digits)
    if (c < '0' || c > '9') return Invalid("a CPR number has only digits (and one hyphen)");

  auto two = [&](int i) { return (digits[i] - '0') * 10 + (digits[i + 1] - '0'); };
  int day = two(0);
  const int month = two(2);
  const int yy = two(4);
  const int digit7 = digits[6] - '0';
  bool substitute = false;
  if (day >= 61 && day <= 91) {
    substitute = true;
    day -= 60;
  }
  if (month < 1 || month > 12) return Invalid("month must be 01–12");
  if (day < 1 || day > 31) return Invalid("day must be 01–31 (or 61–91 for a substitute number)");
  const int year = CenturyYear(yy, digit7);
  if (!Date::IsValidYmd(year, static_cast<unsigned>(month), static_cast<unsigned>(day)))
    return Invalid("the birth date " + std::to_string(year) + "-" + std::to_string(month) + "-" +
                   std::to_string(day) + " does not exist");

  Cpr cpr;
  cpr.digits_ = std::move(digits);
  cpr.birth_ = Date::FromYmd(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  cpr.sex_ = (cpr.digits_[9] - '0') % 2 == 1 ? Sex::kMale : Sex::kFemale;
  cpr.substitute_ = substitute;
  return cpr;
}

std::optional<Cpr> Cpr::MakeSubstitute(Date birth, Sex sex, int serial) {
  if (serial < 0 || serial >= 500) return std::nullopt;
  const int year = birth.year();
  const int yy = year % 100;
  // Digit 7 choices that map (yy, digit7) back to this year, in a fixed order.
  int digit7;
  if (year >= 1900 && year <= 1999) {
    digit7 = serial / 125;  // 0..3
  } else if (year >= 2000 && year <= 2036) {
    digit7 = 4;
    if (serial >= 125) digit7 = 5 + (serial - 125) / 125;  // 5..7
  } else if (year >= 2037 && year <= 2057) {
    digit7 = 5 + serial / 125;  // 5..8
  } else if (year >= 1858 && year <= 1899) {
    digit7 = 5 + serial / 125;
  } else {
    return std::nullopt;
  }
  const int within = serial % 125;       // 0..124
  const int last3 = within * 8 + (sex == Sex::kMale ? 1 : 0);  // even/odd by sex, < 1000
  char buf[32];
  std::snprintf(buf, sizeof buf, "%02u%02u%02d%d%03d", birth.day() + 60, birth.month(), yy, digit7,
                last3);
  auto parsed = Parse(buf);
  if (!parsed.ok() || parsed->birth_date() != birth) return std::nullopt;
  return parsed.value();
}

std::string Cpr::Formatted() const { return digits_.substr(0, 6) + "-" + digits_.substr(6); }

std::string Cpr::Masked() const { return digits_.substr(0, 6) + "-XXXX"; }

bool Cpr::PassesModulus11() const {
  static const int kWeights[] = {4, 3, 2, 7, 6, 5, 4, 3, 2, 1};
  int sum = 0;
  for (int i = 0; i < 10; ++i) sum += (digits_[i] - '0') * kWeights[i];
  return sum % 11 == 0;
}

}  // namespace adda
