// The case mix: rules (fixtures/case_mix.json) that decide which citizens have which
// cases and benefits, how long each status lasts, which documents a case carries and
// what a benefit pays. Decoded once; immutable. See docs/generator.md.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/case.h"
#include "core/kle.h"
#include "core/status.h"

namespace adda::sim {

struct Range {
  double lo = 0;
  double hi = 0;
};

struct DocumentTemplate {
  std::string title;
  std::string type;
  CaseStatus at = CaseStatus::kOpstaaet;
};

struct BenefitTemplate {
  std::string name;
  std::string kle;
  Range monthly_dkk;
  std::string frequency;  // Maanedlig, Kvartalsvis, Engang
  std::string timing;     // Forud, Bagud
  std::string disposition;
  bool repayable = false;
  Range tax_rate;
};

struct CaseRule {
  std::string id;
  std::string kle;
  std::string facet;
  std::string title;
  int age_from = 0;
  int age_to = 120;
  std::string situation = "any";
  double probability = 0;
  Range opened_days_before;
  std::string unit;
  Deliverer deliverer = Deliverer::kMunicipality;
  std::map<CaseStatus, Range> durations_days;  // days spent before reaching the key status
  std::vector<double> final_status_weights;    // indexed by CaseStatus
  std::vector<std::pair<std::string, double>> outcomes;
  std::string sensitivity;
  std::string legal_basis;
  std::vector<std::string> local_statuses;
  std::vector<DocumentTemplate> documents;
  std::optional<BenefitTemplate> benefit;
};

// The situations a rule may require; each is documented in docs/generator.md.
const std::vector<std::string>& Situations();

// Failure: "fixture.invalid" listing every bad rule and field. Checks KLE codes
// against `kle`, enums, ranges and that probabilities lie in [0, 1].
Result<std::vector<CaseRule>> DecodeCaseMix(const nlohmann::json& j, const KleCatalogue& kle);

}  // namespace adda::sim
