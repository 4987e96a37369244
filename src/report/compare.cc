#include "report/compare.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <vector>

#include "report/format.h"

namespace adda::report {
namespace {

using nlohmann::json;

// A latency must grow by at least this much, besides the relative tolerance, to count.
constexpr double kMinLatencyRegressionMs = 1.0;
// An error rate must grow by at least this much (0.1 percentage point).
constexpr double kMinErrorRateRegression = 0.001;

enum class Worse { kHigher, kLower, kNotJudged };

// Elements of A's list and then B's new ones, keyed by `key`, as (a element, b element).
std::vector<std::pair<std::string, std::pair<json, json>>> Union(const json& a_list,
                                                                 const json& b_list,
                                                                 const char* key) {
  std::vector<std::pair<std::string, std::pair<json, json>>> out;
  std::map<std::string, size_t> index;
  for (const auto& e : Items(a_list)) {
    const std::string k = Text(Field(e, key));
    if (index.count(k)) continue;
    index[k] = out.size();
    out.push_back({k, {e, json()}});
  }
  for (const auto& e : Items(b_list)) {
    const std::string k = Text(Field(e, key));
    auto it = index.find(k);
    if (it == index.end()) {
      index[k] = out.size();
      out.push_back({k, {json(), e}});
    } else if (out[it->second].second.second.is_null()) {
      out[it->second].second.second = e;
    }
  }
  return out;
}

class Rows {
 public:
  explicit Rows(double tolerance) : tolerance_(tolerance) {}

  void Add(const std::string& metric, const json& scope, const json& a, const json& b, Worse worse,
           double min_absolute = 0) {
    auto va = Number(a), vb = Number(b);
    json change;
    std::optional<double> relative;
    if (va && vb && *va != 0) {
      relative = (*vb - *va) / *va;
      change = std::round(*relative * 10000) / 10000;
    }
    bool regression = false;
    if (va && vb) {
      if (worse == Worse::kHigher)
        regression =
            *vb - *va >= min_absolute && *vb > *va && (!relative || *relative > tolerance_);
      else if (worse == Worse::kLower)
        regression = relative && *relative < -tolerance_;
    }
    Push(metric, scope, va ? a : json(), vb ? b : json(), change, regression);
  }

  void AddThreshold(const std::string& id, const json& a_pass, const json& b_pass) {
    const json a = a_pass.is_boolean() ? a_pass : json();
    const json b = b_pass.is_boolean() ? b_pass : json();
    Push("threshold_pass", id, a, b, json(), IsTrue(a) && b == false);
  }

  json rows() const { return rows_; }
  int regressions() const { return regressions_; }

 private:
  void Push(const std::string& metric, const json& scope, json a, json b, json change,
            bool regression) {
    rows_.push_back({{"metric", metric},
                     {"scope", scope},
                     {"a", std::move(a)},
                     {"b", std::move(b)},
                     {"change", std::move(change)},
                     {"regression", regression}});
    if (regression) ++regressions_;
  }

