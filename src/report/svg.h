// Small inline-SVG charts for report.html: horizontal grouped bars and a time line with
// shaded windows. Each chart is described as plain data and rendered to one
// <svg class="chart" role="img"> element whose first child is a <title>. Callers pass
// raw text; the renderers escape it. No scripts, no external references. Internal to
// src/report. Pure functions, thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace adda::report::svg {

struct Series {
  std::string name;   // shown in the legend when a chart has more than one series
  std::string color;  // any CSS colour, e.g. "#1f6feb"
};

// One row label per group, one bar per series in each group.
struct BarChart {
  struct Group {
    std::string label;
    std::vector<std::optional<double>> values;  // one per series; nullopt = no bar
    std::string note;                           // shown instead of bars when no value is present
  };
  std::string title;
  std::vector<Series> series;
  std::vector<Group> groups;
  int decimals = 1;                 // of the value printed after each bar
  std::string unit;                 // appended to that value, e.g. " ms"
  std::optional<double> axis_max;   // fixed end of the axis; else rounded up from the data
  std::optional<double> reference;  // a dashed line across the groups, e.g. SUS 68
  std::string reference_label;
};
std::string RenderBarChart(const BarChart& chart);

// Lines over time in seconds, with optional filled area and shaded windows.
struct LineChart {
  struct Line {
    Series series;
    std::vector<std::optional<double>> y;  // one per x; nullopt breaks the line
    bool fill = false;                     // shade the area under the line
  };
  struct Window {
    double start_s = 0;
    double end_s = 0;
    std::string label;
  };
  std::string title;
  std::vector<double> x;  // seconds from the start of the run, ascending
  double x_max = 0;       // end of the time axis
  std::vector<Line> lines;
  std::vector<Window> windows;
  int decimals = 0;  // of the y-axis tick labels
};
std::string RenderLineChart(const LineChart& chart);

}  // namespace adda::report::svg
