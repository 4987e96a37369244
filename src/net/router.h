// The route table: method + pattern ("/v1/citizens/{cpr}/cases") -> handler, with what
// OpenAPI needs to describe it. The table is the single source of truth: the server
// dispatches from it and /openapi.json is generated from it.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "net/http.h"

namespace adda::net {

using Handler = std::function<Response(Request&)>;

struct QueryParam {
  std::string name;
  std::string type = "string";  // "string" | "integer"
  std::string description;
  bool required = false;
};

struct Route {
  std::string method;   // GET, PUT, POST, DELETE, PATCH
  std::string pattern;  // segments; "{name}" captures one segment
  std::string access;   // who may call; the service's authorizer interprets it
  std::string summary;
  std::string tag;
  Handler handler;
  std::vector<QueryParam> query;
  bool request_body = false;            // takes a JSON (or NDJSON) body
  std::string request_content_type = "application/json";
  std::vector<int> responses = {200};   // documented statuses besides the common errors
  std::vector<std::string> segments;    // filled by Router::Add
};

class Router {
 public:
  void Add(Route r);
  // The route for (method, path) with its parameters, or nullptr. `path_exists` tells
  // 404 (no such path) from 405 (path exists, other method).
  const Route* Match(const std::string& method, const std::string& path,
                     std::map<std::string, std::string>* params, bool* path_exists) const;
  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
};

std::vector<std::string> SplitPath(const std::string& path);

}  // namespace adda::net
