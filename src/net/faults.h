// Fault injection, switchable at run time: rules that match requests by path glob (and
// optionally method) and add latency, fail a share of requests with a status, drop a
// share of connections, or take the matched routes fully down — each optionally only
// inside a time window. Thread-safe; decisions are random per request.
//
// A rule as JSON (all fields but "route" optional):
//   {"route": "/v1/citizens/*", "method": "GET",
//    "latency": {"ms": 200} | {"min_ms": 50, "max_ms": 400} | {"mean_ms": 100, "distribution": "exponential"},
//    "error_rate": 0.1, "error_status": 503, "drop_rate": 0.05, "outage": false,
//    "window": {"start_s": 10, "end_s": 70}}      (seconds after the rule was added)
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/clock.h"
#include "core/status.h"

namespace adda::net {

struct FaultRule {
  std::string id;
  std::string route;  // glob over the request path: '*' matches any run of characters
  std::string method;  // empty: any
  // Latency: fixed (min == max), uniform [min, max], or exponential with mean.
  double latency_min_ms = 0, latency_max_ms = 0, latency_mean_ms = 0;
  bool exponential = false;
  double error_rate = 0;
  int error_status = 503;
  double drop_rate = 0;
  bool outage = false;
  std::optional<double> window_start_s, window_end_s;
  int64_t added = 0;  // the clock's Ticks when added; windows count from here
};

struct FaultAction {
  double delay_ms = 0;
  int error_status = 0;  // 0: none
  bool drop = false;
  bool outage = false;
  std::string rule_id;
};

class FaultInjector {
 public:
  // Windows and ages read `clock` (its Ticks), so a test can move through a window.
  explicit FaultInjector(const Clock& clock = SystemClock()) : clock_(clock) {}
  // The JSON Schema of a rule as Add takes it: closed, with every field Parse reads (the
  // counters and id Describe shows may be sent back and are ignored). The one list of
  // the rule's field names: Parse refuses any other.
  static const nlohmann::json& RuleSchema();
  // Parses and adds a rule; violations name the field.
  Result<FaultRule> Add(const nlohmann::json& rule);
  void Clear();
  bool Remove(const std::string& id);
  // Replaces every rule atomically; nothing changes when one is invalid.
  Status ReplaceAll(const nlohmann::json& rules);
  FaultAction Decide(const std::string& method, const std::string& path);
  nlohmann::json Describe() const;  // rules with counters
  bool active() const { return has_rules_.load(std::memory_order_relaxed); }

 private:
  struct Entry {
    FaultRule rule;
    std::atomic<int64_t> matched{0}, delayed{0}, errored{0}, dropped{0};
  };
  static Result<FaultRule> Parse(const nlohmann::json& j);
  const Clock& clock_;
  mutable std::shared_mutex mu_;
  std::vector<std::shared_ptr<Entry>> entries_;
  std::atomic<bool> has_rules_{false};
  std::atomic<int64_t> next_id_{1};
};

bool GlobMatch(std::string_view pattern, std::string_view text);

}  // namespace adda::net
