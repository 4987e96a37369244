// adda conform: a municipality's conformance report. Reads back over HTTP, with the
// municipality's own key, everything it pushed to a running KOMBIT mock and its
// integration log (sim/conform_reader.h), evaluates the rule catalogue
// (core/conformance.h) and writes conformance.html, conformance.json and junit.xml
// (report/conformance_report.h). This file parses options and prints.
#include <boost/program_options.hpp>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/options.h"
#include "cli/credentials_file.h"
#include "core/conformance.h"
#include "report/conformance_report.h"
#include "sim/citizen_preview.h"
#include "sim/conform_reader.h"

namespace adda::cli {
namespace po = boost::program_options;

namespace {

struct ConformArgs {
  int municipality = 0;
  std::string kombit;  // http://host:port
  std::string out;     // default reports/conformance-<CODE>-<time>
  std::string credentials = "data/kombit.db.credentials.json";
  std::string token;  // wins over --credentials
  std::string today;  // default: the KOMBIT mock's
  std::string borger;  // when given, the report includes the citizen preview
  int preview = 5;     // citizens to preview
};

int Usage(const std::string& message) {
  std::fprintf(stderr, "adda conform: %s\n", message.c_str());
  return 2;
}

// The municipality's token from a KOMBIT credentials file, or "" (after saying why).
std::string TokenFromCredentials(const ConformArgs& a) {
  auto token = MunicipalityTokenFrom(a.credentials, a.municipality);
  if (!token.ok()) {
    Usage(token.status().message());
    return "";
  }
  return *token;
}

std::string UtcStamp(const char* format) {
  char stamp[32];
  const std::time_t now = std::time(nullptr);
  std::strftime(stamp, sizeof stamp, format, std::gmtime(&now));
  return stamp;
}

// reports/conformance-<CODE>-<time>, with -2, -3… when it exists already.
std::string DefaultOutDir(int municipality) {
  const std::string base =
      "reports/conformance-" + std::to_string(municipality) + "-" + UtcStamp("%Y%m%dT%H%M%SZ");
  std::string dir = base;
  for (int i = 2; std::filesystem::exists(dir); ++i) dir = base + "-" + std::to_string(i);
  return dir;
}

// Parses the command line into `a`. Returns -1 to go on, else the exit code.
int Parse(const std::vector<std::string>& args, ConformArgs& a) {
  // One option per line reads as the command's manual.
  // clang-format off
  po::options_description opts(
      "adda conform --municipality CODE --kombit URL [options]\n\n"
      "A municipality's conformance report: reads back, with the municipality's own key,\n"
      "every case and grant it pushed to the KOMBIT mock and its integration log, checks\n"
      "them against the rule catalogue (docs/conformance.md) and writes conformance.html,\n"
      "conformance.json and junit.xml. Exit 0 when no blocker rule fails (READY), 1 when\n"
      "one does (NOT READY) or KOMBIT could not be read, 2 for bad usage.\n\noptions");
  opts.add_options()
      ("help,h", "show this help")
      ("municipality", po::value(&a.municipality), "the municipality code, e.g. 751")
      ("kombit", po::value(&a.kombit), "the KOMBIT mock, http://HOST:PORT")
      ("out", po::value(&a.out), "the report folder (default reports/conformance-CODE-TIME)")
      ("credentials", po::value(&a.credentials)->default_value(a.credentials),
       "the KOMBIT mock's credentials file; its municipalities[CODE] is the token")
      ("token", po::value(&a.token), "the municipality's bearer token (instead of --credentials)")
      ("today", po::value(&a.today), "the simulated clock, YYYY-MM-DD (default: the KOMBIT mock's)")
      ("borger", po::value(&a.borger), "the borger.dk mock: include what a sample of citizens would see")
      ("preview", po::value(&a.preview)->default_value(a.preview), "citizens to preview (with --borger)");
  // clang-format on
  po::variables_map vm;
  if (const int code = ParseOptions("adda conform", args, opts, &vm); code >= 0) return code;
  if (a.municipality < 100 || a.municipality > 999)
    return Usage("--municipality must be a three-digit code, e.g. 751");
  if (a.kombit.empty())
    return Usage("--kombit URL is required (the KOMBIT mock, http://HOST:PORT)");
  if (!a.today.empty() && !Date::Parse(a.today)) return Usage("--today must be a date, YYYY-MM-DD");
  return -1;
}

}  // namespace

int RunConform(const std::vector<std::string>& args) {
  ConformArgs a;
  if (const int code = Parse(args, a); code >= 0) return code;
  if (a.token.empty()) a.token = TokenFromCredentials(a);
  if (a.token.empty()) return 2;

  sim::ConformReaderOptions ro;
  ro.kombit = a.kombit;
  ro.municipality = a.municipality;
  ro.token = a.token;
  auto read = sim::ReadMunicipality(ro);
  if (!read.ok()) {
    const std::string& code = read.status().code();
    if (code == "conform.bad_url") return Usage("--kombit: " + read.status().message());
    std::fprintf(stderr, "adda conform: %s\n", read.status().message().c_str());
    return code == "conform.refused" ? 2 : 1;
  }
  const Date today = a.today.empty() ? read->today : *Date::Parse(a.today);
  auto ctx = conformance::EmbeddedContext(a.municipality, today);
  if (!ctx.ok()) {
    std::fprintf(stderr, "adda conform: %s\n", ctx.status().ToString().c_str());
    return 1;
  }
  const conformance::Report report = conformance::Evaluate(read->data, *ctx);
  nlohmann::json doc = report;
  doc["kombit"] = a.kombit;
  doc["generated"] = UtcStamp("%Y-%m-%dT%H:%M:%SZ");
  if (!a.borger.empty()) {
    try {
      auto previews = sim::FetchPreviews(a.borger, a.token, sim::SampleCitizens(read->data, a.preview));
      nlohmann::json citizens = nlohmann::json::array();
      for (auto& c : previews.citizens) {
        c["subject"] = sim::MaskCpr(c.value("subject", ""));
        citizens.push_back(std::move(c));
      }
      doc["preview"] = {{"borger", a.borger}, {"citizens", citizens}, {"failures", previews.failures}};
    } catch (const std::exception& e) {
      std::fprintf(stderr, "adda conform: the citizen preview failed: %s\n", e.what());
      return 1;
    }
  }
  const std::string dir = a.out.empty() ? DefaultOutDir(a.municipality) : a.out;
  if (const Status written = report::WriteConformanceReport(dir, doc); !written.ok()) {
    std::fprintf(stderr, "adda conform: %s\n", written.message().c_str());
    return 1;
  }
  std::printf("%s", report::RenderConformanceText(doc).c_str());
  if (doc.contains("preview")) {
    std::printf("\ncitizen preview (each read is in the citizen's access log):\n");
    for (const auto& c : doc["preview"]["citizens"])
      std::printf("  %s: %d item(s), %d that would confuse a citizen\n", c["subject"].get<std::string>().c_str(),
                  c["counts"]["items"].get<int>(), c["counts"]["flagged"].get<int>());
  }
  std::printf("\nreport: %s/conformance.html\n", dir.c_str());
  return report.ready() ? 0 : 1;
}

}  // namespace adda::cli
