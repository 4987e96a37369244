#include "net/faults.h"

#include <cmath>
#include <mutex>
#include <random>

#include "core/json_schema.h"

namespace adda::net {

bool GlobMatch(std::string_view p, std::string_view t) {
  size_t pi = 0, ti = 0, star = std::string_view::npos, mark = 0;
  while (ti < t.size()) {
    if (pi < p.size() && p[pi] == '*') {
      star = pi++;
      mark = ti;
    } else if (pi < p.size() && p[pi] == t[ti]) {
      ++pi;
      ++ti;
    } else if (star != std::string_view::npos) {
      pi = star + 1;
      ti = ++mark;
    } else {
      return false;
    }
  }
  while (pi < p.size() && p[pi] == '*') ++pi;
  return pi == p.size();
}

namespace {

std::optional<double> Number(const nlohmann::json& j, const char* key, double lo, double hi,
                             std::vector<Violation>* v, const std::string& path) {
  if (!j.contains(key)) return std::nullopt;
  const auto& x = j.at(key);
  if (!x.is_number()) {
    v->push_back({"field.type", path + key, "must be a number"});
    return std::nullopt;
  }
  const double d = x.get<double>();
  if (!(d >= lo && d <= hi)) {
    v->push_back({"field.range", path + key, "must be between " + std::to_string(lo) + " and " + std::to_string(hi)});
    return std::nullopt;
  }
  return d;
}

Status InvalidRule(std::vector<Violation> v) {
  return Status::Error("fault.invalid", "the fault rule is not valid", std::move(v));
}

double Uniform01() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(rng);
}

}  // namespace

const nlohmann::json& FaultInjector::RuleSchema() {
  namespace js = schema;
  // Parse reads fields with contains(): optional, and null is not absent there.
  auto absent = [](std::string name, js::Json s) { return js::Property{std::move(name), std::move(s), false}; };
  static const js::Json kSchema = [&] {
    const js::Json ms = js::Number(0, 600000);
    const js::Json ignored = js::Described(js::Json::object(), "as GET /admin/faults shows it; ignored");
    const js::Json latency = js::Object({absent("ms", ms), absent("min_ms", ms), absent("max_ms", ms),
                                         absent("mean_ms", ms),
                                         absent("distribution", js::Enum({"fixed", "uniform", "exponential"}))},
                                        /*closed=*/false);
    const js::Json window = js::Object(
        {absent("start_s", js::Number(0, 1e7)), absent("end_s", js::Number(0, 1e7))}, /*closed=*/false);
    return js::Object(
        {js::Req("route", js::Described(js::Text(200), "a path glob: '*' matches any run of characters")),
         absent("method", js::Described(js::String(), "only requests of this method; default any")),
         absent("latency", latency), absent("error_rate", js::Number(0, 1)),
         absent("error_status", js::Number(400, 599)), absent("drop_rate", js::Number(0, 1)),
         absent("outage", js::Boolean()),
         absent("window", js::Described(window, "seconds after the rule was added")), absent("id", ignored),
         absent("matched", ignored), absent("delayed", ignored), absent("errored", ignored),
         absent("dropped", ignored)});
  }();
  return kSchema;
}

Result<FaultRule> FaultInjector::Parse(const nlohmann::json& j) {
  std::vector<Violation> v;
  FaultRule r;
  if (!j.is_object()) return InvalidRule({{"field.type", "", "a fault rule must be an object"}});
  const auto& known = RuleSchema()["properties"];
  for (const auto& [k, _] : j.items())
    if (!known.contains(k)) v.push_back({"field.unknown", k, "is not a fault rule field"});
  if (!j.contains("route") || !j["route"].is_string() || j["route"].get<std::string>().empty() ||
      j["route"].get<std::string>().size() > 200)
    v.push_back({"field.required", "route", "must be a path glob such as \"/v1/citizens/*\""});
  else
    r.route = j["route"];
  if (j.contains("method")) {
    if (!j["method"].is_string()) v.push_back({"field.type", "method", "must be a string"});
    else r.method = j["method"];
  }
  if (j.contains("latency")) {
    const auto& l = j["latency"];
    if (!l.is_object()) {
      v.push_back({"field.type", "latency", "must be an object"});
    } else {
      if (auto ms = Number(l, "ms", 0, 600000, &v, "latency.")) r.latency_min_ms = r.latency_max_ms = *ms;
      auto lo = Number(l, "min_ms", 0, 600000, &v, "latency.");
      auto hi = Number(l, "max_ms", 0, 600000, &v, "latency.");
      if (lo || hi) {
        if (!lo || !hi || *lo > *hi) v.push_back({"field.range", "latency", "min_ms and max_ms go together, min ≤ max"});
        else r.latency_min_ms = *lo, r.latency_max_ms = *hi;
      }
      if (auto mean = Number(l, "mean_ms", 0, 600000, &v, "latency.")) {
        r.latency_mean_ms = *mean;
        r.exponential = true;
      }
      if (l.contains("distribution") && l["distribution"] != "exponential" && l["distribution"] != "uniform" &&
          l["distribution"] != "fixed")
        v.push_back({"field.enum", "latency.distribution", "must be fixed, uniform or exponential"});
    }
  }
  r.error_rate = Number(j, "error_rate", 0, 1, &v, "").value_or(0);
  if (auto s = Number(j, "error_status", 400, 599, &v, "")) r.error_status = static_cast<int>(*s);
  r.drop_rate = Number(j, "drop_rate", 0, 1, &v, "").value_or(0);
  if (j.contains("outage")) {
    if (!j["outage"].is_boolean()) v.push_back({"field.type", "outage", "must be true or false"});
    else r.outage = j["outage"];
  }
  if (j.contains("window")) {
    const auto& w = j["window"];
    if (!w.is_object()) {
      v.push_back({"field.type", "window", "must be an object"});
    } else {
      r.window_start_s = Number(w, "start_s", 0, 1e7, &v, "window.");
      r.window_end_s = Number(w, "end_s", 0, 1e7, &v, "window.");
      if (r.window_start_s && r.window_end_s && *r.window_end_s <= *r.window_start_s)
        v.push_back({"field.range", "window", "end_s must be after start_s"});
    }
  }
  if (!v.empty()) return InvalidRule(std::move(v));
  return r;
}

