// The conformance report's files: conformance.html, conformance.json, junit.xml, and
// the table `adda conform` prints.
#include "report/conformance_report.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <exception>
#include <filesystem>
#include <fstream>
#include <utility>
#include <vector>

#include "report/format.h"
#include "report/svg.h"

namespace adda::report {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

// What the conformance report adds to the shared look (BaseStyle in format.h).
constexpr char kStyle[] = R"css(
code{font-size:.95em}
td code{white-space:nowrap}
tr.fail td.result{color:#a40e26;font-weight:600}
tr.warn td{background:#fff8c5}
tr.warn td.result{color:#7d4e00;font-weight:600}
tr.pass td.result{color:#116329}
tr.planned td{color:#57606a;font-style:italic}
)css";

bool Ready(const json& doc) { return Text(Field(doc, "verdict")) == "ready"; }
std::string VerdictOf(const json& doc) { return Ready(doc) ? "READY" : "NOT READY"; }
bool Failing(const json& rule) { return Text(Field(rule, "state")) == "fail"; }

// Failing rules of one severity, by id.
std::vector<std::string> FailingIds(const json& doc, const std::string& severity) {
  std::vector<std::string> out;
  for (const auto& r : Items(Field(doc, "rules")))
    if (Failing(r) && Text(Field(r, "severity")) == severity) out.push_back(Text(Field(r, "id")));
  return out;
}

std::string Join(const std::vector<std::string>& v, size_t max) {
  std::string out;
  for (size_t i = 0; i < v.size() && i < max; ++i) out += (i ? ", " : "") + v[i];
  if (v.size() > max) out += " and " + std::to_string(v.size() - max) + " more";
  return out;
}

// "1 blocker rule fails: a." / "2 warning rules fail: a, b."
std::string FailingPhrase(const std::vector<std::string>& ids, const char* severity) {
  return std::to_string(ids.size()) + " " + severity +
         (ids.size() == 1 ? " rule fails: " : " rules fail: ") + Join(ids, 5) + ".";
}

std::string ConformanceSentence(const json& doc) {
  const auto blockers = FailingIds(doc, "blocker");
  const auto warnings = FailingIds(doc, "warning");
  std::string out =
      blockers.empty() ? std::string("No blocker rule fails.") : FailingPhrase(blockers, "blocker");
  if (!warnings.empty()) out += " " + FailingPhrase(warnings, "warning");
  return out;
}

// "case aar-sag-0004 (1201xx-xxxx) at title: message".
std::string ExampleLine(const json& e) {
  std::string out = Text(Field(e, "kind")) + " " + Text(Field(e, "id"));
  if (!Text(Field(e, "party")).empty()) out += " (" + Text(Field(e, "party")) + ")";
  if (!Text(Field(e, "field")).empty()) out += " at " + Text(Field(e, "field"));
  return out + ": " + Text(Field(e, "message"));
}

// At most `max` bytes, never cutting a UTF-8 character.
std::string Shorten(const std::string& s, size_t max) {
  if (s.size() <= max) return s;
  size_t cut = max - 3;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  return s.substr(0, cut) + "...";
}

std::string Subtitle(const json& doc) {
  std::string out = "Municipality " + Text(Field(doc, "municipality"));
  if (!Text(Field(doc, "kombit")).empty()) out += ", read from " + Text(Field(doc, "kombit"));
  out += ", simulated today " + Text(Field(doc, "today"));
  if (!Text(Field(doc, "generated")).empty()) out += ", generated " + Text(Field(doc, "generated"));
  return out;
}

// ---- HTML

std::string Figures(const json& doc) {
  const json& read = Field(doc, "read");
  const json& failed = Field(doc, "rules_failed");
  const std::pair<const char*, std::string> figures[] = {
      {"cases read back", FormatCount(Field(read, "cases"))},
      {"grants read back", FormatCount(Field(read, "grants"))},
      {"integration log entries", FormatCount(Field(read, "log_entries"))},
      {"items whose last write was refused", FormatCount(Field(read, "open_rejections"))},
      {"blocker rules failing", FormatCount(Field(failed, "blocker"))},
      {"warning rules failing", FormatCount(Field(failed, "warning"))},
  };
  std::string out = "<dl class=\"figures\">\n";
  for (const auto& [label, value] : figures)
    out += "<div><dt>" + EscapeHtml(label) + "</dt><dd>" + EscapeHtml(value) + "</dd></div>\n";
  return out + "</dl>\n";
}

std::string FailingChart(const json& doc) {
  svg::BarChart chart;
  chart.title = "Records and calls per failing rule";
  chart.series = {{"blocker", "#cf222e"}, {"warning", "#bf8700"}};
  chart.decimals = 0;
  double most = 0;
  for (const auto& r : Items(Field(doc, "rules"))) {
    if (!Failing(r)) continue;
    const auto count = Number(Field(r, "count"));
    most = std::max(most, count.value_or(0));
    const bool blocker = Text(Field(r, "severity")) == "blocker";
    chart.groups.push_back(
        {Text(Field(r, "id")),
         {blocker ? count : std::optional<double>(), blocker ? std::optional<double>() : count},
         ""});
  }
  if (most < 5) chart.axis_max = 5;  // whole-number ticks for a few records
  return chart.groups.empty() ? "" : svg::RenderBarChart(chart);
}

std::string RowClass(const json& r) {
  const std::string state = Text(Field(r, "state"));
  if (state == "planned") return "planned";
  if (state != "fail") return "pass";
  return Text(Field(r, "severity")) == "blocker" ? "fail" : "warn";
}

std::string ResultWord(const json& r) {
  const std::string state = Text(Field(r, "state"));
  return state == "fail" ? "FAIL" : state == "pass" ? "pass" : state;
}

std::string RulesTable(const json& doc) {
  std::string out =
      "<div class=\"scroll\"><table>\n<thead><tr><th>rule</th><th>severity</th><th>result</th>"
      "<th class=\"n\">count</th><th>checks</th><th>how to fix</th></tr></thead>\n<tbody>\n";
  for (const auto& r : Items(Field(doc, "rules"))) {
    const std::string id = Text(Field(r, "id"));
    const std::string name = Failing(r) ? "<a href=\"#rule-" + EscapeHtml(id) + "\"><code>" +
                                              EscapeHtml(id) + "</code></a>"
                                        : "<code>" + EscapeHtml(id) + "</code>";
    out += "<tr class=\"" + RowClass(r) + "\"><td>" + name + "</td><td>" +
           EscapeHtml(Text(Field(r, "severity"))) + "</td><td class=\"result\">" +
           EscapeHtml(ResultWord(r)) + "</td><td class=\"n\">" +
           (Text(Field(r, "state")) == "planned" ? std::string(kDash)
                                                 : FormatCount(Field(r, "count"))) +
           "</td><td>" + EscapeHtml(Text(Field(r, "checks"))) + "</td><td>" +
           EscapeHtml(Text(Field(r, "fix"))) + "</td></tr>\n";
  }
  return out + "</tbody>\n</table></div>\n";
}

std::string ExamplesTable(const json& examples) {
  std::string out =
      "<div "
      "class=\"scroll\"><table>\n<thead><tr><th>record</th><th>id</th><th>CPR</th><th>field</th>"
      "<th>message</th><th>seen in</th></tr></thead>\n<tbody>\n";
  for (const auto& e : Items(examples)) {
    std::string seen = Text(Field(e, "source"));
    if (Number(Field(e, "log_id")))
      seen +=
          " (log entry " + Text(Field(e, "log_id")) + ", HTTP " + Text(Field(e, "status")) + ")";
    out += "<tr><td>" + EscapeHtml(Text(Field(e, "kind"))) + "</td><td><code>" +
           EscapeHtml(Text(Field(e, "id"))) + "</code></td><td>" +
           EscapeHtml(Text(Field(e, "party"))) + "</td><td><code>" +
           EscapeHtml(Text(Field(e, "field"))) + "</code></td><td>" +
           EscapeHtml(Text(Field(e, "message"))) + "</td><td>" + EscapeHtml(seen) + "</td></tr>\n";
  }
  return out + "</tbody>\n</table></div>\n";
}

std::string FindingSection(const json& r) {
  const std::string id = Text(Field(r, "id"));
  const auto count = Number(Field(r, "count")).value_or(0);
  const size_t shown = Items(Field(r, "examples")).size();
  std::string out =
      "<h3 id=\"rule-" + EscapeHtml(id) + "\"><code>" + EscapeHtml(id) + "</code> \xE2\x80\x94 " +
      EscapeHtml(Text(Field(r, "severity"))) + ", " + FormatCount(count) + " failing</h3>\n<p>" +
      EscapeHtml(Text(Field(r, "checks"))) + ". <strong>How to fix:</strong> " +
      EscapeHtml(Text(Field(r, "fix"))) + ".</p>\n" + ExamplesTable(Field(r, "examples"));
  if (count > static_cast<double>(shown))
    out += "<p class=\"empty\">The first " + std::to_string(shown) + " of " + FormatCount(count) +
           " are shown; conformance.json has the same examples.</p>\n";
  return out;
}

std::string Findings(const json& doc) {
  std::string out;
  for (const auto& r : Items(Field(doc, "rules")))
    if (Failing(r)) out += FindingSection(r);
  return out.empty() ? "<p class=\"empty\">No rule fails.</p>\n" : out;
}

std::string About(const json& doc) {
  const json& storm = Field(doc, "storm");
  return "<p>Each stored case and grant is validated again exactly as the integration API "
         "validates a write, "
         "against the simulated clock (" +
         EscapeHtml(Text(Field(doc, "today"))) +
         "). An item whose latest write in the integration log was refused fails every rule that "
         "refusal "
         "names, until a later write of the same item is accepted. Case numbers and grant-to-case "
         "links are "
         "checked over everything stored. The calls: every write without an Idempotency-Key; a "
         "refused "
         "request sent again with the same key and the same answer; and a 4xx storm, when at "
         "least " +
         EscapeHtml(Text(Field(storm, "min_rejected"))) + " of the last " +
         EscapeHtml(Text(Field(storm, "window"))) + " writes were refused and they are more than " +
         EscapeHtml(FormatPercent(Field(storm, "share"))) +
         " of them. Planned rules are not evaluated yet. Every CPR number is masked "
         "(DDMMxx-xxxx).</p>\n";
}

// What the municipality's citizens would see (doc["preview"], when borger.dk was asked):
// per sampled citizen, each item as the citizen sees it, and what would confuse them.
std::string PreviewSection(const json& preview) {
  std::string out =
      "<p>What borger.dk would show a sample of your citizens, only your items, explained exactly as "
      "the citizen sees them. Every read was written to the citizen's access log (purpose: municipal "
      "pre-go-live preview).</p>\n";
  for (const auto& c : Items(Field(preview, "citizens"))) {
    out += "<h3>" + EscapeHtml(Text(Field(c, "subject"))) + ": " + FormatCount(Field(Field(c, "counts"), "items")) +
           " item(s), " + FormatCount(Field(Field(c, "counts"), "flagged")) + " that would confuse a citizen</h3>\n";
    out += "<div class=\"scroll\"><table>\n<thead><tr><th>Kind</th><th>What the citizen reads</th>"
           "<th>Status</th><th>Would confuse</th></tr></thead>\n<tbody>\n";
    for (const auto& i : Items(Field(c, "items"))) {
      std::string flags;
      for (const auto& f : Items(Field(i, "would_confuse"))) flags += (flags.empty() ? "" : ", ") + Text(f);
      out += std::string(flags.empty() ? "<tr>" : "<tr class=\"warn\">") + "<td>" + EscapeHtml(Text(Field(i, "kind"))) +
             "</td><td>" + EscapeHtml(Text(Field(i, "title"))) + "</td><td>" +
             EscapeHtml(Text(Field(Field(i, "status"), "label"))) + "</td><td class=\"result\">" + EscapeHtml(flags) +
             "</td></tr>\n";
    }
    out += "</tbody></table></div>\n";
  }
  for (const auto& f : Items(Field(preview, "failures"))) out += "<p class=\"empty\">" + EscapeHtml(Text(f)) + "</p>\n";
  return out;
}

std::string Section(const char* id, const char* title, const std::string& body) {
  return std::string("<section id=\"") + id + "\">\n<h2>" + title + "</h2>\n" + body +
         "</section>\n";
}

// ---- JUnit

std::string Attr(const char* name, const std::string& value) {
  return std::string(" ") + name + "=\"" + EscapeXml(value) + "\"";
}

std::string FailureText(const json& r) {
  std::string out;
  for (const auto& e : Items(Field(r, "examples"))) out += ExampleLine(e) + "\n";
  return out + "How to fix: " + Text(Field(r, "fix"));
}

std::string JunitCase(const json& r) {
  const std::string severity = Text(Field(r, "severity"));
  std::string out = "    <testcase" + Attr("classname", "adda.conformance." + severity) +
                    Attr("name", Text(Field(r, "id"))) + Attr("time", "0");
  const std::string state = Text(Field(r, "state"));
  if (state == "planned")
    return out + ">\n      <skipped" + Attr("message", "planned: not evaluated yet") +
           "/>\n    </testcase>\n";
  if (state != "fail") return out + "/>\n";
  const std::string message =
      FormatCount(Field(r, "count")) + " failing (" + severity + "): " + Text(Field(r, "checks"));
  if (severity == "advice")
    return out + ">\n      <system-out>" + EscapeXml(message + "\n" + FailureText(r)) +
           "</system-out>\n    </testcase>\n";
  return out + ">\n      <failure" + Attr("message", message) + Attr("type", severity) + ">" +
         EscapeXml(FailureText(r)) + "</failure>\n    </testcase>\n";
}

// ---- Files


}  // namespace

std::string RenderConformanceHtml(const json& doc) {
  const std::string verdict = VerdictOf(doc);
  const std::string title = "Conformance report: municipality " + Text(Field(doc, "municipality"));
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>" +
      EscapeHtml(title + " \xE2\x80\x94 " + verdict) + "</title>\n<style>" + BaseStyle() + kStyle +
      "</style>\n</head>\n<body>\n<header>\n<h1>" + EscapeHtml(title) +
      "</h1>\n<p class=\"subtitle\">" + EscapeHtml(Subtitle(doc)) +
      "</p>\n<nav><a href=\"#verdict\">Verdict</a> <a href=\"#rules\">Rules</a> "
      "<a href=\"#findings\">Findings</a> <a href=\"#preview\">Citizen preview</a> "
      "<a href=\"#about\">How it was evaluated</a></nav>\n"
      "</header>\n<main>\n";
  out +=
      Section("verdict", "Verdict",
              "<div class=\"banner " + std::string(Ready(doc) ? "pass" : "fail") + "\"><strong>" +
                  verdict + "</strong><span>" + EscapeHtml(ConformanceSentence(doc)) +
                  "</span></div>\n" + Figures(doc) + FailingChart(doc));
  out += Section("rules", "Rules", RulesTable(doc));
  out += Section("findings", "Findings", Findings(doc));
  if (Field(doc, "preview").is_object())
    out += Section("preview", "What your citizens would see", PreviewSection(Field(doc, "preview")));
  out += Section("about", "How it was evaluated", About(doc));
  out += "</main>\n<footer><p>" +
         EscapeHtml("adda conform \xC2\xB7 " + Text(Field(doc, "schema")) +
                    " \xC2\xB7 the rule catalogue is docs/conformance.md") +
         "</p></footer>\n</body>\n</html>\n";
  return out;
}

std::string RenderConformanceJson(const json& doc) {
  return doc.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

std::string RenderConformanceJunit(const json& doc) {
  size_t tests = 0, failures = 0, skipped = 0;
  std::string cases;
  for (const auto& r : Items(Field(doc, "rules"))) {
    ++tests;
    const std::string state = Text(Field(r, "state"));
    skipped += state == "planned";
    failures += state == "fail" && Text(Field(r, "severity")) != "advice";
    cases += JunitCase(r);
  }
  const std::string counts = Attr("tests", std::to_string(tests)) +
                             Attr("failures", std::to_string(failures)) + Attr("errors", "0");
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites" +
                    Attr("name", "adda") + counts + ">\n  <testsuite" +
                    Attr("name", "adda.conformance." + Text(Field(doc, "municipality"))) + counts +
                    Attr("skipped", std::to_string(skipped)) + Attr("time", "0") +
                    ">\n    <properties>\n";
  for (const char* key : {"municipality", "kombit", "today", "verdict", "generated"})
    out += "      <property" + Attr("name", key) + Attr("value", Text(Field(doc, key))) + "/>\n";
  return out + "    </properties>\n" + cases + "  </testsuite>\n</testsuites>\n";
}

std::string RenderConformanceText(const json& doc) {
  const json& read = Field(doc, "read");
  std::string out = "adda conform " + Text(Field(doc, "municipality")) + ": " + VerdictOf(doc) +
                    " \xE2\x80\x94 " + ConformanceSentence(doc) + "\n";
  out += "read " + FormatCount(Field(read, "cases")) + " cases, " +
         FormatCount(Field(read, "grants")) + " grants and " +
         FormatCount(Field(read, "log_entries")) + " log entries";
  if (!Text(Field(doc, "kombit")).empty()) out += " from " + Text(Field(doc, "kombit"));
  out += " (today " + Text(Field(doc, "today")) + ")\n\n";
  char line[512];
  std::snprintf(line, sizeof line, "  %-26s %-8s %-8s %6s  %s\n", "rule", "severity", "result",
                "count", "first example");
  out += line;
  for (const auto& r : Items(Field(doc, "rules"))) {
    const bool planned = Text(Field(r, "state")) == "planned";
    const auto& examples = Items(Field(r, "examples"));
    const std::string example = examples.empty() ? "" : Shorten(ExampleLine(examples[0]), 100);
    std::snprintf(line, sizeof line, "  %-26s %-8s %-8s %6s  %s\n", Text(Field(r, "id")).c_str(),
                  Text(Field(r, "severity")).c_str(), ResultWord(r).c_str(),
                  planned ? "" : FormatCount(Field(r, "count")).c_str(), example.c_str());
    std::string row = line;  // without the blanks of an empty last column
    while (row.size() >= 2 && row[row.size() - 2] == ' ') row.erase(row.size() - 2, 1);
    out += row;
  }
  return out;
}

Status WriteConformanceReport(const std::string& dir, const json& doc) {
  std::vector<std::pair<std::string, std::string>> files;
  try {
    files = {{"conformance.html", RenderConformanceHtml(doc)},
             {"junit.xml", RenderConformanceJunit(doc)},
             {"conformance.json", RenderConformanceJson(doc)}};
  } catch (const std::exception& e) {
    return Status::Error("report.render", std::string("cannot render the conformance report: ") + e.what());
  }
  return WriteFilesAtomically(dir, files);
}

}  // namespace adda::report
