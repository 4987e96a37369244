// What a citizen sees of a case or a grant, in plain Danish: the display rules of
// Borgerblikket (see ../shared/DOMAIN.md) applied to the index view, with the
// explanations from fixtures/explanations.json. Used by the mock borger.dk and by a
// municipality's citizen preview, so both show exactly the same thing. No I/O.
//
// Data-quality problems are shown the way a real portal would: a missing unit says so
// and tells whom to contact; a gap in the timeline, a status unchanged for over a year,
// an unknown KLE subject, a title in internal jargon or payments without a grant period
// each add a notice ("notices": [{"kind", "text"}]) instead of an empty field.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/benefit.h"
#include "core/case.h"
#include "core/date.h"
#include "core/kle.h"
#include "core/status.h"

namespace adda {

class Explanations {
 public:
  // Checks that every status, deliverer, outcome, defect and notice has its text.
  static Result<Explanations> FromJson(const nlohmann::json& j);
  // The embedded fixture (fixtures/explanations.json).
  static const Explanations& Embedded();

  const nlohmann::json& raw() const { return j_; }
  const nlohmann::json* Status(const std::string& code) const;
  const nlohmann::json* Area(const std::string& main_group) const;
  std::string Subject(const std::string& code) const;  // "" when none
  std::string Outcome(const std::string& code) const;
  std::string Deliverer(const std::string& code, const std::string& municipality) const;
  std::string Defect(const std::string& kind, const std::string& municipality) const;
  std::string Notice(const std::string& kind, const std::map<std::string, std::string>& vars) const;
  const std::vector<std::string>& jargon() const { return jargon_; }

 private:
  nlohmann::json j_;
  std::vector<std::string> jargon_;
};

// Every status a citizen's contribution can show: borger.dk's own "pending" (stored, not
// yet forwarded) and "not_delivered" (KOMBIT refused it for good), and between them the
// municipality inbox's received, under_review, corrected, answered, rejected.
const std::vector<std::string>& ContributionStatusNames();

struct ExplainContext {
  const Explanations* explanations = nullptr;
  const KleCatalogue* kle = nullptr;
  Date today = GoLiveDate();
  std::map<int, std::string> municipality_names;  // code -> "Aarhus"
};

// How much of an item to explain: the overview's summary, or the item page's detail.
enum class Depth { kSummary, kDetail };

// One case as the citizen sees it; the detail adds the timeline and the documents.
nlohmann::json ExplainCase(const Case& c, bool documents_shown, const ExplainContext& ctx,
                           Depth depth = Depth::kDetail);
// One grant with benefits, last and next payment, amounts in Danish format; the detail
// adds every payment past and planned.
nlohmann::json ExplainGrant(const Grant& g, const ExplainContext& ctx, Depth depth = Depth::kDetail);

// The notice kinds ExplainCase / ExplainGrant can raise, i.e. what would confuse a
// citizen: missing_unit, status_gap, stale_status, unknown_kle, jargon_title,
// payment_without_grant_period, no_explanation.
const std::vector<std::string>& NoticeKinds();

// Sort key for the overview: open items first, then by last change, newest first.
void SortForOverview(std::vector<nlohmann::json>* items);

}  // namespace adda
