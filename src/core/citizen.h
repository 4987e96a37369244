// Borger: a person in the synthetic population. Children link to their parents
// (custody), which is how a parent may act for a minor. Plain value.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "core/cpr.h"
#include "core/date.h"

namespace adda {

inline constexpr int kAgeOfMajority = 18;

struct Citizen {
  std::string cpr;  // ten digits
  int municipality = 0;
  std::string first_name;
  std::string last_name;
  Sex sex = Sex::kFemale;
  Date birth_date;
  int64_t household = 0;
  std::optional<std::string> mother;  // CPR of a parent with custody
  std::optional<std::string> father;

  std::string full_name() const { return first_name + " " + last_name; }
  bool IsMinorOn(Date d) const { return AgeOn(birth_date, d) < kAgeOfMajority; }
};

void to_json(nlohmann::json& j, const Citizen& c);
void from_json(const nlohmann::json& j, Citizen& c);

}  // namespace adda