  double tolerance_;
  json rows_ = json::array();
  int regressions_ = 0;
};

json RunInfo(const json& s) {
  const json& m = Field(s, "manifest");
  return {{"run_id", Field(s, "run_id")},
          {"scenario", Field(Field(m, "scenario"), "name")},
          {"seed", Field(m, "seed")},
          {"scale", Field(m, "scale")}};
}

// ---- rendering

std::string MetricLabel(const std::string& metric) {
  if (metric == "step_p50_ms") return "p50 latency";
  if (metric == "step_p95_ms") return "p95 latency";
  if (metric == "step_p99_ms") return "p99 latency";
  if (metric == "step_errors") return "errors";
  if (metric == "error_rate") return "error rate";
  if (metric == "journey_success_rate") return "success rate";
  if (metric == "throughput_rps") return "throughput";
  if (metric == "mean_sus") return "mean SUS";
  if (metric == "threshold_pass") return "threshold";
  return metric;
}

std::string ValueText(const std::string& metric, const json& v) {
  if (metric == "threshold_pass") return v.is_boolean() ? (v.get<bool>() ? "pass" : "FAIL") : kDash;
  if (metric == "step_errors") return FormatCount(v);
  return FormatMetric(metric, v);
}

std::string ChangeText(const json& change) {
  auto c = Number(change);
  if (!c) return kDash;
  const std::string pct = FormatFixed(*c * 100, 1);
  return (*c > 0 && pct != "0.0" ? "+" : "") + pct + "%";
}

std::string ScopeText(const json& scope) { return scope.is_null() ? "run" : Text(scope); }

std::string RunLine(const json& run) {
  return Text(Field(run, "run_id")) + ", scenario " + Text(Field(run, "scenario")) + ", seed " +
         Text(Field(run, "seed")) + ", scale " + Text(Field(run, "scale"));
}

std::string PlanSentence(const json& cmp) {
  if (IsTrue(Field(cmp, "same_plan"))) return "Both runs followed the same journey plan.";
  return "The runs followed different journey plans (scenario, seed or scale differ, or a digest "
         "is "
         "missing), so a difference can come from the plan as well as from the system.";
}

std::string VerdictLine(const json& cmp) {
  const int n = static_cast<int>(Number(Field(cmp, "regressions")).value_or(0));
  std::string out = "Verdict: " + Text(Field(cmp, "verdict")) + " (" + std::to_string(n) +
                    (n == 1 ? " regression" : " regressions");
  if (auto tol = Number(Field(cmp, "tolerance")))
    out += ", tolerance " + FormatNumber(*tol * 100, 1) + "%";
  return out + ")";
}

// Width of a UTF-8 string in terminal columns, counting one per code point.
size_t Columns(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

}  // namespace

json Compare(const json& a, const json& b, double tolerance) {
  Rows rows(tolerance);
  for (const auto& [step, pair] : Union(Field(a, "steps"), Field(b, "steps"), "step")) {
    const auto& [sa, sb] = pair;
    for (const char* p : {"p50", "p95", "p99"})
      rows.Add(std::string("step_") + p + "_ms", step, Field(sa, p), Field(sb, p), Worse::kHigher,
               kMinLatencyRegressionMs);
    rows.Add("step_errors", step, Field(sa, "errors"), Field(sb, "errors"), Worse::kNotJudged);
  }
  const json& ta = Field(a, "totals");
  const json& tb = Field(b, "totals");
  rows.Add("error_rate", nullptr, Field(ta, "error_rate"), Field(tb, "error_rate"), Worse::kHigher,
           kMinErrorRateRegression);
  rows.Add("journey_success_rate", nullptr, Field(Field(ta, "success"), "rate"),
           Field(Field(tb, "success"), "rate"), Worse::kLower);
  rows.Add("throughput_rps", nullptr, Field(ta, "throughput_rps"), Field(tb, "throughput_rps"),
           Worse::kLower);
  for (const auto& [journey, pair] : Union(Field(a, "journeys"), Field(b, "journeys"), "journey"))
    rows.Add("journey_success_rate", journey, Field(Field(pair.first, "success"), "rate"),
             Field(Field(pair.second, "success"), "rate"), Worse::kLower);
  rows.Add("mean_sus", nullptr, Field(Field(Field(a, "feedback"), "sus"), "mean"),
           Field(Field(Field(b, "feedback"), "sus"), "mean"), Worse::kLower);
  for (const auto& [id, pair] : Union(Field(a, "thresholds"), Field(b, "thresholds"), "id"))
    rows.AddThreshold(id, Field(pair.first, "pass"), Field(pair.second, "pass"));

  const json& plan_a = Field(Field(a, "manifest"), "plan_digest");
  const json& plan_b = Field(Field(b, "manifest"), "plan_digest");
  const bool same_plan =
      plan_a.is_string() && !plan_a.get<std::string>().empty() && plan_a == plan_b;
  return {{"schema", "adda-run-compare/1"},
          {"tolerance", tolerance},
          {"a", RunInfo(a)},
          {"b", RunInfo(b)},
          {"same_plan", same_plan},
          {"rows", rows.rows()},
          {"regressions", rows.regressions()},
          {"verdict", rows.regressions() > 0 ? "regressed" : "no regressions"}};
}

std::string RenderComparisonMarkdown(const json& cmp) {
  std::string out = "# Run comparison\n\n";
  out += "- **A (baseline):** " + EscapeMarkdown(RunLine(Field(cmp, "a"))) + "\n";
  out += "- **B:** " + EscapeMarkdown(RunLine(Field(cmp, "b"))) + "\n\n";
  out += EscapeMarkdown(PlanSentence(cmp)) + "\n\n";
  out += "**" + EscapeMarkdown(VerdictLine(cmp)) + "**\n\n";
  out +=
      "| Metric | Scope | A | B | Change | Regression |\n| --- | --- | ---: | ---: | ---: | --- "
      "|\n";
  for (const auto& r : Items(Field(cmp, "rows"))) {
    const std::string metric = Text(Field(r, "metric"));
    out += "| " + EscapeMarkdown(MetricLabel(metric)) + " | " +
           EscapeMarkdown(ScopeText(Field(r, "scope"))) + " | " +
           EscapeMarkdown(ValueText(metric, Field(r, "a"))) + " | " +
           EscapeMarkdown(ValueText(metric, Field(r, "b"))) + " | " +
           ChangeText(Field(r, "change")) + " | " +
           (IsTrue(Field(r, "regression")) ? "**yes**" : "") + " |\n";
  }
  return out;
}

std::string RenderComparisonText(const json& cmp) {
  std::vector<std::vector<std::string>> table = {{"metric", "scope", "A", "B", "change"}};
  std::vector<bool> marked = {false};
  for (const auto& r : Items(Field(cmp, "rows"))) {
    const std::string metric = Text(Field(r, "metric"));
    table.push_back({MetricLabel(metric), ScopeText(Field(r, "scope")),
                     ValueText(metric, Field(r, "a")), ValueText(metric, Field(r, "b")),
                     ChangeText(Field(r, "change"))});
    marked.push_back(IsTrue(Field(r, "regression")));
  }
  std::vector<size_t> width(5, 0);
  for (const auto& row : table)
    for (size_t i = 0; i < row.size(); ++i) width[i] = std::max(width[i], Columns(row[i]));

  std::string out = "Run comparison: B against baseline A\n";
  out += "  A  " + RunLine(Field(cmp, "a")) + "\n";
  out += "  B  " + RunLine(Field(cmp, "b")) + "\n";
  out += PlanSentence(cmp) + "\n\n";
  for (size_t r = 0; r < table.size(); ++r) {
    std::string line = marked[r] ? "! " : "  ";
    for (size_t i = 0; i < table[r].size(); ++i) {
      const std::string& cell = table[r][i];
      const std::string pad(width[i] - Columns(cell), ' ');
      line += i < 2 ? cell + pad : pad + cell;  // text left, numbers right
      if (i + 1 < table[r].size()) line += "  ";
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  }
  out += "\n" + VerdictLine(cmp) + "\n";
  return out;
}

}  // namespace adda::report
