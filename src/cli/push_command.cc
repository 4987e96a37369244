// adda push: the reference municipal client. Reads a newline-delimited JSON file of
// cases and grants and pushes it, record by record, through a running KOMBIT mock's
// integration API (the work is in sim/pusher.h; this file parses options and prints).
#include <boost/program_options.hpp>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/options.h"
#include "cli/credentials_file.h"
#include "cli/terminal.h"
#include "sim/pusher.h"

namespace adda::cli {
namespace po = boost::program_options;

namespace {

struct PushArgs {
  int municipality = 0;
  std::string kombit;  // http://host:port
  std::string from;    // the NDJSON file
  std::string credentials = "data/kombit.db.credentials.json";
  std::string token;  // wins over --credentials
  std::string key_prefix = "push:";
  int max_attempts = 5;
  bool json = false;
};

int Usage(const std::string& message) {
  std::fprintf(stderr, "adda push: %s\n", message.c_str());
  return 2;
}

// The municipality's token from a KOMBIT credentials file, or "" (after saying why).
std::string TokenFromCredentials(const PushArgs& a) {
  auto token = MunicipalityTokenFrom(a.credentials, a.municipality);
  if (!token.ok()) {
    Usage(token.status().message());
    return "";
  }
  return *token;
}

std::string Rules(const std::vector<Violation>& v) {
  std::string out;
  for (const auto& x : v) {
    out += (out.empty() ? "" : "; ") + x.rule;
    if (!x.field.empty()) out += " at " + x.field;
    if (!x.message.empty()) out += ": " + x.message;
  }
  return out;
}

void PrintText(const sim::PushSummary& s, const PushArgs& a) {
  std::printf(
      "adda push %s -> %s (%d): %s records: %s accepted, %s replayed, %s rejected, %s retries",
      a.from.c_str(), a.kombit.c_str(), a.municipality, Thousands(s.records).c_str(),
      Thousands(s.accepted).c_str(), Thousands(s.replayed).c_str(), Thousands(s.rejected).c_str(),
      Thousands(s.retries).c_str());
  if (s.failed) std::printf(", %s failed", Thousands(s.failed).c_str());
  if (s.not_sent) std::printf(", %s not sent", Thousands(s.not_sent).c_str());
  std::printf("\n");
  for (const auto& [rule, n] : s.warnings_by_rule)
    std::printf("  warning %-24s %s\n", rule.c_str(), Thousands(n).c_str());
  for (const auto& [rule, n] : s.rejected_by_rule)
    std::printf("  rejected %-23s %s\n", rule.c_str(), Thousands(n).c_str());
  for (const auto& r : s.first_rejections)
    std::printf("  line %lld %s %s: rejected (%d) %s\n", static_cast<long long>(r.line),
                r.kind.c_str(), r.id.c_str(), r.status, Rules(r.errors).c_str());
  for (const auto& r : s.first_warnings)
    std::printf("  line %lld %s %s: accepted with %s\n", static_cast<long long>(r.line),
                r.kind.c_str(), r.id.c_str(), Rules(r.warnings).c_str());
  for (const auto& r : s.failures)
    std::printf("  line %lld %s %s: failed after %d attempts: %s\n", static_cast<long long>(r.line),
                r.kind.c_str(), r.id.c_str(), r.attempts, r.message.c_str());
  if (s.stopped_early)
    std::printf("  stopped early: %s records not sent\n", Thousands(s.not_sent).c_str());
}

}  // namespace

int RunPush(const std::vector<std::string>& args) {
  PushArgs a;
  // One option per line reads as the command's manual.
  // clang-format off
  po::options_description opts(
      "adda push --municipality CODE --kombit URL --from FILE [options]\n\n"
      "The reference municipal client: pushes a newline-delimited JSON file, one\n"
      "{\"kind\": \"case\"|\"grant\", \"record\": {...}, \"key\": optional} per line, one record\n"
      "at a time through the KOMBIT mock's integration API (PUT .../cases/{id}, PUT\n"
      ".../grants/{id}), with an Idempotency-Key per record and retries with backoff.\n"
      "Exit 0 when every record was accepted, 1 when any was rejected or could not be\n"
      "delivered, 2 for bad usage. See docs/conformance.md.\n\noptions");
  opts.add_options()
      ("help,h", "show this help")
      ("municipality", po::value(&a.municipality), "the municipality code to push as, e.g. 751")
      ("kombit", po::value(&a.kombit), "the KOMBIT mock, http://HOST:PORT")
      ("from", po::value(&a.from), "the NDJSON file to push")
      ("credentials", po::value(&a.credentials)->default_value(a.credentials),
       "the KOMBIT mock's credentials file; its municipalities[CODE] is the token")
      ("token", po::value(&a.token), "the municipality's bearer token (instead of --credentials)")
      ("key-prefix", po::value(&a.key_prefix)->default_value(a.key_prefix),
       "Idempotency-Key of a line without its own \"key\": PREFIX + sha256 of the line")
      ("max-attempts", po::value(&a.max_attempts)->default_value(a.max_attempts),
       "attempts per record on transport errors, 408, 429 and 5xx (1-20)")
      ("json", po::bool_switch(&a.json), "print the summary as JSON");
  // clang-format on
  po::variables_map vm;
  if (const int code = ParseOptions("adda push", args, opts, &vm); code >= 0) return code;
  if (a.municipality < 100 || a.municipality > 999)
    return Usage("--municipality must be a three-digit code, e.g. 751");
  if (a.kombit.empty())
    return Usage("--kombit URL is required (the KOMBIT mock, http://HOST:PORT)");
  if (a.from.empty()) return Usage("--from FILE is required");
  if (a.max_attempts < 1 || a.max_attempts > 20) return Usage("--max-attempts must be 1-20");
  std::ifstream in(a.from);
  if (!in) return Usage("cannot read --from " + a.from);
  auto records = sim::ParsePushFile(in, a.key_prefix);
  if (!records.ok()) return Usage(a.from + ": " + records.status().message());
  if (a.token.empty()) a.token = TokenFromCredentials(a);
  if (a.token.empty()) return 2;

  sim::PusherOptions opt;
  opt.kombit = a.kombit;
  opt.municipality = a.municipality;
  opt.token = a.token;
  opt.max_attempts = a.max_attempts;
  std::unique_ptr<sim::Pusher> pusher;
  try {
    pusher = std::make_unique<sim::Pusher>(opt);
  } catch (const std::invalid_argument& e) {
    return Usage(std::string("--kombit: ") + e.what());
  }
  const auto* cancel = InstallInterruptFlag();
  ProgressLine progress("records");
  const auto summary = pusher->PushAll(
      *records, [&](int64_t d, int64_t t) { progress.Update(d, t); }, cancel);
  progress.Finish();
  if (a.json) {
    nlohmann::json out = summary;
    out["municipality"] = a.municipality;
    out["kombit"] = a.kombit;
    out["from"] = a.from;
    std::printf("%s\n", out.dump(2).c_str());
  } else {
    PrintText(summary, a);
  }
  if (cancel->load()) return 130;
  return summary.AllAccepted() ? 0 : 1;
}

}  // namespace adda::cli
