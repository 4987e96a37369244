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
  for (const auto& r : router.routes())
    if (!r.page) routes.insert(Lower(r.method) + " " + r.pattern);
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

// A body spoilt in one place, from the route's request schema in the document, with the
// violation the document says it must draw: the document's rules are the service's.
struct SchemaProbe {
  nlohmann::json body;
  std::string field;  // top-level property
  std::string rule;   // "field.required", "field.type", "field.length", "field.range", "field.enum", "field.unknown"
  std::string what;   // for the failure message
};

// The schema a property's entry stands for: through $ref and a nullable allOf.
inline const nlohmann::json& Resolved(const nlohmann::json& doc, const nlohmann::json& s) {
  if (s.contains("$ref")) {
    const std::string ref = s["$ref"];
    return Resolved(doc, doc["components"]["schemas"][ref.substr(ref.rfind('/') + 1)]);
  }
  if (s.contains("allOf") && s["allOf"].size() == 1) return Resolved(doc, s["allOf"][0]);
  return s;
}

// For each top-level property of the (object) schema `name`, bodies that break one rule
// the schema gives it, starting from `good` (a body the route accepts).
inline std::vector<SchemaProbe> ProbesFrom(const nlohmann::json& doc, const std::string& name,
                                           const nlohmann::json& good) {
  std::vector<SchemaProbe> out;
  const nlohmann::json& schema = Resolved(doc, doc["components"]["schemas"][name]);
  if (schema.value("type", "") != "object") return out;
  auto with = [&](const std::string& key, const nlohmann::json& value) {
    nlohmann::json b = good;
    b[key] = value;
    return b;
  };
  std::set<std::string> required;
  for (const auto& k : schema.value("required", nlohmann::json::array())) required.insert(k.get<std::string>());
  for (const auto& [key, raw] : schema["properties"].items()) {
    const nlohmann::json& p = Resolved(doc, raw);
    if (required.count(key)) {
      nlohmann::json b = good;
      b.erase(key);
      out.push_back({b, key, "field.required", key + " left out"});
    }
    const std::string type = p.value("type", "");
    if (type == "string") {
      out.push_back({with(key, 12345), key, "field.type", key + " as a number"});
      if (p.contains("maxLength"))
        out.push_back({with(key, std::string(p["maxLength"].get<size_t>() + 1, 'x')), key, "field.length",
                       key + " one character too long"});
      if (p.contains("enum")) out.push_back({with(key, "no-such-value"), key, "field.enum", key + " not one of its values"});
    } else if (type == "integer" || type == "number") {
      out.push_back({with(key, "1"), key, "field.type", key + " as a string"});
      if (p.contains("maximum") && p["maximum"].get<double>() < 1e15)
        out.push_back({with(key, p["maximum"].get<int64_t>() + 1), key, "field.range", key + " above its maximum"});
      if (p.contains("minimum") && p["minimum"].get<double>() > -1e15)
        out.push_back({with(key, p["minimum"].get<int64_t>() - 1), key, "field.range", key + " below its minimum"});
    } else if (type == "boolean") {
      out.push_back({with(key, "yes"), key, "field.type", key + " as a string"});
    } else if (type == "array") {
      out.push_back({with(key, nlohmann::json::object()), key, "field.type", key + " as an object"});
      if (p.contains("maxItems") && p["maxItems"].get<size_t>() < 10000 && p.contains("items") &&
          good.contains(key) && good[key].is_array() && !good[key].empty())
        out.push_back({with(key, nlohmann::json(std::vector<nlohmann::json>(p["maxItems"].get<size_t>() + 1, good[key][0]))),
                       key, "field.length", key + " one item too many"});
    } else if (type == "object") {
      out.push_back({with(key, nlohmann::json::array()), key, "field.type", key + " as an array"});
    }
  }
  if (schema.contains("additionalProperties") && schema["additionalProperties"] == false)
    out.push_back({with("adda_no_such_field", 1), "adda_no_such_field", "field.unknown", "a field it does not have"});
  return out;
}

// The violations name `field` with `rule` (or a part of the field, see NamesField).
inline bool NamesRule(const nlohmann::json& violations, const std::string& field, const std::string& rule) {
  if (!violations.is_array()) return false;
  for (const auto& v : violations)
    if (v.is_object() && v.value("rule", "") == rule && NamesField(nlohmann::json::array({v}), field)) return true;
  return false;
}

}  // namespace adda::testing
