// report.html: the report content as one self-contained page.
#include "report/content.h"
#include "report/format.h"
#include "report/report.h"

namespace adda::report {
namespace {

constexpr char kStyle[] = R"css(
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:#24292f;background:#fff;margin:0;line-height:1.45}
header,main,footer{max-width:1040px;margin:0 auto;padding:0 20px}
h1{font-size:1.6em;margin:24px 0 4px}
h2{font-size:1.3em;border-bottom:1px solid #d8dee4;padding-bottom:4px;margin-top:40px}
h3{font-size:1.05em;margin-top:24px}
.subtitle{color:#57606a;margin-top:0}
nav{font-size:.92em}
nav a{margin-right:14px;color:#0969da}
.banner{border-radius:8px;padding:14px 20px;margin:12px 0 20px;display:flex;gap:18px;align-items:baseline;flex-wrap:wrap}
.banner strong{font-size:2.2em;letter-spacing:.04em}
.banner span{font-size:1.1em}
.banner.pass{background:#dafbe1;color:#116329;border:2px solid #2da44e}
.banner.fail{background:#ffebe9;color:#a40e26;border:2px solid #cf222e}
.banner.incomplete,.banner.unknown{background:#fff8c5;color:#7d4e00;border:2px solid #bf8700}
.figures{display:grid;grid-template-columns:repeat(auto-fill,minmax(220px,1fr));gap:10px;margin:0 0 16px;padding:0}
.figures div{border:1px solid #d8dee4;border-radius:6px;padding:8px 12px}
.figures dt{font-size:.85em;color:#57606a}
.figures dd{margin:2px 0 0;font-size:1.15em;font-weight:600}
.scroll{overflow-x:auto}
table{border-collapse:collapse;margin:8px 0 16px;font-size:.92em}
th,td{border-bottom:1px solid #d8dee4;padding:4px 10px;text-align:left;vertical-align:top}
th{background:#f6f8fa}
.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
tr.fail td{background:#ffebe9}
tr.fail td:last-child{color:#a40e26;font-weight:600}
tr.pass td:last-child{color:#116329}
tr.suppressed td{color:#57606a;font-style:italic}
svg.chart{display:block;max-width:100%;height:auto;margin:8px 0 20px}
.empty{color:#57606a;font-style:italic}
details{margin:8px 0 16px}
summary{cursor:pointer;color:#0969da}
footer{color:#57606a;font-size:.85em;margin:40px auto 24px}
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
      EscapeHtml(c.title + " \xE2\x80\x94 " + c.verdict_word) + "</title>\n<style>" + kStyle +
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
