#include "report/content.h"

#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <map>
#include <optional>

#include "report/format.h"
#include "report/svg.h"

namespace adda::report {
namespace {

using nlohmann::json;

// Timeline tables longer than this are condensed into about kTimelineRows rows.
constexpr size_t kTimelineMaxRows = 30;
constexpr size_t kTimelineRows = 20;

constexpr char kBlueLight[] = "#9ecbff";
constexpr char kBlue[] = "#1f6feb";
constexpr char kBlueDark[] = "#0a3069";
constexpr char kRed[] = "#cf222e";
constexpr char kGreen[] = "#2da44e";
constexpr char kAmber[] = "#bf8700";

// ---- small builders

Block TextBlock(std::string text) {
  Block b;
  b.kind = Block::Kind::kText;
  b.text = std::move(text);
  return b;
}

Block Subheading(std::string text) {
  Block b;
  b.kind = Block::Kind::kSubheading;
  b.text = std::move(text);
  return b;
}

Block Chart(std::string svg) {
  Block b;
  b.kind = Block::Kind::kChart;
  b.text = std::move(svg);
  return b;
}

Block TableBlock(Table t) {
  Block b;
  b.kind = Block::Kind::kTable;
  b.table = std::move(t);
  return b;
}

Block Figures(std::vector<std::pair<std::string, std::string>> figures) {
  Block b;
  b.kind = Block::Kind::kFigures;
  b.figures = std::move(figures);
  return b;
}

Table::Row SuppressedRow(std::string name) {
  return {{std::move(name), kSuppressedText}, "suppressed"};
}

// Seconds from the start of the run: "20", "12.5".
std::string Seconds(const json& j) {
  auto v = Number(j);
  return v ? FormatNumber(*v, 1) : kDash;
}

// "98.3–99.5%" from a {ci95_low, ci95_high} object of rates.
std::string RateInterval(const json& obj) {
  auto lo = Number(Field(obj, "ci95_low"));
  auto hi = Number(Field(obj, "ci95_high"));
  if (!lo || !hi) return kDash;
  return FormatFixed(*lo * 100, 1) + "\xE2\x80\x93" + FormatFixed(*hi * 100, 1) + "%";
}

std::string Interval(const json& obj, int decimals) {
  auto lo = Number(Field(obj, "ci95_low"));
  auto hi = Number(Field(obj, "ci95_high"));
  if (!lo || !hi) return kDash;
  return FormatFixed(*lo, decimals) + "\xE2\x80\x93" + FormatFixed(*hi, decimals);
}

// "key value, flag, ..." from a flat object, `first` keys first, false flags left out.
std::string DescribeObject(const json& obj, std::initializer_list<const char*> first) {
  if (!obj.is_object()) return obj.is_null() ? std::string(kDash) : Text(obj);
  std::vector<std::string> keys(first.begin(), first.end());
  for (const auto& [key, value] : obj.items())
    if (std::find(keys.begin(), keys.end(), key) == keys.end()) keys.push_back(key);
  std::string out;
  for (const auto& key : keys) {
    if (!obj.contains(key)) continue;
    const json& value = obj[key];
    if (value.is_boolean() && !value.get<bool>()) continue;
    if (!out.empty()) out += ", ";
    out += key;
    if (!value.is_boolean()) out += " " + (value.is_null() ? std::string(kDash) : Text(value));
  }
  return out.empty() ? std::string(kDash) : out;
}

// "path /v1/*, outage" from a fault object.
std::string DescribeFault(const json& fault) { return DescribeObject(fault, {"path"}); }

// "model closed, users 40, duration_s 60, journeys –" from the manifest's load.
std::string DescribeLoad(const json& load) {
  return DescribeObject(load, {"model", "users", "duration_s", "journeys"});
}

// ---- sections

Section VerdictSection(const json& s) {
  Section sec{"verdict", "Verdict", {}};
  const json& totals = Field(s, "totals");
  const json& sus = Field(Field(s, "feedback"), "sus");
  const std::string origin = Text(Field(Field(s, "feedback"), "origin"));
  std::string errors = FormatCount(Field(totals, "errors"));
  if (Number(Field(totals, "error_rate")))
    errors += " (" + FormatPercent(Field(totals, "error_rate")) + ")";
  std::string completed = FormatPercent(Field(Field(totals, "success"), "rate"));
  if (RateInterval(Field(totals, "success")) != kDash)
    completed += " (95% CI " + RateInterval(Field(totals, "success")) + ")";
  std::string sus_text = FormatOptional(Field(sus, "mean"), 1);
  if (Number(Field(sus, "mean")))
    sus_text += " (grade " + GradeOf(Field(sus, "grade"), Field(sus, "mean")) + ")";
  sec.blocks.push_back(TextBlock(
      "Each threshold is a rule the scenario sets for going live. The run passes when every "
      "threshold passes; a threshold that could not be measured fails."));
  Table t;
  t.head = {"Threshold", "What it checks", "Measured", "Limit", "Result"};
  t.align = "llrrl";
  t.empty_text = "The scenario sets no thresholds.";
  for (const auto& th : Items(Field(s, "thresholds"))) {
    const std::string metric = Text(Field(th, "metric"));
    std::string what = Text(Field(th, "description"));
    if (what.empty())
      what = metric + (Field(th, "scope").is_null() ? "" : " (" + Text(Field(th, "scope")) + ")");
    const bool pass = IsTrue(Field(th, "pass"));
    std::string result = pass ? "pass" : "FAIL";
    if (!pass && !Number(Field(th, "value"))) result += " (not measured)";
    t.rows.push_back(
        {{Text(Field(th, "id")), what, FormatMetric(metric, Field(th, "value")),
          OpSymbol(Text(Field(th, "op"))) + " " + FormatLimit(metric, Field(th, "limit")), result},
         pass ? "pass" : "fail"});
  }
  sec.blocks.push_back(TableBlock(std::move(t)));
  sec.blocks.push_back(Subheading("The run at a glance"));
  sec.blocks.push_back(Figures({
      {"Journeys started", FormatCount(Field(totals, "journeys"))},
      {"Journeys completed", completed},
      {"Failed / abandoned", FormatCount(Field(totals, "journeys_failed")) + " / " +
                                 FormatCount(Field(totals, "journeys_abandoned"))},
      {"Requests", FormatCount(Field(totals, "requests"))},
      {"Errors", errors},
      {"Throughput", FormatMetric("throughput_rps", Field(totals, "throughput_rps"))},
      {"Response time p95", FormatMetric("step_p95_ms", Field(Field(totals, "latency"), "p95"))},
      {origin.empty() ? "SUS score" : "SUS score (" + origin + ")", sus_text},
  }));
  return sec;
}

Section StepsSection(const json& s) {
  Section sec{"steps", "Latency per step", {}};
  sec.blocks.push_back(TextBlock(
      "How long citizens waited at each step, in milliseconds (1000 ms = 1 second). p50 is the "
      "typical wait: half of the requests were faster. p95 is the wait that 1 request in 20 "
      "exceeded, p99 1 in 100. Waits count from when a request should have been sent, so a slow "
      "server cannot hide its own queue; \"p95 as sent\" counts from when it actually was sent."));
  Table t;
  t.head = {"Step",     "Requests", "Errors",   "p50 (ms)",  "p90 (ms)",
            "p95 (ms)", "p99 (ms)", "Max (ms)", "Mean (ms)", "p95 as sent (ms)"};
  t.align = "lrrrrrrrrr";
  svg::BarChart chart;
  chart.title = "Response time per step: p50, p95 and p99 in milliseconds";
  chart.series = {{"p50", kBlueLight}, {"p95", kBlue}, {"p99", kBlueDark}};
  chart.unit = " ms";
  for (const auto& st : Items(Field(s, "steps"))) {
    t.rows.push_back(
        {{Text(Field(st, "step")), FormatCount(Field(st, "count")),
          FormatCount(Field(st, "errors")), FormatMs(Field(st, "p50")), FormatMs(Field(st, "p90")),
          FormatMs(Field(st, "p95")), FormatMs(Field(st, "p99")), FormatMs(Field(st, "max")),
          FormatMs(Field(st, "mean")), FormatMs(Field(st, "raw_p95"))},
         ""});
    chart.groups.push_back(
        {Text(Field(st, "step")),
         {Number(Field(st, "p50")), Number(Field(st, "p95")), Number(Field(st, "p99"))},
         "not measured"});
  }
  sec.blocks.push_back(TableBlock(std::move(t)));
  if (!chart.groups.empty()) sec.blocks.push_back(Chart(svg::RenderBarChart(chart)));

  sec.blocks.push_back(Subheading("Journeys"));
  sec.blocks.push_back(TextBlock(
      "A journey is one citizen's visit from login to logout. Time on task is the geometric mean "
      "over completed journeys."));
  Table j;
  j.head = {"Journey", "Started", "Completed",        "Failed",   "Abandoned",
            "Success", "95% CI",  "Time on task (s)", "p50 (ms)", "p95 (ms)"};
  j.align = "lrrrrrrrrr";
  for (const auto& jr : Items(Field(s, "journeys"))) {
    const json& success = Field(jr, "success");
    j.rows.push_back(
        {{Text(Field(jr, "journey")), FormatCount(Field(jr, "count")), FormatCount(Field(jr, "ok")),
          FormatCount(Field(jr, "failed")), FormatCount(Field(jr, "abandoned")),
          FormatPercent(Field(success, "rate")), RateInterval(success),
          FormatOptional(Field(Field(jr, "time_on_task_s"), "geomean"), 2),
          FormatMs(Field(jr, "p50")), FormatMs(Field(jr, "p95"))},
         ""});
  }
  sec.blocks.push_back(TableBlock(std::move(j)));
  return sec;
}

std::vector<std::string> WindowsOverlapping(const json& windows, double from, double to) {
  std::vector<std::string> names;
  for (const auto& w : Items(windows)) {
    auto start = Number(Field(w, "start_s"));
    auto end = Number(Field(w, "end_s"));
    if (start && end && *start<to&& * end> from) names.push_back(Text(Field(w, "name")));
  }
  return names;
}

Section TimelineSection(const json& s) {
  Section sec{"timeline", "Throughput and errors over time", {}};
  const json& timeline = Field(s, "timeline");
  const json& buckets = Items(Field(timeline, "buckets"));
  const json& windows = Field(s, "fault_windows");
  double bucket_s = Number(Field(timeline, "bucket_s")).value_or(1);
  if (!(bucket_s > 0)) bucket_s = 1;
  const std::string interval = FormatNumber(bucket_s) + "-second";
  sec.blocks.push_back(
      TextBlock("The run from start to end, in " + interval +
                " intervals. Shaded bands are fault windows: "
                "periods in which the scenario broke something on purpose (for example made KOMBIT "
                "unreachable) to see how borger.dk copes."));
  if (buckets.empty()) {
    sec.blocks.push_back(TextBlock("No timeline was recorded in this run."));
  } else {
    svg::LineChart requests, errors, p95;
    double x_max = 0;
    for (const auto& b : buckets) {
      const double t = Number(Field(b, "t")).value_or(0);
      x_max = std::max(x_max, t + bucket_s);
      for (auto* c : {&requests, &errors, &p95}) c->x.push_back(t + bucket_s / 2);
    }
    for (auto* c : {&requests, &errors, &p95}) {
      c->x_max = x_max;
      for (const auto& w : Items(windows))
        c->windows.push_back({Number(Field(w, "start_s")).value_or(0),
                              Number(Field(w, "end_s")).value_or(0), Text(Field(w, "name"))});
    }
    requests.title = "Requests per second over the run";
    requests.lines.push_back({{"Requests per second", kBlue}, {}, true});
    errors.title = "Errors in each " + interval + " interval";
    errors.lines.push_back({{"Errors per interval", kRed}, {}, true});
    p95.title = "Response time p95 in each " + interval + " interval, in milliseconds";
    p95.lines.push_back({{"p95 (ms)", kBlueDark}, {}, false});
    for (const auto& b : buckets) {
      auto r = Number(Field(b, "requests"));
      requests.lines[0].y.push_back(r ? std::optional<double>(*r / bucket_s) : std::nullopt);
      errors.lines[0].y.push_back(Number(Field(b, "errors")));
      p95.lines[0].y.push_back(Number(Field(b, "p95")));
    }
    requests.decimals = 0;
    sec.blocks.push_back(Chart(svg::RenderLineChart(requests)));
    sec.blocks.push_back(Chart(svg::RenderLineChart(errors)));
    sec.blocks.push_back(Chart(svg::RenderLineChart(p95)));

    // The numbers behind the charts, condensed for long runs.
    const size_t group = buckets.size() > kTimelineMaxRows
                             ? (buckets.size() + kTimelineRows - 1) / kTimelineRows
                             : 1;
    Table t;
    t.head = {"From (s)",    "To (s)", "Requests",
              "Requests/s",  "Errors", group > 1 ? "p95 (ms, worst interval)" : "p95 (ms)",
              "Fault window"};
    t.align = "rrrrrrl";
    t.details = true;
    for (size_t i = 0; i < buckets.size(); i += group) {
      double from = Number(Field(buckets[i], "t")).value_or(0), to = from;
      std::optional<double> req, err, worst;
      for (size_t k = i; k < std::min(buckets.size(), i + group); ++k) {
        const json& b = buckets[k];
        to = Number(Field(b, "t")).value_or(0) + bucket_s;
        if (auto v = Number(Field(b, "requests"))) req = req.value_or(0) + *v;
        if (auto v = Number(Field(b, "errors"))) err = err.value_or(0) + *v;
        if (auto v = Number(Field(b, "p95"))) worst = std::max(worst.value_or(*v), *v);
      }
      std::string names;
      for (const auto& n : WindowsOverlapping(windows, from, to))
        names += (names.empty() ? "" : ", ") + n;
      t.rows.push_back(
          {{FormatNumber(from), FormatNumber(to), req ? FormatCount(*req) : kDash,
            req ? FormatFixed(*req / (to - from), 1) : kDash, err ? FormatCount(*err) : kDash,
            worst ? FormatFixed(*worst, 1) : kDash, names},
           ""});
    }
    sec.blocks.push_back(TableBlock(std::move(t)));
  }

  sec.blocks.push_back(Subheading("Fault windows"));
  Table f;
  f.head = {"Window",  "Target",   "From (s)", "To (s)",       "What was broken",
            "Applied", "Requests", "Errors",   "Stale answers"};
  f.align = "llrrllrrr";
  f.empty_text = "No faults were injected in this run.";
  for (const auto& w : Items(windows)) {
    f.rows.push_back(
        {{Text(Field(w, "name")), Text(Field(w, "target")), Seconds(Field(w, "start_s")),
          Seconds(Field(w, "end_s")), DescribeFault(Field(w, "fault")),
          IsTrue(Field(w, "applied")) ? "yes" : "no", FormatCount(Field(w, "requests")),
          FormatCount(Field(w, "errors")), FormatCount(Field(w, "stale_answers"))},
         ""});
  }
  sec.blocks.push_back(TableBlock(std::move(f)));
  return sec;
}

Section MunicipalitiesSection(const json& s) {
  Section sec{"municipalities", "Municipalities side by side", {}};
  std::map<std::string, json> citizens;
  for (const auto& m : Items(Field(Field(s, "manifest"), "municipalities")))
    citizens[Text(Field(m, "code"))] = Field(m, "citizens");
  sec.blocks.push_back(TextBlock(
      "The same journeys, split by the citizen's municipality. Citizens is the size of the "
      "synthetic population of each municipality in this run."));
  Table t;
  t.head = {"Municipality", "Citizens", "Journeys", "Requests", "Errors", "Success",
            "p50 (ms)",     "p95 (ms)", "p99 (ms)", "SUS",      "Rating"};
  t.align = "lrrrrrrrrrr";
  t.empty_text = "This run has no breakdown by municipality.";
  svg::BarChart chart;
  chart.title = "Response time p95 by municipality, in milliseconds";
  chart.series = {{"p95", kBlue}};
  chart.unit = " ms";
  for (const auto& c : Items(Field(s, "cohorts"))) {
    if (Field(c, "kind") != "municipality") continue;
    const std::string name = CohortName(c);
    if (IsTrue(Field(c, "suppressed"))) {
      t.rows.push_back(SuppressedRow(name));
      chart.groups.push_back({name, {std::nullopt}, kSuppressedText});
      continue;
    }
    auto it = citizens.find(Text(Field(c, "cohort")));
    t.rows.push_back(
        {{name, it == citizens.end() ? kDash : FormatCount(it->second),
          FormatCount(Field(c, "journeys")), FormatCount(Field(c, "requests")),
          FormatCount(Field(c, "errors")), FormatPercent(Field(c, "success_rate")),
          FormatMs(Field(c, "p50")), FormatMs(Field(c, "p95")), FormatMs(Field(c, "p99")),
          FormatOptional(Field(c, "sus_mean"), 1), FormatOptional(Field(c, "rating_mean"), 2)},
         ""});
    chart.groups.push_back({name, {Number(Field(c, "p95"))}, "not measured"});
  }
  sec.blocks.push_back(TableBlock(std::move(t)));
  if (!chart.groups.empty()) sec.blocks.push_back(Chart(svg::RenderBarChart(chart)));
  return sec;
}

Section FeedbackSection(const json& s) {
  Section sec{"feedback", "Feedback and SUS by persona", {}};
  const json& fb = Field(s, "feedback");
  const json& sus = Field(fb, "sus");
  sec.blocks.push_back(TextBlock(OriginSentence(Field(fb, "origin"))));
  std::string posted = FormatCount(Field(fb, "posted"));
  if (Number(Field(fb, "post_errors")).value_or(0) > 0)
    posted += " (" + FormatCount(Field(fb, "post_errors")) + " could not be sent)";
  std::string sus_text = FormatOptional(Field(sus, "mean"), 1);
  if (Interval(sus, 1) != kDash) sus_text += " (95% CI " + Interval(sus, 1) + ")";
  std::string grade = GradeOf(Field(sus, "grade"), Field(sus, "mean"));
  if (Number(Field(sus, "percentile")))
    grade += ", better than " + FormatNumber(*Number(Field(sus, "percentile")), 0) + "% of systems";
  sec.blocks.push_back(Figures({
      {"Origin", Text(Field(fb, "origin"))},
      {"Answers", FormatCount(Field(fb, "answers"))},
      {"Sent to borger.dk", posted},
      {"Mean rating (1\xE2\x80\x93"
       "5)",
       FormatOptional(Field(Field(fb, "rating"), "mean"), 2)},
      {"Mean SUS (0\xE2\x80\x93"
       "100)",
       sus_text},
      {"SUS grade", grade},
  }));
  sec.blocks.push_back(TextBlock(
      "SUS (System Usability Scale) is a standard ten-question survey scored from 0 to 100. A "
      "score of 68 is average across many studied systems (grade C); grades follow the "
      "Sauro\xE2\x80\x93Lewis curve from A+ to F."));
  Table t;
  t.head = {"Persona", "Answers",
            "Rating (1\xE2\x80\x93"
            "5)",
            "SUS", "Grade"};
  t.align = "lrrrl";
  t.empty_text = "No feedback was given in this run.";
  svg::BarChart chart;
  chart.title = "Mean SUS score by persona (0 to 100; 68 is average)";
  chart.series = {{"SUS", kGreen}};
  chart.axis_max = 100;
  chart.reference = 68;
  chart.reference_label = "average (68)";
  for (const auto& p : Items(Field(fb, "by_persona"))) {
    const std::string name = Text(Field(p, "persona"));
    if (IsTrue(Field(p, "suppressed"))) {
      t.rows.push_back(SuppressedRow(name));
      chart.groups.push_back({name, {std::nullopt}, kSuppressedText});
      continue;
    }
    t.rows.push_back({{name, FormatCount(Field(p, "n")), FormatOptional(Field(p, "rating_mean"), 2),
                       FormatOptional(Field(p, "sus_mean"), 1),
                       GradeOf(Field(p, "grade"), Field(p, "sus_mean"))},
                      ""});
    chart.groups.push_back({name, {Number(Field(p, "sus_mean"))}, "no SUS answers"});
  }
  sec.blocks.push_back(TableBlock(std::move(t)));
  if (!chart.groups.empty()) sec.blocks.push_back(Chart(svg::RenderBarChart(chart)));

  sec.blocks.push_back(Subheading("Journeys by persona and age band"));
  Table c;
  c.head = {"Group", "Kind", "Journeys", "Success", "p95 (ms)", "SUS", "Rating"};
  c.align = "llrrrrr";
  c.empty_text = "This run has no breakdown by persona or age band.";
  for (const auto& kind : {"persona", "age_band"}) {
    for (const auto& co : Items(Field(s, "cohorts"))) {
      if (Field(co, "kind") != kind) continue;
      const std::string kind_label = std::string(kind) == "age_band" ? "age band" : kind;
      if (IsTrue(Field(co, "suppressed"))) {
        c.rows.push_back(SuppressedRow(CohortName(co) + " (" + kind_label + ")"));
        continue;
      }
      c.rows.push_back(
          {{CohortName(co), kind_label, FormatCount(Field(co, "journeys")),
            FormatPercent(Field(co, "success_rate")), FormatMs(Field(co, "p95")),
            FormatOptional(Field(co, "sus_mean"), 1), FormatOptional(Field(co, "rating_mean"), 2)},
           ""});
    }
  }
  sec.blocks.push_back(TableBlock(std::move(c)));

  sec.blocks.push_back(Subheading("What the free texts were about"));
  Table th;
  th.head = {"Theme", "Answers"};
  th.align = "lr";
  th.empty_text = "No free texts were given.";
  for (const auto& theme : Items(Field(fb, "themes")))
    th.rows.push_back({{Text(Field(theme, "theme")), FormatCount(Field(theme, "count"))}, ""});
  sec.blocks.push_back(TableBlock(std::move(th)));
  return sec;
}

Section DataQualitySection(const json& s) {
  Section sec{"data-quality", "Data-quality findings", {}};
  sec.blocks.push_back(TextBlock(
      "Defects the synthetic data contains on purpose, by kind: how many citizens had one in the "
      "data they saw (present), how many noticed it, and how many reported it to their "
      "municipality as a correction (reported)."));
  Table t;
  t.head = {
      "Defect", "Present", "Noticed", "Reported", "Noticed of present", "Reported of noticed"};
  t.align = "lrrrrr";
  t.empty_text = "No data-quality defects were planted in this run.";
  svg::BarChart chart;
  chart.title = "Data-quality defects: present, noticed and reported, by kind";
  chart.series = {{"present", kAmber}, {"noticed", kBlue}, {"reported", kGreen}};
  chart.decimals = 0;
  auto share = [](const json& part, const json& whole) -> std::string {
    auto p = Number(part), w = Number(whole);
    if (!p || !w || *w <= 0) return kDash;
    return FormatPercent(json(*p / *w));
  };
  for (const auto& k : Items(Field(Field(s, "data_quality"), "kinds"))) {
    t.rows.push_back({{Text(Field(k, "kind")), FormatCount(Field(k, "present")),
                       FormatCount(Field(k, "noticed")), FormatCount(Field(k, "reported")),
                       share(Field(k, "noticed"), Field(k, "present")),
                       share(Field(k, "reported"), Field(k, "noticed"))},
                      ""});
    chart.groups.push_back(
        {Text(Field(k, "kind")),
         {Number(Field(k, "present")), Number(Field(k, "noticed")), Number(Field(k, "reported"))},
         "not measured"});
  }
  sec.blocks.push_back(TableBlock(std::move(t)));
  if (!chart.groups.empty()) sec.blocks.push_back(Chart(svg::RenderBarChart(chart)));
  return sec;
}

Section UsageSection(const json& s) {
  Section sec{"usage", "Shares and exports used", {}};
  const json& usage = Field(s, "usage");
  sec.blocks.push_back(
      TextBlock("What the citizens did over the whole run, counted once per action."));
  Table t;
  t.head = {"Action", "Count", "Per 100 logins"};
  t.align = "lrr";
  auto logins = Number(Field(usage, "logins"));
  auto per_login = [&](const json& v) -> std::string {
    auto n = Number(v);
    if (!n || !logins || *logins <= 0) return kDash;
    return FormatFixed(*n * 100 / *logins, 1);
  };
  size_t count = 0;
  const UsageItem* items = UsageItems(&count);
  for (size_t i = 0; i < count; ++i) {
    const json& v = Field(usage, items[i].key);
    t.rows.push_back({{items[i].label, FormatCount(v), per_login(v)}, ""});
  }
  if (usage.is_object()) {
    for (const auto& [key, value] : usage.items()) {  // counters this version has no label for
      bool known = false;
      for (size_t i = 0; i < count; ++i) known = known || key == items[i].key;
      if (!known) t.rows.push_back({{key, FormatCount(value), per_login(value)}, ""});
    }
  }
  sec.blocks.push_back(TableBlock(std::move(t)));
  return sec;
}

Section ErrorsSection(const json& s) {
  Section sec{"errors", "Errors by class", {}};
  const json& errors = Field(s, "errors");
  sec.blocks.push_back(TextBlock(
      "An error is a request that did not give the citizen a usable answer. \"abandoned\" counts "
      "journeys the citizen gave up, not requests."));
  Table t;
  t.head = {"Class", "What it means", "Count"};
  t.align = "llr";
  const json& by_class = Field(errors, "by_class");
  for (const auto& cls : ErrorClasses())
    if (by_class.contains(cls))
      t.rows.push_back({{cls, ErrorClassMeaning(cls), FormatCount(by_class[cls])}, ""});
  if (by_class.is_object())
    for (const auto& [cls, count] : by_class.items())  // classes this version has no words for
      if (ErrorClassMeaning(cls).empty()) t.rows.push_back({{cls, "", FormatCount(count)}, ""});
  sec.blocks.push_back(TableBlock(std::move(t)));
  sec.blocks.push_back(Subheading("Errors by step"));
  Table b;
  b.head = {"Step", "Class", "Count"};
  b.align = "llr";
  b.empty_text = "No errors.";
  for (const auto& e : Items(Field(errors, "by_step")))
    b.rows.push_back(
        {{Text(Field(e, "step")), Text(Field(e, "class")), FormatCount(Field(e, "count"))}, ""});
  sec.blocks.push_back(TableBlock(std::move(b)));
  return sec;
}

Section ManifestSection(const json& s) {
  Section sec{"manifest", "Manifest: how this run was made", {}};
  const json& m = Field(s, "manifest");
  const json& scenario = Field(m, "scenario");
  sec.blocks.push_back(TextBlock(
      "Everything needed to repeat this run. The same scenario, seed and scale give the same "
      "journey plan, which the plan digest identifies."));
  Table t;
  t.head = {"Item", "Value"};
  t.align = "ll";
  auto add = [&](std::string item, std::string value) {
    t.rows.push_back(
        {{std::move(item), value.empty() ? std::string(kDash) : std::move(value)}, ""});
  };
  add("Run id", Text(Field(s, "run_id")));
  add("Complete",
      Field(s, "complete").is_boolean() ? (IsTrue(Field(s, "complete")) ? "yes" : "no") : "");
  add("Scenario", Text(Field(scenario, "name")));
  add("Scenario file", Text(Field(scenario, "file")));
  add("Scenario digest", Text(Field(scenario, "digest")));
  add("Seed", Text(Field(m, "seed")));
  add("Scale", Text(Field(m, "scale")));
  add("Time scale (1 = think times as written, 0 = skipped)", Text(Field(m, "time_scale")));
  const json& clock = Field(m, "simulated_clock");
  add("Simulated clock", Text(Field(clock, "start")) + " to " + Text(Field(clock, "end")));
  std::string municipalities;
  for (const auto& mu : Items(Field(m, "municipalities"))) {
    if (!municipalities.empty()) municipalities += "; ";
    municipalities += Text(Field(mu, "name")) + " (" + Text(Field(mu, "code")) +
                      "): " + FormatCount(Field(mu, "citizens")) + " citizens";
  }
  add("Municipalities", municipalities);
  add("Load", DescribeLoad(Field(m, "load")));
  const json& targets = Field(m, "targets");
  if (targets.is_object())
    for (const auto& [name, url] : targets.items()) add("Target " + name, Text(url));
  add("Data digest", Text(Field(m, "data_digest")));
  add("Plan digest", Text(Field(m, "plan_digest")));
  add("Mode", Text(Field(m, "mode")));
  add("adda version", Text(Field(m, "adda_version")));
  add("Started", Text(Field(m, "started_at")));
  add("Finished", Text(Field(m, "finished_at")));
  add("Wall time (s)", Text(Field(m, "wall_seconds")));
  sec.blocks.push_back(TableBlock(std::move(t)));
  return sec;
}

}  // namespace

ReportContent BuildContent(const json& s) {
  ReportContent c;
  const json& m = Field(s, "manifest");
  const json& scenario = Field(m, "scenario");
  c.title = "Pilot run " + Text(Field(s, "run_id"));
  const std::string name = Text(Field(scenario, "name"));
  const std::string description = Text(Field(scenario, "description"));
  c.subtitle = "Scenario " + (name.empty() ? std::string(kDash) : name);
  if (!description.empty()) c.subtitle += ": " + description;
  if (c.subtitle.back() != '.') c.subtitle += '.';
  c.subtitle += " Seed " + Text(Field(m, "seed")) + ", scale " + Text(Field(m, "scale")) + ".";
  const std::string verdict = Text(Field(s, "verdict"));
  c.verdict_class =
      verdict == "pass" || verdict == "fail" || verdict == "incomplete" ? verdict : "unknown";
  c.verdict_word = VerdictWord(s);
  c.verdict_sentence = VerdictSentence(s);
  c.sections = {VerdictSection(s),        StepsSection(s),    TimelineSection(s),
                MunicipalitiesSection(s), FeedbackSection(s), DataQualitySection(s),
                UsageSection(s),          ErrorsSection(s),   ManifestSection(s)};
  c.footer = "Rendered by adda " + Text(Field(m, "adda_version")) + " from summary.json (" +
             Text(Field(s, "schema")) + ").";
  return c;
}

}  // namespace adda::report
