// An HTTP service as adda runs it: a route table plus everything every service does
// the same way — routing (404/405), body limits (413), fault injection, authorization
// through the service's own hook, JSON errors, request ids, metrics per route and
// status, structured request logs, and /health, /metrics, /openapi.json.
//
// Handle() is the whole pipeline for one request and is what the Poco server calls;
// tests and fuzzers may call it directly in process.
#pragma once

#include <atomic>
#include <functional>
#include <iosfwd>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "core/clock.h"
#include "net/faults.h"
#include "net/http.h"
#include "net/metrics.h"
#include "net/router.h"

namespace adda::net {

// A path parameter named "token" is a credential (a share link's token): the request
// log shows its route pattern and a short tag of it, never the value.
inline bool IsSecretParam(const std::string& name) { return name == "token"; }
// The path as the request log shows it: the route's pattern with its parameters filled
// in, credentials replaced by a tag; with no route, long segments replaced by a tag.
std::string LoggedPath(const Route* route, const Request& req);
// A caller's X-Request-Id as the request log keeps it: at most 64 characters, any but
// [A-Za-z0-9._:-] replaced by '_'.
std::string SanitisedClientId(const std::string& given);

struct ServiceOptions {
  std::string name;                    // "kombit", "borger"
  std::string title;                   // for OpenAPI
  std::string version = ADDA_VERSION;
  size_t max_body = 1 << 20;           // default body limit; a route may raise it
  int max_json_depth = 64;
  std::ostream* log = nullptr;         // JSON lines; nullptr: no request log
  // Stamps (the request log, Date) and measured durations (latency, fault windows).
  const Clock* clock = &SystemClock();
  // Holds every answer to the document (its status, content type and schema) and keeps
  // what does not match (ContractViolations). For tests and `serve --check-answers`: it
  // costs a validation per answer.
  bool check_answers = false;
};

class HttpService {
 public:
  explicit HttpService(ServiceOptions options);
  virtual ~HttpService() = default;

  Response Handle(Request& req);
  // An answer the server gives before the pipeline (framing refused, a body over the
  // limit): named, counted and logged like any other, with its X-Request-Id.
  Response Refuse(Request& req, const HttpError& error);

  // The body limit for the route of (method, path): the route's own, else the service's.
  size_t BodyLimit(const std::string& method, const std::string& path) const;

  Router& router() { return router_; }
  const Router& router() const { return router_; }
  Metrics& metrics() { return metrics_; }
  FaultInjector& faults() { return faults_; }
  const ServiceOptions& options() const { return options_; }
  const Clock& clock() const { return *options_.clock; }
  uint64_t id() const { return id_; }

  // The OpenAPI 3 document for the route table.
  nlohmann::json OpenApi() const;
  // The named schemas of the document (components.schemas): the service's own and the
  // common ones (Error, Health). Request bodies are checked against these.
  const nlohmann::json& schemas() const { return schemas_; }

  // With check_answers: the answers that did not match the document, one line each
  // ("GET /v1/me 200: items[0].id field.type must be a string"), at most 100.
  std::vector<std::string> ContractViolations() const;

  // Logs one structured event (JSON line) when logging is on.
  void Log(nlohmann::json event);

 protected:
  // Decides whether `req` may use `route`: sets req.principal or throws HttpError 401/403.
  virtual void Authorize(Request& req, const Route& route) = 0;
  // Extra security schemes and descriptions for OpenAPI, by access name.
  virtual nlohmann::json SecuritySchemes() const { return nlohmann::json::object(); }
  virtual nlohmann::json SecurityFor(Access access) const;
  // The access kinds this service's Authorize interprets; AddRoutes refuses any other.
  virtual bool Serves(Access access) const = 0;
  // Filled into /health.
  virtual nlohmann::json HealthDetails() { return nlohmann::json::object(); }
  // Routes that faults never touch (health, metrics, admin).
  virtual bool FaultExempt(const Route& route) const;
  // The answer to a refused or failed request: the JSON error envelope; a service with
  // pages answers a page's errors (and a browser's unknown path) as pages instead.
  virtual Response ErrorAnswer(const Request& req, const Route* route, const HttpError& error);
  // Whether a route honours an Idempotency-Key header (documented only where it does).
  virtual bool HonoursIdempotencyKey(const Route&) const { return false; }

  void AddBasicRoutes();  // /health, /metrics, /openapi.json; call from the subclass
  // Adds the service's named schemas (before its routes, which name them).
  void AddSchemas(const nlohmann::json& named);
  // Adds the service's table, row by row; std::logic_error for a route of an access kind
  // the service does not serve, or a route twice.
  void AddRoutes(std::vector<Route> table);

 private:
  // The pipeline's stages (Handle), in order; Finish stamps, counts and logs the answer.
  void NameRequest(Request& req);
  const Route& Resolve(Request& req) const;
  void CheckLimits(const Request& req, const Route& route) const;
  // 415 for a body of another content type; hands the route's schema to the request.
  void CheckBody(Request& req, const Route& route) const;
  std::optional<Response> ApplyFaults(const Request& req, const Route& route, std::string* fault);
  void Finish(const Request& req, const Route* matched, Response& resp, int64_t started, const std::string& fault);
  void CheckAnswer(const Request& req, const Route& route, const Response& resp);
  Response Health(Request&);
  Response MetricsText(Request&);
  Response OpenApiDocument(Request&);

  ServiceOptions options_;
  Router router_;
  nlohmann::json schemas_;
  Metrics metrics_;
  FaultInjector faults_;
  std::mutex log_mu_;
  mutable std::mutex contract_mu_;
  std::vector<std::string> contract_violations_;
  std::atomic<uint64_t> next_request_{1};
  std::string request_prefix_;
  uint64_t id_;
};

// The calling thread's own T for one service instance (`service_id`: a thread may serve
// several services, e.g. in tests), made by `make()` on the thread's first call. For
// what must never be shared between threads: a SQLite connection and its statements.
template <typename T, typename Make>
T& PerThread(uint64_t service_id, Make&& make) {
  thread_local std::unordered_map<uint64_t, std::unique_ptr<T>> mine;
  auto& slot = mine[service_id];
  if (!slot) slot = make();
  return *slot;
}

// The schemas every service's document has: Error (and its Violation), Health and
// OpenApiDocument (src/net/openapi.cc).
nlohmann::json CommonSchemas();

// Nesting depth of a JSON text (brackets outside strings); stops counting past `limit`.
int JsonDepth(std::string_view text, int limit);

}  // namespace adda::net
