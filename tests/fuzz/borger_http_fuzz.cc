// libFuzzer: the borger.dk mock's whole request pipeline in process (routing, sessions,
// authorization, limits, JSON decoding, handlers, the access log, SQLite, and the
// gateway's real HTTP calls to a KOMBIT mock served once on an ephemeral port of
// 127.0.0.1). Input as for kombit_http_fuzz: a request line "METHOD TARGET", header lines
// "Name: value", an empty line, then the body. Placeholders anywhere in the input become
// real values, so the fuzzer gets past authentication and reaches real items:
//
//   $TOKEN   "Bearer <citizen A's session>"     $ADM    "Bearer <borger.dk's admin key>"
//   $M751    "Bearer <Aarhus's integration key>" $CPR    citizen A's CPR
//   $CASE    "751/<one of A's cases>"           $CASEID that case's id alone
//   $BENEFIT "751/<one of A's grants>"          $SHARE  the token of a share A made
//   $CPRC    an adult of Aarhus, not A (a grantee for powers of attorney)
//
// Every answer must be a well-formed status, every refusal a JSON error; no answer to an
// input that names neither citizen B nor the admin key may carry citizen B's CPR (B lives
// in another municipality and is no relative of A); the service must keep answering
// /health. A's session is renewed after any request to a logout route. With
// BORGER_FUZZ_VERBOSE set, each input's status and request line go to stderr (to check
// that a new seed reaches its handler).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <unistd.h>

#include "borger/service.h"
#include "kombit/credentials.h"
#include "kombit/service.h"
#include "net/server.h"
#include "sim/generator.h"
#include "tests/fuzz/fuzz_request.h"
#include "store/sqlite.h"

