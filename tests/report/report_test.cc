// Report writers: golden files for report.md, junit.xml and steps.csv rendered from
// tests/report/golden/summary.json (ADDA_UPDATE_GOLDEN=1 rewrites them after a deliberate
// change; review the diff), plus checks on report.html, feedback.csv, the report folder
// and run comparison.
#include "report/report.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "report/compare.h"
#include "report/format.h"

namespace adda::report {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const std::string kGoldenDir = std::string(ADDA_SOURCE_DIR) + "/tests/report/golden/";

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

json GoldenSummary() { return json::parse(ReadFile(kGoldenDir + "summary.json")); }

// Compares `actual` with a golden file byte for byte, or rewrites the file when
// ADDA_UPDATE_GOLDEN=1.
void ExpectGolden(const std::string& name, const std::string& actual) {
  const std::string path = kGoldenDir + name;
  const char* update = std::getenv("ADDA_UPDATE_GOLDEN");
  if (update != nullptr && std::string(update) == "1") {
    std::ofstream(path, std::ios::binary) << actual;
    return;
  }
  ASSERT_TRUE(fs::exists(path)) << path
                                << " is missing; run with ADDA_UPDATE_GOLDEN=1 to create it";
  const std::string expected = ReadFile(path);
  if (expected == actual) return;
  size_t line = 1, i = 0;
  while (i < expected.size() && i < actual.size() && expected[i] == actual[i])
    line += expected[i++] == '\n';
  FAIL() << name << " differs from the golden file at line " << line
         << "; if the change is intended, rerun with ADDA_UPDATE_GOLDEN=1 and review the diff";
}

size_t Count(const std::string& haystack, const std::string& needle) {
  size_t n = 0;
  for (size_t i = haystack.find(needle); i != std::string::npos; i = haystack.find(needle, i + 1))
    ++n;
  return n;
}

// Every element opened is closed, in order; void elements and <.../> excepted.
// Returns an empty string when balanced, else what went wrong.
std::string CheckBalanced(const std::string& html) {
  static const std::vector<std::string> kVoid = {"meta",  "br",   "hr",  "img",
                                                 "input", "link", "col", "wbr"};
  std::vector<std::string> open;
  for (size_t i = html.find('<'); i != std::string::npos; i = html.find('<', i + 1)) {
    const size_t end = html.find('>', i);
    if (end == std::string::npos) return "unterminated tag at " + std::to_string(i);
    const std::string tag = html.substr(i + 1, end - i - 1);
    if (tag.rfind("!DOCTYPE", 0) == 0) continue;
    const bool closing = !tag.empty() && tag[0] == '/';
    const bool self_closing = !tag.empty() && tag.back() == '/';
    size_t k = closing ? 1 : 0;
    std::string name;
    while (k < tag.size() && std::isalnum(static_cast<unsigned char>(tag[k]))) name += tag[k++];
    if (name.empty()) return "stray '<' at " + std::to_string(i);
    if (std::find(kVoid.begin(), kVoid.end(), name) != kVoid.end() || self_closing) continue;
    if (!closing) {
      open.push_back(name);
    } else if (open.empty() || open.back() != name) {
      return "</" + name + "> closes <" + (open.empty() ? "nothing" : open.back()) + "> at " +
             std::to_string(i);
    } else {
      open.pop_back();
    }
  }
  return open.empty() ? "" : "<" + open.back() + "> is never closed";
}

// The text of every <tr class="suppressed"> row, tags removed, first cell left out.
std::vector<std::string> SuppressedRowFigures(const std::string& html) {
  std::vector<std::string> out;
  const std::string open = "<tr class=\"suppressed\">";
  for (size_t i = html.find(open); i != std::string::npos; i = html.find(open, i + 1)) {
    std::string row = html.substr(i, html.find("</tr>", i) - i);
    row = row.substr(row.find("</td>") + 5);  // drop the cohort's name
    out.push_back(std::regex_replace(row, std::regex("<[^>]*>"), ""));
  }
  return out;
}

// ---- golden files

TEST(ReportGolden, Markdown) { ExpectGolden("report.md", RenderMarkdown(GoldenSummary())); }
TEST(ReportGolden, Junit) { ExpectGolden("junit.xml", RenderJunit(GoldenSummary())); }
TEST(ReportGolden, StepsCsv) { ExpectGolden("steps.csv", RenderStepsCsv(GoldenSummary())); }

TEST(ReportGolden, RenderingIsDeterministic) {
  const json s = GoldenSummary();
  EXPECT_EQ(RenderHtml(s), RenderHtml(s));
  EXPECT_EQ(RenderMarkdown(s), RenderMarkdown(GoldenSummary()));
}

// ---- report.html

TEST(ReportHtml, HasEverySectionInOrderAndCharts) {
  const std::string html = RenderHtml(GoldenSummary());
  size_t last = 0;
  for (const char* id : {"verdict", "steps", "timeline", "municipalities", "feedback",
                         "data-quality", "usage", "errors", "manifest"}) {
    const size_t at = html.find(std::string("<section id=\"") + id + "\">");
    ASSERT_NE(at, std::string::npos) << id;
    EXPECT_GT(at, last) << id << " is out of order";
    last = at;
  }
  // steps, 3 timeline charts, municipalities, SUS, data quality.
  EXPECT_EQ(Count(html, "<svg class=\"chart\""), 7u);
  EXPECT_EQ(Count(html, "<svg"), Count(html, "<svg class=\"chart\" role=\"img\" viewBox="));
  const std::regex titled("<svg class=\"chart\"[^>]*><title>[^<]+</title>");
  EXPECT_EQ(
      std::distance(std::sregex_iterator(html.begin(), html.end(), titled), std::sregex_iterator()),
      7)
      << "each chart's first child is its <title>";
  EXPECT_NE(html.find("<div class=\"banner fail\"><strong>FAIL</strong>"), std::string::npos);
  EXPECT_NE(html.find("1 of 5 thresholds failed."), std::string::npos);
  EXPECT_NE(html.find(">kombit-outage</text>"), std::string::npos)
      << "fault window labelled in the charts";
  EXPECT_NE(html.find("average (68)"), std::string::npos) << "SUS average marked";
  EXPECT_NE(html.find("These answers are simulated"), std::string::npos);
}

TEST(ReportHtml, IsWellFormedSelfContainedUtf8) {
  const std::string html = RenderHtml(GoldenSummary());
  EXPECT_EQ(html.rfind("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">", 0),
            0u);
  EXPECT_EQ(html.substr(html.size() - 8), "</html>\n");
  EXPECT_EQ(CheckBalanced(html), "");
  for (const char* external : {"<script", "<link", "src=", "@import", "url(", "<img", "<iframe"})
    EXPECT_EQ(html.find(external), std::string::npos) << external;
  EXPECT_NE(html.find("Første dag efter go-live"), std::string::npos) << "Danish letters survive";
  EXPECT_NE(html.find("læser forklaringer"), std::string::npos);
}

TEST(ReportHtml, EscapesEveryStringFromTheSummary) {
  json s = GoldenSummary();
  const std::string evil = "<script>alert(\"æ&ø\")</script>";
  s["feedback"]["by_persona"][0]["persona"] = evil;
  for (auto& c : s["cohorts"])
    if (c["kind"] == "persona" && c["cohort"] == "digital-native") c["label"] = evil;
  s["thresholds"][0]["description"] = evil;
  s["manifest"]["scenario"]["description"] = evil;
  const std::string html = RenderHtml(s);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(&quot;æ&amp;ø&quot;)&lt;/script&gt;"),
            std::string::npos);
  EXPECT_EQ(CheckBalanced(html), "");

  const std::string md = RenderMarkdown(s);
  EXPECT_NE(md.find("\\<script\\>alert(\"æ&ø\")\\</script\\>"), std::string::npos)
      << "markup escaped in Markdown";
}

TEST(ReportHtml, SuppressedCohortsShowNoNumbers) {
  const std::string html = RenderHtml(GoldenSummary());
  const auto rows = SuppressedRowFigures(html);
  ASSERT_EQ(rows.size(), 2u) << "senior-assisted in the persona table and in the cohort table";
  for (const auto& figures : rows) EXPECT_EQ(figures, kSuppressedText);
  const std::string md = RenderMarkdown(GoldenSummary());
  std::istringstream lines(md);
  int suppressed_lines = 0;
  for (std::string line; std::getline(lines, line);) {
    if (line.find("senior-assisted") == std::string::npos) continue;
    ++suppressed_lines;
    const size_t at = line.find(kSuppressedText);
    ASSERT_NE(at, std::string::npos) << line;
    const std::string rest =
        line.substr(0, at) + line.substr(at + std::string(kSuppressedText).size());
    EXPECT_FALSE(std::regex_search(rest, std::regex("[0-9]"))) << line;
  }
  EXPECT_EQ(suppressed_lines, 2);
}

TEST(ReportHtml, NullReadsAsDashAndMissingKeysDoNotThrow) {
  json s = GoldenSummary();
  s["steps"][0]["p99"] = nullptr;
  s["thresholds"][1]["value"] = nullptr;
  const std::string html = RenderHtml(s);
  ASSERT_NE(RenderHtml(GoldenSummary()).find("<td class=\"n\">41.0</td>"), std::string::npos);
  EXPECT_EQ(html.find("<td class=\"n\">41.0</td>"), std::string::npos)
      << "login p99 no longer shown";
  EXPECT_NE(html.find("<td>FAIL (not measured)</td>"), std::string::npos);
  EXPECT_NE(html.find("journeys \xE2\x80\x93"), std::string::npos) << "load.journeys is null";

  for (const json& odd :
       {json::object(), json::array(), json(), json{{"steps", "not a list"}, {"totals", 3}}}) {
    EXPECT_EQ(CheckBalanced(RenderHtml(odd)), "");
    EXPECT_NO_THROW(RenderMarkdown(odd));
    EXPECT_NO_THROW(RenderJunit(odd));
    EXPECT_NO_THROW(RenderStepsCsv(odd));
    EXPECT_NO_THROW(RenderFeedbackCsv(odd, odd));
  }
}

TEST(ReportMarkdown, LongTimelinesAreCondensed) {
  json s = GoldenSummary();
  s["timeline"]["bucket_s"] = 1;
  s["timeline"]["buckets"] = json::array();
  for (int t = 0; t < 100; ++t)
    s["timeline"]["buckets"].push_back(
        {{"t", t}, {"requests", 10}, {"errors", t == 42 ? 3 : 0}, {"p95", 5.0 + t}});
  const std::string md = RenderMarkdown(s);
  EXPECT_NE(md.find("| p95 (ms, worst interval) |"), std::string::npos);
  EXPECT_NE(md.find("\n| 40 | 45 | 50 | 10.0 | 3 | 49.0 | |\n"), std::string::npos) << md;
  EXPECT_NE(md.find("\n| 95 | 100 | 50 | 10.0 | 0 | 104.0 | |\n"), std::string::npos);
  EXPECT_NE(md.find("\n| 20 | 25 | 50 | 10.0 | 0 | 29.0 | kombit-outage |\n"), std::string::npos);
}

// ---- junit.xml

TEST(ReportJunit, IncompleteRunAddsAFailingCaseAndEscapes) {
  json s = GoldenSummary();
  s["complete"] = false;
  s["verdict"] = "incomplete";
  s["thresholds"][0]["id"] = "a<b & \"c\"";
  const std::string xml = RenderJunit(s);
  EXPECT_NE(xml.find("<testsuite name=\"adda.thresholds\" tests=\"6\" failures=\"2\""),
            std::string::npos);
  EXPECT_NE(xml.find("<testcase classname=\"adda.thresholds\" name=\"run.complete\""),
            std::string::npos);
  EXPECT_NE(xml.find("name=\"a&lt;b &amp; &quot;c&quot;\""), std::string::npos);
  EXPECT_EQ(CheckBalanced(xml.substr(xml.find("?>") + 2)), "");
}

// ---- CSV

json FeedbackRow(int i, const std::string& age_band, const std::string& municipality) {
  return {{"answer_id", "a" + std::to_string(i)},
          {"journey_id", i},
          {"journey", "check-overview"},
          {"persona", "digital-native"},
          {"age_band", age_band},
          {"municipality", municipality},
          {"rating", 4},
          {"sus_score", 77.5},
          {"sus1", 4},
          {"sus2", 2},
          {"sus3", 4},
          {"sus4", 1},
          {"sus5", 4},
          {"sus6", 2},
          {"sus7", 5},
          {"sus8", 2},
          {"sus9", 4},
          {"sus10", 1},
          {"text", "fint"},
          {"theme", "praise"},
          {"steps", json::array({"login", "overview"})},
          {"latencies_ms", json::array({12.3456, 7})},
          {"errors", 0},
          {"stale_seen", false},
          {"defects_noticed", 0},
          {"fault_window", nullptr},
          {"posted", true}};
}

TEST(ReportCsv, FeedbackQuotesJoinsAndSuppresses) {
  json rows = json::array();
  for (int i = 0; i < 5; ++i) rows.push_back(FeedbackRow(i, "30-49", "751"));
  rows.push_back(FeedbackRow(5, "67+", "430"));
  rows[5]["text"] = "Hun sagde \"hej\", og gik\nvidere";
  rows[5]["steps"] = "login|overview|case-detail";  // already joined
  rows[5]["run_id"] = "other-run";
  const std::string csv = RenderFeedbackCsv(GoldenSummary(), rows);

  EXPECT_EQ(
      csv.substr(0, csv.find('\n')),
      "run_id,answer_id,journey_id,journey,persona,age_band,municipality,rating,sus_score,sus1,"
      "sus2,"
      "sus3,sus4,sus5,sus6,sus7,sus8,sus9,sus10,text,theme,steps,latencies_ms,errors,stale_seen,"
      "defects_noticed,fault_window,posted");
  EXPECT_NE(
      csv.find(
          "20261123T111500Z-baseline-s2018,a0,0,check-overview,digital-native,30-49,751,4,77.5,"
          "4,2,4,1,4,2,5,2,4,1,fint,praise,login|overview,12.346|7,0,false,0,,true\n"),
      std::string::npos)
      << csv;
  EXPECT_NE(csv.find("other-run,a5,5,check-overview,digital-native,suppressed,suppressed,"),
            std::string::npos);
  EXPECT_NE(
      csv.find(",\"Hun sagde \"\"hej\"\", og gik\nvidere\",praise,login|overview|case-detail,"),
      std::string::npos);
  EXPECT_EQ(Count(csv, "\n"), 8u) << "header, six rows, one line break inside a quoted field";
}

TEST(ReportCsv, StepsSuppressedRowsHaveEmptyFigures) {
  const std::string csv = RenderStepsCsv(GoldenSummary());
  EXPECT_NE(csv.find("\nlogin,all,,1200,2,8.2,15.1,19.8,41,120.5,9.6,false\n"), std::string::npos);
  EXPECT_NE(csv.find("\nlogin,persona,senior-assisted,,,,,,,,,true\n"), std::string::npos);
}

// ---- formatting

TEST(ReportFormat, NumbersAreLocaleFreeAndRounded) {
  EXPECT_EQ(FormatFixed(-0.04, 1), "0.0");
  EXPECT_EQ(FormatFixed(912.44, 1), "912.4");
  EXPECT_EQ(FormatNumber(12.3456), "12.346");
  EXPECT_EQ(FormatNumber(41.0), "41");
  EXPECT_EQ(FormatCount(17495.0),
            "17\xE2\x80\xAF"
            "495");
  EXPECT_EQ(FormatCount(4800.0), "4800");
  EXPECT_EQ(FormatPercent(json(0.99)), "99.0%");
  EXPECT_EQ(FormatPercent(json(0.0002)), "<0.1%");
  EXPECT_EQ(FormatPercent(json()), kDash);
  EXPECT_EQ(SusGrade(68), "C");
  EXPECT_EQ(SusGrade(78.0), "B+");
  EXPECT_EQ(EscapeMarkdown("a|b\nc"), "a\\|b c");
}

// ---- the report folder

TEST(ReportFolder, WritesEveryFileWhole) {
  const fs::path dir = fs::path(ADDA_TEST_TMP) / "report_test" / "run";
  fs::remove_all(dir.parent_path());
  const json s = GoldenSummary();
  const Status written = WriteRunReport(dir.string(), s, json::array({FeedbackRow(1, "30-49", "751")}));
  ASSERT_TRUE(written.ok()) << written.message();
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{"feedback.csv", "junit.xml", "report.html",
                                             "report.md", "steps.csv", "summary.json"}));
  EXPECT_EQ(json::parse(ReadFile((dir / "summary.json").string())), s);
  EXPECT_EQ(ReadFile((dir / "summary.json").string()), s.dump(2) + "\n");
  EXPECT_EQ(ReadFile((dir / "report.md").string()), RenderMarkdown(s));

  // Rewriting over an existing report replaces it.
  ASSERT_TRUE(WriteRunReport(dir.string(), s, json::array()).ok());
  EXPECT_EQ(Count(ReadFile((dir / "feedback.csv").string()), "\n"), 1u);

  // A path that cannot be a folder fails with a message naming it.
  const fs::path file = dir / "summary.json" / "below-a-file";
  const Status refused = WriteRunReport(file.string(), s, json::array());
  EXPECT_EQ(refused.code(), "report.write");
  EXPECT_NE(refused.message().find("below-a-file"), std::string::npos) << refused.message();
  fs::remove_all(dir.parent_path());
}

