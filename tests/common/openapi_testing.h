// Checks both services' OpenAPI tests share: the document /openapi.json serves against
// the route table it is generated from, operation by operation, both ways.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/http_testing.h"
#include "net/client.h"
#include "net/router.h"

namespace adda::testing {

inline const std::set<std::string>& HttpMethods() {
  static const std::set<std::string> m = {"get", "put", "post", "delete", "patch", "head", "options", "trace"};
  return m;
}

// The service's /openapi.json, served as JSON with its paths.
inline void FetchOpenApi(net::Client& client, nlohmann::json* doc) {
  auto r = client.Get("/openapi.json");
  ASSERT_EQ(r.status, 200) << r.body;
  ASSERT_EQ(r.Header("Content-Type").rfind("application/json", 0), 0u);
  *doc = r.Json();
  ASSERT_TRUE((*doc)["paths"].is_object());
}

// "get /v1/overview", … for every operation in the document.
inline std::set<std::string> DocumentedOperations(const nlohmann::json& doc) {
  std::set<std::string> out;
  for (const auto& [path, item] : doc["paths"].items())
    for (const auto& [method, op] : item.items())
      if (HttpMethods().count(method)) out.insert(method + " " + path);
  return out;
}

// The route's operation is documented: its path parameters (each required, exactly the
// pattern's captures), its query parameters, its body and its statuses. Who may call it
// is the caller's to check (each service has its own credentials).
inline void ExpectRouteDocumented(const nlohmann::json& doc, const net::Route& r) {
  const std::string method = Lower(r.method);
  ASSERT_TRUE(doc["paths"].contains(r.pattern)) << r.pattern << " is not in the document's paths";
  const nlohmann::json& item = doc["paths"][r.pattern];
  ASSERT_TRUE(item.contains(method)) << r.method << " " << r.pattern << " is not documented";
  const nlohmann::json& op = item[method];
  std::vector<std::string> path_params;
  std::set<std::string> query;
  for (const auto& p : op.value("parameters", nlohmann::json::array())) {
    if (p["in"] == "path") {
      path_params.push_back(p["name"]);
      EXPECT_EQ(p["required"], true) << r.pattern << " {" << p["name"] << "}";
    }
    if (p["in"] == "query") query.insert(p["name"].get<std::string>());
  }
  EXPECT_EQ(path_params, ParamNames(r.pattern)) << r.method << " " << r.pattern;
  for (const auto& q : r.query) EXPECT_TRUE(query.count(q.name)) << r.pattern << " ?" << q.name;
  EXPECT_EQ(query.size(), r.query.size()) << r.pattern;
  EXPECT_EQ(op.contains("requestBody"), r.request_body) << r.method << " " << r.pattern;
  if (r.request_body) {
    EXPECT_TRUE(op["requestBody"]["content"].contains(r.request_content_type)) << r.pattern;
  }
  for (const auto& a : r.answers)
    EXPECT_TRUE(op["responses"].contains(std::to_string(a.status))) << r.pattern << " " << a.status;
}

// Every documented operation is a route: an HTTP method, a unique operationId, and a
// path the router matches to that very route (no earlier route shadows it).
inline void ExpectOnlyRoutesDocumented(const nlohmann::json& doc, const net::Router& router) {
  std::set<std::string> routes;
  for (const auto& r : router.routes()) routes.insert(Lower(r.method) + " " + r.pattern);
  std::set<std::string> operation_ids;
  for (const auto& [path, item] : doc["paths"].items()) {
    ASSERT_TRUE(item.is_object()) << path;
    for (const auto& [method, op] : item.items()) {
      ASSERT_TRUE(HttpMethods().count(method)) << "'" << method << "' under " << path << " is not an HTTP method";
      EXPECT_TRUE(routes.count(method + " " + path)) << method << " " << path << " is documented but not a route";
      const std::string id = op.value("operationId", "");
      EXPECT_FALSE(id.empty()) << method << " " << path;
      EXPECT_TRUE(operation_ids.insert(id).second) << "operationId " << id << " is used twice";
      std::map<std::string, std::string> params;
      bool exists = false;
      const net::Route* matched = router.Match(Upper(method), path, &params, &exists);
      ASSERT_NE(matched, nullptr) << method << " " << path;
      EXPECT_EQ(matched->pattern, path) << "an earlier route shadows " << method << " " << path;
    }
  }
  EXPECT_EQ(DocumentedOperations(doc).size(), routes.size());
}

}  // namespace adda::testing
