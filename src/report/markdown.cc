// report.md: the report content as Markdown tables; charts are left out, their numbers
// are in the tables.
#include "report/content.h"
#include "report/format.h"
#include "report/report.h"

namespace adda::report {
namespace {

std::string MarkdownTable(const Table& t) {
  if (t.rows.empty()) return "_" + EscapeMarkdown(t.empty_text) + "_\n\n";
  std::string out;
  if (t.details) out += "The numbers behind the charts:\n\n";
  out += "|";
  for (const auto& h : t.head) out += " " + EscapeMarkdown(h) + " |";
  out += "\n|";
  for (size_t i = 0; i < t.head.size(); ++i)
    out += i < t.align.size() && t.align[i] == 'r' ? " ---: |" : " --- |";
  out += "\n";
  for (const auto& row : t.rows) {
    out += "|";
    for (size_t i = 0; i < t.head.size(); ++i) {
      const std::string cell = i < row.cells.size() ? EscapeMarkdown(row.cells[i]) : "";
      out += cell.empty() ? " |" : " " + cell + " |";
    }
    out += "\n";
  }
  return out + "\n";
}

std::string MarkdownBlock(const Block& b) {
  switch (b.kind) {
    case Block::Kind::kText:
      return EscapeMarkdown(b.text) + "\n\n";
    case Block::Kind::kSubheading:
      return "### " + EscapeMarkdown(b.text) + "\n\n";
    case Block::Kind::kChart:
      return "";
    case Block::Kind::kTable:
      return MarkdownTable(b.table);
    case Block::Kind::kFigures: {
      Table t;
      t.head = {"Figure", "Value"};
      t.align = "lr";
      for (const auto& [label, value] : b.figures) t.rows.push_back({{label, value}, ""});
      return MarkdownTable(t);
    }
  }
  return "";
}

}  // namespace

std::string RenderMarkdown(const nlohmann::json& summary) {
  const ReportContent c = BuildContent(summary);
  std::string out = "# " + EscapeMarkdown(c.title) + "\n\n" + EscapeMarkdown(c.subtitle) + "\n\n";
  for (const auto& s : c.sections) {
    out += "## " + EscapeMarkdown(s.title) + "\n\n";
    if (s.id == "verdict")
      out += "**" + EscapeMarkdown(c.verdict_word) + "** \xE2\x80\x94 " +
             EscapeMarkdown(c.verdict_sentence) + "\n\n";
    for (const auto& b : s.blocks) out += MarkdownBlock(b);
  }
  out += "---\n\n_" + EscapeMarkdown(c.footer) + "_\n";
  return out;
}

}  // namespace adda::report
