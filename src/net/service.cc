#include "net/service.h"

#include <cctype>
#include <chrono>
#include <stdexcept>
#include <ostream>
#include <random>
#include <thread>

#include "core/date.h"
#include "core/ids.h"
#include "core/json_schema.h"
#include "net/secure_random.h"

namespace adda::net {
namespace {

std::atomic<uint64_t> g_next_service_id{1};

}  // namespace

int JsonDepth(std::string_view text, int limit) {
  int depth = 0, max_depth = 0;
  bool in_string = false, escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '"') in_string = true;
    else if (c == '[' || c == '{') {
      if (++depth > max_depth) max_depth = depth;
      if (max_depth > limit) return max_depth;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return max_depth;
}

namespace {

// A short tag that lets a log reader tell requests with the same credential apart without
// being able to use it: the first 8 hex digits of its SHA-256.
std::string SecretTag(const std::string& secret) { return Sha256Hex(secret).substr(0, 8); }

}  // namespace

std::string SanitisedClientId(const std::string& given) {
  std::string out;
  for (char c : given) {
    if (out.size() == 64) break;
    const bool safe = std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' || c == ':';
    out.push_back(safe ? c : '_');
  }
  return out;
}

std::string LoggedPath(const Route* route, const Request& req) {
  if (!route) {
    // No route: a long segment may be a credential sent to a wrong path; keep its tag only.
    std::string out;
    size_t start = 1;
    while (start <= req.path.size()) {
      size_t end = req.path.find('/', start);
      if (end == std::string::npos) end = req.path.size();
      const std::string seg = req.path.substr(start, end - start);
      out += "/" + (seg.size() >= 24 ? "{redacted:" + SecretTag(seg) + "}" : seg);
      start = end + 1;
    }
    return out.size() > 256 ? out.substr(0, 256) + "…" : out;
  }
  std::string out;
  for (const auto& seg : route->segments) {
    if (seg.size() > 2 && seg.front() == '{' && seg.back() == '}') {
      const std::string name = seg.substr(1, seg.size() - 2);
      auto it = req.params.find(name);
      const std::string value = it == req.params.end() ? "" : it->second;
      out += "/" + (IsSecretParam(name) ? "{" + name + ":" + SecretTag(value) + "}" : value);
    } else {
      out += "/" + seg;
    }
  }
  return out.empty() ? "/" : out;
}

HttpService::HttpService(ServiceOptions options)
    : options_(std::move(options)),
      metrics_(options_.name),
      faults_(options_.clock ? *options_.clock : SystemClock()),
      id_(g_next_service_id.fetch_add(1)) {
  if (!options_.clock) options_.clock = &SystemClock();
  request_prefix_ = options_.name + "-" + RandomHex(4) + "-";
  schemas_ = CommonSchemas();
}

size_t HttpService::BodyLimit(const std::string& method, const std::string& path) const {
  std::map<std::string, std::string> params;
  bool exists = false;
  const Route* r = router_.Match(method, path, &params, &exists);
  return r && r->max_body ? r->max_body : options_.max_body;
}

void HttpService::AddSchemas(const nlohmann::json& named) {
  for (const auto& [name, schema] : named.items()) {
    if (schemas_.contains(name)) throw std::logic_error("schema " + name + " named twice");
    schemas_[name] = schema;
  }
}

void HttpService::AddRoutes(std::vector<Route> table) {
  for (auto& r : table) {
    const std::string what = r.method + " " + r.pattern;
    if (!Serves(r.access))
      throw std::logic_error(options_.name + " does not serve " + AccessName(r.access) + " routes: " + what);
    if (!r.handler) throw std::logic_error("no handler for " + what);
    if (r.answers.empty()) throw std::logic_error("no documented answer for " + what);
    // Every schema a row names exists: a typo must not become an undocumented body.
    std::vector<std::string> named;
    if (!r.request_schema.empty()) named.push_back(r.request_schema);
    if (r.request_body && r.request_content_type == "application/json" && r.request_schema.empty())
      throw std::logic_error("no schema for the JSON body of " + what);
    for (const auto& a : r.answers)
      if (!a.schema.empty()) named.push_back(a.schema);
    for (const auto& n : named)
      if (!schemas_.contains(n)) throw std::logic_error(what + " names an unknown schema " + n);
    router_.Add(std::move(r));
  }
}

namespace {

// The service's own basics (AddBasicRoutes): no personal data, never faulted.
bool IsBasics(const Route& route) {
  return route.pattern == "/health" || route.pattern == "/metrics" || route.pattern == "/openapi.json";
}

}  // namespace

bool HttpService::FaultExempt(const Route& route) const {
  return IsBasics(route) || route.pattern.rfind("/admin", 0) == 0;
}

void HttpService::Log(nlohmann::json event) {
  if (!options_.log) return;
  event["ts"] = clock().NowIso();
  event["service"] = options_.name;
  const std::string line = event.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  std::lock_guard<std::mutex> lock(log_mu_);
  *options_.log << line << std::flush;
}

void HttpService::NameRequest(Request& req) {
  // adda names every request itself: a caller's X-Request-Id is attacker-chosen text, so
  // it goes to the request log only (at most 64 safe characters), never into a record.
  req.request_id = request_prefix_ + std::to_string(next_request_.fetch_add(1));
  req.client_request_id = SanitisedClientId(req.Header("X-Request-Id"));
}

const Route& HttpService::Resolve(Request& req) const {
  std::map<std::string, std::string> params;
  bool path_exists = false;
  const Route* route = router_.Match(req.method, req.path, &params, &path_exists);
  if (!route) {
    if (path_exists)
      throw HttpError("request.method_not_allowed", req.method + " is not allowed on " + req.path)
          .WithHeader("Allow", router_.AllowedMethods(req.path));
    throw HttpError("request.unknown_route", "no such resource: " + req.path);
  }
  for (auto& [k, v] : params) v = PercentDecode(v, false);
  req.params = std::move(params);
  return *route;
}

void HttpService::CheckLimits(const Request& req, const Route& route) const {
  const size_t limit = route.max_body ? route.max_body : options_.max_body;
  if (req.body.size() > limit)
    throw HttpError("request.too_large", "the request body is larger than the limit", {{"limit_bytes", limit}});
  // NDJSON bodies are checked line by line by their handler.
  if (!req.body.empty() && route.request_content_type == "application/json" &&
      JsonDepth(req.body, options_.max_json_depth) > options_.max_json_depth)
    throw HttpError("request.too_deep",
                    "the JSON nests deeper than " + std::to_string(options_.max_json_depth) + " levels");
}

void HttpService::CheckBody(Request& req, const Route& route) const {
  if (!route.request_body) return;
  if (!req.body.empty()) {
    // The media type, without parameters (charset) and case.
    std::string type = req.Header("Content-Type");
    type = type.substr(0, type.find(';'));
    while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) type.pop_back();
    for (auto& c : type) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (type != route.request_content_type)
      throw HttpError("request.unsupported_media_type",
                      "send the body as " + route.request_content_type +
                          (type.empty() ? " (the request has no Content-Type)" : ", not " + type),
                      {{"expected", route.request_content_type}});
  }
  if (route.request_schema.empty()) return;
  req.body_schema = &schemas_.at(route.request_schema);
  req.schemas = &schemas_;
  req.invalid_code = route.invalid_code;
}

