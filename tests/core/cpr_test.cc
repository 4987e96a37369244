#include "core/cpr.h"

#include <gtest/gtest.h>

namespace adda {
namespace {

struct CenturyCase {
  int yy, digit7, want;
};

// The century table of cpr.dk, with every edge.
TEST(CprCentury, TableEdges) {
  const CenturyCase cases[] = {
      {0, 0, 1900},  {99, 0, 1999}, {0, 3, 1900},  {99, 3, 1999},  // 0–3: 1900s
      {0, 4, 2000},  {36, 4, 2036}, {37, 4, 1937}, {99, 4, 1999},  // 4: 2000s up to 36
      {0, 9, 2000},  {36, 9, 2036}, {37, 9, 1937}, {99, 9, 1999},  // 9: same as 4
      {0, 5, 2000},  {57, 5, 2057}, {58, 5, 1858}, {99, 8, 1899},  // 5–8: 2000s up to 57
      {57, 8, 2057}, {58, 6, 1858}, {10, 7, 2010},
  };
  for (const auto& c : cases)
    EXPECT_EQ(CenturyYear(c.yy, c.digit7), c.want) << "yy=" << c.yy << " digit7=" << c.digit7;
}

TEST(CprParse, BothFormsAndUrn) {
  for (const char* s : {"110318-1234", "1103181234", "urn:oio:cpr-nr:1103181234"}) {
    auto r = Cpr::Parse(s);
    ASSERT_TRUE(r.ok()) << s << ": " << r.status().message();
    EXPECT_EQ(r->digits(), "1103181234");
    EXPECT_EQ(r->Formatted(), "110318-1234");
    EXPECT_EQ(r->birth_date(), Date::FromYmd(1918, 3, 11));  // digit 7 = 1 -> 1900s
    EXPECT_EQ(r->sex(), Sex::kFemale);                       // last digit even
    EXPECT_FALSE(r->is_substitute());
  }
}

TEST(CprParse, SexFromLastDigit) {
  EXPECT_EQ(Cpr::Parse("0101011231")->sex(), Sex::kMale);
  EXPECT_EQ(Cpr::Parse("0101011230")->sex(), Sex::kFemale);
}

TEST(CprParse, SubstituteNumbers) {
  auto r = Cpr::Parse("710318-4001");  // day 71 = 11 + 60, digit7 4 with yy 18 -> 2018
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->is_substitute());
  EXPECT_EQ(r->birth_date(), Date::FromYmd(2018, 3, 11));
  EXPECT_TRUE(Cpr::Parse("6101011234")->is_substitute());   // day 61 = 1st
  EXPECT_TRUE(Cpr::Parse("9112991234")->is_substitute());   // day 91 = 31st
  EXPECT_FALSE(Cpr::Parse("9202991234").ok());              // day 92 is neither
  EXPECT_FALSE(Cpr::Parse("3202991234").ok());              // day 32 does not exist
}

TEST(CprParse, NeverRejectsForModulus11) {
  // 0101011231 fails modulus 11 (sum 4*0+3*1+...); still a valid CPR since 2007.
  auto r = Cpr::Parse("0101011231");
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->PassesModulus11());
  auto good = Cpr::Parse("0707614285");  // a number that satisfies modulus 11
  ASSERT_TRUE(good.ok());
  EXPECT_TRUE(good->PassesModulus11());
}

TEST(CprParse, RejectsMalformed) {
  const char* bad[] = {"",           "123",          "11031812345",  "110318 1234", "1103181a34",
                       "110318--234", "0013181234",  "3113181234",   "2902991234",  "1100181234",
                       "urn:oio:cpr-nr:123", "-1103181234", "1103181234\n", "１１０３１８１２３４"};
  for (const char* s : bad) EXPECT_FALSE(Cpr::Parse(s).ok()) << "'" << s << "'";
}

TEST(CprParse, LeapDayDependsOnCentury) {
  EXPECT_TRUE(Cpr::Parse("2902004000").ok());   // 2000-02-29 (digit7 4, yy 00)
  EXPECT_FALSE(Cpr::Parse("2902000000").ok());  // 1900-02-29 does not exist
  EXPECT_TRUE(Cpr::Parse("8902004000").ok());   // substitute form of 2000-02-29
}

TEST(CprSubstitute, MakeRoundTripsAcrossCenturies) {
  const Date dates[] = {Date::FromYmd(1900, 1, 1), Date::FromYmd(1936, 2, 29), Date::FromYmd(1999, 12, 31),
                        Date::FromYmd(2000, 1, 1), Date::FromYmd(2018, 12, 11), Date::FromYmd(2036, 6, 30),
                        Date::FromYmd(2037, 1, 1), Date::FromYmd(2057, 12, 31), Date::FromYmd(1858, 1, 1)};
  for (Date d : dates) {
    for (int serial : {0, 1, 124, 125, 250, 499}) {
      for (Sex sex : {Sex::kFemale, Sex::kMale}) {
        auto cpr = Cpr::MakeSubstitute(d, sex, serial);
        ASSERT_TRUE(cpr.has_value()) << d.ToString() << " serial " << serial;
        EXPECT_TRUE(cpr->is_substitute());
        EXPECT_EQ(cpr->birth_date(), d);
        EXPECT_EQ(cpr->sex(), sex);
        auto parsed = Cpr::Parse(cpr->digits());
        ASSERT_TRUE(parsed.ok());
        EXPECT_EQ(parsed->birth_date(), d);
      }
    }
  }
  EXPECT_FALSE(Cpr::MakeSubstitute(Date::FromYmd(2018, 1, 1), Sex::kMale, 500).has_value());
  EXPECT_FALSE(Cpr::MakeSubstitute(Date::FromYmd(1800, 1, 1), Sex::kMale, 0).has_value());
}

TEST(CprSubstitute, DistinctSerialsGiveDistinctNumbers) {
  std::set<std::string> seen;
  for (int serial = 0; serial < 500; ++serial)
    for (Sex sex : {Sex::kFemale, Sex::kMale})
      EXPECT_TRUE(seen.insert(Cpr::MakeSubstitute(Date::FromYmd(1985, 7, 4), sex, serial)->digits()).second);
}

TEST(CprMask, HidesSerial) { EXPECT_EQ(Cpr::Parse("7103184001")->Masked(), "710318-XXXX"); }

}  // namespace
}  // namespace adda
