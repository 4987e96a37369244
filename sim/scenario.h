// A scenario: what a pilot run replays — which municipalities at which scale and seed,
// the simulated clock, the load model, the personas and journeys virtual citizens
// follow, fault windows on the KOMBIT mock, and the thresholds that pass or fail the
// run. Scenarios are JSON files a person writes (pilots/scenarios/, every field in
// docs/scenarios.md). LoadScenario/ParseScenario check *every* field and report each
// problem with the file, the field path and the reason; a misspelt key fails.
// Plain values; thread-safe to read.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/date.h"
#include "core/status.h"

namespace adda::sim {

// The steps a journey is made of; each is one HTTP exchange with borger.dk.
enum class Step {
  kLogin,            // POST /idp/login
  kOverview,         // GET /v1/overview
  kOpenCase,         // GET /v1/cases/{code}/{id} of a case from the overview
  kOpenBenefit,      // GET /v1/benefits/{code}/{id} of a benefit from the overview
  kReadExplanation,  // GET the detail of the item the persona wonders most about, and read it
  kContribute,       // POST /v1/contributions on an item (a noticed defect when there is one)
  kShare,            // POST /v1/shares with someone the citizen chooses
  kOpenShare,        // GET /v1/shared/{token} as the recipient (no session)
  kExport,           // GET /v1/export?format=json|csv
  kAccessLog,        // GET /v1/access-log
  kFeedback,         // POST /v1/feedback (simulated answer)
  kLogout,           // POST /v1/logout
};
constexpr int kStepCount = 12;
const char* StepName(Step s);
std::optional<Step> StepFromName(const std::string& name);

struct JourneyStep {
  Step step = Step::kOverview;
  double think_s = 0;  // mean think time before this step, seconds (exponential)
};

struct Journey {
  std::string name;
  double weight = 1;
  std::vector<JourneyStep> steps;
};

struct Persona {
  std::string name;
  double weight = 1;
  std::string digital_habit = "medium";  // low | medium | high
  std::string age_group = "30-49";       // 18-29 | 30-49 | 50-64 | 65+
  std::string reading_level = "average"; // easy | average | expert
  double patience_s = 8;                 // a step slower than this and the persona gives up
  double think_factor = 1;               // multiplies every think time
  double feedback_rate = 0.2;            // chance of answering after a journey without a feedback step
  double report_rate = 0.3;              // chance of reporting a noticed defect as a contribution
};

struct Stage {
  double duration_s = 0;
  double target = 0;  // closed: virtual users; open: arrivals per second (at calendar factor 1)
};

struct Calendar {
  bool enabled = false;
  // Simulated hours the whole run covers, from the scenario clock's start: arrival rates
  // follow the hour of day, the weekday (Monday mornings) and the days around the
  // month-end payout (last bank day ± 1).
  double simulated_hours = 24;
};

struct LoadModel {
  enum class Kind { kClosed, kOpen } kind = Kind::kClosed;
  std::vector<Stage> stages;            // ramps linearly from the previous target
  std::optional<uint64_t> journeys;     // stop after this many journeys
  bool each_citizen = false;            // "citizens": "each" — every citizen once, in order
  double pacing_s = 0;                  // closed: mean pause between one user's journeys
  uint64_t max_in_flight = 5000;        // open: arrivals beyond this are dropped and counted
  Calendar calendar;                    // open model only
  double duration_s() const;
  // Target (users or rate) at `t` seconds into the run: linear ramps between stages.
  double TargetAt(double t) const;
};

struct FaultWindow {
  std::string name;
  double start_s = 0;
  double end_s = 0;
  nlohmann::json rule;  // a KOMBIT /admin/faults rule (route, latency, error_rate, outage, …)
};

struct Threshold {
  std::string id;
  std::string description;
  std::string metric;                 // step_p50_ms, step_p95_ms, step_p99_ms, journey_success_rate,
                                      // error_rate, mean_sus, mean_rating, throughput_rps
  std::optional<std::string> scope;   // a step, journey or persona name; null = the whole run
  std::string op = "<=";              // <=, <, >=, >
  double limit = 0;
  bool Passes(double value) const;
};

struct Scenario {
  std::string name;
  std::string description;
  std::vector<int> municipalities;
  double scale = 0.01;
  uint64_t seed = 2018;
  Timestamp clock_start;              // default 2018-12-11T08:00:00Z (go-live)
  LoadModel load;
  int request_timeout_ms = 5000;
  std::vector<Persona> personas;
  std::vector<Journey> journeys;
  std::vector<FaultWindow> faults;
  std::vector<Threshold> thresholds;
  nlohmann::json source;              // the file as read, for the run's manifest and replay
};

// Parses a scenario; `file` names it in errors. On failure the Status carries one
// Violation per problem (rule, field path, reason); code "scenario.invalid".
Result<Scenario> ParseScenario(const nlohmann::json& j, const std::string& file);
// Reads and parses a file; a missing file or malformed JSON is reported the same way.
Result<Scenario> LoadScenario(const std::string& path);
// "file: field: reason" lines for a failed parse.
std::string DescribeScenarioErrors(const Status& s, const std::string& file);

// The age band a birth date falls in on `on` (18-29, 30-49, 50-64, 65+, or "0-17").
std::string AgeBand(Date birth, Date on);

// The calendar factor at a simulated instant: hour of day × weekday × payout days.
// 1.0 is an ordinary weekday hour at midday.
double CalendarFactor(Timestamp simulated);

}  // namespace adda::sim