std::optional<Response> HttpService::ApplyFaults(const Request& req, const Route& route, std::string* fault) {
  if (FaultExempt(route) || !faults_.active()) return std::nullopt;
  const FaultAction a = faults_.Decide(req.method, req.path);
  if (!a.rule_id.empty()) *fault = a.rule_id;
  if (a.delay_ms > 0) std::this_thread::sleep_for(std::chrono::microseconds(static_cast<int64_t>(a.delay_ms * 1000)));
  if (a.outage) throw HttpError("fault.outage", "the service is down (injected outage)", {{"fault", a.rule_id}});
  if (a.drop) {
    Response dropped;
    dropped.drop_connection = true;
    dropped.status = 0;
    return dropped;
  }
  if (a.error_status) throw HttpError::WithStatus(a.error_status, "fault.injected", "injected failure", {{"fault", a.rule_id}});
  return std::nullopt;
}

// The pipeline: name, route, limits, faults, who may call, the handler; then Finish.
Response HttpService::Handle(Request& req) {
  const int64_t started = clock().Ticks();
  NameRequest(req);
  const Route* matched = nullptr;
  Response resp;
  std::string fault;
  try {
    const Route& route = Resolve(req);
    matched = &route;
    CheckLimits(req, route);
    if (auto faulted = ApplyFaults(req, route, &fault)) {
      resp = std::move(*faulted);
    } else {
      Authorize(req, route);
      CheckBody(req, route);
      resp = route.handler(req);
    }
  } catch (const HttpError& e) {
    resp = ErrorAnswer(req, matched, e);
  } catch (const std::exception& e) {
    Log({{"level", "error"}, {"request_id", req.request_id}, {"route", matched ? matched->pattern : "unmatched"},
         {"error", e.what()}});
    resp = ErrorAnswer(req, matched,
                       HttpError("internal.error", "the service failed to answer; the request id identifies it in the log"));
  }
  Finish(req, matched, resp, started, fault);
  return resp;
}

Response HttpService::ErrorAnswer(const Request&, const Route*, const HttpError& error) { return error.ToResponse(); }

Response HttpService::Refuse(Request& req, const HttpError& error) {
  const int64_t started = clock().Ticks();
  NameRequest(req);
  std::map<std::string, std::string> params;
  bool exists = false;
  const Route* route = router_.Match(req.method, req.path, &params, &exists);
  Response resp = ErrorAnswer(req, route, error);
  Finish(req, route, resp, started, "");
  return resp;
}

