#include "core/csv.h"

#include <gtest/gtest.h>

namespace adda {
namespace {

TEST(CsvField, QuotingFollowsRfc4180) {
  EXPECT_EQ(CsvField("plain æøå"), "plain æøå");
  EXPECT_EQ(CsvField(""), "");
  EXPECT_EQ(CsvField("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvField("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(CsvField("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(CsvField("cr in the middle\r"), "\"cr in the middle\r\"");
}

// OWASP's CSV injection guidance: a cell a spreadsheet would evaluate starts with an
// apostrophe, and the cell is quoted so the apostrophe stays part of the text.
TEST(CsvField, FormulaTriggersAreNeutralised) {
  struct Row {
    const char* in;
    const char* out;
  } rows[] = {
      {"=HYPERLINK(\"http://x\",\"klik\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"klik\"\")\""},
      {"=1+1", "\"'=1+1\""},
      {"+45 12 34 56 78", "\"'+45 12 34 56 78\""},
      {"-2+3+cmd|' /C calc'!A0", "\"'-2+3+cmd|' /C calc'!A0\""},
      {"@SUM(A1:A9)", "\"'@SUM(A1:A9)\""},
      {"\t=1", "\"'\t=1\""},
      {"\r=1", "\"'\r=1\""},
      {"-", "\"'-\""},
      {"=", "\"'=\""},
  };
  for (const Row& r : rows) {
    EXPECT_TRUE(CsvNeedsNeutralising(r.in)) << r.in;
    EXPECT_EQ(CsvField(r.in), r.out) << r.in;
  }
}

TEST(CsvField, PlainNumbersAndHarmlessTextStayAsTheyAre) {
  for (const char* v : {"-12.5", "+3", "-0", "42", "0.25", "ok = fint", "a-b", "mail@example.org"}) {
    EXPECT_FALSE(CsvNeedsNeutralising(v)) << v;
    EXPECT_EQ(CsvField(v), v);
  }
  // Not a number: two dots, a trailing sign, an exponent; these are neutralised.
  for (const char* v : {"-1.2.3", "-1e5", "+-1", "-."}) EXPECT_TRUE(CsvNeedsNeutralising(v)) << v;
}

}  // namespace
}  // namespace adda
