// The one mapping from error codes to HTTP statuses (src/net/errors.cc), and the check
// that every code the services use is in it.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "net/http.h"

namespace adda::net {
namespace {

TEST(Errors, EachCodeHasItsStatus) {
  const std::vector<std::pair<const char*, int>> table = {
      {"request.malformed_json", 400}, {"request.bad_cpr", 400},      {"idempotency.bad_key", 400},
      {"auth.missing", 401},           {"session.expired", 401},      {"auth.not_on_behalf", 403},
      {"case.not_found", 404},         {"request.unknown_route", 404}, {"request.method_not_allowed", 405},
      {"contribution.id_conflict", 409}, {"changes.pruned", 410},     {"version.mismatch", 412},
      {"request.too_large", 413},      {"share.invalid", 422},        {"idempotency.key_reused", 422},
      {"login.throttled", 429},        {"internal.error", 500},       {"request.transfer_coding_unsupported", 501},
      {"kombit.error", 502},           {"kombit.unavailable", 503},
  };
  for (const auto& [code, status] : table) EXPECT_EQ(HttpStatusFor(code), status) << code;
  // Families: any kind of missing thing, any body that does not hold together.
  EXPECT_EQ(HttpStatusFor("benefit.not_found"), 404);
  EXPECT_EQ(HttpStatusFor("anything.invalid"), 422);
  // A code nobody mapped is a bug: 500, not a guess.
  EXPECT_EQ(HttpStatusFor("made.up"), 500);
  EXPECT_EQ(HttpStatusFor(""), 500);
}

TEST(Errors, AnErrorAnswersWithTheEnvelopeAndItsCodesStatus) {
  const HttpError e("share.not_found", "no such share", {{"id", "x"}});
  EXPECT_EQ(e.status(), 404);
  const Response r = e.ToResponse();
  EXPECT_EQ(r.status, 404);
  const auto j = nlohmann::json::parse(r.body);
  EXPECT_EQ(j["error"]["code"], "share.not_found");
  EXPECT_EQ(j["error"]["message"], "no such share");
  EXPECT_EQ(j["error"]["id"], "x");
  EXPECT_EQ(HttpError::WithStatus(418, "fault.injected", "injected").status(), 418);
  const Status s = Status::Error("proxy.invalid", "the power of attorney is not valid", {{"field.range", "grantee", "cannot be yourself"}});
  const HttpError from = HttpError::From(s);
  EXPECT_EQ(from.status(), 422);
  EXPECT_EQ(from.code(), "proxy.invalid");
  EXPECT_EQ(from.details()["violations"][0]["field"], "grantee");
}

// Every code the services throw is mapped, so no answer's status is left to chance.
TEST(Errors, EveryCodeTheServicesUseIsMapped) {
  const std::regex thrown(R"re(HttpError(?:::WithStatus)?(?: [a-z_]+)?\(\s*(?:[^,()"]+,\s*)?"([a-z_]+\.[a-z_.]+)")re");
  std::set<std::string> codes;
  for (const auto& e : std::filesystem::recursive_directory_iterator(std::string(ADDA_SOURCE_DIR) + "/src")) {
    if (e.path().extension() != ".cc" && e.path().extension() != ".h") continue;
    std::ifstream in(e.path());
    std::stringstream text;
    text << in.rdbuf();
    const std::string s = text.str();
    for (auto it = std::sregex_iterator(s.begin(), s.end(), thrown); it != std::sregex_iterator(); ++it)
      codes.insert((*it)[1].str());
  }
  EXPECT_GT(codes.size(), 40u) << "the scan found too few codes to be looking at the services";
  for (const auto& c : codes) {
    if (c == "fault.injected") continue;  // its status is the rule's own
    if (c == "internal.error" || c == "server.error") {  // 500 by design: the service failed
      EXPECT_EQ(HttpStatusFor(c), 500);
      continue;
    }
    EXPECT_NE(HttpStatusFor(c), 500) << c << " is thrown but not mapped in src/net/errors.cc";
  }
}

}  // namespace
}  // namespace adda::net
