// Turns a finished run (the scenario, its plan and the merged metrics) into the run's
// summary.json (docs/summary-schema.md): the figures, the cohort breakdowns with groups
// under five suppressed, the thresholds evaluated, and the manifest that makes the run
// reproducible. Pure function of its inputs; thread-safe.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/plan.h"
#include "sim/runner.h"
#include "sim/scenario.h"

namespace adda::sim {

// Everything about a run that is not a measurement.
struct Manifest {
  std::string run_id;
  std::string mode = "pilot";          // pilot | run
  std::string scenario_file;
  std::string scenario_digest;         // sha256:… of the effective scenario
  std::string data_digest;             // the generator's digest, or "" when unknown
  double time_scale = 1;
  double clock_rate = 0;               // the services' scenario milliseconds per real one; 0: unknown
  std::map<int, std::string> municipality_names;
  RunTargets targets;
};

constexpr uint64_t kSuppressBelow = 5;

// The summary (schema adda-run-summary/1). `result.metrics.feedback_rows` is sorted by
// journey id as a side effect, so feedback.csv comes out in plan order.
nlohmann::json BuildSummary(const Scenario& scenario, const Plan& plan, const Population& population,
                            RunResult& result, const Manifest& manifest);

// The effective scenario's digest: sha256 over its canonical JSON.
std::string ScenarioDigest(const Scenario& scenario);

}  // namespace adda::sim
