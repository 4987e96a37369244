// adda report compare RUN_A RUN_B: run B against baseline run A — per step latency,
// errors, success, throughput, SUS and each threshold — with regressions flagged.
// Prints a table, writes compare-<A>.md and compare-<A>.json into B's folder, and exits
// 1 when something regressed.
#include <boost/program_options.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "cli/commands.h"
#include "cli/options.h"
#include "report/compare.h"

namespace adda::cli {
namespace {

namespace po = boost::program_options;
namespace fs = std::filesystem;

bool ReadSummary(const std::string& run, nlohmann::json* out) {
  const std::string path = fs::is_directory(run) ? run + "/summary.json" : run;
  std::ifstream in(path);
  if (!in) {
    std::fprintf(stderr, "adda report compare: %s cannot be read\n", path.c_str());
    return false;
  }
  *out = nlohmann::json::parse(in, nullptr, false);
  if (out->is_discarded() || !out->is_object() || out->value("schema", "") != "adda-run-summary/1") {
    std::fprintf(stderr, "adda report compare: %s is not a run summary (adda-run-summary/1)\n", path.c_str());
    return false;
  }
  return true;
}

}  // namespace

int RunReport(const std::vector<std::string>& args) {
  double tolerance = 0.10;
  std::vector<std::string> runs;
  po::options_description opts(
      "adda report compare RUN_A RUN_B [options]\n\nCompares run B against baseline run A (report folders or "
      "summary.json files).\nExit code 1 when B regressed");
  opts.add_options()("tolerance", po::value(&tolerance)->default_value(tolerance),
                     "relative worsening tolerated before a change counts as a regression")
      ("help", "this help");
  po::options_description hidden;
  hidden.add_options()("runs", po::value(&runs));
  po::positional_options_description pos;
  pos.add("runs", -1);
  po::variables_map vm;
  if (const int code = ParseOptions("adda report", args, opts, &vm, &hidden, &pos); code >= 0) return code;
  if (runs.size() != 3 || runs[0] != "compare" || tolerance < 0) {
    std::fprintf(stderr, "usage: adda report compare RUN_A RUN_B [--tolerance 0.10]\n");
    return 2;
  }
  nlohmann::json a, b;
  if (!ReadSummary(runs[1], &a) || !ReadSummary(runs[2], &b)) return 1;
  const auto cmp = report::Compare(a, b, tolerance);
  std::printf("%s", report::RenderComparisonText(cmp).c_str());
  if (fs::is_directory(runs[2])) {
    const std::string base = runs[2] + "/compare-" + a.value("run_id", "baseline");
    std::ofstream(base + ".md") << report::RenderComparisonMarkdown(cmp);
    std::ofstream(base + ".json") << cmp.dump(2) << "\n";
    std::printf("written: %s.md, %s.json\n", base.c_str(), base.c_str());
  }
  return cmp.value("regressions", 0) > 0 ? 1 : 0;
}

}  // namespace adda::cli
