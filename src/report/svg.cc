#include "report/svg.h"

#include <algorithm>
#include <cmath>

#include "report/format.h"

namespace adda::report::svg {
namespace {

constexpr double kWidth = 720;
constexpr char kGrid[] = "#d8dee4";
constexpr char kInk[] = "#24292f";
constexpr char kMuted[] = "#57606a";
// A white outline behind a label, so it stays readable over grid and reference lines.
constexpr char kHalo[] = "paint-order=\"stroke\" stroke=\"#fff\" stroke-width=\"3\"";

// Coordinates with one decimal: enough for a screen, short to read.
std::string N(double v) { return FormatNumber(v, 1); }

// A round step so that about `ticks` steps cover `max`: 1, 2, 2.5 or 5 times a power of ten.
double NiceStep(double max, int ticks) {
  if (!(max > 0)) return 1;
  const double raw = max / ticks;
  const double power = std::pow(10.0, std::floor(std::log10(raw)));
  for (double f : {1.0, 2.0, 2.5, 5.0, 10.0})
    if (f * power >= raw) return f * power;
  return 10 * power;
}

// Labels longer than `max_chars` code points are cut with an ellipsis.
std::string Shorten(const std::string& s, size_t max_chars) {
  size_t chars = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) continue;  // UTF-8 continuation
    if (chars++ == max_chars - 1) return s.substr(0, i) + "\xE2\x80\xA6";
  }
  return s;
}

std::string Open(double height, const std::string& title) {
  return "<svg class=\"chart\" role=\"img\" viewBox=\"0 0 " + N(kWidth) + " " + N(height) +
         "\" width=\"" + N(kWidth) + "\" height=\"" + N(height) + "\"><title>" + EscapeHtml(title) +
         "</title>\n";
}

std::string TextAt(double x, double y, const std::string& text, const std::string& attrs = "") {
  return "<text x=\"" + N(x) + "\" y=\"" + N(y) + "\"" + (attrs.empty() ? "" : " " + attrs) + ">" +
         EscapeHtml(text) + "</text>\n";
}

std::string LineAt(double x1, double y1, double x2, double y2, const std::string& attrs) {
  return "<line x1=\"" + N(x1) + "\" y1=\"" + N(y1) + "\" x2=\"" + N(x2) + "\" y2=\"" + N(y2) +
         "\" " + attrs + "/>\n";
}

std::string Rect(double x, double y, double w, double h, const std::string& attrs,
                 const std::string& tooltip = "") {
  std::string out = "<rect x=\"" + N(x) + "\" y=\"" + N(y) + "\" width=\"" + N(w) + "\" height=\"" +
                    N(h) + "\" " + attrs;
  if (tooltip.empty()) return out + "/>\n";
  return out + "><title>" + EscapeHtml(tooltip) + "</title></rect>\n";
}

// A row of colour swatches and names starting at (x, y).
std::string Legend(const std::vector<Series>& series, double x, double y) {
  std::string out;
  for (const auto& s : series) {
    out += Rect(x, y - 9, 10, 10, "fill=\"" + EscapeHtml(s.color) + "\"");
    out += TextAt(x + 14, y, s.name, "font-size=\"11\" fill=\"" + std::string(kInk) + "\"");
    x += 14 + 6.5 * static_cast<double>(s.name.size()) + 16;
  }
  return out;
}

}  // namespace