Result<FaultRule> FaultInjector::Add(const nlohmann::json& j) {
  auto parsed = Parse(j);
  if (!parsed.ok()) return parsed.status();
  auto e = std::make_shared<Entry>();
  e->rule = *parsed;
  e->rule.id = "f" + std::to_string(next_id_.fetch_add(1));
  e->rule.added = clock_.Ticks();
  std::unique_lock<std::shared_mutex> lock(mu_);
  entries_.push_back(e);
  has_rules_ = true;
  return e->rule;
}

Status FaultInjector::ReplaceAll(const nlohmann::json& rules) {
  if (!rules.is_array()) return InvalidRule({{"field.type", "", "must be an array of fault rules"}});
  std::vector<std::shared_ptr<Entry>> fresh;
  std::vector<Violation> all;
  for (size_t i = 0; i < rules.size(); ++i) {
    auto parsed = Parse(rules[i]);
    if (!parsed.ok()) {
      for (auto v : parsed.status().violations()) {
        v.field = "[" + std::to_string(i) + "]" + (v.field.empty() ? "" : "." + v.field);
        all.push_back(v);
      }
      continue;
    }
    auto e = std::make_shared<Entry>();
    e->rule = *parsed;
    e->rule.id = "f" + std::to_string(next_id_.fetch_add(1));
    e->rule.added = clock_.Ticks();
    fresh.push_back(e);
  }
  if (!all.empty()) return InvalidRule(std::move(all));
  std::unique_lock<std::shared_mutex> lock(mu_);
  entries_ = std::move(fresh);
  has_rules_ = !entries_.empty();
  return Status::Ok();
}

void FaultInjector::Clear() {
  std::unique_lock<std::shared_mutex> lock(mu_);
  entries_.clear();
  has_rules_ = false;
}

bool FaultInjector::Remove(const std::string& id) {
  std::unique_lock<std::shared_mutex> lock(mu_);
  for (auto it = entries_.begin(); it != entries_.end(); ++it) {
    if ((*it)->rule.id == id) {
      entries_.erase(it);
      has_rules_ = !entries_.empty();
      return true;
    }
  }
  return false;
}

FaultAction FaultInjector::Decide(const std::string& method, const std::string& path) {
  FaultAction a;
  if (!active()) return a;
  std::shared_lock<std::shared_mutex> lock(mu_);
  const int64_t now = clock_.Ticks();
  for (const auto& e : entries_) {
    const FaultRule& r = e->rule;
    if (!r.method.empty() && r.method != method) continue;
    if (!GlobMatch(r.route, path)) continue;
    const double age = static_cast<double>(now - r.added) / 1e6;
    if (r.window_start_s && age < *r.window_start_s) continue;
    if (r.window_end_s && age >= *r.window_end_s) continue;
    ++e->matched;
    if (a.rule_id.empty()) a.rule_id = r.id;
    if (r.outage) {
      a.outage = true;
      ++e->errored;
      return a;
    }
    if (r.drop_rate > 0 && Uniform01() < r.drop_rate) {
      a.drop = true;
      ++e->dropped;
      return a;
    }
    double delay = 0;
    if (r.exponential) delay = -r.latency_mean_ms * std::log(1.0 - Uniform01());
    else if (r.latency_max_ms > 0) delay = r.latency_min_ms + (r.latency_max_ms - r.latency_min_ms) * Uniform01();
    if (delay > 0) {
      a.delay_ms += delay;
      ++e->delayed;
    }
    if (r.error_rate > 0 && a.error_status == 0 && Uniform01() < r.error_rate) {
      a.error_status = r.error_status;
      ++e->errored;
    }
  }
  return a;
}

nlohmann::json FaultInjector::Describe() const {
  std::shared_lock<std::shared_mutex> lock(mu_);
  nlohmann::json out = nlohmann::json::array();
  const int64_t now = clock_.Ticks();
  for (const auto& e : entries_) {
    const FaultRule& r = e->rule;
    nlohmann::json j{{"id", r.id}, {"route", r.route}, {"error_rate", r.error_rate},
                     {"error_status", r.error_status}, {"drop_rate", r.drop_rate}, {"outage", r.outage}};
    if (!r.method.empty()) j["method"] = r.method;
    if (r.exponential) j["latency"] = {{"mean_ms", r.latency_mean_ms}, {"distribution", "exponential"}};
    else if (r.latency_max_ms > 0) j["latency"] = {{"min_ms", r.latency_min_ms}, {"max_ms", r.latency_max_ms}};
    if (r.window_start_s || r.window_end_s) {
      j["window"] = nlohmann::json::object();
      if (r.window_start_s) j["window"]["start_s"] = *r.window_start_s;
      if (r.window_end_s) j["window"]["end_s"] = *r.window_end_s;
    }
    j["age_s"] = static_cast<double>(now - r.added) / 1e6;
    j["matched"] = e->matched.load();
    j["delayed"] = e->delayed.load();
    j["errored"] = e->errored.load();
    j["dropped"] = e->dropped.load();
    out.push_back(j);
  }
  return out;
}

}  // namespace adda::net
