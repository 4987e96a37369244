// libFuzzer: the KOMBIT mock's whole request pipeline in process (routing, auth, limits,
// JSON decoding, handlers, SQLite) on a tiny generated database. Input: a request line
// "METHOD TARGET", header lines "Name: value", an empty line, then the body. The header
// values $SYS, $ADM and $M751 become the real keys, so the fuzzer reaches the handlers
// behind authentication. Every answer must be a well-formed status with a JSON body for
// errors; the service must keep answering /health.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <unistd.h>

#include "kombit/credentials.h"
#include "kombit/service.h"
#include "sim/generator.h"
#include "tests/fuzz/fuzz_request.h"

namespace {

struct Env {
  std::unique_ptr<adda::kombit::KombitService> service;
  adda::kombit::Credentials creds;
};

Env& Setup() {
  static Env env = [] {
    Env e;
    const std::string dir = std::filesystem::temp_directory_path() / ("adda-fuzz-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    auto inputs = adda::sim::LoadGeneratorInputs(std::string(ADDA_SOURCE_DIR) + "/pilots/municipalities");
    if (!inputs.ok()) std::abort();
    adda::sim::GenerateOptions gen;
    gen.scale = 0.0005;
    gen.seed = 3;
    if (!adda::sim::GenerateDatabase(*inputs, gen, dir + "/kombit.db", nullptr, nullptr).ok()) std::abort();
    bool created = false;
    auto creds = adda::kombit::LoadOrCreateCredentials(dir + "/creds.json", {430, 561, 630, 710, 751}, &created);
    if (!creds.ok()) std::abort();
    e.creds = *creds;
    adda::kombit::KombitOptions o;
    o.db_path = dir + "/kombit.db";
    o.credentials = e.creds;
    e.service = std::make_unique<adda::kombit::KombitService>(o);
    return e;
  }();
  return env;
}

std::string Substitute(std::string v, const Env& e) {
  if (v == "$SYS") return "Bearer " + e.creds.system;
  if (v == "$ADM") return "Bearer " + e.creds.admin;
  if (v == "$M751") return "Bearer " + e.creds.municipalities.at(751);
  return v;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Env& env = Setup();
  const std::string input(reinterpret_cast<const char*>(data), size);
  auto parsed = adda::fuzzing::RequestFromBytes(input, [&](const std::string& v) { return Substitute(v, env); });
  if (!parsed) return 0;
  adda::net::Request& req = *parsed;
  if (req.body.size() > env.service->BodyLimit(req.method, req.path)) return 0;  // the server answers 413 before
  const auto resp = env.service->Handle(req);
  env.service->faults().Clear();  // a fuzzed latency rule must not slow the inputs after it
  if (resp.status < 200 || resp.status > 599) std::abort();
  if (resp.status >= 400) {
    const auto j = nlohmann::json::parse(resp.body, nullptr, false);
    if (!j.is_object() || !j.contains("error")) std::abort();  // every refusal is a JSON error
  }
  adda::net::Request health;
  health.method = "GET";
  health.target = health.path = "/health";
  if (env.service->Handle(health).status != 200) std::abort();
  return 0;
}