std::string RenderBarChart(const BarChart& chart) {
  constexpr double kLabelWidth = 180, kValueWidth = 90, kBar = 14, kBarGap = 3, kGroupGap = 10;
  const double plot_x = kLabelWidth, plot_w = kWidth - kLabelWidth - kValueWidth;
  const size_t bars = std::max<size_t>(1, chart.series.size());
  const double group_h = bars * kBar + (bars - 1) * kBarGap;
  const double legend_h = chart.series.size() > 1 ? 20 : 0;
  const double top = legend_h + (chart.reference ? 24 : 6);
  const double bottom = top + chart.groups.size() * (group_h + kGroupGap);
  const double height = bottom + 22;

  double data_max = chart.reference.value_or(0);
  for (const auto& g : chart.groups)
    for (const auto& v : g.values)
      if (v) data_max = std::max(data_max, *v);
  double axis_max = chart.axis_max.value_or(0);
  double step = NiceStep(axis_max > 0 ? axis_max : data_max, 5);
  if (axis_max <= 0) axis_max = step * std::max(1.0, std::ceil(data_max / step));
  auto sx = [&](double v) { return plot_x + std::clamp(v / axis_max, 0.0, 1.0) * plot_w; };

  std::string out = Open(height, chart.title);
  if (legend_h > 0) out += Legend(chart.series, plot_x, 12);
  for (double t = 0; t <= axis_max + step / 1000; t += step) {
    out += LineAt(sx(t), top - 4, sx(t), bottom - kGroupGap + 4,
                  "stroke=\"" + std::string(kGrid) + "\"");
    out += TextAt(sx(t), bottom + 10, FormatNumber(t, 2),
                  "font-size=\"10\" text-anchor=\"middle\" fill=\"" + std::string(kMuted) + "\"");
  }
  double y = top;
  for (const auto& g : chart.groups) {
    out += TextAt(plot_x - 8, y + group_h / 2 + 4, Shorten(g.label, 28),
                  "font-size=\"12\" text-anchor=\"end\" fill=\"" + std::string(kInk) + "\"");
    bool any = false;
    for (size_t i = 0; i < g.values.size() && i < bars; ++i) {
      if (!g.values[i]) continue;
      any = true;
      const double by = y + i * (kBar + kBarGap);
      const double v = *g.values[i];
      const std::string value = FormatFixed(v, chart.decimals) + chart.unit;
      const std::string name = i < chart.series.size() ? chart.series[i].name : "";
      const std::string color = i < chart.series.size() ? chart.series[i].color : "#1f6feb";
      out += Rect(plot_x, by, std::max(sx(v) - plot_x, v > 0 ? 1.0 : 0.0), kBar,
                  "fill=\"" + EscapeHtml(color) + "\"", (name.empty() ? "" : name + ": ") + value);
      out += TextAt(sx(v) + 4, by + kBar - 3, value,
                    std::string(kHalo) + " font-size=\"10\" fill=\"" + kInk + "\"");
    }
    if (!any && !g.note.empty())
      out += TextAt(plot_x + 4, y + group_h / 2 + 4, g.note,
                    "font-size=\"11\" font-style=\"italic\" fill=\"" + std::string(kMuted) + "\"");
    y += group_h + kGroupGap;
  }
  if (chart.reference) {
    const double rx = sx(*chart.reference);
    out += LineAt(rx, top - 6, rx, bottom - kGroupGap + 4,
                  "stroke=\"#cf222e\" stroke-width=\"1.5\" stroke-dasharray=\"5 3\"");
    out += TextAt(rx, top - 8, chart.reference_label,
                  "font-size=\"11\" text-anchor=\"middle\" fill=\"#cf222e\"");
  }
  out += "</svg>\n";
  return out;
}

