// adda serve kombit|borger: run one mock service until Ctrl-C / SIGTERM.
#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <thread>

#include <boost/program_options.hpp>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/options.h"
#include "cli/terminal.h"
#include "borger/service.h"
#include "kombit/service.h"
#include "net/server.h"
#include "store/kombit_store.h"
#include "store/sqlite.h"

namespace po = boost::program_options;

namespace adda::cli {
namespace {

struct ServeArgs {
  std::string db = "data/kombit.db";
  std::string host = "127.0.0.1";
  int port = 8181;
  int threads = 64;
  std::string credentials;  // default: DB + ".credentials.json"
  std::string today;
  std::string log = "-";    // "-" stderr, "" off, else a file
  std::string clock_start;  // "": the wall clock
};

constexpr const char* kClockStartHelp =
    "run on a clock starting at this ISO time (e.g. 2018-12-11T08:00:00Z) and advancing in real time; "
    "every stamp and expiry reads it (default: the wall clock)";

// --clock-start: a clock from that instant, or the system clock when not given. False
// (after saying why) when the time does not parse.
bool ServiceClock(const std::string& spec, const char* who, std::unique_ptr<ScenarioClock>* own,
                  const Clock** clock) {
  *clock = &SystemClock();
  if (spec.empty()) return true;
  auto t = Timestamp::Parse(spec);
  if (!t) {
    std::fprintf(stderr, "adda serve %s: --clock-start must be an ISO time such as 2018-12-11T08:00:00Z\n", who);
    return false;
  }
  *own = std::make_unique<ScenarioClock>(*t);
  *clock = own->get();
  return true;
}

// The --log option: "-" is stderr, "" none, anything else a file appended to. False
// (after saying why) when the file cannot be opened.
bool OpenLog(const std::string& spec, const char* who, std::ofstream* file, std::ostream** out) {
  *out = nullptr;
  if (spec == "-") {
    *out = &std::cerr;
  } else if (!spec.empty()) {
    // A request log names citizens' requests: created for its owner only.
    const int fd = ::open(spec.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (fd >= 0) ::close(fd);
    file->open(spec, std::ios::app);
    if (!*file) {
      std::fprintf(stderr, "adda serve %s: cannot open log %s\n", who, spec.c_str());
      return false;
    }
    *out = file;
  }
  return true;
}

// Blocks until SIGINT/SIGTERM.
void WaitForInterrupt() {
  const auto* flag = InstallInterruptFlag();
  while (!flag->load()) std::this_thread::sleep_for(std::chrono::milliseconds(100));
}

constexpr const char* kCheckAnswersHelp =
    "hold every answer to /openapi.json (status, content type, schema) and count what does not "
    "match (adda_contract_violations_total in /metrics, each logged as contract.violation); costs a validation per answer";

int ServeKombit(const std::vector<std::string>& args) {
  ServeArgs a;
  po::options_description opts(
      "adda serve kombit [options]\n\n"
      "Serves the mock KOMBIT case and benefit indexes and the municipal integration API\n"
      "over a database from `adda generate`. Credentials (bearer tokens: system, admin,\n"
      "one per municipality) are created on first start beside the database and printed\n"
      "once. See docs/kombit.md.\n\noptions");
  opts.add_options()
      ("help,h", "show this help")
      ("db", po::value(&a.db)->default_value(a.db), "KOMBIT database (from adda generate)")
      ("host", po::value(&a.host)->default_value(a.host), "address to listen on")
      ("port", po::value(&a.port)->default_value(a.port), "port; 0 picks a free one")
      ("threads", po::value(&a.threads)->default_value(a.threads), "connections served at once")
      ("credentials", po::value(&a.credentials), "credentials file (default: DB.credentials.json)")
      ("today", po::value(&a.today), "simulated clock date YYYY-MM-DD (default: the database's)")
      ("clock-start", po::value(&a.clock_start), kClockStartHelp)
      ("log", po::value(&a.log)->default_value(a.log), "request log (JSON lines): '-' stderr, a file, or '' for none")
      ("changes-keep", po::value<int64_t>()->default_value(1'000'000),
       "the change feed keeps the newest this many changes (0: all)")
      ("check-answers", kCheckAnswersHelp)
      ("openapi", "print the service's OpenAPI 3 document and exit");
  po::variables_map vm;
  if (const int code = ParseOptions("adda serve kombit", args, opts, &vm); code >= 0) return code;
  if (a.port < 0 || a.port > 65535 || a.threads < 1 || a.threads > 1024) {
    std::fprintf(stderr, "adda serve kombit: --port must be 0-65535 and --threads 1-1024\n");
    return 2;
  }
  if (!std::filesystem::exists(a.db)) {
    std::fprintf(stderr, "adda serve kombit: %s does not exist; create it with `adda generate --out %s`\n",
                 a.db.c_str(), a.db.c_str());
    return 1;
  }
  kombit::KombitOptions opt;
  opt.db_path = a.db;
  opt.changes_keep = vm["changes-keep"].as<int64_t>();
  opt.check_answers = vm.count("check-answers") > 0;
  if (opt.changes_keep < 0) {
    std::fprintf(stderr, "adda serve kombit: --changes-keep must be 0 or more\n");
    return 2;
  }
  if (!a.today.empty()) {
    auto d = Date::Parse(a.today);
    if (!d) {
      std::fprintf(stderr, "adda serve kombit: --today must be YYYY-MM-DD\n");
      return 2;
    }
    opt.today = *d;
  }
  std::unique_ptr<ScenarioClock> clock;
  if (!ServiceClock(a.clock_start, "kombit", &clock, &opt.clock)) return 2;
  std::ofstream log_file;
  if (!OpenLog(a.log, "kombit", &log_file, &opt.log)) return 1;
  try {
    std::vector<int> codes;
    {
      store::Db db(a.db, store::OpenMode::kReadOnly);
      store::KombitStore s(db);
      for (const auto& m : s.Municipalities()) codes.push_back(m.code);
    }
    const std::string cred_path = a.credentials.empty() ? a.db + ".credentials.json" : a.credentials;
    bool created = false;
    auto creds = kombit::LoadOrCreateCredentials(cred_path, codes, &created);
    if (!creds.ok()) {
      std::fprintf(stderr, "adda serve kombit: %s\n", creds.status().message().c_str());
      return 1;
    }
    opt.credentials = *creds;
    if (vm.count("openapi")) opt.log = nullptr;
    kombit::KombitService service(opt);
    if (vm.count("openapi")) {
      std::printf("%s\n", service.OpenApi().dump(2).c_str());
      return 0;
    }
    net::Server server(service, {a.host, a.port, a.threads});
    server.Start();
    std::printf("adda serve kombit: listening on %s (db %s, today %s)\n", server.url().c_str(), a.db.c_str(),
                service.today().ToString().c_str());
    if (created) {
      std::printf("credentials created in %s (shown once; read the file later):\n", cred_path.c_str());
      std::printf("  system (borger.dk): %s\n  admin:              %s\n", creds->system.c_str(), creds->admin.c_str());
      for (const auto& [code, t] : creds->municipalities) std::printf("  municipality %d:   %s\n", code, t.c_str());
    } else {
      std::printf("credentials: %s\n", cred_path.c_str());
    }
    std::fflush(stdout);
    WaitForInterrupt();
    std::printf("adda serve kombit: stopping\n");
    server.Stop();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "adda serve kombit: %s\n", e.what());
    return 1;
  }
  return 0;
}

int ServeBorger(const std::vector<std::string>& args) {
  std::string db = "data/borger.db", host = "127.0.0.1", kombit = "http://127.0.0.1:8181", kombit_credentials,
              log = "-", today, kombit_changes = "on", clock_start;
  int port = 8180, threads = 64, session_minutes = 30, kombit_timeout_ms = 1500, kombit_breaker_ms = 5000;
  po::options_description opts(
      "adda serve borger [options]\n\n"
      "Serves the mock borger.dk: mock NemID/MitID login, a citizen's cases and benefits\n"
      "explained in plain Danish, contributions, shares, powers of attorney, export, the\n"
      "access log and feedback. Case data comes from the KOMBIT mock over HTTP with its\n"
      "system key. See docs/borger.md.\n\noptions");
  opts.add_options()
      ("help,h", "show this help")
      ("db", po::value(&db)->default_value(db), "borger database (created when missing)")
      ("kombit", po::value(&kombit)->default_value(kombit), "the KOMBIT mock's URL")
      ("kombit-credentials", po::value(&kombit_credentials),
       "the KOMBIT mock's credentials file, for its system key (default: data/kombit.db.credentials.json)")
      ("kombit-timeout-ms", po::value(&kombit_timeout_ms)->default_value(kombit_timeout_ms), "timeout per KOMBIT request")
      ("kombit-breaker-ms", po::value(&kombit_breaker_ms)->default_value(kombit_breaker_ms),
       "how long KOMBIT is left alone after five failures in a row, before one trial request")
      ("kombit-changes", po::value(&kombit_changes)->default_value(kombit_changes),
       "on: follow KOMBIT's change feed and show an overview again without asking KOMBIT while "
       "nothing of the citizen's changed; off: every overview asks KOMBIT")
      ("host", po::value(&host)->default_value(host), "address to listen on")
      ("port", po::value(&port)->default_value(port), "port; 0 picks a free one")
      ("threads", po::value(&threads)->default_value(threads), "connections served at once")
      ("session-minutes", po::value(&session_minutes)->default_value(session_minutes), "session lifetime")
      ("today", po::value(&today), "simulated clock date YYYY-MM-DD (default: KOMBIT's)")
      ("clock-start", po::value(&clock_start), kClockStartHelp)
      ("log", po::value(&log)->default_value(log), "request log (JSON lines): '-' stderr, a file, or '' for none")
      ("check-answers", kCheckAnswersHelp)
      ("secure-cookies", "the pages' cookies carry Secure: for borger.dk served over https (a TLS-terminating proxy)")
      ("openapi", "print the service's OpenAPI 3 document and exit");
  po::variables_map vm;
  if (const int code = ParseOptions("adda serve borger", args, opts, &vm); code >= 0) return code;
  if (port < 0 || port > 65535 || threads < 1 || threads > 1024 || session_minutes < 1 || kombit_timeout_ms < 10 ||
      kombit_breaker_ms < 10 || (kombit_changes != "on" && kombit_changes != "off")) {
    std::fprintf(stderr,
                 "adda serve borger: bad --port, --threads, --session-minutes, --kombit-timeout-ms, "
                 "--kombit-breaker-ms or --kombit-changes (on|off)\n");
    return 2;
  }
  borger::BorgerOptions opt;
  opt.db_path = db;
  opt.session_minutes = session_minutes;
  opt.kombit.kombit = kombit;
  opt.kombit.timeout = std::chrono::milliseconds(kombit_timeout_ms);
  opt.kombit.breaker_open = std::chrono::milliseconds(kombit_breaker_ms);
  opt.follow_changes = kombit_changes == "on" && !vm.count("openapi");
  opt.check_answers = vm.count("check-answers") > 0;
  opt.secure_cookies = vm.count("secure-cookies") > 0;
  std::unique_ptr<ScenarioClock> clock;
  if (!ServiceClock(clock_start, "borger", &clock, &opt.clock)) return 2;
  if (!today.empty()) {
    auto d = Date::Parse(today);
    if (!d) {
      std::fprintf(stderr, "adda serve borger: --today must be YYYY-MM-DD\n");
      return 2;
    }
    opt.today = *d;
  }
  const std::string kcred = kombit_credentials.empty() ? "data/kombit.db.credentials.json" : kombit_credentials;
  {
    std::ifstream in(kcred);
    auto j = nlohmann::json::parse(in, nullptr, false);
    if (!in.is_open() || j.is_discarded() || !j.contains("system") || !j["system"].is_string()) {
      std::fprintf(stderr, "adda serve borger: %s is not the KOMBIT mock's credentials file (--kombit-credentials)\n",
                   kcred.c_str());
      return 1;
    }
    opt.kombit.token = j["system"];
    if (j.contains("municipalities") && j["municipalities"].is_object())
      for (const auto& [code, key] : j["municipalities"].items())
        if (key.is_string()) opt.municipality_tokens[std::atoi(code.c_str())] = key.get<std::string>();
  }
  std::ofstream log_file;
  if (!OpenLog(log, "borger", &log_file, &opt.log)) return 1;
  try {
    if (std::filesystem::path(db).has_parent_path()) std::filesystem::create_directories(std::filesystem::path(db).parent_path());
    opt.session_secret = borger::LoadOrCreateSecret(db + ".secret");
    bool created = false;
    auto creds = kombit::LoadOrCreateCredentials(db + ".credentials.json", {}, &created);
    if (!creds.ok()) {
      std::fprintf(stderr, "adda serve borger: %s\n", creds.status().message().c_str());
      return 1;
    }
    opt.admin_token = creds->admin;
    if (vm.count("openapi")) {
      opt.log = nullptr;
      opt.forward_in_background = false;
      borger::BorgerService service(opt);
      std::printf("%s\n", service.OpenApi().dump(2).c_str());
      return 0;
    }
    borger::BorgerService service(opt);
    net::Server server(service, {host, port, threads});
    server.Start();
    std::printf("adda serve borger: listening on %s (db %s, KOMBIT %s)\n", server.url().c_str(), db.c_str(), kombit.c_str());
    std::printf("admin key (feedback export, test users): %s\n", created ? creds->admin.c_str() : (db + ".credentials.json").c_str());
    std::printf("mock login: POST /idp/login {\"cpr\": \"<a test user>\", \"password\": \"%s\"}\n", opt.test_password.c_str());
    std::printf("in a browser: %s/log-ind (Mit Overblik as pages: pick a test user, or type a CPR)\n", server.url().c_str());
    std::fflush(stdout);
    WaitForInterrupt();
    std::printf("adda serve borger: stopping\n");
    server.Stop();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "adda serve borger: %s\n", e.what());
    return 1;
  }
  return 0;
}

}  // namespace

int RunServe(const std::vector<std::string>& args) {
  if (args.empty() || args[0] == "--help" || args[0] == "-h") {
    std::printf("usage: adda serve kombit|borger [options]   (adda serve kombit --help, adda serve borger --help)\n");
    return args.empty() ? 2 : 0;
  }
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  if (args[0] == "kombit") return ServeKombit(rest);
  if (args[0] == "borger") return ServeBorger(rest);
  std::fprintf(stderr, "adda serve: unknown service '%s' (kombit or borger)\n", args[0].c_str());
  return 2;
}

}  // namespace adda::cli
