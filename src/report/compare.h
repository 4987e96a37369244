// Comparing two finished runs: run B against a baseline run A (`adda report compare`).
//
// Compare reads two summaries (docs/summary-schema.md) and lists, metric by metric,
// what changed and whether the change is a regression. The rules, with `tolerance` a
// relative change (0.10 = 10 %):
//   * latency (step p50/p95/p99): B is worse than A by more than `tolerance` AND by at
//     least 1 ms, so a sub-millisecond wobble on a fast step is never a regression;
//   * run success rate, each journey's success rate, throughput and mean SUS: B is
//     lower than A by more than `tolerance`;
//   * run error rate: B is higher than A by more than `tolerance` AND by at least 0.1
//     percentage point (a handful of extra errors on a clean run is noise);
//   * a threshold that passed in A and fails in B.
// Step error counts are listed for reading but never flagged: they grow with the scale.
// A metric missing or null on either side is listed with change null and is not a
// regression. All functions are pure and thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace adda::report {

// The comparison as JSON:
//   {"schema": "adda-run-compare/1", "tolerance": 0.1,
//    "a": {"run_id", "scenario", "seed", "scale"}, "b": {...},
//    "same_plan": bool,   // both manifest.plan_digest present and equal
//    "rows": [{"metric", "scope", "a", "b", "change", "regression"}],
//    "regressions": N, "verdict": "regressed" | "no regressions"}
// Metrics use the threshold metric names where one exists: step_p50_ms, step_p95_ms,
// step_p99_ms, step_errors (scope: the step), error_rate, throughput_rps, mean_sus
// (scope null: the whole run), journey_success_rate (scope: a journey, or null for the
// run) and threshold_pass (scope: the threshold id; a and b are booleans or null).
// `change` is (b - a) / a, rounded to 4 decimals, null when a is 0 or null or b is null.
// Rows come per step (p50, p95, p99, errors), then the run's error rate, success rate
// and throughput, each journey's success rate, mean SUS, and the thresholds; steps,
// journeys and thresholds in A's order, then those only B has.
nlohmann::json Compare(const nlohmann::json& a, const nlohmann::json& b, double tolerance = 0.10);

// The comparison as Markdown: the two runs, whether they share a plan, the verdict and
// one table row per metric, regressions marked.
std::string RenderComparisonMarkdown(const nlohmann::json& cmp);

// The comparison as a plain-text table for a terminal (UTF-8, no colours); each
// regression's line starts with '!'.
std::string RenderComparisonText(const nlohmann::json& cmp);

}  // namespace adda::report
