// The conformance report's writers as pure functions of a conformance document: the
// verdict comes first, the JUnit counts follow the severities, hostile text is escaped
// in every format, a document with keys missing still renders, and the folder is
// written whole.
#include "report/conformance_report.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>

namespace adda::report {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

json Rule(const std::string& id, const std::string& severity, const std::string& state, int count,
          json examples = json::array()) {
  return {
      {"id", id},           {"severity", severity}, {"group", "g"},   {"checks", "checks " + id},
      {"fix", "fix " + id}, {"state", state},       {"count", count}, {"examples", examples}};
}

json Doc() {
  const json hostile = {{"kind", "case"},         {"id", "a<b>&c"},
                        {"field", "title"},       {"message", "<script>alert(1)</script> & \"q\""},
                        {"party", "0101xx-xxxx"}, {"source", "stored"}};
  return {
      {"schema", "adda-conformance/1"},
      {"municipality", 751},
      {"kombit", "http://127.0.0.1:8181"},
      {"today", "2018-12-11"},
      {"verdict", "not_ready"},
      {"rules_failed", {{"blocker", 1}, {"warning", 1}, {"advice", 1}}},
      {"read", {{"cases", 5}, {"grants", 2}, {"log_entries", 9}, {"open_rejections", 1}}},
      {"storm", {{"window", 100}, {"share", 0.2}, {"min_rejected", 10}}},
      {"rules", json::array({Rule("field.required", "blocker", "fail", 1, json::array({hostile})),
                             Rule("unit.set", "warning", "fail", 12, json::array({hostile})),
                             Rule("kle.facet_known", "warning", "pass", 0),
                             Rule("advice.rule", "advice", "fail", 1, json::array({hostile})),
                             Rule("status.explained", "advice", "planned", 0)})}};
}

TEST(ConformanceReport, HtmlStartsWithTheVerdictAndEscapesEverything) {
  const std::string html = RenderConformanceHtml(Doc());
  const size_t banner = html.find("<div class=\"banner fail\"><strong>NOT READY</strong>");
  ASSERT_NE(banner, std::string::npos);
  EXPECT_LT(banner, html.find("<section id=\"rules\">"));
  EXPECT_LT(html.find("<section id=\"rules\">"), html.find("<section id=\"findings\">"));
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;q&quot;"),
            std::string::npos);
  EXPECT_NE(html.find("a&lt;b&gt;&amp;c"), std::string::npos);
  EXPECT_NE(html.find("<svg"), std::string::npos);  // the chart of failing rules
  EXPECT_NE(html.find("The first 1 of 12 are shown"), std::string::npos);
  json ready = Doc();
  ready["verdict"] = "ready";
  EXPECT_NE(RenderConformanceHtml(ready).find("<div class=\"banner pass\"><strong>READY</strong>"),
            std::string::npos);
}

TEST(ConformanceReport, JunitFailsBlockersAndWarningsSkipsPlannedAndOnlyNotesAdvice) {
  const std::string xml = RenderConformanceJunit(Doc());
  EXPECT_NE(xml.find("<testsuite name=\"adda.conformance.751\" tests=\"5\" failures=\"2\" "
                     "errors=\"0\" skipped=\"1\""),
            std::string::npos)
      << xml;
  const std::regex failure(
      "name=\"([a-z._]+)\" time=\"0\">\\s*<failure[^>]*type=\"(blocker|warning)\"");
  std::set<std::string> failing;
  for (std::sregex_iterator i(xml.begin(), xml.end(), failure), end; i != end; ++i)
    failing.insert((*i)[1]);
  EXPECT_EQ(failing, (std::set<std::string>{"field.required", "unit.set"}));
  EXPECT_NE(xml.find("name=\"advice.rule\" time=\"0\">\n      <system-out>"), std::string::npos);
  EXPECT_NE(xml.find("name=\"status.explained\" time=\"0\">\n      <skipped"), std::string::npos);
  EXPECT_EQ(xml.find("<script"), std::string::npos);
}

TEST(ConformanceReport, TextTableHasOneLinePerRule) {
  const std::string text = RenderConformanceText(Doc());
  EXPECT_EQ(
      text.rfind("adda conform 751: NOT READY \xE2\x80\x94 1 blocker rule fails: field.required. "
                 "1 warning rule fails: unit.set.\n",
                 0),
      0u)
      << text;
  for (const char* rule :
       {"field.required", "unit.set", "kle.facet_known", "advice.rule", "status.explained"})
    EXPECT_NE(text.find("\n  " + std::string(rule) + " "), std::string::npos) << rule;
  EXPECT_NE(text.find("  status.explained           advice   planned\n"), std::string::npos)
      << text;
  EXPECT_EQ(text.find(" \n"), std::string::npos) << "no trailing blanks";
}

TEST(ConformanceReport, LongExamplesAreShortenedOnACharacterBoundary) {
  // The example line is cut at 100 bytes; 60 or 61 x's put the cut inside or before an "æ".
  for (int xs : {60, 61}) {
    json doc = Doc();
    doc["rules"][0]["examples"][0]["message"] =
        std::string(xs, 'x') + "\xC3\xA6\xC3\xA6\xC3\xA6" + std::string(100, 'y');
    const std::string text = RenderConformanceText(doc);
    EXPECT_NE(text.find("x..."), std::string::npos) << xs;
    EXPECT_NO_THROW(json(text).dump()) << "not valid UTF-8 with " << xs;
  }
}

TEST(ConformanceReport, ADocumentWithKeysMissingStillRenders) {
  for (const json& doc :
       {json::object(), json::array(), json({{"rules", 7}}), json({{"rules", {json::object()}}})}) {
    EXPECT_NO_THROW(RenderConformanceHtml(doc)) << doc;
    EXPECT_NO_THROW(RenderConformanceJunit(doc)) << doc;
    EXPECT_NO_THROW(RenderConformanceText(doc)) << doc;
  }
  EXPECT_NE(RenderConformanceHtml(json::object()).find("NOT READY"), std::string::npos);
}

TEST(ConformanceReport, WritesTheThreeFilesAndNoTemporaries) {
  const std::string dir =
      std::string(ADDA_TEST_TMP) + "/conformance-report-" + std::to_string(::getpid());
  fs::remove_all(dir);
  const Status written = WriteConformanceReport(dir + "/a/b", Doc());
  ASSERT_TRUE(written.ok()) << written.message();
  std::set<std::string> names;
  for (const auto& e : fs::directory_iterator(dir + "/a/b"))
    names.insert(e.path().filename().string());
  EXPECT_EQ(names, (std::set<std::string>{"conformance.html", "conformance.json", "junit.xml"}));
  std::ifstream in(dir + "/a/b/conformance.json");
  EXPECT_EQ(json::parse(in), Doc());
  std::ofstream(dir + "/file") << "x";
  const Status refused = WriteConformanceReport(dir + "/file/sub", Doc());
  EXPECT_EQ(refused.code(), "report.write");
  EXPECT_NE(refused.message().find("file/sub"), std::string::npos) << refused.message();
  fs::remove_all(dir);
}

}  // namespace
}  // namespace adda::report
