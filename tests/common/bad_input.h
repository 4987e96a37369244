// The bad-input batteries both services share, driven by each service's route table:
// a body in the wrong Content-Type, every rule /openapi.json gives a body's fields, and
// a method the path does not take. Each service's suite says how to reach its routes
// (a filled-in path, a body the route accepts, the credential it wants); what a refusal
// must look like is written once, here.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/http_testing.h"
#include "common/openapi_testing.h"
#include "net/client.h"
#include "net/router.h"

namespace adda::testing {

// One route that takes a body, ready to spoil.
struct BodyTarget {
  const net::Route* route = nullptr;
  std::string target;       // its path with parameters (and a query) filled in
  nlohmann::json good;      // a body it accepts; for an NDJSON route, the record of one line
  std::string good_text;    // that body as sent on the wire
  net::Headers headers;     // the credential it wants
};

// A body in another dress than the route takes is a 415 naming the one it takes.
inline void ExpectOtherContentTypesRefused(net::Client& client, const std::vector<BodyTarget>& targets) {
  for (const auto& t : targets) {
    const net::Route& r = *t.route;
    std::vector<std::string> types = {"text/plain", "application/x-www-form-urlencoded", "application/xml",
                                      "application/json-patch+json", ""};
    types.push_back(r.request_content_type == "application/json" ? "application/x-ndjson" : "application/json");
    for (const auto& type : types) {
      const auto resp = client.Send(r.method, t.target, t.good_text, t.headers, type);
      EXPECT_TRUE(IsError(resp, 415, "request.unsupported_media_type"))
          << "'" << type << "' " << Describe(r.method, t.target, resp);
      if (resp.status == 415) {
        EXPECT_EQ(Parsed(resp)["error"]["expected"], r.request_content_type) << Key(r);
      }
    }
  }
}

// Every rule the document gives a JSON body's fields is the service's rule: one body per
// rule, spoilt there, is a 422 with the route's code naming that field and rule. Returns
// how many probes were sent, for the caller to hold to a floor.
inline size_t ExpectDocumentedRulesEnforced(net::Client& client, const nlohmann::json& doc,
                                            const std::vector<BodyTarget>& targets) {
  size_t probes = 0;
  for (const auto& t : targets) {
    const net::Route& r = *t.route;
    if (r.request_content_type != "application/json") continue;  // NDJSON lines answer one by one
    EXPECT_FALSE(r.request_schema.empty()) << Key(r) << " documents no schema for its body";
    for (const auto& probe : ProbesFrom(doc, r.request_schema, t.good)) {
      const auto resp = client.Send(r.method, t.target, probe.body.dump(), t.headers, "application/json");
      const std::string what = Key(r) + ": " + probe.what + " -> " + resp.body.substr(0, 300);
      EXPECT_TRUE(IsError(resp, 422, r.invalid_code)) << what;
      EXPECT_TRUE(NamesRule(Parsed(resp)["error"]["violations"], probe.field, probe.rule))
          << what << " (want " << probe.field << " " << probe.rule << ")";
      ++probes;
    }
  }
  return probes;
}

// Every method a route's path does not take is a 405 whose Allow names the methods it
// does (the route's own among them, the one sent not), with and without a credential.
// `path_of` fills a route's parameters; `headers_of` gives the credential it wants.
inline void ExpectOtherMethods405WithAllow(net::Client& client, const net::Router& router,
                                           const std::vector<const net::Route*>& routes,
                                           const std::function<std::string(const net::Route&)>& path_of,
                                           const std::function<net::Headers(const net::Route&)>& headers_of) {
  for (const net::Route* r : routes) {
    const std::string path = path_of(*r);
    for (const std::string method : {"GET", "PUT", "POST", "PATCH", "DELETE", "OPTIONS"}) {
      std::map<std::string, std::string> params;
      bool exists = false;
      if (router.Match(method, path, &params, &exists)) continue;
      ASSERT_TRUE(exists) << path;
      for (const net::Headers& h : {net::Headers{}, headers_of(*r)}) {
        const auto resp = client.Send(method, path, method == "GET" ? "" : "{}", h);
        EXPECT_TRUE(IsError(resp, 405, "request.method_not_allowed")) << Describe(method, path, resp);
        const std::string allow = ", " + resp.Header("Allow") + ",";
        EXPECT_NE(allow.find(" " + r->method + ","), std::string::npos) << path << " Allow: " << allow;
        EXPECT_EQ(allow.find(" " + method + ","), std::string::npos) << path << " Allow: " << allow;
      }
    }
  }
}

}  // namespace adda::testing
