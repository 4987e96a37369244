// adda pilot: the main job. Generates the population if it is not cached for the
// scenario's seed, scale and clock, starts the KOMBIT mock and the mock borger.dk in
// this process on free ports, replays the scenario against them over HTTP, writes the
// report and exits non-zero when a threshold fails.
// adda run: the same scenario against services already running elsewhere.
#include <unistd.h>

#include <boost/program_options.hpp>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "borger/service.h"
#include "borger/sessions.h"
#include "cli/commands.h"
#include "cli/options.h"
#include "cli/terminal.h"
#include "kombit/credentials.h"
#include "kombit/service.h"
#include "net/client.h"
#include "net/secure_random.h"
#include "net/server.h"
#include "report/report.h"
#include "sim/generator.h"
#include "sim/plan.h"
#include "sim/runner.h"
#include "sim/scenario.h"
#include "sim/summary.h"
#include "store/kombit_store.h"
#include "store/sqlite.h"

namespace adda::cli {
namespace {

namespace po = boost::program_options;
namespace fs = std::filesystem;

struct ScenarioArgs {
  std::string scenario = "pilots/scenarios/baseline.json";
  std::string out = "reports";
  double scale = 0;        // 0: the scenario's
  int64_t seed = -1;       // -1: the scenario's
  double time_scale = 1;
  int workers = 2;
  std::string run_id;
  bool quiet = false;
};

void AddScenarioOptions(po::options_description& opts, ScenarioArgs& a) {
  opts.add_options()
      ("scenario", po::value(&a.scenario)->default_value(a.scenario), "scenario file (JSON, see docs/scenarios.md)")
      ("out", po::value(&a.out)->default_value(a.out), "folder the run's report folder is written under")
      ("scale", po::value(&a.scale), "override the scenario's scale (share of the real population)")
      ("seed", po::value(&a.seed), "override the scenario's seed")
      ("time-scale", po::value(&a.time_scale)->default_value(a.time_scale),
       "multiply think times (0 skips them, 0.1 compresses tenfold)")
      ("workers", po::value(&a.workers)->default_value(a.workers), "runner threads (about the core count)")
      ("run-id", po::value(&a.run_id), "name of the report folder (default: time, scenario and seed)")
      ("quiet", po::bool_switch(&a.quiet), "no progress line");
}

// Finds a scenario path relative to the working directory, else to the source tree.
std::string ResolvePath(const std::string& path) {
  if (fs::exists(path) || fs::path(path).is_absolute()) return path;
  const std::string in_source = std::string(ADDA_SOURCE_DIR) + "/" + path;
  return fs::exists(in_source) ? in_source : path;
}

// Loads the scenario and applies --scale/--seed to it, so the effective scenario (and its
// digest) says what actually ran.
bool LoadEffectiveScenario(const std::string& cmd, const ScenarioArgs& a, const po::variables_map& vm,
                           sim::Scenario* out, std::string* file) {
  *file = ResolvePath(a.scenario);
  auto s = sim::LoadScenario(*file);
  if (!s.ok()) {
    std::fprintf(stderr, "%s: the scenario is not valid:\n%s", cmd.c_str(),
                 sim::DescribeScenarioErrors(s.status(), *file).c_str());
    return false;
  }
  nlohmann::json j = s->source;
  if (vm.count("scale")) j["scale"] = a.scale;
  if (vm.count("seed")) j["seed"] = a.seed;
  auto effective = sim::ParseScenario(j, *file);
  if (!effective.ok()) {
    std::fprintf(stderr, "%s: with the overrides the scenario is not valid:\n%s", cmd.c_str(),
                 sim::DescribeScenarioErrors(effective.status(), *file).c_str());
    return false;
  }
  *out = std::move(*effective);
  return true;
}

std::string MakeRunId(const sim::Scenario& s) {
  char stamp[32];
  const std::time_t now = std::time(nullptr);
  std::strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", std::gmtime(&now));
  return std::string(stamp) + "-" + s.name + "-s" + std::to_string(s.seed);
}

std::string UniqueRunDir(const std::string& out, std::string* run_id) {
  std::string dir = out + "/" + *run_id;
  for (int i = 2; fs::exists(dir); ++i) dir = out + "/" + *run_id + "-" + std::to_string(i);
  *run_id = fs::path(dir).filename().string();
  return dir;
}

// The run's id and report folder, and the manifest fields every run has.
sim::Manifest NewManifest(const char* mode, const sim::Scenario& scenario, const std::string& file,
                          const ScenarioArgs& a, std::string* run_dir) {
  sim::Manifest m;
  m.run_id = a.run_id.empty() ? MakeRunId(scenario) : a.run_id;
  *run_dir = UniqueRunDir(a.out, &m.run_id);
  m.mode = mode;
  m.scenario_file = file;
  m.scenario_digest = sim::ScenarioDigest(scenario);
  m.time_scale = a.time_scale;
  return m;
}

// A progress line redrawn in place on a terminal; a plain line every 10 s otherwise.
std::function<void(const sim::Progress&)> ProgressPrinter(bool quiet) {
  if (quiet) return nullptr;
  const bool tty = ::isatty(STDERR_FILENO);
  auto last_plain = std::make_shared<double>(-10);
  auto since = std::make_shared<std::pair<double, uint64_t>>(0, 0);  // time and requests at the last line
  return [tty, last_plain, since](const sim::Progress& progress) {
    if (!tty && progress.elapsed_s - *last_plain < 10) return;
    // The rate since the last line drawn, so a line every 10 s shows those 10 s.
    sim::Progress p = progress;
    const double span = p.elapsed_s - since->first;
    if (span > 0) p.rps = (p.requests - since->second) / span;
    *since = {p.elapsed_s, p.requests};
    char line[256];
    const std::string of = p.duration_s > 0 ? "/" + std::to_string(static_cast<int>(p.duration_s)) + " s" : " s";
    const std::string planned = p.journeys_planned ? "/" + Thousands(static_cast<int64_t>(p.journeys_planned)) : "";
    std::snprintf(line, sizeof line, "%5.0f%s · journeys %s%s · %s in flight · %.0f req/s · errors %s%s%s",
                  p.elapsed_s, of.c_str(), Thousands(static_cast<int64_t>(p.journeys_done)).c_str(), planned.c_str(),
                  Thousands(static_cast<int64_t>(p.in_flight)).c_str(), p.rps,
                  Thousands(static_cast<int64_t>(p.errors)).c_str(), p.fault.empty() ? "" : " · fault: ",
                  p.fault.c_str());
    if (tty) {
      std::fprintf(stderr, "\r\033[K%s", line);
    } else {
      *last_plain = p.elapsed_s;
      std::fprintf(stderr, "%s\n", line);
    }
  };
}

std::map<int, std::string> PilotNames() {
  std::map<int, std::string> names;
  auto inputs = sim::LoadGeneratorInputs(ResolvePath("pilots/municipalities"));
  if (inputs.ok())
    for (const auto& m : inputs->municipalities) names[m.code] = m.name;
  return names;
}

// Runs the scenario, writes the report; the exit code: 0 pass, 1 fail, 130 interrupted.
int RunAndReport(const std::string& cmd, const sim::Scenario& scenario, sim::RunTargets targets, sim::Manifest manifest,
                 const ScenarioArgs& a, const std::string& run_dir, const ScenarioClock* services_clock = nullptr,
                 const std::function<void()>& stop_services = nullptr) {
  const auto* stop = InstallInterruptFlag();
  const Date today = scenario.clock_start.date();
  std::fprintf(stderr, "%s: listing test users of %zu municipalities from %s\n", cmd.c_str(),
               scenario.municipalities.size(), targets.borger.c_str());
  sim::Population population = sim::LoadPopulation(targets, scenario.municipalities, today);
  for (int m : scenario.municipalities)
    if (population.CountIn(m) == 0) {
      std::fprintf(stderr, "%s: municipality %d has no test users at %s\n", cmd.c_str(), m, targets.borger.c_str());
      return 1;
    }
  sim::Plan plan(scenario, population);
  sim::RunOptions ro;
  ro.time_scale = a.time_scale;
  ro.workers = a.workers;
  ro.run_id = manifest.run_id;
  ro.stop = stop;
  ro.progress = ProgressPrinter(a.quiet);
  ro.services_clock = services_clock;
  if (services_clock) manifest.clock_rate = services_clock->rate();
  std::fprintf(stderr, "%s: %s citizens; running '%s' (%s model) as run %s\n", cmd.c_str(),
               Thousands(static_cast<int64_t>(population.size())).c_str(), scenario.name.c_str(),
               scenario.load.kind == sim::LoadModel::Kind::kOpen ? "open" : "closed", manifest.run_id.c_str());
  auto result = sim::RunScenario(scenario, plan, population, targets, ro);
  // Services in this process stop before the summary, so the run's end in scenario time
  // is after the last thing they stored (a contribution forwarded late, say).
  if (stop_services) stop_services();
  if (services_clock) result.simulated_end = services_clock->NowIso();
  if (ro.progress && ::isatty(STDERR_FILENO)) std::fprintf(stderr, "\n");
  manifest.targets = targets;
  const auto summary = sim::BuildSummary(scenario, plan, population, result, manifest);
  if (const Status written = report::WriteRunReport(run_dir, summary, result.metrics.feedback_rows); !written.ok()) {
    std::fprintf(stderr, "%s: cannot write the report: %s\n", cmd.c_str(), written.message().c_str());
    return 1;
  }
  {
    std::ofstream sc(run_dir + "/scenario.json");
    sc << scenario.source.dump(2) << "\n";
  }
  const auto& t = summary["totals"];
  std::printf("%s: %s — %s journeys (%s ok), %s requests, %.1f req/s, p95 %s ms, errors %s\n", cmd.c_str(),
              summary["verdict"].get<std::string>().c_str(), Thousands(t["journeys"].get<int64_t>()).c_str(),
              Thousands(t["journeys_ok"].get<int64_t>()).c_str(), Thousands(t["requests"].get<int64_t>()).c_str(),
              t["throughput_rps"].get<double>(), t["latency"]["p95"].dump().c_str(),
              Thousands(t["errors"].get<int64_t>()).c_str());
  for (const auto& th : summary["thresholds"])
    std::printf("  %s %-28s %s %s %s (value %s)\n", th["pass"].get<bool>() ? "pass" : "FAIL",
                th["id"].get<std::string>().c_str(), th["metric"].get<std::string>().c_str(),
                th["op"].get<std::string>().c_str(), th["limit"].dump().c_str(), th["value"].dump().c_str());
  std::printf("report: %s/report.html\n", run_dir.c_str());
  if (!result.complete) return 130;
  return summary["verdict"] == "pass" ? 0 : 1;
}

// The services' clock rate in a pilot: scenario milliseconds per real millisecond.
double ClockRate(double time_scale) { return time_scale > 0 ? 1.0 / time_scale : 1.0; }

using net::RandomToken;

}  // namespace

int RunPilot(const std::vector<std::string>& args) {
  ScenarioArgs a;
  std::string data = "data", replay;
  bool keep = false;
  po::options_description opts(
      "adda pilot [options]\n\nGenerates the population if needed, starts both mock services in this process,\n"
      "runs the scenario against them and writes reports/<run-id>/. Exit code 1 when a threshold fails");
  AddScenarioOptions(opts, a);
  opts.add_options()("data", po::value(&data)->default_value(data), "folder for the cached population databases")
      ("replay", po::value(&replay), "run again exactly what the run in this report folder ran")
      ("keep-data", po::bool_switch(&keep), "keep the run's working databases (data/pilot/run-<id>/)")
      ("help", "this help");
  po::variables_map vm;
  if (const int code = ParseOptions("adda pilot", args, opts, &vm); code >= 0) return code;
  if (!replay.empty()) {
    // The replayed run's effective scenario and time scale; its seed and scale are in it.
    std::ifstream in(replay + "/summary.json");
    auto summary = nlohmann::json::parse(in, nullptr, false);
    if (!fs::exists(replay + "/scenario.json") || summary.is_discarded()) {
      std::fprintf(stderr, "adda pilot: --replay %s is not a run folder (scenario.json, summary.json)\n", replay.c_str());
      return 2;
    }
    a.scenario = replay + "/scenario.json";
    a.time_scale = summary["manifest"].value("time_scale", 1.0);
    vm.erase("scale");
    vm.erase("seed");
  }
  sim::Scenario scenario;
  std::string file;
  if (!LoadEffectiveScenario("adda pilot", a, vm, &scenario, &file)) return 2;
  if (a.workers < 1 || a.workers > 64 || a.time_scale < 0) {
    std::fprintf(stderr, "adda pilot: --workers must be 1..64 and --time-scale at least 0\n");
    return 2;
  }

  // The population, cached per seed, scale and clock.
  auto inputs = sim::LoadGeneratorInputs(ResolvePath("pilots/municipalities"));
  if (!inputs.ok()) {
    std::fprintf(stderr, "adda pilot: %s\n", inputs.status().message().c_str());
    return 1;
  }
  const Date today = scenario.clock_start.date();
  char key[128];
  std::snprintf(key, sizeof key, "population-s%llu-x%g-%s.db", static_cast<unsigned long long>(scenario.seed),
                scenario.scale, today.ToString().c_str());
  fs::create_directories(data + "/pilot");
  const std::string cached = data + "/pilot/" + key;
  if (!fs::exists(cached)) {
    sim::GenerateOptions gen;
    gen.scale = scenario.scale;
    gen.seed = scenario.seed;
    gen.today = today;
    ProgressLine progress("citizens");
    std::fprintf(stderr, "adda pilot: generating the population (scale %g, seed %llu) into %s\n", scenario.scale,
                 static_cast<unsigned long long>(scenario.seed), cached.c_str());
    auto g = sim::GenerateDatabase(*inputs, gen, cached, [&](int64_t d, int64_t t) { progress.Update(d, t); },
                                   InstallInterruptFlag());
    progress.Finish();
    if (!g.ok()) {
      std::fprintf(stderr, "adda pilot: %s\n", g.status().message().c_str());
      return g.status().code() == "generate.cancelled" ? 130 : 1;
    }
  }
  std::string run_dir;
  sim::Manifest manifest = NewManifest("pilot", scenario, file, a, &run_dir);
  const std::string work = data + "/pilot/run-" + manifest.run_id;
  fs::create_directories(work);
  fs::copy_file(cached, work + "/kombit.db", fs::copy_options::overwrite_existing);
  for (const auto& m : inputs->municipalities) manifest.municipality_names[m.code] = m.name;
  {
    store::Db db(work + "/kombit.db", store::OpenMode::kReadOnly);
    store::KombitStore s(db);
    if (auto d = s.GetMeta("digest")) manifest.data_digest = "sha256:" + *d;
  }

  int code = 1;
  try {
    // Both services run on the scenario's clock: from clock.start, at 1 / time scale (a
    // think time written as 30 s passes 30 scenario seconds however short the run makes
    // it), so every stamp the run stores is scenario time. The manifest keeps wall time.
    const ScenarioClock clock(scenario.clock_start, ClockRate(a.time_scale));
    kombit::Credentials creds;
    creds.system = RandomToken("sys-");
    creds.admin = RandomToken("adm-");
    for (const auto& m : inputs->municipalities) creds.municipalities[m.code] = RandomToken("mun-");
    kombit::KombitOptions ko;
    ko.db_path = work + "/kombit.db";
    ko.credentials = creds;
    ko.today = today;
    ko.clock = &clock;
    auto kombit = std::make_unique<kombit::KombitService>(ko);
    double peak = 0;
    for (const auto& st : scenario.load.stages) peak = std::max(peak, st.target);
    const int borger_threads = static_cast<int>(std::clamp(peak + 16, 32.0, 512.0));
    auto kserver = std::make_unique<net::Server>(*kombit, net::ServerOptions{"127.0.0.1", 0, 64});
    kserver->Start();

    borger::BorgerOptions bo;
    bo.db_path = work + "/borger.db";
    bo.kombit.kombit = kserver->url();
    bo.kombit.token = creds.system;
    bo.session_secret = net::RandomHex(32);
    bo.admin_token = RandomToken("adm-");
    bo.today = today;
    bo.municipality_tokens = creds.municipalities;
    bo.clock = &clock;
    auto borger = std::make_unique<borger::BorgerService>(bo);
    auto bserver = std::make_unique<net::Server>(*borger, net::ServerOptions{"127.0.0.1", 0, borger_threads});
    bserver->Start();

    sim::RunTargets targets{bserver->url(), kserver->url(), bo.admin_token, creds.admin};
    std::fprintf(stderr, "adda pilot: KOMBIT mock on %s, borger.dk mock on %s\n", kserver->url().c_str(),
                 bserver->url().c_str());
    auto stop = [&] {
      // borger.dk first, and its pooled connections to KOMBIT with it, so KOMBIT's threads
      // are not left waiting out their keep-alive time.
      if (bserver) bserver->Stop();
      bserver.reset();
      borger.reset();
      if (kserver) kserver->Stop();
      kserver.reset();
      kombit.reset();
    };
    code = RunAndReport("adda pilot", scenario, targets, manifest, a, run_dir, &clock, stop);
    stop();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "adda pilot: %s\n", e.what());
    code = 1;
  }
  if (!keep) {
    std::error_code ec;
    fs::remove_all(work, ec);
  }
  return code;
}

