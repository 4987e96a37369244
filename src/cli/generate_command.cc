// adda generate: the synthetic pilot population into a KOMBIT database.
#include <boost/program_options.hpp>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/options.h"
#include "cli/terminal.h"
#include "net/client.h"
#include "sim/bulk_pusher.h"
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
  bool citizens_only = false;
  std::string via;          // http://host:port of a running KOMBIT mock
  std::string credentials;  // its credentials file (municipality tokens)
};

// Pushes the generated cases and grants through the integration API of a running KOMBIT
// mock, so they pass the same validation a municipality's system meets.
int GenerateVia(const sim::GeneratorInputs& inputs, const sim::GenerateOptions& opt, const GenerateArgs& a) {
  std::ifstream in(a.credentials);
  auto j = nlohmann::json::parse(in, nullptr, false);
  if (!in.is_open() || j.is_discarded() || !j.contains("municipalities") || !j["municipalities"].is_object()) {
    std::fprintf(stderr, "adda generate: --credentials %s is not a KOMBIT credentials file\n", a.credentials.c_str());
    return 1;
  }
  sim::PushOptions po;
  po.kombit = a.via;
  po.key_prefix = "gen-" + std::to_string(a.seed);
  for (const auto& [code, token] : j["municipalities"].items())
    if (token.is_string()) po.tokens[std::atoi(code.c_str())] = token.get<std::string>();
  try {
    std::string host;
    int port = 0;
    net::ParseBaseUrl(a.via, &host, &port);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "adda generate: --via %s\n", e.what());
    return 2;
  }
  sim::BulkPusher pusher(po);
  sim::PushSink sink(pusher);
  const auto* cancel = InstallInterruptFlag();
  ProgressLine progress("citizens");
  try {
    auto result = sim::GeneratePopulation(inputs, opt, sink, [&](int64_t d, int64_t t) { progress.Update(d, t); }, cancel);
    pusher.Flush();
    progress.Finish();
    if (!result.ok()) {
      std::fprintf(stderr, "adda generate: %s\n", result.status().message().c_str());
      return result.status().code() == "generate.cancelled" ? 130 : 1;
    }
    const auto& t = pusher.totals();
    nlohmann::json out{{"via", a.via},        {"lines", t.lines},       {"accepted", t.accepted},
                       {"replayed", t.replayed}, {"rejected", t.rejected}, {"retries", t.retries},
                       {"batches", t.batches},  {"rejected_by_rule", t.rules}, {"warnings_by_rule", t.warnings},
                       {"digest", "sha256:" + result->digest}};
    if (a.json) {
      out["first_rejections"] = t.first_rejections;
      std::printf("%s\n", out.dump(2).c_str());
    } else {
      std::printf("adda generate --via %s: %s records in %lld batches: %s accepted, %s replayed, %s rejected, %lld retries\n",
                  a.via.c_str(), Thousands(t.lines).c_str(), static_cast<long long>(t.batches),
                  Thousands(t.accepted).c_str(), Thousands(t.replayed).c_str(), Thousands(t.rejected).c_str(),
                  static_cast<long long>(t.retries));
      for (const auto& [rule, n] : t.warnings) std::printf("  warning %-24s %s\n", rule.c_str(), Thousands(n).c_str());
      for (const auto& [rule, n] : t.rules) std::printf("  rejected %-23s %s\n", rule.c_str(), Thousands(n).c_str());
      std::printf("digest: sha256:%s\n", result->digest.c_str());
    }
    return t.rejected == 0 ? 0 : 1;
  } catch (const std::exception& e) {
    progress.Finish();
    std::fprintf(stderr, "adda generate: %s\n", e.what());
    return 1;
  }
}

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
      ("scale", po::value(&a.scale)->default_value(a.scale), "share of the real population, > 0 and at most 10 (1 = about 676,000 citizens)")
      ("seed", po::value(&a.seed)->default_value(a.seed), "random seed; same seed, same data")
      ("out", po::value(&a.out)->default_value(a.out), "database file to write (replaced atomically)")
      ("municipality", po::value(&a.municipality), "only this municipality code, e.g. 751")
      ("today", po::value(&a.today)->default_value(a.today), "simulated clock date (YYYY-MM-DD)")
      ("json", po::bool_switch(&a.json), "print the summary as JSON")
      ("citizens-only", po::bool_switch(&a.citizens_only),
       "write only municipalities and citizens; push cases and grants later with --via")
      ("via", po::value(&a.via), "push cases and grants through a running KOMBIT mock's integration API "
                                 "(http://HOST:PORT) instead of writing a database")
      ("credentials", po::value(&a.credentials), "with --via: the KOMBIT mock's credentials file");
  po::variables_map vm;
  if (const int code = ParseOptions("adda generate", args, opts, &vm); code >= 0) return code;
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
  opt.citizens_only = a.citizens_only;
  if (!a.via.empty() && a.credentials.empty()) {
    std::fprintf(stderr, "adda generate: --via needs --credentials FILE (the KOMBIT mock's credentials file)\n");
    return 2;
  }
  // Run from elsewhere than the repository root, the default folder is the source tree's.
  if (a.pilots == "pilots/municipalities" && !std::filesystem::exists(a.pilots))
    a.pilots = std::string(ADDA_SOURCE_DIR) + "/pilots/municipalities";
  auto inputs = sim::LoadGeneratorInputs(a.pilots);
  if (!inputs.ok()) {
    std::fprintf(stderr, "adda generate: %s\n", inputs.status().message().c_str());
    return 1;
  }
  if (!a.via.empty()) return GenerateVia(*inputs, opt, a);
  const auto* cancel = InstallInterruptFlag();
  ProgressLine progress("citizens");
  auto result = sim::GenerateDatabase(*inputs, opt, a.out,
                                      [&](int64_t d, int64_t t) { progress.Update(d, t); }, cancel);
  progress.Finish();
  if (!result.ok()) {
    std::fprintf(stderr, "adda generate: %s\n", result.status().message().c_str());
    return result.status().code() == "generate.cancelled" ? 130 : 1;
  }
  if (a.json)
    std::printf("%s\n", SummaryJson(*result, a.out, a).dump(2).c_str());
  else
    PrintSummary(*result, a.out);
  return 0;
}

}  // namespace adda::cli
