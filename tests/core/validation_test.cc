#include "core/validation.h"

#include <gtest/gtest.h>

#include "core/fixtures.h"

namespace adda {
namespace {

Date D(const char* s) { return *Date::Parse(s); }

class ValidationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    kle_ = KleCatalogue::FromJson(nlohmann::json::parse(EmbeddedFixture("kle"))).value();
    ctx_.kle = &kle_;
    ctx_.jargon = &jargon_;
    ctx_.today = GoLiveDate();
    c_.id = "case-1";
    c_.municipality = 751;
    c_.case_number = "1";
    c_.title = "Hjælp i hjemmet";
    c_.sensitivity = "FORTROLIGE_PERSONOPLYSNINGER";
    c_.status_history = {{CaseStatus::kOpstaaet, D("2018-10-01"), std::nullopt}};
    c_.kle_subject = "27.36.04";
    c_.kle_facet = "G01";
    c_.responsible_unit = "Ældre og Sundhed";
    c_.primary_party = "urn:oio:cpr-nr:7105401234";
    c_.deliverer = Deliverer::kMunicipality;
  }
  std::set<std::string> Rules(const std::vector<Violation>& v) {
    std::set<std::string> out;
    for (const auto& x : v) out.insert(x.rule);
    return out;
  }
  KleCatalogue kle_;
  std::vector<std::string> jargon_ = {"jf.", "SDP", "stk."};
  ValidationContext ctx_;
  Case c_;
};

TEST_F(ValidationTest, CleanCasePasses) {
  auto r = ValidateCase(c_, ctx_);
  EXPECT_TRUE(r.errors.empty());
  EXPECT_TRUE(r.warnings.empty()) << r.warnings.front().rule;
}

TEST_F(ValidationTest, WarningsAreAcceptedButReported) {
  c_.responsible_unit.reset();
  c_.kle_subject = "32.18.04";  // well-formed, not in the catalogue
  c_.title = "SDP-opf. jf. § 7";
  c_.primary_party = "urn:oio:cpr-nr:1105401234";  // not a substitute number
  auto r = ValidateCase(c_, ctx_);
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(Rules(r.warnings), (std::set<std::string>{"unit.set", "kle.subject_known", "title.no_jargon",
                                                      "party.cpr_substitute"}));
}

TEST_F(ValidationTest, ErrorsReject) {
  c_.kle_subject = "27.36";
  c_.kle_facet = "G1";
  c_.primary_party = "cpr:7105401234";
  c_.id = "../etc/passwd";
  auto r = ValidateCase(c_, ctx_);
  EXPECT_EQ(Rules(r.errors), (std::set<std::string>{"kle.subject_format", "kle.facet_format", "party.cpr_urn", "field.id"}));
}

TEST_F(ValidationTest, AnotherMunicipalitysItemIsRefused) {
  ctx_.municipality = 561;
  EXPECT_EQ(Rules(ValidateCase(c_, ctx_).errors), std::set<std::string>{"owner.municipality"});
}

TEST_F(ValidationTest, JargonMatchesWholeTokensOnly) {
  EXPECT_EQ(FindJargon("Opfølgning jf. lov", jargon_), "jf.");
  EXPECT_EQ(FindJargon("SDP-opf.", jargon_), "SDP");
  EXPECT_EQ(FindJargon("Sdp sag", jargon_), "SDP");
  EXPECT_EQ(FindJargon("Udbetaling af sygedagpenge", jargon_), "");  // 'sdp' inside no word
  EXPECT_EQ(FindJargon("Hjælp i hjemmet", jargon_), "");
}

TEST_F(ValidationTest, GrantAmountsAndLinks) {
  Grant g;
  g.id = "g";
  g.municipality = 751;
  g.recipient = c_.primary_party;
  g.sensitivity = "FORTROLIGE_PERSONOPLYSNINGER";
  g.responsible_unit = "Jobcenter";
  g.deliverer = Deliverer::kMunicipality;
  g.start = D("2018-01-01");
  GrantedBenefit b;
  b.id = "b";
  b.name = "Kontanthjælp";
  b.kle = "32.24.04";
  b.start = D("2018-01-01");
  g.benefits.push_back(b);
  Payment p;
  p.id = "p";
  p.benefit_id = "b";
  p.period_start = D("2018-11-01");
  p.period_end = D("2018-11-30");
  p.gross = Money{1000000};
  p.after_tax = Money{700000};
  p.sent = p.after_tax;
  p.paid = p.after_tax;
  p.disposition_date = D("2018-11-30");
  g.payments.push_back(p);
  auto ok = ValidateGrant(g, ctx_);
  EXPECT_TRUE(ok.errors.empty());
  EXPECT_TRUE(ok.warnings.empty());

  g.payments[0].paid = Money{800000};  // paid more than after tax
  g.payments.push_back(p);             // duplicate id
  g.payments.back().benefit_id = "nope";
  g.payments.back().period_start = D("2017-11-01");  // before the grant
  auto bad = ValidateGrant(g, ctx_);
  EXPECT_EQ(Rules(bad.errors), (std::set<std::string>{"payment.amounts", "payment.unique_id", "payment.benefit_link"}));
  EXPECT_EQ(Rules(bad.warnings), std::set<std::string>{"payment.in_period"});

  g.start.reset();
  EXPECT_TRUE(Rules(ValidateGrant(g, ctx_).warnings).count("grant.period"));
}

}  // namespace
}  // namespace adda
