#include "sim/summary.h"

#include <algorithm>
#include <cmath>

#include "core/stats.h"
#include "net/http.h"

namespace adda::sim {
namespace {

using nlohmann::json;

json Ms(double v) { return std::round(v * 1000) / 1000; }
json UsToMs(uint64_t us) { return Ms(us / 1000.0); }
json Rate(double v) { return std::round(v * 100000) / 100000; }

json Latency(const Histogram& h) {
  if (h.Count() == 0)
    return {{"count", 0}, {"p50", nullptr}, {"p90", nullptr}, {"p95", nullptr}, {"p99", nullptr}, {"max", nullptr}, {"mean", nullptr}};
  return {{"count", h.Count()},          {"p50", UsToMs(h.Quantile(0.5))}, {"p90", UsToMs(h.Quantile(0.9))},
          {"p95", UsToMs(h.Quantile(0.95))}, {"p99", UsToMs(h.Quantile(0.99))}, {"max", UsToMs(h.Max())},
          {"mean", Ms(h.Mean() / 1000.0)}};
}

json Success(uint64_t ok, uint64_t n) {
  if (n == 0) return {{"rate", nullptr}, {"ci95_low", nullptr}, {"ci95_high", nullptr}};
  const auto p = AdjustedWald(ok, n);
  return {{"rate", Rate(p.rate)}, {"ci95_low", Rate(p.low)}, {"ci95_high", Rate(p.high)}};
}

json MeanOrNull(const std::vector<double>& xs) {
  if (xs.empty()) return nullptr;
  return Ms(MeanWithCi(xs).mean);
}

json CohortRow(const std::string& kind, const std::string& key, const std::string& label, const Cohort& c) {
  json row{{"kind", kind}, {"cohort", key}, {"label", label}, {"journeys", c.journeys}};
  const bool suppressed = c.journeys < kSuppressBelow;
  row["suppressed"] = suppressed;
  auto lat = Latency(c.latency);
  row["requests"] = suppressed ? json() : json(c.requests);
  row["errors"] = suppressed ? json() : json(c.errors);
  row["success_rate"] = suppressed || c.journeys == 0 ? json() : Rate(double(c.ok) / c.journeys);
  for (const char* k : {"p50", "p95", "p99"}) row[k] = suppressed ? json() : lat[k];
  const bool few_answers = c.sus.size() < kSuppressBelow;
  row["sus_mean"] = suppressed || few_answers ? json() : MeanOrNull(c.sus);
  row["rating_mean"] = suppressed || c.ratings.size() < kSuppressBelow ? json() : MeanOrNull(c.ratings);
  if (suppressed) row["journeys"] = nullptr;
  return row;
}

json StepRow(const std::string& step, const StepMetrics& s) {
  auto lat = Latency(s.corrected);
  json row{{"step", step}, {"count", s.count}, {"errors", s.errors}};
  for (const char* k : {"p50", "p90", "p95", "p99", "max", "mean"}) row[k] = lat[k];
  row["raw_p95"] = s.raw.Count() ? UsToMs(s.raw.Quantile(0.95)) : json();
  return row;
}

// The value a threshold tests, or NaN when it could not be measured.
double MetricValue(const Threshold& t, const RunMetrics& m, double rps) {
  const double nan = std::nan("");
  if (t.metric.rfind("step_p", 0) == 0) {
    const double q = t.metric == "step_p50_ms" ? 0.5 : t.metric == "step_p95_ms" ? 0.95 : 0.99;
    const Histogram* h = &m.all.latency;
    if (t.scope) h = &m.steps[static_cast<int>(*StepFromName(*t.scope))].corrected;
    return h->Count() ? h->Quantile(q) / 1000.0 : nan;
  }
  if (t.metric == "journey_success_rate") {
    const Cohort* c = &m.all;
    if (t.scope) {
      auto it = m.journeys.find(*t.scope);
      if (it == m.journeys.end()) return nan;
      c = &it->second;
    }
    return c->journeys ? double(c->ok) / c->journeys : nan;
  }
  if (t.metric == "error_rate") return m.all.requests ? double(m.all.errors) / m.all.requests : nan;
  if (t.metric == "throughput_rps") return rps;
  const Cohort* c = &m.all;
  if (t.scope) {
    auto it = m.personas.find(*t.scope);
    if (it == m.personas.end()) return nan;
    c = &it->second;
  }
  const auto& xs = t.metric == "mean_sus" ? c->sus : c->ratings;
  return xs.empty() ? nan : MeanWithCi(xs).mean;
}

json Thresholds(const Scenario& s, const RunMetrics& m, double rps, bool* all_pass) {
  json out = json::array();
  *all_pass = true;
  for (const auto& t : s.thresholds) {
    const double v = MetricValue(t, m, rps);
    const bool pass = t.Passes(v);
    *all_pass = *all_pass && pass;
    std::string description = t.description;
    if (description.empty())
      description = t.metric + (t.scope ? " of " + *t.scope : std::string()) + " " + t.op + " " + json(t.limit).dump();
    out.push_back({{"id", t.id}, {"description", description}, {"metric", t.metric},
                   {"scope", t.scope ? json(*t.scope) : json()}, {"op", t.op}, {"limit", t.limit},
                   {"value", std::isnan(v) ? json() : Ms(v)}, {"pass", pass}});
  }
  return out;
}

json Feedback(const Scenario& s, const RunMetrics& m) {
  const auto& all = m.all;
  json sus = {{"n", all.sus.size()}, {"mean", nullptr}, {"sd", nullptr}, {"ci95_low", nullptr},
              {"ci95_high", nullptr}, {"grade", nullptr}, {"percentile", nullptr}};
  if (!all.sus.empty()) {
    const auto ci = MeanWithCi(all.sus);
    sus = {{"n", ci.n}, {"mean", Ms(ci.mean)}, {"sd", Ms(ci.sd)}, {"ci95_low", Ms(ci.low)},
           {"ci95_high", Ms(ci.high)}, {"grade", SusGrade(ci.mean)}, {"percentile", SusPercentile(ci.mean)}};
  }
  json by_persona = json::array();
  for (const auto& p : s.personas) {
    auto it = m.personas.find(p.name);
    const size_t n = it == m.personas.end() ? 0 : it->second.sus.size();
    json row{{"persona", p.name}, {"n", n}, {"suppressed", n < kSuppressBelow}};
    if (n >= kSuppressBelow) {
      const double mean = MeanWithCi(it->second.sus).mean;
      row["rating_mean"] = MeanOrNull(it->second.ratings);
      row["sus_mean"] = Ms(mean);
      row["grade"] = SusGrade(mean);
    } else {
      row["rating_mean"] = row["sus_mean"] = row["grade"] = nullptr;
    }
    by_persona.push_back(row);
  }
  std::map<std::string, uint64_t> themes;
  for (const auto& r : m.feedback_rows) themes[r.value("theme", "")]++;
  json theme_rows = json::array();
  for (const auto& [k, v] : themes) theme_rows.push_back({{"theme", k}, {"count", v}});
  return {{"origin", "simulated"},
          {"answers", m.feedback_rows.size()},
          {"posted", m.feedback_posted},
          {"post_errors", m.feedback_errors},
          {"rating", {{"n", all.ratings.size()}, {"mean", MeanOrNull(all.ratings)}}},
          {"sus", sus},
          {"by_persona", by_persona},
          {"themes", theme_rows}};
}

}  // namespace

std::string ScenarioDigest(const Scenario& scenario) { return "sha256:" + net::Sha256Hex(scenario.source.dump()); }

namespace {

// The scenario's span: from clock.start to the services' clock at the end when the run
// shared their process (adda pilot), else to the start plus the planned span.
json SimulatedClock(const Scenario& s, const RunResult& result, const Manifest& manifest) {
  const auto& load = s.load;
  const double planned_s = load.calendar.enabled ? load.calendar.simulated_hours * 3600 : load.duration_s();
  json j{{"start", s.clock_start.ToString()},
         {"planned_end", s.clock_start.AddMillis(static_cast<int64_t>(planned_s * 1000)).ToString()}};
  j["end"] = result.simulated_end.empty() ? j["planned_end"] : json(result.simulated_end);
  j["services_rate"] = manifest.clock_rate > 0 ? json(manifest.clock_rate) : json(nullptr);
  return j;
}

}  // namespace

json BuildSummary(const Scenario& s, const Plan& plan, const Population& population, RunResult& result,
                  const Manifest& manifest) {
  auto& m = result.metrics;
  std::sort(m.feedback_rows.begin(), m.feedback_rows.end(),
            [](const json& a, const json& b) { return a["journey_id"].get<uint64_t>() < b["journey_id"].get<uint64_t>(); });
  const double rps = result.load_seconds > 0 ? m.all.requests / result.load_seconds : 0;
  bool all_pass = true;
  json thresholds = Thresholds(s, m, rps, &all_pass);

  json municipalities = json::array();
  for (int code : s.municipalities) {
    auto it = manifest.municipality_names.find(code);
    municipalities.push_back({{"code", code},
                              {"name", it == manifest.municipality_names.end() ? std::to_string(code) : it->second},
                              {"citizens", population.CountIn(code)}});
  }
  const auto& load = s.load;
  json manifest_json{
      {"adda_version", ADDA_VERSION},
      {"mode", manifest.mode},
      {"scenario", {{"name", s.name}, {"file", manifest.scenario_file}, {"digest", manifest.scenario_digest},
                    {"description", s.description}}},
      {"seed", s.seed},
      {"scale", s.scale},
      {"time_scale", manifest.time_scale},
      {"simulated_clock", SimulatedClock(s, result, manifest)},
      {"data_digest", manifest.data_digest.empty() ? json() : json(manifest.data_digest)},
      {"municipalities", municipalities},
      {"load", {{"model", load.kind == LoadModel::Kind::kOpen ? "open" : "closed"},
                {"peak_target", [&] { double p = 0; for (const auto& st : load.stages) p = std::max(p, st.target); return p; }()},
                {"duration_s", load.duration_s()},
                {"journeys", load.journeys ? json(*load.journeys) : json()},
                {"citizens", load.each_citizen ? "each" : "random"},
                {"calendar", load.calendar.enabled}}},
      {"targets", {{"borger", manifest.targets.borger}, {"kombit", manifest.targets.kombit}}},
      {"started_at", result.started_at},
      {"finished_at", result.finished_at},
      {"wall_seconds", Ms(result.load_seconds)},
      {"plan_digest", plan.Digest()}};

  json totals{{"journeys", m.all.journeys},
              {"journeys_ok", m.all.ok},
              {"journeys_failed", m.all.failed},
              {"journeys_abandoned", m.all.abandoned},
              {"journeys_cut", m.journeys_cut},
              {"arrivals_dropped", m.arrivals_dropped},
              {"success", Success(m.all.ok, m.all.journeys)},
              {"requests", m.all.requests},
              {"errors", m.all.errors},
              {"error_rate", m.all.requests ? Rate(double(m.all.errors) / m.all.requests) : json()},
              {"throughput_rps", Ms(rps)},
              {"latency", Latency(m.all.latency)}};

  json steps = json::array();
  for (int i = 0; i < kStepCount; ++i)
    if (m.steps[i].count) steps.push_back(StepRow(StepName(static_cast<Step>(i)), m.steps[i]));

  json journeys = json::array();
  for (const auto& j : s.journeys) {
    auto it = m.journeys.find(j.name);
    if (it == m.journeys.end()) continue;
    const auto& c = it->second;
    auto lat = Latency(c.latency);
    json tot{{"geomean", nullptr}, {"ci95_low", nullptr}, {"ci95_high", nullptr}};
    if (!c.time_on_task_s.empty()) {
      const auto g = GeometricMean(c.time_on_task_s);
      tot = {{"geomean", Ms(g.mean)}, {"ci95_low", Ms(g.low)}, {"ci95_high", Ms(g.high)}};
    }
    journeys.push_back({{"journey", j.name}, {"count", c.journeys}, {"ok", c.ok}, {"failed", c.failed},
                        {"abandoned", c.abandoned}, {"success", Success(c.ok, c.journeys)}, {"time_on_task_s", tot},
                        {"p50", lat["p50"]}, {"p95", lat["p95"]}});
  }

  json cohorts = json::array();
  for (int code : s.municipalities) {
    auto it = m.municipalities.find(std::to_string(code));
    const auto name = manifest.municipality_names.count(code) ? manifest.municipality_names.at(code) : std::to_string(code);
    cohorts.push_back(CohortRow("municipality", std::to_string(code), name,
                                it == m.municipalities.end() ? Cohort{} : it->second));
  }
  for (const auto& p : s.personas) {
    auto it = m.personas.find(p.name);
    cohorts.push_back(CohortRow("persona", p.name, p.name, it == m.personas.end() ? Cohort{} : it->second));
  }
  for (const auto& [band, c] : m.age_bands) cohorts.push_back(CohortRow("age_band", band, band, c));

  json step_cohorts = json::array();
  for (const auto& [key, st] : m.step_cohorts) {
    const auto colon = key.second.find(':');
    const bool suppressed = st.count < kSuppressBelow;
    json row{{"step", StepName(static_cast<Step>(key.first))}, {"kind", key.second.substr(0, colon)},
             {"cohort", key.second.substr(colon + 1)}, {"count", suppressed ? json() : json(st.count)},
             {"suppressed", suppressed}};
    auto base = StepRow("", st);
    for (const char* k : {"errors", "p50", "p90", "p95", "p99", "max", "mean"}) row[k] = suppressed ? json() : base[k];
    step_cohorts.push_back(row);
  }

  json by_step = json::array();
  for (int i = 0; i < kStepCount; ++i)
    for (const auto& [cls, n] : m.steps[i].errors_by_class)
      by_step.push_back({{"step", StepName(static_cast<Step>(i))}, {"class", cls}, {"count", n}});
  json by_class{{"transport", 0}, {"timeout", 0}, {"http_4xx", 0}, {"http_5xx", 0}, {"abandoned", 0}};
  for (const auto& [k, v] : m.errors_by_class) by_class[k] = v;
  uint64_t stale = 0;
  for (const auto& w : m.windows) stale += w.stale_answers;

  json timeline = json::array();
  for (size_t i = 0; i < m.timeline.size(); ++i) {
    const auto& b = m.timeline[i];
    timeline.push_back({{"t", Ms(i * m.bucket_s)}, {"requests", b.requests}, {"errors", b.errors},
                        {"p95", b.latency.Count() ? UsToMs(b.latency.Quantile(0.95)) : json()}});
  }

  json windows = json::array();
  for (size_t k = 0; k < s.faults.size(); ++k) {
    const auto& f = s.faults[k];
    const auto& w = k < m.windows.size() ? m.windows[k] : WindowMetrics{};
    json row{{"name", f.name}, {"start_s", f.start_s}, {"end_s", f.end_s}, {"target", "kombit"}, {"fault", f.rule},
             {"applied", k < result.fault_applied.size() && result.fault_applied[k]}, {"requests", w.requests},
             {"errors", w.errors}, {"stale_answers", w.stale_answers}};
    if (k < result.fault_errors.size() && !result.fault_errors[k].empty()) row["error"] = result.fault_errors[k];
    windows.push_back(row);
  }

  json defects = json::array();
  for (const auto& [kind, d] : m.defects)
    defects.push_back({{"kind", kind}, {"present", d.present}, {"noticed", d.noticed}, {"reported", d.reported}});

  json usage = json::object();
  for (const char* k : {"logins", "overviews", "cases_opened", "benefits_opened", "explanations_read", "contributions",
                        "shares_created", "shares_opened", "exports", "access_log_reads", "feedback_posted", "logouts"})
    usage[k] = m.usage.count(k) ? m.usage.at(k) : 0;

  const bool complete = result.complete;
  return {{"schema", "adda-run-summary/1"},
          {"run_id", manifest.run_id},
          {"complete", complete},
          {"verdict", !complete ? "incomplete" : all_pass ? "pass" : "fail"},
          {"manifest", manifest_json},
          {"thresholds", thresholds},
          {"totals", totals},
          {"steps", steps},
          {"journeys", journeys},
          {"cohorts", cohorts},
          {"step_cohorts", step_cohorts},
          {"errors", {{"by_class", by_class}, {"by_step", by_step}, {"stale_answers", stale}}},
          {"timeline", {{"bucket_s", m.bucket_s}, {"buckets", timeline}}},
          {"fault_windows", windows},
          {"feedback", Feedback(s, m)},
          {"data_quality", {{"kinds", defects}}},
          {"usage", usage}};
}

}  // namespace adda::sim
