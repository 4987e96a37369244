// Money in øre (1/100 DKK) as an integer, so sums never drift. On the wire an amount is
// a JSON number in DKK with at most two decimals (6694.5 = 6.694,50 kr.).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace adda {

struct Money {
  int64_t ore = 0;
  static Money FromDkk(double dkk);
  // Nullopt when not finite or beyond ±10^13 DKK (no municipal amount is that large).
  static std::optional<Money> FromDkkChecked(double dkk);
  double dkk() const { return static_cast<double>(ore) / 100.0; }
  // Danish format: "6.694,50 kr." (thousands with '.', decimals with ',').
  std::string ToDanish() const;

  friend bool operator==(Money a, Money b) { return a.ore == b.ore; }
  friend bool operator!=(Money a, Money b) { return a.ore != b.ore; }
  friend bool operator<(Money a, Money b) { return a.ore < b.ore; }
  friend bool operator<=(Money a, Money b) { return a.ore <= b.ore; }
  friend bool operator>(Money a, Money b) { return a.ore > b.ore; }
  friend bool operator>=(Money a, Money b) { return a.ore >= b.ore; }
};

}  // namespace adda
