// report.html: the report content as one self-contained page.
#include "report/content.h"
#include "report/format.h"
#include "report/report.h"

namespace adda::report {
namespace {

constexpr char kStyle[] = R"css(
.banner.incomplete,.banner.unknown{background:#fff8c5;color:#7d4e00;border:2px solid #bf8700}
tr.fail td:last-child{color:#a40e26;font-weight:600}
tr.pass td:last-child{color:#116329}
tr.suppressed td{color:#57606a;font-style:italic}
details{margin:8px 0 16px}
summary{cursor:pointer;color:#0969da}
@media print{nav{display:none}details{display:none}}
)css";

std::string HtmlTable(const Table& t) {
  if (t.rows.empty()) return "<p class=\"empty\">" + EscapeHtml(t.empty_text) + "</p>\n";
  auto cls = [&](size_t col) {
    return col < t.align.size() && t.align[col] == 'r' ? " class=\"n\"" : "";
  };
  std::string out = "<div class=\"scroll\"><table>\n<thead><tr>";
  for (size_t i = 0; i < t.head.size(); ++i)
    out += std::string("<th") + cls(i) + ">" + EscapeHtml(t.head[i]) + "</th>";
  out += "</tr></thead>\n<tbody>\n";
  for (const auto& row : t.rows) {
    out += row.mark.empty() ? "<tr>" : "<tr class=\"" + row.mark + "\">";
    if (row.mark == "suppressed") {
      out += "<td>" + EscapeHtml(row.cells.at(0)) + "</td><td colspan=\"" +
             std::to_string(t.head.size() > 1 ? t.head.size() - 1 : 1) + "\">" +
             EscapeHtml(row.cells.at(1)) + "</td>";
    } else {
      for (size_t i = 0; i < row.cells.size(); ++i)
        out += std::string("<td") + cls(i) + ">" + EscapeHtml(row.cells[i]) + "</td>";
    }
    out += "</tr>\n";
  }
  out += "</tbody>\n</table></div>\n";
  if (t.details)
    out = "<details><summary>The numbers behind the charts</summary>\n" + out + "</details>\n";
  return out;
}

std::string HtmlBlock(const Block& b) {
  switch (b.kind) {
    case Block::Kind::kText:
      return "<p>" + EscapeHtml(b.text) + "</p>\n";
    case Block::Kind::kSubheading:
      return "<h3>" + EscapeHtml(b.text) + "</h3>\n";
    case Block::Kind::kChart:
      return b.text;  // built by svg.cc, which escapes its text
    case Block::Kind::kTable:
      return HtmlTable(b.table);
    case Block::Kind::kFigures: {
      std::string out = "<dl class=\"figures\">\n";
      for (const auto& [label, value] : b.figures)
        out += "<div><dt>" + EscapeHtml(label) + "</dt><dd>" + EscapeHtml(value) + "</dd></div>\n";
      return out + "</dl>\n";
    }
  }
  return "";
}

}  // namespace

std::string RenderHtml(const nlohmann::json& summary) {
  const ReportContent c = BuildContent(summary);
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>" +
      EscapeHtml(c.title + " \xE2\x80\x94 " + c.verdict_word) + "</title>\n<style>" + BaseStyle() + kStyle +
      "</style>\n</head>\n<body>\n<header>\n<h1>" + EscapeHtml(c.title) +
      "</h1>\n<p class=\"subtitle\">" + EscapeHtml(c.subtitle) + "</p>\n<nav>";
  for (const auto& s : c.sections)
    out += "<a href=\"#" + s.id + "\">" + EscapeHtml(s.title) + "</a> ";
  out += "</nav>\n</header>\n<main>\n";
  for (const auto& s : c.sections) {
    out += "<section id=\"" + s.id + "\">\n<h2>" + EscapeHtml(s.title) + "</h2>\n";
    if (s.id == "verdict")
      out += "<div class=\"banner " + c.verdict_class + "\"><strong>" + EscapeHtml(c.verdict_word) +
             "</strong><span>" + EscapeHtml(c.verdict_sentence) + "</span></div>\n";
    for (const auto& b : s.blocks) out += HtmlBlock(b);
    out += "</section>\n";
  }
  out += "</main>\n<footer><p>" + EscapeHtml(c.footer) + "</p></footer>\n</body>\n</html>\n";
  return out;
}

}  // namespace adda::report
