// Danish first and last names with realistic frequencies (fixtures/names.json); first
// names drawn by sex and birth cohort, since a Kirsten is rarely born in 2010 and an
// Emma rarely in 1940. Built once; immutable and thread-safe to read.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/cpr.h"
#include "core/random.h"
#include "core/status.h"

namespace adda::sim {

class NameTables {
 public:
  static Result<NameTables> FromJson(const nlohmann::json& j);
  const std::string& FirstName(Rng& rng, Sex sex, int birth_year) const;
  const std::string& LastName(Rng& rng) const;

 private:
  struct Table {
    std::vector<std::string> names;
    WeightedTable weights;
  };
  static Result<Table> ReadTable(const nlohmann::json& arr, const std::string& what);
  Table first_[2][3];  // [sex][cohort]
  Table last_;
};

}  // namespace adda::sim
