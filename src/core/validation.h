// Domain validation of cases and grants, as the integration API and the conformance
// report apply it. Errors reject a write (422, every violation listed); warnings are
// accepted, returned and kept (a CPR that is not a substitute number in a test
// environment, an unknown KLE subject, a missing responsible unit, jargon in a title…).
// Every finding has a stable rule id, listed with its severity in docs/domain.md.
// Pure functions over immutable inputs; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "core/benefit.h"
#include "core/case.h"
#include "core/kle.h"
#include "core/status.h"

namespace adda {

struct ValidationContext {
  const KleCatalogue* kle = nullptr;               // null: KLE existence not checked
  const std::vector<std::string>* jargon = nullptr;  // null: titles not checked
  Date today = GoLiveDate();                       // the simulated clock
  bool test_environment = true;                    // warn on non-substitute CPRs
  int municipality = 0;                            // the writer; 0 = not checked
};

struct ValidationReport {
  std::vector<Violation> errors;
  std::vector<Violation> warnings;
  bool ok() const { return errors.empty(); }
};

// Checks party URN and CPR shape: error when malformed, warning when not a substitute
// number in a test environment.
void CheckParty(const std::string& urn, const std::string& field, const ValidationContext& ctx,
                ValidationReport* report);

// Whether `text` contains one of the jargon terms (case-insensitive, whole-token match
// for short abbreviations). Returns the first term found, or empty.
std::string FindJargon(const std::string& text, const std::vector<std::string>& jargon);

ValidationReport ValidateCase(const Case& c, const ValidationContext& ctx);
ValidationReport ValidateGrant(const Grant& g, const ValidationContext& ctx);

}  // namespace adda
