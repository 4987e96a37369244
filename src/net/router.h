// The route table: method + pattern ("/v1/citizens/{cpr}/cases") -> handler, with what
// OpenAPI needs to describe it. The table is the single source of truth: the server
// dispatches from it and /openapi.json is generated from it.
//
// A service lists its routes as one table, a row per route with named fields:
//
//   Route::Get("/v1/overview").For(Access::kCitizen).Tag("citizen").Query(behalf)
//       .Summary("My cases and benefits, …")
//       .Handle(this, &BorgerService::Overview),
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "net/http.h"

namespace adda::net {

using Handler = std::function<Response(Request&)>;

// Who may call a route. Each service's Authorize interprets the kinds it serves and
// refuses to register a route of any other kind (so a route cannot fall through to an
// unintended check).
enum class Access {
  kPublic,        // anyone
  kCitizen,       // a citizen's session (borger.dk)
  kShare,         // the holder of a share link: the token in the path (borger.dk)
  kFeedback,      // a citizen's session, or the runner's credential (borger.dk)
  kSystem,        // borger.dk's system key (KOMBIT)
  kMunicipality,  // a municipality's integration key
  kAdmin,         // the service's admin key
};
// "public", "citizen", …: the security scheme's name in OpenAPI and the credential kind.
const char* AccessName(Access a);

struct QueryParam {
  std::string name;
  std::string type = "string";  // "string" | "integer"
  std::string description;
  bool required = false;
};

// One answer a route gives: its status, the component schema of its body (empty: no
// body, or none documented beyond its content type), its content type and the headers
// clients depend on (named in the service's components.headers).
struct Answer {
  int status = 200;
  std::string schema;
  std::string content_type = "application/json";
  std::vector<std::string> headers;
};

struct Route {
  std::string method;   // GET, PUT, POST, DELETE, PATCH
  std::string pattern;  // segments; "{name}" captures one segment, a last "{name*}" the rest
  Access access = Access::kPublic;
  std::string summary;
  std::string tag;
  Handler handler;
  std::vector<QueryParam> query;
  std::vector<std::string> request_headers;  // headers it reads (If-Match, …), documented
  bool request_body = false;            // takes a body of request_content_type
  std::string request_content_type = "application/json";
  size_t max_body = 0;                  // bytes; 0: the service's default
  // The body's schema (a component name): Request::Json() checks the body against it and
  // refuses with `invalid_code` and the violations, so the document is the decoder's rule.
  std::string request_schema;
  std::string invalid_code = "request.invalid";
  std::vector<Answer> answers;          // its successes, each documented
  std::vector<int> errors;              // its own error statuses beyond the common ones
  // A page for a browser (HTML, forms): not part of the API, so not in /openapi.json;
  // its errors are pages too (HttpService::ErrorAnswer).
  bool page = false;
  std::vector<std::string> segments;    // filled by Router::Add

  // A table row, field by field.
  static Route Get(std::string pattern) { return Route("GET", std::move(pattern)); }
  static Route Post(std::string pattern) { return Route("POST", std::move(pattern)); }
  static Route Put(std::string pattern) { return Route("PUT", std::move(pattern)); }
  static Route Patch(std::string pattern) { return Route("PATCH", std::move(pattern)); }
  static Route Delete(std::string pattern) { return Route("DELETE", std::move(pattern)); }
  Route& For(Access a) { access = a; return *this; }
  Route& Summary(std::string s) { summary = std::move(s); return *this; }
  Route& Tag(std::string t) { tag = std::move(t); return *this; }
  Route& Query(std::vector<QueryParam> q) { query = std::move(q); return *this; }
  Route& Reads(std::vector<std::string> headers) { request_headers = std::move(headers); return *this; }
  // Takes a body of this content type, at most `limit` bytes (0: the service's default).
  Route& Body(std::string content_type = "application/json", size_t limit = 0) {
    request_body = true;
    request_content_type = std::move(content_type);
    max_body = limit;
    return *this;
  }
  // Takes a JSON body of this schema; one that does not match is refused with `code`.
  Route& Takes(std::string schema, std::string code = "request.invalid") {
    if (!request_body) Body();
    request_schema = std::move(schema);
    invalid_code = std::move(code);
    return *this;
  }
  // Answers `status` with a body of `schema` (empty with 204).
  Route& Answers(int status, std::string schema = "", std::vector<std::string> headers = {},
                 std::string content_type = "application/json") {
    answers.push_back({status, std::move(schema), std::move(content_type), std::move(headers)});
    return *this;
  }
  // May also refuse with these statuses (409, 412, …), besides the common ones.
  Route& Fails(std::vector<int> statuses) { errors = std::move(statuses); return *this; }
  // A page: answers HTML (or a redirect); a POST takes a form.
  Route& Page() {
    page = true;
    if (method == "POST") Body("application/x-www-form-urlencoded", 16 * 1024);
    return *this;
  }
  Route& Handle(Handler h) { handler = std::move(h); return *this; }
  // A member function of the service as the handler.
  template <typename S>
  Route& Handle(S* self, Response (S::*f)(Request&)) {
    handler = [self, f](Request& r) { return (self->*f)(r); };
    return *this;
  }

  Route() = default;
  Route(std::string m, std::string p) : method(std::move(m)), pattern(std::move(p)) {}
};

class Router {
 public:
  void Add(Route r);
  // The route for (method, path) with its parameters, or nullptr. `path_exists` tells
  // 404 (no such path) from 405 (path exists, other method).
  const Route* Match(const std::string& method, const std::string& path,
                     std::map<std::string, std::string>* params, bool* path_exists) const;
  const std::vector<Route>& routes() const { return routes_; }
  // The methods some route takes on `path` ("GET, PUT"): a 405's Allow header.
  std::string AllowedMethods(const std::string& path) const;

 private:
  std::vector<Route> routes_;
};

std::vector<std::string> SplitPath(const std::string& path);

}  // namespace adda::net