void HttpService::Finish(const Request& req, const Route* matched, Response& resp, int64_t started,
                         const std::string& fault) {
  const std::string route_name = matched ? matched->pattern : "unmatched";
  resp.headers["X-Request-Id"] = req.request_id;
  // Answers carry personal data or credentials (a session token, a share link); no cache
  // on the way or in the browser may keep them. Only the service's own basics may be kept.
  if (!(matched && IsBasics(*matched)) && !resp.headers.count("Cache-Control")) resp.headers["Cache-Control"] = "no-store";
  // Pages are not part of the API's contract (web-check holds them to theirs).
  if (options_.check_answers && matched && !matched->page && !resp.drop_connection) CheckAnswer(req, *matched, resp);
  const double seconds = clock().MillisSince(started) / 1000.0;
  const int status = resp.drop_connection ? 0 : resp.status;
  metrics_.Observe(req.method, route_name, status, seconds);
  if (!options_.log) return;
  nlohmann::json ev{{"level", resp.status >= 500 ? "warn" : "info"},
                    {"request_id", req.request_id},
                    {"method", req.method},
                    {"path", LoggedPath(matched, req)},
                    {"route", route_name},
                    {"status", status},
                    {"ms", std::round(seconds * 100000) / 100},
                    {"bytes", resp.body.size()}};
  if (req.principal)
    ev["principal"] = req.principal->kind + (req.principal->municipality ? ":" + std::to_string(*req.principal->municipality) : "");
  if (!fault.empty()) ev["fault"] = fault;
  if (!req.client_request_id.empty()) ev["client_request_id"] = req.client_request_id;
  Log(std::move(ev));
}

void HttpService::CheckAnswer(const Request& req, const Route& route, const Response& resp) {
  std::vector<std::string> found;
  const std::string what = req.method + " " + route.pattern + " " + std::to_string(resp.status);
  const std::string type = resp.content_type.substr(0, resp.content_type.find(';'));
  std::string schema_name;
  bool documented = false;
  if (resp.status >= 400) {
    documented = true;  // every error is the Error body (and `default` takes any status)
    schema_name = "Error";
    if (type != "application/json") found.push_back(what + ": an error as " + type);
  } else {
    for (const auto& a : route.answers)
      if (a.status == resp.status && (a.status == 204 || a.content_type == type)) {
        documented = true;
        schema_name = a.schema;
        for (const auto& h : a.headers)
          if (!resp.headers.count(h) && h != "Idempotent-Replayed")  // the one that is by nature sometimes
            found.push_back(what + ": no " + h + " header");
      }
    if (!documented) found.push_back(what + ": an undocumented answer (" + type + ")");
    if (resp.status == 204 && !resp.body.empty()) found.push_back(what + ": a body with 204");
  }
  if (documented && !schema_name.empty() && resp.status != 204) {
    auto body = nlohmann::json::parse(resp.body, nullptr, false);
    std::vector<Violation> v;
    if (body.is_discarded()) v.push_back({"answer.json", "$", "is not JSON"});
    else schema::Validate(schemas_.at(schema_name), body, schemas_, "", &v);
    for (const auto& x : v) found.push_back(what + ": " + x.field + " " + x.rule + " " + x.message);
  }
  if (found.empty()) return;
  metrics_.Count("contract_violations_total", static_cast<int64_t>(found.size()));
  for (const auto& f : found)
    Log({{"level", "error"}, {"event", "contract.violation"}, {"request_id", req.request_id}, {"detail", f}});
  std::lock_guard<std::mutex> lock(contract_mu_);
  for (auto& f : found)
    if (contract_violations_.size() < 100) contract_violations_.push_back(std::move(f));
}

std::vector<std::string> HttpService::ContractViolations() const {
  std::lock_guard<std::mutex> lock(contract_mu_);
  return contract_violations_;
}

void HttpService::AddBasicRoutes() {
  AddRoutes({
      Route::Get("/health").For(Access::kPublic).Tag("basics")
          .Summary("Liveness and basic facts about the service")
          .Answers(200, "Health")
          .Handle(this, &HttpService::Health),
      Route::Get("/metrics").For(Access::kPublic).Tag("basics")
          .Summary("Prometheus metrics: requests and latency per route and status")
          .Answers(200, "", {}, "text/plain")
          .Handle(this, &HttpService::MetricsText),
      Route::Get("/openapi.json").For(Access::kPublic).Tag("basics")
          .Summary("This API as OpenAPI 3")
          .Answers(200, "OpenApiDocument")
          .Handle(this, &HttpService::OpenApiDocument),
  });
}

Response HttpService::Health(Request&) {
  nlohmann::json j{{"status", "ok"}, {"service", options_.name}, {"version", options_.version}};
  j.update(HealthDetails());
  return Response::Json(200, j);
}

Response HttpService::MetricsText(Request&) {
  return Response::Raw(200, metrics_.Prometheus(), "text/plain; version=0.0.4");
}

Response HttpService::OpenApiDocument(Request&) { return Response::Json(200, OpenApi()); }

}  // namespace adda::net
