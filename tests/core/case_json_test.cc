#include <gtest/gtest.h>

#include "core/benefit.h"
#include "core/case.h"
#include "core/citizen.h"

namespace adda {
namespace {

const char* kCaseJson = R"({
  "id": "3f2b8a1e-6c1d-4b8e-9a7f-0c1d2e3f4a5b",
  "municipality": 751,
  "case_number": "15.17.06-G01-000042-18",
  "title": "Sygedagpengeopfølgning",
  "description": "Sag om sygedagpenge",
  "legal_basis": "Lov om sygedagpenge",
  "sensitivity": "FORTROLIGE_PERSONOPLYSNINGER",
  "local_status": "Helbredsoplysninger indhentet",
  "status_history": [
    {"status": "Opstaaet", "from": "2018-05-12", "to": "2018-06-22"},
    {"status": "Oplyst", "from": "2018-06-22", "to": null}
  ],
  "kle": {"subject": "15.17.06", "facet": "G01"},
  "responsible_unit": "Jobcenter Aarhus",
  "caseworker": "ABC",
  "primary_party": "urn:oio:cpr-nr:7105851234",
  "documents": [
    {"id": "d1", "title": "Lægeerklæring", "letter_date": "2018-06-01", "type": "Brev, indgaaende", "status": "Modtaget"}
  ],
  "decision": null,
  "deliverer": "municipality",
  "version": 3
})";

TEST(CaseJson, RoundTripsTheWireFormat) {
  const auto in = nlohmann::json::parse(kCaseJson);
  std::vector<Violation> v;
  Case c = DecodeCase(in, &v);
  ASSERT_TRUE(v.empty()) << v.front().field << " " << v.front().message;
  EXPECT_EQ(c.status_history.size(), 2u);
  EXPECT_EQ(c.current_status(), CaseStatus::kOplyst);
  EXPECT_EQ(c.caseworker, "ABC");
  EXPECT_EQ(nlohmann::json(c), in);
}

TEST(CaseJson, IndexViewNeverShowsCaseworker) {
  Case c = nlohmann::json::parse(kCaseJson).get<Case>();
  const auto view = CaseIndexView(c, true);
  EXPECT_FALSE(view.contains("caseworker"));
  EXPECT_TRUE(view.contains("documents"));
  EXPECT_FALSE(CaseIndexView(c, false).contains("documents"));
}

TEST(CaseJson, DecodeListsEveryStructuralProblem) {
  auto j = nlohmann::json::parse(kCaseJson);
  j["title"] = 42;                                    // wrong type
  j["case_number"] = std::string(51, 'x');            // too long
  j["sensitivity"] = "HEMMELIG";                      // not an enum value
  j["status_history"][1]["from"] = "2018-02-30";      // not a date
  j.erase("primary_party");                           // missing
  j["documents"][0]["type"] = "Mail";                 // not a document type
  std::vector<Violation> v;
  DecodeCase(j, &v);
  std::set<std::pair<std::string, std::string>> got;
  for (const auto& x : v) got.insert({x.rule, x.field});
  const std::set<std::pair<std::string, std::string>> want = {
      {"field.type", "title"},
      {"field.length", "case_number"},
      {"field.enum", "sensitivity"},
      {"field.date", "status_history[1].from"},
      {"field.required", "primary_party"},
      {"field.enum", "documents[0].type"}};
  EXPECT_EQ(got, want);
}

TEST(CaseJson, NonObjectIsOneClearViolation) {
  std::vector<Violation> v;
  DecodeCase(nlohmann::json::array(), &v);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].rule, "field.type");
}

const char* kGrantJson = R"({
  "id": "g-1",
  "municipality": 561,
  "case_id": "c-1",
  "recipient": "urn:oio:cpr-nr:7105851234",
  "period": {"start": "2018-01-01", "end": null},
  "reason": "Folkepension",
  "sensitivity": "FORTROLIGE_PERSONOPLYSNINGER",
  "responsible_unit": "Pension og Boligstøtte",
  "deliverer": "udbetaling_danmark",
  "benefits": [{
    "id": "b-1", "name": "Folkepension", "kle": "32.03.04", "reason": "Bevilget",
    "start": "2018-01-01", "end": null, "repayable": false,
    "plan": {"start": "2018-01-01", "end": null, "frequency": "Maanedlig", "timing": "Bagud",
             "disposition": "Sidste bankdag i maaneden", "amount": 6694.0}
  }],
  "payments": [{
    "id": "p-1", "benefit_id": "b-1", "period": {"start": "2018-11-01", "end": "2018-11-30"},
    "gross": 6694.0, "after_tax": 4552.5, "sent": 4552.5, "paid": 4552.5, "disposition_date": "2018-11-30"
  }],
  "version": 1
})";

TEST(GrantJson, RoundTripsTheWireFormat) {
  const auto in = nlohmann::json::parse(kGrantJson);
  std::vector<Violation> v;
  Grant g = DecodeGrant(in, &v);
  ASSERT_TRUE(v.empty()) << v.front().field << " " << v.front().message;
  EXPECT_EQ(g.payments[0].after_tax.ore, 455250);
  EXPECT_EQ(g.benefits[0].plan->amount.ToDanish(), "6.694,00 kr.");
  EXPECT_EQ(nlohmann::json(g), in);
}

TEST(GrantJson, AmountsMustBeNumbers) {
  auto j = nlohmann::json::parse(kGrantJson);
  j["payments"][0]["gross"] = "6694";
  std::vector<Violation> v;
  DecodeGrant(j, &v);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].field, "payments[0].gross");
}

TEST(CitizenJson, RoundTrips) {
  Citizen c;
  c.cpr = "7105851234";
  c.municipality = 751;
  c.first_name = "Mette";
  c.last_name = "Sørensen";
  c.birth_date = Date::FromYmd(1985, 5, 11);
  c.mother = "6101601234";
  nlohmann::json j = c;
  EXPECT_EQ(j["sex"], "K");
  EXPECT_EQ(j.get<Citizen>().mother, c.mother);
  EXPECT_EQ(nlohmann::json(j.get<Citizen>()), j);
}

TEST(Money, DanishFormat) {
  EXPECT_EQ(Money{0}.ToDanish(), "0,00 kr.");
  EXPECT_EQ(Money{5}.ToDanish(), "0,05 kr.");
  EXPECT_EQ(Money{123456789}.ToDanish(), "1.234.567,89 kr.");
  EXPECT_EQ(Money{-100000}.ToDanish(), "-1.000,00 kr.");
  EXPECT_EQ(Money::FromDkk(19.99).ore, 1999);
  EXPECT_FALSE(Money::FromDkkChecked(1e300).has_value());
}

}  // namespace
}  // namespace adda
