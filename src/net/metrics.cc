#include "net/metrics.h"

#include <cstdio>
#include <sstream>

namespace adda::net {

void Metrics::Observe(const std::string& method, const std::string& route, int status, double seconds) {
  std::lock_guard<std::mutex> lock(mu_);
  Series& s = series_[{method, route, status}];
  for (size_t i = 0; i < kBuckets.size(); ++i)
    if (seconds <= kBuckets[i]) ++s.buckets[i];
  ++s.count;
  s.sum += seconds;
}

void Metrics::Count(const std::string& name, int64_t delta) {
  std::lock_guard<std::mutex> lock(mu_);
  counters_[name] += delta;
}

void Metrics::SetGauge(const std::string& name, double value) {
  std::lock_guard<std::mutex> lock(mu_);
  gauges_[name] = value;
}

int64_t Metrics::Requests() const {
  std::lock_guard<std::mutex> lock(mu_);
  int64_t n = 0;
  for (const auto& [k, s] : series_) n += s.count;
  return n;
}

namespace {
std::string Escape(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') out.push_back('\\');
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out.push_back(c);
  }
  return out;
}
}  // namespace

std::string Metrics::Prometheus() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::ostringstream o;
  o << "# HELP adda_http_requests_total HTTP requests answered, by route and status.\n"
       "# TYPE adda_http_requests_total counter\n";
  for (const auto& [k, s] : series_) {
    const auto& [method, route, status] = k;
    o << "adda_http_requests_total{service=\"" << service_ << "\",method=\"" << method << "\",route=\""
      << Escape(route) << "\",status=\"" << status << "\"} " << s.count << "\n";
  }
  o << "# HELP adda_http_request_duration_seconds Time from request read to response written.\n"
       "# TYPE adda_http_request_duration_seconds histogram\n";
  for (const auto& [k, s] : series_) {
    const auto& [method, route, status] = k;
    const std::string labels = "service=\"" + service_ + "\",method=\"" + method + "\",route=\"" +
                               Escape(route) + "\",status=\"" + std::to_string(status) + "\"";
    for (size_t i = 0; i < kBuckets.size(); ++i) {
      char le[32];
      std::snprintf(le, sizeof le, "%g", kBuckets[i]);
      o << "adda_http_request_duration_seconds_bucket{" << labels << ",le=\"" << le << "\"} " << s.buckets[i]
        << "\n";
    }
    o << "adda_http_request_duration_seconds_bucket{" << labels << ",le=\"+Inf\"} " << s.count << "\n";
    o << "adda_http_request_duration_seconds_sum{" << labels << "} " << s.sum << "\n";
    o << "adda_http_request_duration_seconds_count{" << labels << "} " << s.count << "\n";
  }
  for (const auto& [name, v] : counters_) {
    o << "# TYPE adda_" << name << " counter\n";
    o << "adda_" << name << "{service=\"" << service_ << "\"} " << v << "\n";
  }
  for (const auto& [name, v] : gauges_) {
    o << "# TYPE adda_" << name << " gauge\n";
    o << "adda_" << name << "{service=\"" << service_ << "\"} " << v << "\n";
  }
  return o.str();
}

}  // namespace adda::net
