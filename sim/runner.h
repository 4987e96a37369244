// The scenario runner: replays a plan of citizen journeys against borger.dk (and the
// KOMBIT mock's admin API for fault windows) over HTTP only.
//
// Virtual users are small state machines, not threads: `workers` threads each run one
// Boost.Asio io_context that advances many users; a user waiting between steps is a
// parked timer. A user owns one keep-alive connection, as a browser would. Closed model:
// the number of active users follows the load stages and each takes the plan's next
// journey when it finishes one. Open model: every planned arrival starts a new user at
// its scheduled time whether or not earlier ones finished. Every latency counts from
// when the request *should* have been sent, so neither a slow server nor a busy runner
// hides its slowness; the raw figure is kept beside it.
//
// Run() blocks until the load ends (or `stop` becomes true: the result is then marked
// incomplete), and returns the merged metrics. Thread-safe to call once per Runner.
#pragma once

#include <atomic>
#include <functional>
#include <string>

#include "core/clock.h"
#include "sim/plan.h"
#include "sim/run_metrics.h"
#include "sim/scenario.h"
#include "sim/service_admin.h"

namespace adda::sim {

struct Progress {
  double elapsed_s = 0, duration_s = 0;
  uint64_t journeys_done = 0, journeys_planned = 0, requests = 0, errors = 0, in_flight = 0;
  double rps = 0;                   // over the last interval
  std::string fault;                // active fault window, if any
};

struct RunOptions {
  double time_scale = 1;            // multiplies think times; 0 skips them
  int workers = 2;
  double graceful_stop_s = 20;      // after the load ends, journeys under way get this long
  std::string run_id;
  const std::atomic<bool>* stop = nullptr;         // set by Ctrl-C
  std::function<void(const Progress&)> progress;   // called about twice a second
  const Clock* wall = &SystemClock();              // started_at, finished_at
  // The services' clock when the runner shares their process (adda pilot): the run's
  // end in scenario time is read from it. Null: unknown (adda run).
  const Clock* services_clock = nullptr;
};

struct RunResult {
  RunMetrics metrics;
  bool complete = true;
  double load_seconds = 0;          // wall time from the first arrival to the end
  std::string started_at, finished_at;  // wall time
  std::string simulated_end;             // the services' clock at the end; "" when unknown
  std::vector<bool> fault_applied;  // per scenario fault window
  std::vector<std::string> fault_errors;
};

RunResult RunScenario(const Scenario& scenario, const Plan& plan, const Population& population,
                      const RunTargets& targets, const RunOptions& options);

}  // namespace adda::sim

