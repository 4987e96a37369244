// /openapi.json is true to the KOMBIT mock's route table, both ways: every route is a
// documented operation with its method, parameters and security, every documented
// operation is a route, and every documented GET answers on the live server when its
// path parameters are filled from real data and the right credential is shown.
#include <map>
#include <set>
#include <string>
#include <vector>

#include "kombit_env.h"
#include "common/http_testing.h"

namespace adda::testing {
namespace {

using Json = nlohmann::json;

constexpr int kOwn = 751;

const std::set<std::string> kHttpMethods = {"get",   "put",  "post",    "delete",
                                            "patch", "head", "options", "trace"};

class KombitOpenApi : public KombitEnv {
 protected:
  void SetUp() override {
    KombitEnv::SetUp();
    if (HasFatalFailure()) return;
    auto r = client_->Get("/openapi.json");
    ASSERT_EQ(r.status, 200) << r.body;
    ASSERT_EQ(r.Header("Content-Type").rfind("application/json", 0), 0u);
    doc_ = r.Json();
    ASSERT_TRUE(doc_["paths"].is_object());
  }

  const std::vector<net::Route>& Routes() const { return service_->router().routes(); }

  // The documented operations as "METHOD /pattern".
  std::set<std::string> Operations() const {
    std::set<std::string> out;
    for (const auto& [path, item] : doc_["paths"].items())
      for (const auto& [method, op] : item.items())
        if (kHttpMethods.count(method)) out.insert(method + " " + path);
    return out;
  }

  // The credential an operation's security asks for; {} for a public one.
  net::Headers Credential(const Json& op) const {
    if (!op.contains("security") || op["security"].empty()) return {};
    const std::string scheme = op["security"][0].begin().key();
    if (scheme == "system") return Sys();
    if (scheme == "admin") return Admin();
    if (scheme == "municipality") return Muni(kOwn);
    ADD_FAILURE() << "unknown security scheme " << scheme;
    return {};
  }

  // A real value for path parameter `name` of `path`: the item kind is the literal
  // segment before it (cases/{id}, grants/{id}, contributions/{id}, faults/{id}).
  std::string Value(const std::string& path, const std::string& name) {
    if (name == "code") return std::to_string(kOwn);
    if (name == "cpr")
      return QueryText("SELECT cpr FROM cases WHERE municipality = " + std::to_string(kOwn) +
                       " ORDER BY cpr LIMIT 1");
    const auto segs = net::SplitPath(path);
    std::string kind;
    for (size_t i = 1; i < segs.size(); ++i)
      if (segs[i] == "{" + name + "}") kind = segs[i - 1];
    if (kind == "cases" || kind == "{code}")  // /v1/cases/{code}/{id}
      kind = path.rfind("/v1/grants/", 0) == 0 ? "grants" : "cases";
    if (kind == "cases") return case_id_;
    if (kind == "grants") return grant_id_;
    if (kind == "contributions") return contribution_id_;
    if (kind == "faults") return fault_id_;
    // Parts written inside a case or grant: any well-formed id (only writes take them).
    if (kind == "documents" || kind == "benefits" || kind == "payments") return "probe-" + kind;
    ADD_FAILURE() << "no real value for {" << name << "} in " << path << ": teach Value() about it";
    return "x";
  }

  std::string Fill(const std::string& path) {
    std::string out;
    for (const auto& seg : net::SplitPath(path))
      out += "/" + (IsParam(seg) ? Value(path, seg.substr(1, seg.size() - 2)) : seg);
    return out.empty() ? "/" : out;
  }

