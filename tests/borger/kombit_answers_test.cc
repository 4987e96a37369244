// KOMBIT's answers decoded once, where borger.dk receives them (borger/kombit_answers.h):
// what a good answer becomes, and that an answer borger.dk cannot read is a named
// "kombit.unreadable" refusal, never an exception or a half-read value.
#include "borger/kombit_answers.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace adda::borger {
namespace {

using Json = nlohmann::json;

Json CitizenJson(const std::string& cpr, const std::string& born) {
  return {{"cpr", cpr},           {"municipality", 751}, {"first_name", "Ida"}, {"last_name", "Holm"},
          {"birth_date", born}, {"sex", "K"},          {"mother", nullptr},   {"father", nullptr}};
}

Json CaseJson() {
  return Json::parse(R"({
    "id": "c-1", "municipality": 751, "case_number": "15.17.06-G01-000042-18", "title": "Sygedagpenge",
    "sensitivity": "FORTROLIGE_PERSONOPLYSNINGER", "local_status": "Modtaget",
    "status_history": [{"status": "Opstaaet", "from": "2018-05-12", "to": null}],
    "kle": {"subject": "15.17.06", "facet": "G01"}, "responsible_unit": "Jobcenter Aarhus",
    "primary_party": "urn:oio:cpr-nr:7105851234", "decision": null, "deliverer": "municipality", "version": 1})");
}

Json GrantJson() {
  return Json::parse(R"({
    "id": "g-1", "municipality": 561, "case_id": "c-1", "recipient": "urn:oio:cpr-nr:7105851234",
    "period": {"start": "2018-01-01", "end": null}, "reason": "Folkepension",
    "sensitivity": "FORTROLIGE_PERSONOPLYSNINGER", "responsible_unit": "Pension", "deliverer": "udbetaling_danmark",
    "benefits": [], "payments": [], "version": 1})");
}

TEST(KombitAnswers, ACitizenComesWithTheChildrenInTheRegister) {
  Json j = CitizenJson("7105851234", "1971-05-10");
  j["children"] = Json::array({CitizenJson("0101121234", "2012-01-01")});
  const auto r = DecodeCitizen(j.dump());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->person.full_name(), "Ida Holm");
  EXPECT_EQ(r->person.municipality, 751);
  ASSERT_EQ(r->children.size(), 1u);
  EXPECT_EQ(r->children[0].cpr, "0101121234");
  EXPECT_TRUE(r->children[0].IsMinorOn(*Date::Parse("2018-12-11")));
}

TEST(KombitAnswers, AnUnreadableAnswerIsNamedNeverThrown) {
  Json no_name = CitizenJson("7105851234", "1971-05-10");
  no_name.erase("first_name");
  Json bad_date = CitizenJson("7105851234", "1971-02-30");
  Json bad_child = CitizenJson("7105851234", "1971-05-10");
  bad_child["children"] = Json::array({{{"cpr", 7}}});
  for (const std::string& body : {std::string("not json"), std::string("[]"), std::string(""), no_name.dump(),
                                  bad_date.dump(), bad_child.dump()}) {
    const auto r = DecodeCitizen(body);
    ASSERT_FALSE(r.ok()) << body;
    EXPECT_EQ(r.status().code(), "kombit.unreadable") << body;
    EXPECT_NE(r.status().message().find("citizen"), std::string::npos) << r.status().message();
  }
  for (const std::string& kind : {"case", "grant"}) {
    for (const std::string& body : {std::string("{"), std::string("{}"), std::string("42")}) {
      const auto r = DecodeItem(kind, body);
      ASSERT_FALSE(r.ok()) << kind << " " << body;
      EXPECT_EQ(r.status().code(), "kombit.unreadable");
    }
  }
  EXPECT_FALSE(DecodeOverview(R"({"cases": {}})").ok());
  EXPECT_FALSE(DecodeCitizens(R"({"items": {}})", "next_after").ok());
}

TEST(KombitAnswers, AnOverviewLeavesOutAndCountsTheItemsItCannotRead) {
  Json with_docs = CaseJson();
  with_docs["id"] = "c-2";
  with_docs["documents"] = Json::array();
  Json broken = CaseJson();
  broken.erase("status_history");
  Json broken_grant = GrantJson();
  broken_grant["period"] = "always";
  const Json overview = {{"cases", {{"items", {CaseJson(), broken, with_docs}}}},
                         {"grants", {{"items", {GrantJson(), broken_grant}}}}};
  const auto r = DecodeOverview(overview.dump());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->cases.size(), 2u);
  EXPECT_EQ(r->cases[0].value.id, "c-1");
  EXPECT_FALSE(r->cases[0].documents_shown);  // the index leaves documents out when they are not shown
  EXPECT_TRUE(r->cases[1].documents_shown);
  ASSERT_EQ(r->grants.size(), 1u);
  EXPECT_EQ(r->grants[0].id, "g-1");
  EXPECT_EQ(r->unreadable, 2);
}

TEST(KombitAnswers, AnItemIsTheKindAskedFor) {
  const auto c = DecodeItem("case", CaseJson().dump());
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  ASSERT_TRUE(std::holds_alternative<IndexCase>(*c));
  EXPECT_EQ(std::get<IndexCase>(*c).value.title, "Sygedagpenge");
  const auto g = DecodeItem("grant", GrantJson().dump());
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  ASSERT_TRUE(std::holds_alternative<Grant>(*g));
  EXPECT_FALSE(DecodeItem("grant", CaseJson().dump()).ok());  // a case is not a grant
}

TEST(KombitAnswers, APageOfCitizensKeepsWhereTheNextStarts) {
  const Json page = {{"items", {CitizenJson("7105851234", "1971-05-10")}}, {"next_after", "7105851234"}};
  const auto r = DecodeCitizens(page.dump(), "next_after");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->items.size(), 1u);
  EXPECT_EQ(r->next, "7105851234");
  const auto last = DecodeCitizens(Json{{"items", Json::array()}, {"next_offset", nullptr}}.dump(), "next_offset");
  ASSERT_TRUE(last.ok());
  EXPECT_TRUE(last->next.is_null());
}

}  // namespace
}  // namespace adda::borger
