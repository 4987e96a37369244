// A pilot municipality's configuration (pilots/municipalities/*.json): who lives there
// (population, age and sex structure, life situations), how often cases and benefits
// occur (multipliers on the shared case mix), the names of its units, what it lets
// citizens see, and how untidy its data is (defect rates). See docs/pilots.md.
// Decoded once at start; immutable afterwards.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/status.h"

namespace adda {

struct AgeBand {
  int from = 0;  // inclusive
  int to = 0;    // inclusive
  double share = 0;
};

// The defect kinds the generator can plant, with the names used in configs, the
// ground-truth table and the conformance rules they should trip.
const std::vector<std::string>& DefectKinds();

struct Municipality {
  int code = 0;
  std::string name;
  std::string cvr;
  int64_t population = 0;  // 1 January 2019
  double male_share = 0.5;
  std::vector<AgeBand> age_structure;
  std::map<std::string, double> situations;        // situation -> share of its age band
  std::map<std::string, double> area_multipliers;  // KLE main group "15" -> multiplier
  std::map<std::string, double> rule_multipliers;  // case-mix rule id -> multiplier
  std::map<std::string, std::string> units;        // unit key -> unit name shown to citizens
  bool show_document_titles = true;
  std::map<std::string, double> defect_rates;      // defect kind -> share of items

  double RateMultiplier(const std::string& rule_id, const std::string& kle_subject) const;
};

// Decodes and checks a config: every problem is listed, named by field (shares in
// [0,1], age bands contiguous from 0 summing to 1 ± 0.01, a three-digit code, known
// defect kinds). Failure: "config.invalid" with the violations.
Result<Municipality> DecodeMunicipality(const nlohmann::json& j);

}  // namespace adda
