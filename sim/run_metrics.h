// What a run measured, kept per worker thread while it runs and merged at the end
// (wrk's way: no locks on the hot path). Latencies are microseconds in log-linear
// histograms, both from the *scheduled* send time (what a citizen waits, including any
// delay the runner itself added) and from the actual send time (raw). Plain values;
// one per worker, not thread-safe; Merge is called after the workers stopped.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/histogram.h"
#include "sim/scenario.h"

namespace adda::sim {

struct Cohort {
  uint64_t journeys = 0, ok = 0, failed = 0, abandoned = 0;
  uint64_t requests = 0, errors = 0;
  Histogram latency;                      // corrected, per request
  std::vector<double> time_on_task_s;     // completed journeys
  std::vector<double> sus, ratings;       // simulated answers
  void Merge(const Cohort& o);
};

struct StepMetrics {
  uint64_t count = 0, errors = 0;
  Histogram corrected, raw;
  std::map<std::string, uint64_t> errors_by_class;
  void Merge(const StepMetrics& o);
};

struct TimeBucket {
  uint64_t requests = 0, errors = 0;
  Histogram latency;
};

struct WindowMetrics {
  uint64_t requests = 0, errors = 0, stale_answers = 0;
};

struct DefectCounts {
  uint64_t present = 0, noticed = 0, reported = 0;
};

struct RunMetrics {
  std::array<StepMetrics, kStepCount> steps;
  std::map<std::pair<int, std::string>, StepMetrics> step_cohorts;  // (step, "municipality:561" | "persona:x")
  std::map<std::string, Cohort> journeys, municipalities, personas, age_bands;
  Cohort all;
  std::map<std::string, uint64_t> errors_by_class;
  std::vector<TimeBucket> timeline;       // bucket_s seconds each, from the run's start
  double bucket_s = 1;
  std::vector<WindowMetrics> windows;     // one per scenario fault window
  std::map<std::string, DefectCounts> defects;
  std::map<std::string, uint64_t> usage;
  uint64_t journeys_started = 0, journeys_cut = 0, arrivals_dropped = 0;
  uint64_t feedback_posted = 0, feedback_errors = 0;
  nlohmann::json feedback_rows = nlohmann::json::array();  // one per simulated answer

  void Merge(RunMetrics&& o);
  TimeBucket& BucketAt(double seconds);
};

}  // namespace adda::sim
