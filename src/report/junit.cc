// junit.xml: the thresholds as test cases, so a CI system can gate on a run.
#include "report/format.h"
#include "report/report.h"

namespace adda::report {
namespace {

constexpr char kSuite[] = "adda.thresholds";

std::string Attr(const char* name, const std::string& value) {
  return std::string(" ") + name + "=\"" + EscapeXml(value) + "\"";
}

std::string Testcase(const std::string& name, const std::string& failure_message,
                     const std::string& failure_type, const std::string& failure_text) {
  std::string out =
      "    <testcase" + Attr("classname", kSuite) + Attr("name", name) + Attr("time", "0");
  if (failure_message.empty()) return out + "/>\n";
  return out + ">\n      <failure" + Attr("message", failure_message) + Attr("type", failure_type) +
         ">" + EscapeXml(failure_text) + "</failure>\n    </testcase>\n";
}

}  // namespace

std::string RenderJunit(const nlohmann::json& summary) {
  const nlohmann::json& thresholds = Items(Field(summary, "thresholds"));
  const bool incomplete =
      Field(summary, "complete").is_boolean() && !IsTrue(Field(summary, "complete"));
  const size_t tests = thresholds.size() + (incomplete ? 1 : 0);
  const size_t failures = static_cast<size_t>(FailedThresholds(summary)) + (incomplete ? 1 : 0);
  const nlohmann::json& m = Field(summary, "manifest");
  auto wall = Number(Field(m, "wall_seconds"));

  std::string counts = Attr("tests", std::to_string(tests)) +
                       Attr("failures", std::to_string(failures)) + Attr("errors", "0");
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites" +
                    Attr("name", "adda") + counts + ">\n  <testsuite" + Attr("name", kSuite) +
                    counts + Attr("skipped", "0") + Attr("time", wall ? FormatNumber(*wall) : "0") +
                    ">\n    <properties>\n";
  const std::pair<const char*, std::string> properties[] = {
      {"run_id", Text(Field(summary, "run_id"))},
      {"scenario", Text(Field(Field(m, "scenario"), "name"))},
      {"seed", Text(Field(m, "seed"))},
      {"scale", Text(Field(m, "scale"))},
      {"plan_digest", Text(Field(m, "plan_digest"))},
      {"verdict", Text(Field(summary, "verdict"))},
  };
  for (const auto& [name, value] : properties)
    out += "      <property" + Attr("name", name) + Attr("value", value) + "/>\n";
  out += "    </properties>\n";

  for (const auto& t : thresholds) {
    const std::string id = Text(Field(t, "id"));
    if (IsTrue(Field(t, "pass"))) {
      out += Testcase(id, "", "", "");
      continue;
    }
    const std::string metric = Text(Field(t, "metric"));
    const std::string value = Number(Field(t, "value")) ? FormatMetric(metric, Field(t, "value"))
                                                        : std::string("not measured");
    const std::string limit = Text(Field(t, "op")) + " " + FormatLimit(metric, Field(t, "limit"));
    std::string description = Text(Field(t, "description"));
    const std::string scope =
        Field(t, "scope").is_null() ? "the whole run" : Text(Field(t, "scope"));
    const std::string message =
        (description.empty() ? id : description) + ": value " + value + ", limit " + limit;
    out +=
        Testcase(id, message, "threshold",
                 "metric " + metric + ", scope " + scope + ": value " + value + ", limit " + limit);
  }
  if (incomplete)
    out += Testcase("run.complete", "the run was stopped before its end", "incomplete",
                    "complete is false: the figures cover only the part of the run that ran");
  out += "  </testsuite>\n</testsuites>\n";
  return out;
}

}  // namespace adda::report