namespace {

// Setup failed: say why, for the one running the fuzzer.
[[noreturn]] void Die(const std::string& why) {
  std::fprintf(stderr, "borger_http_fuzz setup: %s\n", why.c_str());
  std::abort();
}

struct Env {
  std::string dir;
  adda::kombit::Credentials kcreds;
  std::unique_ptr<adda::kombit::KombitService> kombit;
  std::unique_ptr<adda::net::Server> kserver;
  std::unique_ptr<adda::borger::BorgerService> borger;
  std::string admin = "adm-fuzz-0123456789abcdef";
  std::string cpr_a, cpr_b, cpr_c, token, case_id, grant_id, share;
};

adda::net::Response Call(Env& e, const std::string& method, const std::string& target, const std::string& auth,
                         const std::string& body = "") {
  adda::net::Request req;
  req.method = method;
  req.target = req.path = target;
  if (!auth.empty()) req.headers["Authorization"] = "Bearer " + auth;
  if (!body.empty()) req.headers["Content-Type"] = "application/json";
  req.body = body;
  return e.borger->Handle(req);
}

void LogIn(Env& e) {
  const auto r = Call(e, "POST", "/idp/login", "", nlohmann::json{{"cpr", e.cpr_a}, {"password", "test"}}.dump());
  if (r.status != 201) Die("login answered " + std::to_string(r.status) + ": " + r.body);
  e.token = nlohmann::json::parse(r.body)["token"].get<std::string>();
}

Env& Setup() {
  static Env env = [] {
    Env e;
    e.dir = std::filesystem::temp_directory_path() / ("adda-borger-fuzz-" + std::to_string(::getpid()));
    std::filesystem::create_directories(e.dir);
    auto inputs = adda::sim::LoadGeneratorInputs(std::string(ADDA_SOURCE_DIR) + "/pilots/municipalities");
    if (!inputs.ok()) Die(inputs.status().message());
    adda::sim::GenerateOptions gen;
    gen.scale = 0.002;
    gen.seed = 11;
    const std::string kdb = e.dir + "/kombit.db";
    if (!adda::sim::GenerateDatabase(*inputs, gen, kdb, nullptr, nullptr).ok()) Die("cannot generate " + kdb);
    bool created = false;
    auto creds = adda::kombit::LoadOrCreateCredentials(e.dir + "/creds.json", {430, 561, 630, 710, 751}, &created);
    if (!creds.ok()) Die(creds.status().message());
    e.kcreds = *creds;
    {
      adda::store::Db db(kdb, adda::store::OpenMode::kReadOnly);
      e.cpr_a = db.QueryText(
                      "SELECT c.cpr FROM cases c JOIN grants g ON g.cpr = c.cpr WHERE c.municipality = 751 "
                      "GROUP BY c.cpr ORDER BY count(*) DESC, c.cpr LIMIT 1")
                    .value_or("");
      e.case_id = db.QueryText("SELECT id FROM cases WHERE cpr = '" + e.cpr_a + "' ORDER BY id LIMIT 1").value_or("");
      e.grant_id = db.QueryText("SELECT id FROM grants WHERE cpr = '" + e.cpr_a + "' ORDER BY id LIMIT 1").value_or("");
      e.cpr_c = db.QueryText("SELECT cpr FROM citizens WHERE municipality = 751 AND birth_date <= '1990-01-01' AND cpr != '" +
                             e.cpr_a + "' ORDER BY cpr LIMIT 1")
                    .value_or("");
      e.cpr_b = db.QueryText("SELECT cpr FROM cases WHERE municipality = 561 ORDER BY cpr LIMIT 1").value_or("");
    }
    if (e.cpr_a.empty() || e.case_id.empty() || e.grant_id.empty() || e.cpr_b.empty() || e.cpr_c.empty()) Die("no citizens A and B");

    adda::kombit::KombitOptions ko;
    ko.db_path = kdb;
    ko.credentials = e.kcreds;
    e.kombit = std::make_unique<adda::kombit::KombitService>(ko);
    e.kserver = std::make_unique<adda::net::Server>(*e.kombit, adda::net::ServerOptions{"127.0.0.1", 0, 8});
    e.kserver->Start();

    adda::borger::BorgerOptions bo;
    bo.db_path = e.dir + "/borger.db";
    bo.kombit.kombit = e.kserver->url();
    bo.kombit.token = e.kcreds.system;
    bo.kombit.timeout = std::chrono::milliseconds(2000);
    bo.municipality_tokens = e.kcreds.municipalities;
    bo.session_secret = "fuzz-secret-0123456789abcdef0123456789abcdef";
    bo.admin_token = e.admin;
    bo.session_minutes = 7 * 24 * 60;        // a long fuzzing campaign keeps its session
    bo.max_login_failures = 1 << 30;         // the fuzzer must not lock A out
    bo.max_client_login_failures = 1 << 30;  // nor itself
    bo.forward_in_background = false;
    e.borger = std::make_unique<adda::borger::BorgerService>(bo);

    LogIn(e);
    const auto share = Call(e, "POST", "/v1/shares", e.token,
                            R"({"recipient": "Min mor", "purpose": "fuzz", "scope": "all", "expires_days": 90})");
    if (share.status != 201) Die("share answered " + std::to_string(share.status) + ": " + share.body);
    const std::string link = nlohmann::json::parse(share.body)["link"].get<std::string>();
    e.share = link.substr(link.rfind('/') + 1);
    // B must be a stranger to A, or the isolation check below means nothing.
    for (const char* path : {"/v1/me", "/v1/overview"}) {
      const auto r = Call(e, "GET", path, e.token);
      if (r.status != 200 || r.body.find(e.cpr_b) != std::string::npos)
        Die(std::string(path) + " answered " + std::to_string(r.status) + ": " + r.body.substr(0, 300));
    }
    return e;
  }();
  return env;
}

void ReplaceAll(std::string* s, const std::string& from, const std::string& to) {
  for (size_t p = s->find(from); p != std::string::npos; p = s->find(from, p + to.size())) s->replace(p, from.size(), to);
}

std::string Substitute(std::string s, const Env& e) {
  ReplaceAll(&s, "$TOKEN", "Bearer " + e.token);
  ReplaceAll(&s, "$ADM", "Bearer " + e.admin);
  ReplaceAll(&s, "$M751", "Bearer " + e.kcreds.municipalities.at(751));
  ReplaceAll(&s, "$CPRC", e.cpr_c);
  ReplaceAll(&s, "$CPR", e.cpr_a);
  ReplaceAll(&s, "$CASEID", e.case_id);
  ReplaceAll(&s, "$CASE", "751/" + e.case_id);
  ReplaceAll(&s, "$BENEFIT", "751/" + e.grant_id);
  ReplaceAll(&s, "$SHARE", e.share);
  return s;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  Setup();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Env& env = Setup();
  const std::string raw(reinterpret_cast<const char*>(data), size);
  const bool names_b_or_admin = raw.find(env.cpr_b) != std::string::npos || raw.find("$ADM") != std::string::npos ||
                                raw.find(env.admin) != std::string::npos;
  const std::string input = Substitute(raw, env);
  auto parsed = adda::fuzzing::RequestFromBytes(input);
  if (!parsed) return 0;
  adda::net::Request& req = *parsed;
  if (req.body.size() > env.borger->BodyLimit(req.method, req.path)) return 0;  // the server answers 413 before
  const auto resp = env.borger->Handle(req);
  static const bool verbose = std::getenv("BORGER_FUZZ_VERBOSE") != nullptr;  // for writing seeds
  if (verbose) std::fprintf(stderr, "%d %s %s\n", resp.status, req.method.c_str(), req.target.c_str());
  if (resp.status < 200 || resp.status > 599) std::abort();
  if (resp.status >= 400) {
    const auto j = nlohmann::json::parse(resp.body, nullptr, false);
    if (!j.is_object() || !j.contains("error")) std::abort();  // every refusal is a JSON error
  }
  if (!names_b_or_admin && resp.body.find(env.cpr_b) != std::string::npos) std::abort();  // another citizen's data
  if (req.path.find("logout") != std::string::npos) LogIn(env);
  adda::net::Request health;
  health.method = "GET";
  health.target = health.path = "/health";
  if (env.borger->Handle(health).status != 200) std::abort();
  return 0;
}
