// adda generate: the synthetic pilot population into a KOMBIT database.
#include <boost/program_options.hpp>

#include <cstdio>
#include <iostream>

#include "cli/commands.h"
#include "cli/terminal.h"
#include "sim/generator.h"

namespace adda::cli {
namespace po = boost::program_options;

namespace {

struct GenerateArgs {
  std::string pilots = "pilots/municipalities";
  double scale = 0.01;
  uint64_t seed = 2018;
  std::string out = "data/kombit.db";
  int municipality = 0;  // 0: all
  std::string today = "2018-12-11";
  bool json = false;
};

void PrintSummary(const sim::GenerateSummary& s, const std::string& out) {
  const auto total = s.Total();
  std::printf("adda generate: %s citizens in %zu municipalities -> %s (%.1f s, %s rows/s)\n\n",
              Thousands(total.citizens).c_str(), s.municipalities.size(), out.c_str(), s.seconds,
              Thousands(static_cast<int64_t>(static_cast<double>(s.rows) / std::max(s.seconds, 1e-9))).c_str());
  std::printf("%-5s %-16s %10s %10s %9s %9s %9s %9s %10s %8s\n", "code", "municipality", "target",
              "citizens", "minors", "w/parent", "cases", "open", "grants", "defects");
  auto row = [](const sim::MunicipalityTotals& m, const char* code) {
    int64_t defects = 0;
    for (const auto& [k, v] : m.defects) defects += v;
    std::printf("%-5s %-16s %10s %10s %9s %9s %9s %9s %10s %8s\n", code, m.name.c_str(),
                Thousands(m.target_population).c_str(), Thousands(m.citizens).c_str(),
                Thousands(m.minors).c_str(), Thousands(m.children_with_parent).c_str(),
                Thousands(m.cases).c_str(), Thousands(m.open_cases).c_str(),
                Thousands(m.grants).c_str(), Thousands(defects).c_str());
  };
  for (const auto& m : s.municipalities) row(m, std::to_string(m.code).c_str());
  row(total, "");
  std::printf("\npayments: %s   defects planted:", Thousands(total.payments).c_str());
  for (const auto& [k, v] : total.defects) std::printf(" %s=%s", k.c_str(), Thousands(v).c_str());
  std::printf("\ndigest: sha256:%s\n", s.digest.c_str());
}

nlohmann::json SummaryJson(const sim::GenerateSummary& s, const std::string& out, const GenerateArgs& a) {
  nlohmann::json j{{"out", out}, {"seed", a.seed}, {"scale", a.scale}, {"today", a.today},
                   {"rows", s.rows}, {"seconds", s.seconds}, {"digest", "sha256:" + s.digest}};
  for (const auto& m : s.municipalities) {
    j["municipalities"].push_back({{"code", m.code}, {"name", m.name}, {"target_population", m.target_population},
                                   {"citizens", m.citizens}, {"minors", m.minors},
                                   {"children_with_parent", m.children_with_parent}, {"cases", m.cases},
                                   {"open_cases", m.open_cases}, {"grants", m.grants}, {"payments", m.payments},
                                   {"defects", m.defects}, {"defect_eligible", m.defect_eligible}});
  }
  return j;
}

}  // namespace

int RunGenerate(const std::vector<std::string>& args) {
  GenerateArgs a;
  po::options_description opts("adda generate [options]\n\n"
                               "Generates a synthetic, deterministic population for the pilot municipalities\n"
                               "(citizens with households, cases, benefits, planted data defects) into a\n"
                               "KOMBIT database. Every CPR is a substitute number (day + 60).\n\noptions");
  opts.add_options()
      ("help,h", "show this help")
      ("pilots", po::value(&a.pilots)->default_value(a.pilots), "folder of municipality configs (*.json)")
      ("scale", po::value(&a.scale)->default_value(a.scale), "share of the real population, > 0 (1 = about 676,000 citizens)")
      ("seed", po::value(&a.seed)->default_value(a.seed), "random seed; same seed, same data")
      ("out", po::value(&a.out)->default_value(a.out), "database file to write (replaced atomically)")
      ("municipality", po::value(&a.municipality), "only this municipality code, e.g. 751")
      ("today", po::value(&a.today)->default_value(a.today), "simulated clock date (YYYY-MM-DD)")
      ("json", po::bool_switch(&a.json), "print the summary as JSON");
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args).options(opts).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    std::fprintf(stderr, "adda generate: %s (see adda generate --help)\n", e.what());
    return 2;
  }
  if (vm.count("help")) {
    std::cout << opts << "\n";
    return 0;
  }
  sim::GenerateOptions opt;
  opt.scale = a.scale;
  opt.seed = a.seed;
  if (a.municipality) opt.only_municipality = a.municipality;
  auto today = Date::Parse(a.today);
  if (!today) {
    std::fprintf(stderr, "adda generate: --today must be a date YYYY-MM-DD, not '%s'\n", a.today.c_str());
    return 2;
  }
  opt.today = *today;
  if (!(a.scale > 0) || a.scale > 10) {
    std::fprintf(stderr, "adda generate: --scale must be greater than 0 and at most 10 (got %g)\n", a.scale);
    return 2;
  }
  auto inputs = sim::LoadGeneratorInputs(a.pilots);
  if (!inputs.ok()) {
    std::fprintf(stderr, "adda generate: %s\n", inputs.status().message().c_str());
    return 1;
  }
  const auto* cancel = InstallInterruptFlag();
  ProgressLine progress("citizens");
  auto result = sim::GenerateDatabase(*inputs, opt, a.out,
                                      [&](int64_t d, int64_t t) { progress.Update(d, t); }, cancel);
  progress.Finish();
  if (!result.ok()) {
    std::fprintf(stderr, "adda generate: %s\n", result.status().message().c_str());
    return result.status().code() == "adda.generate.cancelled" ? 130 : 1;
  }
  if (a.json)
    std::printf("%s\n", SummaryJson(*result, a.out, a).dump(2).c_str());
  else
    PrintSummary(*result, a.out);
  return 0;
}

}  // namespace adda::cli
