#include "sim/scenario.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <set>
#include <sstream>

#include "core/json_reader.h"

namespace adda::sim {
namespace {

constexpr const char* kStepNames[kStepCount] = {"login",  "overview", "open_case",  "open_benefit",
                                                "read_explanation", "contribute", "share", "open_share",
                                                "export", "access_log", "feedback", "logout"};
constexpr double kMaxSeconds = 7 * 24 * 3600;  // a week of wall time is surely a typo

std::string Index(const std::string& base, size_t i) { return base + "[" + std::to_string(i) + "]"; }

void ParseStages(const nlohmann::json& arr, LoadModel* load, std::vector<Violation>* v) {
  for (size_t i = 0; i < arr.size(); ++i) {
    JsonReader r(arr[i], Index("load.stages", i), v);
    r.ExpectOnly({"duration_s", "target"});
    Stage s;
    s.duration_s = r.Number("duration_s", true, 0.001, kMaxSeconds).value_or(0);
    s.target = r.Number("target", true, 0, 1e6).value_or(0);
    load->stages.push_back(s);
  }
}

void ParseLoad(const nlohmann::json& j, LoadModel* load, std::vector<Violation>* v) {
  JsonReader r(j, "load", v);
  r.ExpectOnly({"model", "stages", "journeys", "citizens", "pacing_s", "max_in_flight", "calendar"});
  const auto model = r.OneOf("model", true, {"closed", "open"});
  load->kind = model == std::string("open") ? LoadModel::Kind::kOpen : LoadModel::Kind::kClosed;
  if (const auto* stages = r.Array("stages", true, 100)) {
    if (stages->empty()) r.Add("field.required", "stages", "needs at least one stage");
    ParseStages(*stages, load, v);
  }
  if (auto n = r.Int("journeys", false, 1, int64_t{1} << 40)) load->journeys = static_cast<uint64_t>(*n);
  load->each_citizen = r.OneOf("citizens", false, {"random", "each"}).value_or("random") == "each";
  load->pacing_s = r.Number("pacing_s", false, 0, 3600).value_or(0);
  load->max_in_flight = static_cast<uint64_t>(r.Int("max_in_flight", false, 1, 1000000).value_or(5000));
  if (const auto* cal = r.Object("calendar", false)) {
    JsonReader c(*cal, "load.calendar", v);
    c.ExpectOnly({"simulated_hours"});
    load->calendar.enabled = true;
    load->calendar.simulated_hours = c.Number("simulated_hours", true, 0.01, 24 * 366).value_or(24);
    if (load->kind != LoadModel::Kind::kOpen)
      r.Add("field.invalid", "calendar", "calendar-shaped load needs the open model (arrivals per second)");
  }
  if (load->each_citizen && load->journeys)
    r.Add("field.invalid", "journeys", "\"citizens\": \"each\" runs one journey per citizen; leave journeys out");
}

void ParsePersonas(const nlohmann::json& arr, std::vector<Persona>* out, std::vector<Violation>* v) {
  std::set<std::string> names;
  for (size_t i = 0; i < arr.size(); ++i) {
    JsonReader r(arr[i], Index("personas", i), v);
    r.ExpectOnly({"name", "weight", "digital_habit", "age_group", "reading_level", "patience_s", "think_factor",
                  "feedback_rate", "report_rate", "description"});
    Persona p;
    p.name = r.String("name", true, 60).value_or("");
    if (!p.name.empty() && !names.insert(p.name).second) r.Add("field.duplicate", "name", "another persona has this name");
    p.weight = r.Number("weight", false, 0, 1e6).value_or(1);
    p.digital_habit = r.OneOf("digital_habit", false, {"low", "medium", "high"}).value_or("medium");
    p.age_group = r.OneOf("age_group", false, {"18-29", "30-49", "50-64", "65+"}).value_or("30-49");
    p.reading_level = r.OneOf("reading_level", false, {"easy", "average", "expert"}).value_or("average");
    p.patience_s = r.Number("patience_s", false, 0.01, 3600).value_or(8);
    p.think_factor = r.Number("think_factor", false, 0, 100).value_or(1);
    p.feedback_rate = r.Number("feedback_rate", false, 0, 1).value_or(0.2);
    p.report_rate = r.Number("report_rate", false, 0, 1).value_or(0.3);
    r.String("description", false, 2000);
    out->push_back(p);
  }
}

void ParseJourneys(const nlohmann::json& arr, std::vector<Journey>* out, std::vector<Violation>* v) {
  std::set<std::string> names;
  for (size_t i = 0; i < arr.size(); ++i) {
    const std::string path = Index("journeys", i);
    JsonReader r(arr[i], path, v);
    r.ExpectOnly({"name", "weight", "steps", "description"});
    Journey jn;
    jn.name = r.String("name", true, 60).value_or("");
    if (!jn.name.empty() && !names.insert(jn.name).second) r.Add("field.duplicate", "name", "another journey has this name");
    jn.weight = r.Number("weight", false, 0, 1e6).value_or(1);
    r.String("description", false, 2000);
    if (const auto* steps = r.Array("steps", true, 100)) {
      if (steps->empty()) r.Add("field.required", "steps", "a journey needs at least one step");
      for (size_t k = 0; k < steps->size(); ++k) {
        JsonReader s((*steps)[k], Index(path + ".steps", k), v);
        s.ExpectOnly({"step", "think_s"});
        JourneyStep st;
        if (auto name = s.String("step", true, 40)) {
          if (auto step = StepFromName(*name)) st.step = *step;
          else {
            std::string all;
            for (const char* n : kStepNames) all += std::string(all.empty() ? "" : ", ") + n;
            s.Add("field.enum", "step", "'" + *name + "' is not a step; one of " + all);
          }
        }
        st.think_s = s.Number("think_s", false, 0, 3600).value_or(0);
        jn.steps.push_back(st);
      }
    }
    out->push_back(jn);
  }
}

void ParseFaults(const nlohmann::json& arr, double duration, std::vector<FaultWindow>* out, std::vector<Violation>* v) {
  for (size_t i = 0; i < arr.size(); ++i) {
    JsonReader r(arr[i], Index("faults", i), v);
    r.ExpectOnly({"name", "start_s", "end_s", "rule"});
    FaultWindow f;
    f.name = r.String("name", true, 60).value_or("");
    f.start_s = r.Number("start_s", true, 0, kMaxSeconds).value_or(0);
    f.end_s = r.Number("end_s", true, 0, kMaxSeconds).value_or(0);
    if (f.end_s <= f.start_s) r.Add("field.range", "end_s", "must be after start_s");
    if (duration > 0 && f.start_s >= duration)
      r.Add("field.range", "start_s", "starts after the load ends (" + nlohmann::json(duration).dump() + " s)");
    if (const auto* rule = r.Object("rule", true)) {
      f.rule = *rule;
      if (!rule->contains("route")) v->push_back({"field.required", Index("faults", i) + ".rule.route", "is required"});
      if (rule->contains("window"))
        v->push_back({"field.invalid", Index("faults", i) + ".rule.window", "the window comes from start_s and end_s"});
    }
    out->push_back(f);
  }
}

void ParseThresholds(const nlohmann::json& arr, std::vector<Threshold>* out, std::vector<Violation>* v) {
  std::set<std::string> ids;
  for (size_t i = 0; i < arr.size(); ++i) {
    JsonReader r(arr[i], Index("thresholds", i), v);
    r.ExpectOnly({"id", "description", "metric", "scope", "op", "limit"});
    Threshold t;
    t.id = r.String("id", true, 80).value_or("");
    if (!t.id.empty() && !ids.insert(t.id).second) r.Add("field.duplicate", "id", "another threshold has this id");
    t.description = r.String("description", false, 300).value_or("");
    t.metric = r.OneOf("metric", true,
                       {"step_p50_ms", "step_p95_ms", "step_p99_ms", "journey_success_rate", "error_rate", "mean_sus",
                        "mean_rating", "throughput_rps"})
                   .value_or("");
    t.scope = r.String("scope", false, 80);
    t.op = r.OneOf("op", true, {"<=", "<", ">=", ">"}).value_or("<=");
    t.limit = r.Number("limit", true, -1e12, 1e12).value_or(0);
    out->push_back(t);
  }
}

// Cross-field checks: names a threshold's scope refers to must exist.
void CheckScopes(const Scenario& s, std::vector<Violation>* v) {
  for (size_t i = 0; i < s.thresholds.size(); ++i) {
    const auto& t = s.thresholds[i];
    if (!t.scope) continue;
    bool known = false;
    if (t.metric.rfind("step_", 0) == 0) known = StepFromName(*t.scope).has_value();
    else if (t.metric == "journey_success_rate")
      known = std::any_of(s.journeys.begin(), s.journeys.end(), [&](const Journey& j) { return j.name == *t.scope; });
    else if (t.metric == "mean_sus" || t.metric == "mean_rating")
      known = std::any_of(s.personas.begin(), s.personas.end(), [&](const Persona& p) { return p.name == *t.scope; });
    if (!known)
      v->push_back({"field.invalid", Index("thresholds", i) + ".scope",
                    "'" + *t.scope + "' is not a step, journey or persona this metric can apply to"});
  }
}

}  // namespace

const char* StepName(Step s) { return kStepNames[static_cast<int>(s)]; }

std::optional<Step> StepFromName(const std::string& name) {
  for (int i = 0; i < kStepCount; ++i)
    if (name == kStepNames[i]) return static_cast<Step>(i);
  return std::nullopt;
}

double LoadModel::duration_s() const {
  double d = 0;
  for (const auto& s : stages) d += s.duration_s;
  return d;
}

double LoadModel::TargetAt(double t) const {
  double begin = 0, previous = 0;
  for (const auto& s : stages) {
    if (t < begin + s.duration_s) return previous + (s.target - previous) * ((t - begin) / s.duration_s);
    begin += s.duration_s;
    previous = s.target;
  }
  return previous;
}

bool Threshold::Passes(double value) const {
  if (std::isnan(value)) return false;
  if (op == "<=") return value <= limit;
  if (op == "<") return value < limit;
  if (op == ">=") return value >= limit;
  return value > limit;
}

Result<Scenario> ParseScenario(const nlohmann::json& j, const std::string& file) {
  std::vector<Violation> v;
  Scenario s;
  JsonReader r(j, "", &v);
  r.ExpectOnly({"name", "description", "municipalities", "scale", "seed", "clock", "load", "request_timeout_ms",
                "personas", "journeys", "faults", "thresholds"});
  s.name = r.String("name", true, 60).value_or("");
  s.description = r.String("description", false, 4000).value_or("");
  if (const auto* ms = r.Array("municipalities", true, 98)) {
    if (ms->empty()) r.Add("field.required", "municipalities", "name at least one municipality code");
    for (size_t i = 0; i < ms->size(); ++i) {
      const auto& m = (*ms)[i];
      if (!m.is_number_integer() || m.get<int64_t>() < 101 || m.get<int64_t>() > 999)
        v.push_back({"field.type", Index("municipalities", i), "must be a three-digit municipality code"});
      else
        s.municipalities.push_back(m.get<int>());
    }
  }
  s.scale = r.Number("scale", false, 0.0001, 1).value_or(0.01);
  s.seed = static_cast<uint64_t>(r.Int("seed", false, 0, INT64_MAX).value_or(2018));
  s.clock_start = *Timestamp::Parse("2018-12-11T08:00:00Z");
  if (const auto* clock = r.Object("clock", false)) {
    JsonReader c(*clock, "clock", &v);
    c.ExpectOnly({"start"});
    if (auto start = c.String("start", true, 40)) {
      if (auto ts = Timestamp::Parse(*start)) s.clock_start = *ts;
      else c.Add("field.date", "start", "must be an ISO 8601 UTC time such as 2018-12-11T08:00:00Z");
    }
  }
  if (const auto* load = r.Object("load", true)) ParseLoad(*load, &s.load, &v);
  s.request_timeout_ms = static_cast<int>(r.Int("request_timeout_ms", false, 10, 600000).value_or(5000));
  if (const auto* p = r.Array("personas", true, 100)) {
    if (p->empty()) r.Add("field.required", "personas", "needs at least one persona");
    ParsePersonas(*p, &s.personas, &v);
  }
  if (const auto* jn = r.Array("journeys", true, 100)) {
    if (jn->empty()) r.Add("field.required", "journeys", "needs at least one journey");
    ParseJourneys(*jn, &s.journeys, &v);
  }
  if (const auto* f = r.Array("faults", false, 100)) ParseFaults(*f, s.load.duration_s(), &s.faults, &v);
  if (const auto* t = r.Array("thresholds", false, 200)) ParseThresholds(*t, &s.thresholds, &v);
  auto positive = [](auto& items) {
    return std::any_of(items.begin(), items.end(), [](const auto& x) { return x.weight > 0; });
  };
  if (!s.personas.empty() && !positive(s.personas)) r.Add("field.range", "personas", "some persona needs a weight above 0");
  if (!s.journeys.empty() && !positive(s.journeys)) r.Add("field.range", "journeys", "some journey needs a weight above 0");
  CheckScopes(s, &v);
  if (!v.empty())
    return Status::Error("scenario.invalid", file + ": " + std::to_string(v.size()) + " problem(s)", v);
  s.source = j;
  return s;
}

Result<Scenario> LoadScenario(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return Status::Error("scenario.invalid", path + ": cannot be read", {{"file.missing", "$", "cannot open the file"}});
  std::stringstream buf;
  buf << in.rdbuf();
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(buf.str());
  } catch (const nlohmann::json::parse_error& e) {
    return Status::Error("scenario.invalid", path + ": not JSON", {{"json.malformed", "$", e.what()}});
  }
  return ParseScenario(j, path);
}