int RunRun(const std::vector<std::string>& args) {
  ScenarioArgs a;
  sim::RunTargets targets;
  std::string borger_creds = "data/borger.db.credentials.json", kombit_creds = "data/kombit.db.credentials.json";
  po::options_description opts(
      "adda run --borger URL [--kombit URL] [options]\n\nRuns a scenario against services already running elsewhere "
      "and writes reports/<run-id>/.\nExit code 1 when a threshold fails");
  AddScenarioOptions(opts, a);
  opts.add_options()("borger", po::value(&targets.borger), "the borger.dk mock, e.g. http://127.0.0.1:8180")
      ("kombit", po::value(&targets.kombit), "the KOMBIT mock (for fault windows), e.g. http://127.0.0.1:8181")
      ("borger-admin", po::value(&targets.borger_admin), "borger.dk's admin key (default: from --borger-credentials)")
      ("kombit-admin", po::value(&targets.kombit_admin), "KOMBIT's admin key (default: from --kombit-credentials)")
      ("borger-credentials", po::value(&borger_creds)->default_value(borger_creds), "borger.dk's credentials file")
      ("kombit-credentials", po::value(&kombit_creds)->default_value(kombit_creds), "KOMBIT's credentials file")
      ("help", "this help");
  po::variables_map vm;
  if (const int code = ParseOptions("adda run", args, opts, &vm); code >= 0) return code;
  if (targets.borger.empty()) {
    std::fprintf(stderr, "adda run: --borger URL is required\n");
    return 2;
  }
  sim::Scenario scenario;
  std::string file;
  if (!LoadEffectiveScenario("adda run", a, vm, &scenario, &file)) return 2;
  auto admin_from = [](const std::string& path) -> std::string {
    std::ifstream in(path);
    auto j = nlohmann::json::parse(in, nullptr, false);
    return j.is_object() && j.contains("admin") && j["admin"].is_string() ? j["admin"].get<std::string>() : "";
  };
  if (targets.borger_admin.empty()) targets.borger_admin = admin_from(borger_creds);
  if (targets.kombit_admin.empty()) targets.kombit_admin = admin_from(kombit_creds);
  if (targets.borger_admin.empty()) {
    std::fprintf(stderr, "adda run: give --borger-admin (or a readable --borger-credentials file)\n");
    return 2;
  }
  if (!scenario.faults.empty() && (targets.kombit.empty() || targets.kombit_admin.empty())) {
    std::fprintf(stderr, "adda run: the scenario has fault windows: give --kombit and its admin key\n");
    return 2;
  }
  std::string run_dir;
  sim::Manifest manifest = NewManifest("run", scenario, file, a, &run_dir);
  manifest.municipality_names = PilotNames();
  try {
    if (!targets.kombit.empty()) {
      net::Client k(targets.kombit);
      auto h = k.Get("/health");
      if (h.status == 200) manifest.data_digest = h.Json().value("data_digest", "");
    }
    return RunAndReport("adda run", scenario, targets, manifest, a, run_dir);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "adda run: %s\n", e.what());
    return 1;
  }
}

}  // namespace adda::cli