// ---- comparison

TEST(ReportCompare, FlagsP95RegressionAndThresholdFlipButNotAWobble) {
  json a = GoldenSummary();
  a["steps"][0]["p50"] = 2.0;
  json b = a;
  b["run_id"] = "20261124T090000Z-baseline-s2018";
  b["steps"][0]["p50"] = 2.5;   // +25 %, but only 0.5 ms: a wobble
  b["steps"][1]["p95"] = 81.0;  // overview p95 +30 %: a regression
  b["steps"][1]["p50"] = 22.0;  // +2.8 %: within tolerance
  b["thresholds"][0]["pass"] = false;
  b["thresholds"][0]["value"] = 612.0;

  const json cmp = Compare(a, b);
  EXPECT_EQ(cmp["schema"], "adda-run-compare/1");
  EXPECT_EQ(cmp["a"]["run_id"], "20261123T111500Z-baseline-s2018");
  EXPECT_EQ(cmp["b"]["scenario"], "baseline");
  EXPECT_EQ(cmp["b"]["seed"], 2018);
  EXPECT_TRUE(cmp["same_plan"].get<bool>());
  EXPECT_EQ(cmp["regressions"], 2);
  EXPECT_EQ(cmp["verdict"], "regressed");
  auto row = [&](const std::string& metric, const json& scope) {
    for (const auto& r : cmp["rows"])
      if (r["metric"] == metric && r["scope"] == scope) return r;
    return json();
  };
  EXPECT_TRUE(row("step_p95_ms", "overview")["regression"].get<bool>());
  EXPECT_DOUBLE_EQ(row("step_p95_ms", "overview")["change"].get<double>(), 0.3002);
  EXPECT_FALSE(row("step_p50_ms", "login")["regression"].get<bool>()) << "0.5 ms is a wobble";
  EXPECT_FALSE(row("step_p50_ms", "overview")["regression"].get<bool>());
  EXPECT_TRUE(row("threshold_pass", "overview-p95")["regression"].get<bool>());
  EXPECT_EQ(row("threshold_pass", "overview-p95")["a"], true);
  EXPECT_FALSE(row("threshold_pass", "case-detail-p99")["regression"].get<bool>())
      << "failed in both";
  EXPECT_EQ(row("journey_success_rate", nullptr)["a"], 0.99);

  const std::string text = RenderComparisonText(cmp);
  std::istringstream lines(text);
  int marked = 0;
  for (std::string line; std::getline(lines, line);) marked += !line.empty() && line[0] == '!';
  EXPECT_EQ(marked, 2) << text;
  EXPECT_NE(text.find("Verdict: regressed (2 regressions, tolerance 10%)"), std::string::npos)
      << text;
  EXPECT_EQ(Count(RenderComparisonMarkdown(cmp), "| **yes** |"), 2u);
}

TEST(ReportCompare, SameRunHasNoRegressionsAndDropsAreJudged) {
  const json a = GoldenSummary();
  EXPECT_EQ(Compare(a, a)["verdict"], "no regressions");
  EXPECT_EQ(Compare(a, a)["regressions"], 0);

  json b = a;
  b["manifest"]["plan_digest"] = "sha256:other";
  b["totals"]["throughput_rps"] = 60.0;  // -25 %
  b["feedback"]["sus"]["mean"] = 70.0;   // -4.8 %: within tolerance
  b["totals"]["error_rate"] = 0.0030;    // +20 % but +0.05 point: noise
  const json cmp = Compare(a, b);
  EXPECT_FALSE(cmp["same_plan"].get<bool>());
  EXPECT_EQ(cmp["regressions"], 1);
  EXPECT_NE(RenderComparisonText(cmp).find("different journey plans"), std::string::npos);
}

}  // namespace
}  // namespace adda::report