std::string RenderLineChart(const LineChart& chart) {
  constexpr double kLeft = 56, kRight = 16, kTop = 30, kBottom = 30, kHeight = 200;
  const double plot_w = kWidth - kLeft - kRight, plot_h = kHeight - kTop - kBottom;
  const double base = kTop + plot_h;

  double y_max = 0;
  for (const auto& l : chart.lines)
    for (const auto& v : l.y)
      if (v) y_max = std::max(y_max, *v);
  const double y_step = NiceStep(y_max > 0 ? y_max : 1, 4);
  const double y_top = y_step * std::max(1.0, std::ceil(y_max / y_step));
  const double x_max = chart.x_max > 0 ? chart.x_max : 1;
  auto sx = [&](double x) { return kLeft + std::clamp(x / x_max, 0.0, 1.0) * plot_w; };
  auto sy = [&](double y) { return base - std::clamp(y / y_top, 0.0, 1.0) * plot_h; };

  std::string out = Open(kHeight, chart.title);
  std::vector<Series> legend;
  for (const auto& l : chart.lines) legend.push_back(l.series);
  out += Legend(legend, kLeft, 14);

  for (const auto& w : chart.windows) {
    const double x0 = sx(w.start_s), x1 = sx(std::max(w.start_s, w.end_s));
    out += Rect(
        x0, kTop, std::max(x1 - x0, 1.0), plot_h, "fill=\"#f59e0b\" fill-opacity=\"0.18\"",
        w.label + " (" + FormatNumber(w.start_s) + "\xE2\x80\x93" + FormatNumber(w.end_s) + " s)");
    // Above the band; anchored at its right end when the band is near the right edge.
    const bool right = x0 > kLeft + plot_w * 0.75;
    out += TextAt(
        right ? x1 - 2 : x0 + 2, kTop - 4, w.label,
        std::string("font-size=\"11\" fill=\"#9a3412\"") + (right ? " text-anchor=\"end\"" : ""));
  }
  for (double t = 0; t <= y_top + y_step / 1000; t += y_step) {
    out += LineAt(kLeft, sy(t), kLeft + plot_w, sy(t), "stroke=\"" + std::string(kGrid) + "\"");
    out += TextAt(kLeft - 6, sy(t) + 4, FormatFixed(t, chart.decimals),
                  "font-size=\"10\" text-anchor=\"end\" fill=\"" + std::string(kMuted) + "\"");
  }
  const bool minutes = x_max > 600;
  const double x_step = NiceStep(minutes ? x_max / 60 : x_max, 6) * (minutes ? 60 : 1);
  for (double t = 0; t <= x_max + x_step / 1000; t += x_step)
    out += TextAt(sx(t), base + 16,
                  minutes ? FormatNumber(t / 60, 1) + " min" : FormatNumber(t, 1) + " s",
                  "font-size=\"10\" text-anchor=\"middle\" fill=\"" + std::string(kMuted) + "\"");
  out += LineAt(kLeft, base, kLeft + plot_w, base, "stroke=\"" + std::string(kMuted) + "\"");

  for (const auto& l : chart.lines) {
    const std::string color = EscapeHtml(l.series.color);
    // Split into runs of consecutive measured points; null breaks the line.
    std::vector<std::vector<std::pair<double, double>>> runs(1);
    for (size_t i = 0; i < chart.x.size() && i < l.y.size(); ++i) {
      if (l.y[i]) {
        runs.back().emplace_back(sx(chart.x[i]), sy(*l.y[i]));
      } else if (!runs.back().empty()) {
        runs.emplace_back();
      }
    }
    for (const auto& run : runs) {
      if (run.empty()) continue;
      if (run.size() == 1) {
        out += "<circle cx=\"" + N(run[0].first) + "\" cy=\"" + N(run[0].second) +
               "\" r=\"2.5\" fill=\"" + color + "\"/>\n";
        continue;
      }
      std::string points;
      for (const auto& [px, py] : run)
        points += (points.empty() ? "M" : " L") + N(px) + "," + N(py);
      if (l.fill)
        out += "<path d=\"M" + N(run.front().first) + "," + N(base) + " L" + points.substr(1) +
               " L" + N(run.back().first) + "," + N(base) + " Z\" fill=\"" + color +
               "\" fill-opacity=\"0.2\"/>\n";
      out += "<path d=\"" + points + "\" fill=\"none\" stroke=\"" + color +
             "\" stroke-width=\"2\"/>\n";
    }
  }
  out += "</svg>\n";
  return out;
}

}  // namespace adda::report::svg
