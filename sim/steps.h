// The step kinds of a journey as one table: for each Step, what the virtual citizen
// sends to borger.dk and how it reads the answer — what it learns (its session, the
// overview's items, a share link), what it counts, and the steps it adds to its own
// journey (a defect it noticed and reports at once). Each kind is defined in one place,
// so adding a step means adding one row; the user's state machine (runner.cc) only
// sends, times and schedules.
//
// Plain functions over the journey's state; not thread-safe for one JourneyState (each
// belongs to one user on one worker) and the RunMetrics counted into are the worker's.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "core/random.h"
#include "sim/feedback_model.h"
#include "sim/plan.h"
#include "sim/run_metrics.h"
#include "sim/scenario.h"

namespace adda::sim {

// An item of the citizen's overview, as borger.dk lists it.
struct OverviewItem {
  std::string kind, href, id;
  int municipality = 0;
  std::vector<std::string> notices;  // notice kinds
};

// What one virtual citizen knows and has done in the journey under way. The user's state
// machine starts it afresh for each journey; the step kinds read and change it.
struct JourneyState {
  PlannedJourney plan;
  const Persona* persona = nullptr;
  const Journey* journey = nullptr;
  Rng rng{0};                      // the journey's choices
  std::vector<JourneyStep> steps;  // a step may add to them
  std::vector<double> think;       // before each step, persona factor applied, before --time-scale
  size_t step_i = 0;               // the step under way
  std::string token;               // the session; empty when there is none
  std::string share_link;          // from the last share created
  std::string reporting;           // the defect the contribution under way reports, if any
  std::vector<OverviewItem> items;  // the last overview's
  std::set<std::string> seen_items;
  std::vector<std::pair<std::string, std::string>> noticed;  // (item id, defect kind), oldest first
  Experience met;
  bool wants_feedback = false, feedback_done = false;
  std::optional<Answer> answered;  // the persona's simulated answer, once given
  int64_t feedback_row = -1;       // its row in RunMetrics::feedback_rows
};

// What the steps read of the run, and the worker's metrics they count into.
struct StepContext {
  const Scenario& scenario;
  const Population& population;
  const std::string& run_id;
  RunMetrics& metrics;
};

enum class Method { kGet, kPost };
enum class Credential {
  kNone,
  kSession,  // the citizen's session: without one the step is skipped
  kRunner,   // the runner's admin key (borger.dk takes simulated feedback only with it)
};

struct StepRequest {
  Method method = Method::kGet;
  std::string target, body;  // body: JSON, or empty
  Credential credential = Credential::kSession;
};

// One row of the table.
struct StepKind {
  Step step;
  // What the step sends, or nullopt when there is nothing to do it on (no item in the
  // overview, no share link, the feedback already given). May draw from the journey's
  // random stream and change the state even when it sends nothing.
  std::optional<StepRequest> (*send)(const StepContext& c, JourneyState& j);
  // Reads a successful answer's body; `offset_s` is seconds into the run. Throws
  // (nlohmann::json's type_error) when a field has another type than documented.
  void (*read)(const StepContext& c, JourneyState& j, const std::string& body, double offset_s);
};

// The row of `step`.
const StepKind& KindOf(Step step);

// What `step` sends in the state `j`: the row's request, or nullopt when the step is to
// be skipped (nothing to do it on, or it needs a session and the citizen has none).
std::optional<StepRequest> BuildStep(Step step, const StepContext& c, JourneyState& j);

}  // namespace adda::sim
