#include "core/money.h"

#include <cmath>
#include <cstdlib>

namespace adda {

Money Money::FromDkk(double dkk) { return Money{static_cast<int64_t>(std::llround(dkk * 100.0))}; }

std::optional<Money> Money::FromDkkChecked(double dkk) {
  if (!std::isfinite(dkk) || std::fabs(dkk) > 1e13) return std::nullopt;
  return FromDkk(dkk);
}

std::string Money::ToDanish() const {
  const bool negative = ore < 0;
  const uint64_t abs = negative ? static_cast<uint64_t>(-ore) : static_cast<uint64_t>(ore);
  std::string whole = std::to_string(abs / 100);
  std::string grouped;
  for (size_t i = 0; i < whole.size(); ++i) {
    if (i > 0 && (whole.size() - i) % 3 == 0) grouped += '.';
    grouped += whole[i];
  }
  const unsigned cents = static_cast<unsigned>(abs % 100);
  std::string out = negative ? "-" : "";
  out += grouped + "," + (cents < 10 ? "0" : "") + std::to_string(cents) + " kr.";
  return out;
}

}  // namespace adda
