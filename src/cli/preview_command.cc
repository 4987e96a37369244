// adda preview: what borger.dk would show a municipality's citizens before go-live. For
// one CPR (--cpr) or a sample of the citizens the municipality's pushed cases name as
// primary party, asks borger.dk's municipal preview (GET /v1/preview/{cpr}, the
// municipality's own key) and prints each citizen's items as they would see them, with
// the items that would confuse a citizen flagged. Every read lands in the citizen's
// access log as the municipality's, with purpose "municipal pre-go-live preview".
// Writes preview.json when --out is given. Exit 0 when every preview was answered.
#include <boost/program_options.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "cli/commands.h"
#include "cli/options.h"
#include "cli/credentials_file.h"
#include "sim/citizen_preview.h"
#include "sim/conform_reader.h"

namespace adda::cli {
namespace {

namespace po = boost::program_options;

struct PreviewArgs {
  int municipality = 0;
  std::string borger, kombit, out, token;
  std::string credentials = "data/kombit.db.credentials.json";
  std::vector<std::string> cprs;
  int sample = 5;
};

int Usage(const std::string& message) {
  std::fprintf(stderr, "adda preview: %s\n", message.c_str());
  return 2;
}

Result<std::vector<std::string>> Sample(const PreviewArgs& a) {
  sim::ConformReaderOptions o;
  o.kombit = a.kombit;
  o.municipality = a.municipality;
  o.token = a.token;
  auto read = sim::ReadMunicipality(o);
  if (!read.ok()) return read.status();
  return sim::SampleCitizens(read->data, a.sample);
}

void Print(const nlohmann::json& p) {
  std::printf("\n%s: %d item(s), %d that would confuse a citizen%s\n", sim::MaskCpr(p["subject"].get<std::string>()).c_str(),
              p["counts"]["items"].get<int>(), p["counts"]["flagged"].get<int>(), p.value("stale", false) ? " (stale)" : "");
  for (const auto& i : p["items"]) {
    const std::string title = i.value("title", i.contains("benefits") && !i["benefits"].empty()
                                                   ? i["benefits"][0].value("name", "") : std::string());
    const std::string status = i.contains("status") && i["status"].is_object() ? i["status"].value("label", "") : "";
    std::string flags;
    for (const auto& f : i["would_confuse"]) flags += (flags.empty() ? "  ! " : ", ") + f.get<std::string>();
    std::printf("  %-6s %-55.55s %-34.34s%s\n", i.value("kind", "").c_str(), title.c_str(), status.c_str(), flags.c_str());
  }
}

}  // namespace

int RunPreview(const std::vector<std::string>& args) {
  PreviewArgs a;
  po::options_description opts(
      "adda preview --municipality CODE --borger URL (--cpr CPR... | --kombit URL [--sample N]) [options]\n\n"
      "What borger.dk would show the municipality's citizens, with confusing items flagged;\n"
      "each read is written to the citizen's access log (purpose: municipal pre-go-live preview)");
  opts.add_options()("municipality", po::value(&a.municipality), "the municipality's code, e.g. 751")
      ("borger", po::value(&a.borger), "the borger.dk mock, e.g. http://127.0.0.1:8180")
      ("cpr", po::value(&a.cprs)->multitoken(), "preview these citizens")
      ("kombit", po::value(&a.kombit), "sample citizens from what the municipality pushed to this KOMBIT mock")
      ("sample", po::value(&a.sample)->default_value(a.sample), "how many citizens to sample")
      ("credentials", po::value(&a.credentials)->default_value(a.credentials),
       "the KOMBIT mock's credentials file; its municipalities[CODE] is the key")
      ("token", po::value(&a.token), "the municipality's key (instead of --credentials)")
      ("out", po::value(&a.out), "write preview.json into this folder")
      ("help", "this help");
  po::variables_map vm;
  if (const int code = ParseOptions("adda preview", args, opts, &vm); code >= 0) return code;
  if (a.municipality < 100 || a.municipality > 999) return Usage("--municipality CODE is required (three digits)");
  if (a.borger.empty()) return Usage("--borger URL is required");
  if (a.cprs.empty() && a.kombit.empty()) return Usage("give --cpr CPR, or --kombit URL to sample citizens");
  if (a.token.empty()) {
    auto token = MunicipalityTokenFrom(a.credentials, a.municipality);
    if (!token.ok()) return Usage(token.status().message());
    a.token = *token;
  }
  if (a.cprs.empty()) {
    auto sampled = Sample(a);
    if (!sampled.ok()) {
      std::fprintf(stderr, "adda preview: %s\n", sampled.status().message().c_str());
      return 1;
    }
    a.cprs = std::move(*sampled);
    if (a.cprs.empty()) {
      std::fprintf(stderr, "adda preview: municipality %d has pushed no cases to preview\n", a.municipality);
      return 1;
    }
  }
  nlohmann::json all = nlohmann::json::array();
  size_t failed = 0;
  try {
    std::printf("adda preview %d: %zu citizen(s) as borger.dk would show them (purpose: municipal pre-go-live preview)\n",
                a.municipality, a.cprs.size());
    const auto result = sim::FetchPreviews(a.borger, a.token, a.cprs);
    for (const auto& p : result.citizens) {
      Print(p);
      all.push_back(p);
    }
    for (const auto& f : result.failures) std::printf("\n%s\n", f.c_str());
    failed = result.failures.size();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "adda preview: %s\n", e.what());
    return 1;
  }
  if (!a.out.empty()) {
    std::filesystem::create_directories(a.out);
    std::ofstream(a.out + "/preview.json") << nlohmann::json{{"municipality", a.municipality}, {"citizens", all}}.dump(2) << "\n";
    std::printf("\nwritten: %s/preview.json\n", a.out.c_str());
  }
  return failed == 0 ? 0 : 1;
}

}  // namespace adda::cli
