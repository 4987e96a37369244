// CPR numbers (Danish personal identification numbers), per cpr.dk's rules.
//
// Accepts "DDMMYY-SSSS", "DDMMYYSSSS" and the URN form "urn:oio:cpr-nr:DDMMYYSSSS".
// The century comes from digit 7 and the year; the sex from the last digit. Substitute
// numbers (erstatningspersonnummer: day of birth + 60) are recognised and can never be a
// real person's, which is why every CPR adda generates is one. Modulus 11 is *not*
// checked: numbers issued since 2007 need not satisfy it. Plain values, thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/date.h"
#include "core/status.h"

namespace adda {

enum class Sex { kFemale, kMale };

class Cpr {
 public:
  // Ok: the parsed number. Failure: Status "cpr.invalid" with the reason
  // (format, month, day, or a date that does not exist in the derived century).
  static Result<Cpr> Parse(std::string_view text);
  // Builds the substitute number for a birth date, sex and a serial 0..499 per
  // (date, sex, century band); returns nullopt when the serial does not fit.
  // The serial chooses digits 7–10 within the century rule for the birth year.
  static std::optional<Cpr> MakeSubstitute(Date birth, Sex sex, int serial);

  const std::string& digits() const { return digits_; }  // 10 digits
  std::string Formatted() const;                         // DDMMYY-SSSS
  std::string Urn() const { return "urn:oio:cpr-nr:" + digits_; }
  // DDMMYY-XXXX: for reports and logs where a person must not be identifiable.
  std::string Masked() const;
  Date birth_date() const { return birth_; }
  Sex sex() const { return sex_; }
  bool is_substitute() const { return substitute_; }
  // Informational only: whether the classic modulus-11 check holds.
  bool PassesModulus11() const;

  friend bool operator==(const Cpr& a, const Cpr& b) { return a.digits_ == b.digits_; }
  friend bool operator<(const Cpr& a, const Cpr& b) { return a.digits_ < b.digits_; }

 private:
  std::string digits_;
  Date birth_;
  Sex sex_ = Sex::kFemale;
  bool substitute_ = false;
};

// The full four-digit birth year from the two-digit year and digit 7 (0–9).
int CenturyYear(int yy, int digit7);

// "urn:oio:cpr-nr:DDMMYYSSSS" -> the ten digits, or nullopt.
std::optional<std::string> CprDigitsFromUrn(std::string_view urn);

}  // namespace adda
