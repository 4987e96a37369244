// fixtures/explanations.json is checked when it is loaded: a fixture missing any text a
// page or an answer needs is refused with the missing key named, not shown as a blank.
#include <gtest/gtest.h>

#include "core/explain.h"
#include "core/fixtures.h"

namespace adda {
namespace {

nlohmann::json Fixture() { return nlohmann::json::parse(EmbeddedFixture("explanations")); }

TEST(Explanations, TheEmbeddedFixtureHasEveryText) {
  auto e = Explanations::FromJson(Fixture());
  ASSERT_TRUE(e.ok()) << e.status().message();
  const auto& raw = e->raw();
  for (const auto& s : ContributionStatusNames()) EXPECT_TRUE(raw["contributions"]["statuses"].contains(s)) << s;
  EXPECT_EQ(raw["feedback"]["sus_statements"].size(), 10u);
}

TEST(Explanations, AFixtureMissingAPageTextIsRefusedNamingIt) {
  struct Cut {
    nlohmann::json::json_pointer at;
    std::string named;
  };
  const std::vector<Cut> cuts = {
      {nlohmann::json::json_pointer("/contributions/kinds/note"), "contributions.kinds.note"},
      {nlohmann::json::json_pointer("/contributions/fields/grant"), "contributions.fields.grant"},
      {nlohmann::json::json_pointer("/contributions/statuses/not_delivered"), "contributions.statuses.not_delivered"},
      {nlohmann::json::json_pointer("/feedback/thanks"), "feedback.thanks"},
      {nlohmann::json::json_pointer("/feedback/sus_statements/9"), "feedback.sus_statements"},
      {nlohmann::json::json_pointer("/feedback/sus_scale"), "feedback.sus_scale"},
  };
  for (const auto& c : cuts) {
    nlohmann::json j = Fixture();
    const std::string parent = c.at.parent_pointer().to_string();
    const std::string key = c.at.back();
    auto& p = j[nlohmann::json::json_pointer(parent)];
    if (p.is_array()) p.erase(std::stoul(key));
    else p.erase(key);
    auto e = Explanations::FromJson(j);
    ASSERT_FALSE(e.ok()) << c.named;
    EXPECT_EQ(e.status().code(), "fixture.invalid");
    EXPECT_NE(e.status().message().find(c.named), std::string::npos) << e.status().message();
  }
  // A field list with a non-text label, and an SUS scale of the wrong length.
  nlohmann::json j = Fixture();
  j["contributions"]["fields"]["case"]["title"] = 7;
  EXPECT_FALSE(Explanations::FromJson(j).ok());
  j = Fixture();
  j["feedback"]["sus_scale"].push_back("Meget helt enig");
  EXPECT_FALSE(Explanations::FromJson(j).ok());
}

}  // namespace
}  // namespace adda
