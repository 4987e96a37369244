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
#include "common/openapi_testing.h"

namespace adda::testing {
namespace {

using Json = nlohmann::json;

constexpr int kOwn = 751;

class KombitOpenApi : public KombitEnv {
 protected:
  void SetUp() override {
    KombitEnv::SetUp();
    if (HasFatalFailure()) return;
    FetchOpenApi(*client_, &doc_);
  }

  const std::vector<net::Route>& Routes() const { return service_->router().routes(); }

  // The documented operations as "METHOD /pattern".
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
  for (const auto& r : Routes()) {
    ExpectRouteDocumented(doc_, r);
    if (HasFatalFailure()) return;
    // Who may call it: nobody's key for public routes, else the route's own kind.
    const Json& op = doc_["paths"][r.pattern][Lower(r.method)];
    if (r.access == net::Access::kPublic) {
      EXPECT_TRUE(op["security"].empty()) << r.pattern;
    } else {
      ASSERT_EQ(op["security"].size(), 1u) << r.pattern;
      EXPECT_TRUE(op["security"][0].contains(net::AccessName(r.access))) << r.pattern;
      EXPECT_TRUE(doc_["components"]["securitySchemes"].contains(net::AccessName(r.access))) << net::AccessName(r.access);
    }
  }
  EXPECT_EQ(DocumentedOperations(doc_).size(), Routes().size());
}

TEST_F(KombitOpenApi, EveryDocumentedOperationIsARoute) { ExpectOnlyRoutesDocumented(doc_, service_->router()); }

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