  // Real data for the probes: a case and grant of kOwn, a contribution, a fault rule.
  void PrepareData() {
    const std::string m = std::to_string(kOwn);
    case_id_ = QueryText("SELECT id FROM cases WHERE municipality = " + m + " ORDER BY id LIMIT 1");
    grant_id_ =
        QueryText("SELECT id FROM grants WHERE municipality = " + m + " ORDER BY id LIMIT 1");
    ASSERT_FALSE(case_id_.empty());
    ASSERT_FALSE(grant_id_.empty());
    const std::string cpr = QueryText("SELECT cpr FROM cases WHERE municipality = " + m +
                                      " AND id = '" + case_id_ + "'");
    contribution_id_ = "openapi-probe";
    auto c = client_->PostJson("/v1/contributions",
                               {{"id", contribution_id_},
                                {"municipality", kOwn},
                                {"cpr", cpr},
                                {"item_kind", "case"},
                                {"item_id", case_id_},
                                {"kind", "note"},
                                {"text", "En note."}},
                               Sys());
    ASSERT_EQ(c.status, 201) << c.body;
    auto f = client_->PostJson("/admin/faults", {{"route", "/never-matches/*"}}, Admin());
    ASSERT_EQ(f.status, 201) << f.body;
    fault_id_ = f.Json()["id"];
  }

