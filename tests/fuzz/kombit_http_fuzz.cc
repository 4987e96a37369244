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
  size_t line_end = input.find('\n');
  const std::string request_line = input.substr(0, line_end);
  const size_t space = request_line.find(' ');
  if (space == std::string::npos) return 0;
  adda::net::Request req;
  req.method = request_line.substr(0, space);
  req.target = request_line.substr(space + 1);
  if (req.target.empty() || req.target[0] != '/') return 0;
  const size_t q = req.target.find('?');
  req.path = req.target.substr(0, q);
  if (q != std::string::npos) req.query = adda::net::ParseQuery(std::string_view(req.target).substr(q + 1));
  size_t pos = line_end == std::string::npos ? input.size() : line_end + 1;
  while (pos < input.size()) {
    const size_t end = input.find('\n', pos);
    const std::string line = input.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
    pos = end == std::string::npos ? input.size() : end + 1;
    if (line.empty()) break;
    const size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string value = line.substr(colon + 1);
    while (!value.empty() && value[0] == ' ') value.erase(0, 1);
    req.headers[line.substr(0, colon)] = Substitute(value, env);
  }
  req.body = input.substr(std::min(pos, input.size()));
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