std::string DescribeScenarioErrors(const Status& s, const std::string& file) {
  std::string out;
  for (const auto& v : s.violations())
    out += file + ": " + (v.field.empty() ? "$" : v.field) + ": " + v.message + " (" + v.rule + ")\n";
  if (out.empty()) out = s.ToString() + "\n";
  return out;
}

std::string AgeBand(Date birth, Date on) {
  const int age = AgeOn(birth, on);
  if (age < 18) return "0-17";
  if (age < 30) return "18-29";
  if (age < 50) return "30-49";
  if (age < 65) return "50-64";
  return "65+";
}

double CalendarFactor(Timestamp simulated) {
  // Share of a day's logins by hour (Danish self-service portals peak 8–10 and 19–21),
  // relative to midday = 1.0.
  static constexpr double kHour[24] = {0.05, 0.03, 0.02, 0.02, 0.03, 0.1, 0.35, 0.8, 1.5, 1.6, 1.3, 1.1,
                                       1.0,  1.0,  0.95, 0.9,  0.85, 0.8, 0.85, 1.0, 1.0, 0.8, 0.45, 0.2};
  static constexpr double kWeekday[7] = {1.4, 1.1, 1.0, 1.0, 0.9, 0.5, 0.6};  // Monday first
  const int64_t ms_of_day = ((simulated.millis() % 86400000) + 86400000) % 86400000;
  const int hour = static_cast<int>(ms_of_day / 3600000);
  const Date d = simulated.date();
  double f = kHour[hour] * kWeekday[d.weekday()];
  // Payouts land on the last bank day: citizens check the day before, on, and after it.
  const Date payday = d.LastBankDayOfMonth();
  const Date last_payday = Date::FromYmd(d.year(), d.month(), 1).AddDays(-1).LastBankDayOfMonth();
  if (std::abs(d - payday) <= 1 || d - last_payday <= 1) f *= 1.8;
  return f;
}

}  // namespace adda::sim