  Json doc_;
  std::string case_id_, grant_id_, contribution_id_, fault_id_;
};

TEST_F(KombitOpenApi, EveryRouteIsADocumentedOperation) {
  const auto ops = Operations();
  for (const auto& r : Routes()) {
    const std::string method = Lower(r.method);
    ASSERT_TRUE(doc_["paths"].contains(r.pattern))
        << r.pattern << " is not in the document's paths";
    const Json& item = doc_["paths"][r.pattern];
    ASSERT_TRUE(item.contains(method)) << r.method << " " << r.pattern << " is not documented";
    const Json& op = item[method];
    // Its path parameters, each required, exactly the pattern's captures.
    std::vector<std::string> documented;
    std::set<std::string> query;
    for (const auto& p : op.value("parameters", Json::array())) {
      if (p["in"] == "path") {
        documented.push_back(p["name"]);
        EXPECT_EQ(p["required"], true) << r.pattern << " {" << p["name"] << "}";
      }
      if (p["in"] == "query") query.insert(p["name"].get<std::string>());
    }
    EXPECT_EQ(documented, ParamNames(r.pattern)) << r.method << " " << r.pattern;
    for (const auto& q : r.query) EXPECT_TRUE(query.count(q.name)) << r.pattern << " ?" << q.name;
    EXPECT_EQ(query.size(), r.query.size()) << r.pattern;
    // Its body, responses and who may call it.
    EXPECT_EQ(op.contains("requestBody"), r.request_body) << r.method << " " << r.pattern;
    if (r.request_body) {
      EXPECT_TRUE(op["requestBody"]["content"].contains(r.request_content_type)) << r.pattern;
    }
    for (int s : r.responses)
      EXPECT_TRUE(op["responses"].contains(std::to_string(s))) << r.pattern << " " << s;
    if (r.access == "public") {
      EXPECT_TRUE(op["security"].empty()) << r.pattern;
    } else {
      ASSERT_EQ(op["security"].size(), 1u) << r.pattern;
      EXPECT_TRUE(op["security"][0].contains(r.access)) << r.pattern;
      EXPECT_TRUE(doc_["components"]["securitySchemes"].contains(r.access)) << r.access;
    }
  }
  EXPECT_EQ(ops.size(), Routes().size());
}

TEST_F(KombitOpenApi, EveryDocumentedOperationIsARoute) {
  std::set<std::string> routes;
  for (const auto& r : Routes()) routes.insert(Lower(r.method) + " " + r.pattern);
  std::set<std::string> operation_ids;
  for (const auto& [path, item] : doc_["paths"].items()) {
    ASSERT_TRUE(item.is_object()) << path;
    for (const auto& [method, op] : item.items()) {
      ASSERT_TRUE(kHttpMethods.count(method))
          << "'" << method << "' under " << path << " is not an HTTP method";
      EXPECT_TRUE(routes.count(method + " " + path))
          << method << " " << path << " is documented but not a route";
      const std::string id = op.value("operationId", "");
      EXPECT_FALSE(id.empty()) << method << " " << path;
      EXPECT_TRUE(operation_ids.insert(id).second) << "operationId " << id << " is used twice";
      // The router itself agrees: the documented path (with its braces) matches this route.
      std::map<std::string, std::string> params;
      bool exists = false;
      const net::Route* matched = service_->router().Match(Upper(method), path, &params, &exists);
      ASSERT_NE(matched, nullptr) << method << " " << path;
      EXPECT_EQ(matched->pattern, path) << "an earlier route shadows " << method << " " << path;
    }
  }
  EXPECT_EQ(Operations().size(), routes.size());
}

TEST_F(KombitOpenApi, EveryDocumentedGetAnswersOnTheLiveServer) {
  PrepareData();
  if (HasFatalFailure()) return;
  int probed = 0;
  for (const auto& [path, item] : doc_["paths"].items()) {
    if (!item.contains("get")) continue;
    const Json& op = item["get"];
    const std::string target = Fill(path);
    const auto r = client_->Get(target, Credential(op));
    ++probed;
    const std::string code = ErrorCode(r);
    EXPECT_NE(code, "request.unknown_route") << "GET " << target << ": " << r.body;
    EXPECT_NE(r.status, 405) << "GET " << target;
    EXPECT_NE(r.status, 401) << "GET " << target << ": the documented credential is refused";
    EXPECT_NE(r.status, 403) << "GET " << target << ": the documented credential is refused";
    EXPECT_LT(r.status, 500) << "GET " << target << ": " << r.body;
    // With real data it answers; only a query parameter the route needs may be missing
    // (see the DISABLED_ test below).
    if (r.status != 200) {
      EXPECT_EQ(code, "request.bad_query") << "GET " << target << ": " << r.body;
    }
  }
  EXPECT_GE(probed, 15);
}

// Every documented operation, whatever its method, reaches its handler on the live
// server: with the documented credential and an empty body it is never answered as an
// unknown route or a wrong method (writes refuse the empty body; resets reset).
TEST_F(KombitOpenApi, EveryDocumentedOperationReachesItsHandler) {
  PrepareData();
  if (HasFatalFailure()) return;
  for (const auto& [path, item] : doc_["paths"].items()) {
    for (const auto& [method, op] : item.items()) {
      const std::string target = Fill(path);
      const auto r =
          client_->Send(Upper(method), target, "", Credential(op),
                        op.contains("requestBody") ? op["requestBody"]["content"].begin().key()
                                                   : "application/json");
      const std::string what = Upper(method) + " " + target + ": " + std::to_string(r.status) +
                               " " + r.body.substr(0, 200);
      EXPECT_NE(ErrorCode(r), "request.unknown_route") << what;
      EXPECT_NE(r.status, 405) << what;
      EXPECT_NE(r.status, 401) << what;
      EXPECT_NE(r.status, 403) << what;
      EXPECT_LT(r.status, 500) << what;
    }
  }
}

// With only what the document says is required, every GET answers 200.
// BUG: GET /v1/citizens answers 400 "municipality is required", but the document lists
// ?municipality as optional: net::QueryParam (src/net/router.h:17) has no notion of a
// required parameter, src/kombit/index_routes.cc:57 can only say "required" in its
// description, and HttpService::OpenApi() (src/net/service.cc:190) writes
// "required": false for every query parameter — a client generated from it omits it.
TEST_F(KombitOpenApi, EveryDocumentedGetAnswers200WithOnlyTheRequiredParameters) {
  PrepareData();
  if (HasFatalFailure()) return;
  for (const auto& [path, item] : doc_["paths"].items()) {
    if (!item.contains("get")) continue;
    const Json& op = item["get"];
    std::string query;
    for (const auto& p : op.value("parameters", Json::array()))
      if (p["in"] == "query" && p.value("required", false))
        query +=
            (query.empty() ? "?" : "&") + p["name"].get<std::string>() + "=" + std::to_string(kOwn);
    const std::string target = Fill(path) + query;
    const auto r = client_->Get(target, Credential(op));
    EXPECT_EQ(r.status, 200) << "GET " << target << ": " << r.body.substr(0, 300);
  }
}

}  // namespace
}  // namespace adda::testing
