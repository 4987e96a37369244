// /openapi.json and borger.dk's route table agree both ways, and the live server answers
// every documented operation from its handler.
#include "borger_world.h"

namespace adda::testing {
namespace {

using Json = nlohmann::json;

// ---- the OpenAPI document ----------------------------------------------------------------

class BorgerOpenApi : public BorgerEnv {
 protected:
  void SetUp() override {
    BorgerEnv::SetUp();
    if (HasFatalFailure()) return;
    FetchOpenApi(*client_, &doc_);
  }

  const std::vector<net::Route>& Routes() const {
    if (api_routes_.empty()) api_routes_ = ApiRoutes(borger_->router().routes());
    return api_routes_;
  }
  mutable std::vector<net::Route> api_routes_;

  Json doc_;
};

TEST_F(BorgerOpenApi, EveryRouteIsADocumentedOperation) {
  for (const auto& r : Routes()) {
    ExpectRouteDocumented(doc_, r);
    if (HasFatalFailure()) return;
    // Who may call it: a citizen session or the admin key; public routes and share links none.
    const Json& op = doc_["paths"][r.pattern][Lower(r.method)];
    if (r.access == net::Access::kPublic || r.access == net::Access::kShare) {
      EXPECT_TRUE(op["security"].empty()) << r.pattern;
    } else if (r.access == net::Access::kFeedback) {  // a citizen's session or the runner's (admin) key
      EXPECT_EQ(op["security"], Json::parse(R"([{"citizen": []}, {"admin": []}])")) << r.pattern;
    } else {
      ASSERT_EQ(op["security"].size(), 1u) << r.pattern;
      EXPECT_TRUE(op["security"][0].contains(net::AccessName(r.access))) << r.pattern;
      EXPECT_TRUE(doc_["components"]["securitySchemes"].contains(net::AccessName(r.access))) << net::AccessName(r.access);
    }
  }
  EXPECT_EQ(DocumentedOperations(doc_).size(), Routes().size());
}

TEST_F(BorgerOpenApi, EveryDocumentedOperationIsARoute) {
  ExpectOnlyRoutesDocumented(doc_, borger_->router());
  EXPECT_GE(Routes().size(), 25u);
}

// The live server answers every documented operation from its handler: with no
// credential, never as an unknown route or a wrong method, and never with a 5xx.
TEST_F(BorgerOpenApi, EveryDocumentedOperationReachesTheLiveServer) {
  for (const auto& [path, item] : doc_["paths"].items()) {
    for (const auto& [method, op] : item.items()) {
      std::string target;
      for (const auto& seg : net::SplitPath(path))
        target += "/" + (IsParam(seg) ? std::string("probe") : seg);
      const auto r = client_->Send(Upper(method), target, "", {});
      const std::string what = Upper(method) + " " + target + ": " + std::to_string(r.status) +
                               " " + r.body.substr(0, 200);
      EXPECT_NE(ErrorCode(r), "request.unknown_route") << what;
      EXPECT_NE(r.status, 405) << what;
      EXPECT_LT(r.status, 500) << what;
      if (op["security"].empty()) {
        EXPECT_NE(r.status, 401) << what;
      } else {
        EXPECT_TRUE(IsError(r, 401, "auth.missing")) << what;
      }
    }
  }
}

// Regression: the document listed an optional Idempotency-Key header on every POST
// (written for every PUT/POST/PATCH by HttpService::OpenApi(), src/net/service.cc:196)
// while nothing in src/borger read it, so a retried POST /v1/shares made a second share.
// The header is advertised exactly where it is honoured: POST /v1/feedback (a
// contribution is made safe to retry by its own id).
TEST_F(BorgerOpenApi, IdempotencyKeyIsAdvertisedOnlyWhereItIsHonoured) {
  std::set<std::string> advertised;
  for (const auto& [path, ops] : doc_["paths"].items())
    for (const auto& [method, op] : ops.items())
      for (const auto& p : op.value("parameters", Json::array()))
        if (p.value("name", "") == "Idempotency-Key") advertised.insert(method + " " + path);
  EXPECT_EQ(advertised, (std::set<std::string>{"post /v1/feedback"}));
}

}  // namespace
}  // namespace adda::testing
