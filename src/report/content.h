// The content of a run report, independent of its format: sections of prose, key
// figures, tables and charts, built once from summary.json and then written out as HTML
// (report.html) or Markdown (report.md). Building the content once is what keeps the two
// files saying the same thing. All text is raw (unescaped); the writers escape it.
// Charts are ready <svg> elements that only the HTML writer uses; the Markdown writer
// relies on the tables, which carry the same numbers. Internal to src/report. Pure,
// thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

namespace adda::report {

struct Table {
  struct Row {
    std::vector<std::string> cells;
    // "" | "pass" | "fail" | "suppressed". A suppressed row has two cells: the cohort's
    // name and kSuppressedText, which spans the remaining columns.
    std::string mark;
  };
  std::vector<std::string> head;
  std::string align;  // one letter per column: 'l' left, 'r' right (numbers)
  std::vector<Row> rows;
  std::string empty_text = "Nothing recorded in this run.";
  bool details = false;  // the numbers behind a chart: folded away in HTML
};

struct Block {
  enum class Kind { kText, kSubheading, kFigures, kTable, kChart };
  Kind kind = Kind::kText;
  std::string text;  // kText, kSubheading; kChart: an <svg> element, already escaped
  std::vector<std::pair<std::string, std::string>> figures;  // kFigures: label, value
  Table table;                                               // kTable
};

struct Section {
  std::string id;  // the HTML id: verdict, steps, timeline, ...
  std::string title;
  std::vector<Block> blocks;
};

struct ReportContent {
  std::string title;
  std::string subtitle;
  std::string verdict_class;  // "pass" | "fail" | "incomplete" | "unknown"
  std::string verdict_word;   // "PASS", ...
  std::string verdict_sentence;
  std::vector<Section> sections;
  std::string footer;
};

ReportContent BuildContent(const nlohmann::json& summary);

}  // namespace adda::report
