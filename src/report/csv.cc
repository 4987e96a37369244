// steps.csv and feedback.csv: the figures for spreadsheets and analysis tools.
#include <map>
#include <string_view>
#include <vector>

#include "core/csv.h"
#include "report/format.h"
#include "report/report.h"

namespace adda::report {
namespace {

using nlohmann::json;

// Cohorts with fewer answers than this read "suppressed" (docs/summary-schema.md).
constexpr int kMinCohort = 5;

constexpr const char* kFeedbackColumns[] = {"run_id",       "answer_id",
                                            "journey_id",   "journey",
                                            "persona",      "age_band",
                                            "municipality", "rating",
                                            "sus_score",    "sus1",
                                            "sus2",         "sus3",
                                            "sus4",         "sus5",
                                            "sus6",         "sus7",
                                            "sus8",         "sus9",
                                            "sus10",        "text",
                                            "theme",        "steps",
                                            "latencies_ms", "errors",
                                            "stale_seen",   "defects_noticed",
                                            "fault_window", "posted"};
constexpr size_t kRunIdColumn = 0, kAgeBandColumn = 5, kMunicipalityColumn = 6;
static_assert(std::string_view(kFeedbackColumns[kRunIdColumn]) == "run_id");
static_assert(std::string_view(kFeedbackColumns[kAgeBandColumn]) == "age_band");
static_assert(std::string_view(kFeedbackColumns[kMunicipalityColumn]) == "municipality");

// A CSV value before quoting: numbers with at most 3 decimals, booleans as true/false,
// null as empty, arrays joined with '|', objects as compact JSON.
std::string Plain(const json& j) {
  if (j.is_number_float()) return FormatNumber(j.get<double>(), 3);
  if (j.is_array()) {
    std::string out;
    for (size_t i = 0; i < j.size(); ++i) out += (i ? "|" : "") + Plain(j[i]);
    return out;
  }
  return Text(j);
}

std::string Line(const std::vector<std::string>& cells) {
  std::string out;
  for (size_t i = 0; i < cells.size(); ++i) out += (i ? "," : "") + CsvField(cells[i]);
  return out + "\n";
}

std::vector<std::string> StepRow(const json& row, const std::string& kind,
                                 const std::string& cohort, bool suppressed) {
  std::vector<std::string> cells = {Text(Field(row, "step")), kind, cohort};
  for (const char* key : {"count", "errors", "p50", "p90", "p95", "p99", "max", "mean"})
    cells.push_back(suppressed ? "" : Plain(Field(row, key)));
  cells.push_back(suppressed ? "true" : "false");
  return cells;
}

}  // namespace

std::string RenderStepsCsv(const json& summary) {
  std::string out =
      "step,kind,cohort,count,errors,p50_ms,p90_ms,p95_ms,p99_ms,max_ms,mean_ms,suppressed\n";
  const json& step_cohorts = Items(Field(summary, "step_cohorts"));
  std::vector<bool> written(step_cohorts.size(), false);
  auto cohort_row = [&](size_t i) {
    const json& c = step_cohorts[i];
    written[i] = true;
    out += Line(StepRow(c, Text(Field(c, "kind")), Text(Field(c, "cohort")),
                        IsTrue(Field(c, "suppressed"))));
  };
  for (const auto& step : Items(Field(summary, "steps"))) {
    out += Line(StepRow(step, "all", "", false));
    for (size_t i = 0; i < step_cohorts.size(); ++i)
      if (!written[i] && Field(step_cohorts[i], "step") == Field(step, "step")) cohort_row(i);
  }
  for (size_t i = 0; i < step_cohorts.size(); ++i)
    if (!written[i]) cohort_row(i);
  return out;
}

std::string RenderFeedbackCsv(const json& summary, const json& rows) {
  std::vector<std::string> header(std::begin(kFeedbackColumns), std::end(kFeedbackColumns));
  std::string out = Line(header);
  // How many answers share each age band and each municipality.
  std::map<std::string, int> age_bands, municipalities;
  for (const auto& r : Items(rows)) {
    ++age_bands[Plain(Field(r, "age_band"))];
    ++municipalities[Plain(Field(r, "municipality"))];
  }
  auto suppress = [](const std::map<std::string, int>& counts, const std::string& value) {
    return value.empty() || counts.at(value) >= kMinCohort ? value : std::string("suppressed");
  };
  for (const auto& r : Items(rows)) {
    std::vector<std::string> cells;
    for (const char* column : kFeedbackColumns) cells.push_back(Plain(Field(r, column)));
    if (cells[kRunIdColumn].empty()) cells[kRunIdColumn] = Text(Field(summary, "run_id"));
    cells[kAgeBandColumn] = suppress(age_bands, cells[kAgeBandColumn]);
    cells[kMunicipalityColumn] = suppress(municipalities, cells[kMunicipalityColumn]);
    out += Line(cells);
  }
  return out;
}

}  // namespace adda::report
