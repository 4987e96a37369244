// Request counts and latency histograms per route and status, in Prometheus text format.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <tuple>

namespace adda::net {

class Metrics {
 public:
  explicit Metrics(std::string service) : service_(std::move(service)) {}
  void Observe(const std::string& method, const std::string& route, int status, double seconds);
  void Count(const std::string& name, int64_t delta = 1);  // service-specific counters
  void SetGauge(const std::string& name, double value);
  std::string Prometheus() const;
  int64_t Requests() const;

  static constexpr std::array<double, 14> kBuckets = {0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05,
                                                      0.1,    0.25,  0.5,   1,     2.5,   5,    10};

 private:
  struct Series {
    std::array<int64_t, kBuckets.size()> buckets{};
    int64_t count = 0;
    double sum = 0;
  };
  std::string service_;
  mutable std::mutex mu_;
  std::map<std::tuple<std::string, std::string, int>, Series> series_;
  std::map<std::string, int64_t> counters_;
  std::map<std::string, double> gauges_;
};

}  // namespace adda::net
