// The OpenAPI 3 document, generated from the route table and the service's named
// schemas: each operation's parameters, its body (its schema, which Request::Json()
// holds the body to), each answer with its schema and headers, and its error statuses
// by name.
#include <algorithm>
#include <cctype>
#include <set>

#include "core/json_schema.h"
#include "net/service.h"

namespace adda::net {
namespace {

using nlohmann::json;
namespace s = schema;

json HeaderRef(const std::string& name) { return {{"$ref", "#/components/headers/" + name}}; }

// The headers answers carry, described once.
json HeaderComponents() {
  // Each is always there where an answer names it, but Idempotent-Replayed (only on a replay).
  auto header = [](const std::string& description, json schema, bool required = true) {
    return json{{"description", description}, {"required", required}, {"schema", std::move(schema)}};
  };
  return {
      {"X-Request-Id", header("adda's id for this request, as the request log and the access log name it",
                              s::String(64))},
      {"ETag", header("The item's version; send it back in If-Match to replace exactly this version",
                      s::String(32))},
      {"Idempotent-Replayed", header("\"true\" when this is the stored answer to an earlier request with the "
                                     "same Idempotency-Key", s::Enum({"true"}), false)},
      {"Retry-After", header("Seconds to wait before trying again", s::Integer(0, 86400))},
      {"Allow", header("The methods this path takes", s::String(64))},
      {"Content-Disposition", header("The file name to save the download as", s::String(256))},
  };
}

// An error answer of `status`: the Error body, X-Request-Id, and what the status adds.
json ErrorResponse(int status) {
  json headers = {{"X-Request-Id", HeaderRef("X-Request-Id")}};
  if (status == 429 || status == 503) headers["Retry-After"] = HeaderRef("Retry-After");
  if (status == 405) headers["Allow"] = HeaderRef("Allow");
  return {{"description", StatusReason(status)},
          {"headers", headers},
          {"content", {{"application/json", {{"schema", s::Ref("Error")}}}}}};
}

// The error statuses an operation may answer: what every route may meet, what a caller's
// credential, parameters and body add, and the route's own.
std::vector<int> ErrorStatuses(const Route& r) {
  std::vector<int> out;
  bool has_params = !r.query.empty() || r.request_body;
  for (const auto& seg : r.segments) has_params = has_params || seg.front() == '{';
  if (has_params) out.push_back(400);
  if (r.access != Access::kPublic) out.insert(out.end(), {401, 403});
  if (has_params) out.push_back(404);
  out.push_back(405);
  if (r.request_body) out.insert(out.end(), {413, 415, 422});
  out.insert(out.end(), r.errors.begin(), r.errors.end());
  out.insert(out.end(), {500, 503});
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::string OperationId(const Route& r) {
  std::string id = r.method;
  for (const auto& seg : r.segments) {
    std::string part;
    for (char c : seg)
      if (std::isalnum(static_cast<unsigned char>(c))) part.push_back(c);
    if (!part.empty()) {
      part[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(part[0])));
      id += part;
    }
  }
  return id;
}

json Parameters(const Route& r, bool idempotency_key) {
  json params = json::array();
  for (const auto& seg : r.segments)
    if (seg.size() > 2 && seg.front() == '{')
      params.push_back({{"name", seg.substr(1, seg.size() - 2)}, {"in", "path"}, {"required", true},
                        {"schema", s::String(256)}});
  for (const auto& q : r.query) {
    json p{{"name", q.name}, {"in", "query"}, {"required", q.required}, {"schema", {{"type", q.type}}}};
    if (!q.description.empty()) p["description"] = q.description;
    params.push_back(p);
  }
  for (const auto& h : r.request_headers)
    params.push_back({{"name", h}, {"in", "header"}, {"required", false}, {"schema", s::String(128)}});
  if (idempotency_key)
    params.push_back({{"name", "Idempotency-Key"}, {"in", "header"}, {"required", false},
                      {"description", "Makes a retry safe: the same key and body answer the stored answer again"},
                      {"schema", s::Pattern("^[A-Za-z0-9._:-]{1,128}$", "idempotency.bad_key", 128)}});
  return params;
}

json Answers(const Route& r) {
  json responses = json::object();
  for (const auto& a : r.answers) {
    json& resp = responses[std::to_string(a.status)];
    if (resp.is_null()) {
      resp = {{"description", StatusReason(a.status)}, {"headers", {{"X-Request-Id", HeaderRef("X-Request-Id")}}}};
    }
    for (const auto& h : a.headers) resp["headers"][h] = HeaderRef(h);
    if (a.status == 204) continue;
    const json body = a.schema.empty() ? s::String(64 << 20) : s::Ref(a.schema);
    resp["content"][a.content_type] = {{"schema", body}};
  }
  for (int status : ErrorStatuses(r)) responses[std::to_string(status)] = {{"$ref", "#/components/responses/E" + std::to_string(status)}};
  // An injected fault may answer any status its rule names.
  responses["default"] = {{"$ref", "#/components/responses/Error"}};
  return responses;
}

}  // namespace

nlohmann::json CommonSchemas() {
  return {
      {"Violation", s::Object({s::Req("rule", s::String(64)), s::Req("field", s::String(512)),
                               s::Req("message", s::String(4096))})},
      {"Error",
       s::Object({s::Req("error", s::Object({s::Req("code", s::String(64)), s::Req("message", s::String(4096)),
                                              s::Opt("violations", s::Array(s::Ref("Violation"), 100000)),
                                              s::Opt("warnings", s::Array(s::Ref("Violation"), 100000))},
                                             /*closed=*/false))})},
      {"Health", s::Object({s::Req("status", s::Enum({"ok", "degraded"})), s::Req("service", s::String(32)),
                            s::Req("version", s::String(32))},
                           /*closed=*/false)},
      {"OpenApiDocument", s::Object({s::Req("openapi", s::String(16)), s::Req("info", s::Map(json::object())),
                                     s::Req("paths", s::Map(json::object())), s::Req("components", s::Map(json::object()))},
                                    /*closed=*/false)},
  };
}

nlohmann::json HttpService::SecurityFor(Access access) const {
  if (access == Access::kPublic) return nlohmann::json::array();
  return nlohmann::json::array({{{AccessName(access), nlohmann::json::array()}}});
}

nlohmann::json HttpService::OpenApi() const {
  json paths = json::object();
  std::set<int> error_statuses;
  for (const auto& r : router_.routes()) {
    if (r.page) continue;  // the citizen's pages are for browsers, not the API (docs/web.md)
    json op;
    op["summary"] = r.summary;
    op["tags"] = {r.tag.empty() ? options_.name : r.tag};
    op["operationId"] = OperationId(r);
    json params = Parameters(r, HonoursIdempotencyKey(r));
    if (!params.empty()) op["parameters"] = params;
    if (r.request_body) {
      const json body = r.request_schema.empty()
                            ? s::Described(s::String(r.max_body ? r.max_body : options_.max_body),
                                        "one JSON object per line; each line is checked on its own")
                            : s::Ref(r.request_schema);
      op["requestBody"] = {{"required", true}, {"content", {{r.request_content_type, {{"schema", body}}}}}};
    }
    op["responses"] = Answers(r);
    for (int status : ErrorStatuses(r)) error_statuses.insert(status);
    op["security"] = SecurityFor(r.access);
    std::string lower = r.method;
    for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    paths[r.pattern][lower] = op;
  }
  // Only the headers some answer names (an unused component is noise to a reader).
  json used_headers = json::object();
  const json all_headers = HeaderComponents();
  std::set<std::string> named = {"X-Request-Id", "Retry-After"};
  if (error_statuses.count(405)) named.insert("Allow");
  for (const auto& r : router_.routes())
    if (!r.page)
      for (const auto& a : r.answers) named.insert(a.headers.begin(), a.headers.end());
  for (const auto& n : named)
    if (all_headers.contains(n)) used_headers[n] = all_headers[n];
  json responses = {{"Error", ErrorResponse(500)}};
  responses["Error"]["description"] = "A JSON error (an injected fault may answer any status)";
  for (int status : error_statuses) responses["E" + std::to_string(status)] = ErrorResponse(status);
  return {
      {"openapi", "3.0.3"},
      {"info",
       {{"title", options_.title.empty() ? options_.name : options_.title},
        {"version", options_.version},
        {"description", "Generated from the service's route table; a request body that does not match its "
                        "schema is refused (422) with the violations, and a test holds every answer to its schema."},
        {"license", {{"name", "MIT"}, {"url", "https://opensource.org/licenses/MIT"}}}}},
      {"servers", {{{"url", "http://127.0.0.1"}}}},
      {"paths", paths},
      {"components",
       {{"securitySchemes", SecuritySchemes()}, {"schemas", schemas_}, {"headers", used_headers}, {"responses", responses}}}};
}

}  // namespace adda::net
