#include "core/lifecycle.h"

#include <gtest/gtest.h>

namespace adda {
namespace {

using S = CaseStatus;
const Date kToday = GoLiveDate();
Date D(const char* s) { return *Date::Parse(s); }

std::vector<std::string> Rules(const std::vector<Violation>& v) {
  std::vector<std::string> out;
  for (const auto& x : v) out.push_back(x.rule);
  return out;
}

TEST(Lifecycle, TransitionTable) {
  struct Row {
    S from, to;
    bool reopened, legal;
  };
  const Row rows[] = {
      {S::kOpstaaet, S::kOplyst, false, true},    {S::kOplyst, S::kAfgjort, false, true},
      {S::kAfgjort, S::kAfsluttet, false, true},  {S::kOpstaaet, S::kAfgjort, false, true},   // skip
      {S::kOpstaaet, S::kAfsluttet, false, true}, {S::kOplyst, S::kOpstaaet, false, false},  // back
      {S::kAfsluttet, S::kOplyst, false, false},  {S::kAfsluttet, S::kOplyst, true, true},    // reopen
      {S::kAfgjort, S::kAfgjort, false, false},   {S::kAfgjort, S::kAfgjort, true, true},
  };
  for (const auto& r : rows)
    EXPECT_EQ(IsLegalTransition(r.from, r.to, r.reopened), r.legal)
        << ToString(r.from) << " -> " << ToString(r.to) << (r.reopened ? " (reopened)" : "");
}

TEST(Lifecycle, DomainExampleIsValid) {
  // DOMAIN.md: Opstaaet 2019-05-12, Oplyst 2019-06-22, Afgjort 2019-08-05.
  std::vector<StatusPeriod> h = {{S::kOpstaaet, D("2019-05-12"), D("2019-06-22")},
                                 {S::kOplyst, D("2019-06-22"), D("2019-08-05")},
                                 {S::kAfgjort, D("2019-08-05"), std::nullopt}};
  auto check = CheckHistory(h, D("2019-09-01"));
  EXPECT_TRUE(check.errors.empty());
  EXPECT_TRUE(check.warnings.empty());
}

TEST(Lifecycle, FirstImportMustStartWithOpstaaet) {
  std::vector<StatusPeriod> h = {{S::kOplyst, D("2018-01-01"), std::nullopt}};
  EXPECT_EQ(Rules(CheckHistory(h, kToday).errors), std::vector<std::string>{kRuleStartsOpstaaet});
  EXPECT_EQ(Rules(CheckHistory({}, kToday).errors), std::vector<std::string>{kRuleStartsOpstaaet});
}

TEST(Lifecycle, ReportsEveryProblemNotJustTheFirst) {
  std::vector<StatusPeriod> h = {{S::kOplyst, D("2018-03-01"), std::nullopt},          // not Opstaaet; open
                                 {S::kOpstaaet, D("2018-02-01"), D("2018-04-01")},     // before; backwards
                                 {S::kAfgjort, D("2019-01-01"), std::nullopt}};        // future (overlap too)
  auto rules = Rules(CheckHistory(h, kToday).errors);
  for (const char* want : {kRuleStartsOpstaaet, kRuleSingleOpen, kRuleOrdered, kRuleNoBackwards, kRuleNotFuture})
    EXPECT_NE(std::find(rules.begin(), rules.end(), want), rules.end()) << want;
}

TEST(Lifecycle, OverlapIsAnErrorAndGapAWarning) {
  std::vector<StatusPeriod> overlap = {{S::kOpstaaet, D("2018-01-01"), D("2018-03-01")},
                                       {S::kOplyst, D("2018-02-01"), std::nullopt}};
  EXPECT_EQ(Rules(CheckHistory(overlap, kToday).errors), std::vector<std::string>{kRuleNoOverlap});
  std::vector<StatusPeriod> gap = {{S::kOpstaaet, D("2018-01-01"), D("2018-01-15")},
                                   {S::kOplyst, D("2018-02-01"), std::nullopt}};
  auto check = CheckHistory(gap, kToday);
  EXPECT_TRUE(check.errors.empty());
  EXPECT_EQ(Rules(check.warnings), std::vector<std::string>{kRuleNoGap});
}

TEST(Lifecycle, ReopeningAllowsBackwardsMove) {
  std::vector<StatusPeriod> h = {{S::kOpstaaet, D("2018-01-01"), D("2018-02-01")},
                                 {S::kAfsluttet, D("2018-02-01"), D("2018-06-01")},
                                 {S::kOplyst, D("2018-06-01"), std::nullopt, true}};
  EXPECT_TRUE(CheckHistory(h, kToday).errors.empty());
}

TEST(Lifecycle, AppendClosesOpenPeriod) {
  std::vector<StatusPeriod> h = {{S::kOpstaaet, D("2018-01-01"), std::nullopt}};
  ASSERT_TRUE(AppendStatus(&h, {S::kOplyst, D("2018-02-01"), std::nullopt}, kToday).ok());
  ASSERT_EQ(h.size(), 2u);
  EXPECT_EQ(h[0].to, D("2018-02-01"));
  EXPECT_FALSE(h[1].to.has_value());
  EXPECT_TRUE(CheckHistory(h, kToday).errors.empty());
}

TEST(Lifecycle, AppendRefusesIllegalMovesAndLeavesHistoryAlone) {
  std::vector<StatusPeriod> h = {{S::kOpstaaet, D("2018-01-01"), D("2018-02-01")},
                                 {S::kAfgjort, D("2018-02-01"), std::nullopt}};
  const auto before = h.size();
  auto s = AppendStatus(&h, {S::kOplyst, D("2018-03-01"), std::nullopt}, kToday);
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(Rules(s.violations()), std::vector<std::string>{kRuleNoBackwards});
  EXPECT_EQ(h.size(), before);
  EXPECT_FALSE(h.back().to.has_value());
  auto earlier = AppendStatus(&h, {S::kAfsluttet, D("2018-01-15"), std::nullopt}, kToday);
  EXPECT_EQ(Rules(earlier.violations()), std::vector<std::string>{kRuleOrdered});
  auto future = AppendStatus(&h, {S::kAfsluttet, D("2019-01-15"), std::nullopt}, kToday);
  EXPECT_EQ(Rules(future.violations()), std::vector<std::string>{kRuleNotFuture});
}

TEST(Lifecycle, StaleOnlyWhileUndecided) {
  Case c;
  c.status_history = {{S::kOpstaaet, D("2017-01-01"), D("2017-06-01")}, {S::kOplyst, D("2017-06-01"), std::nullopt}};
  EXPECT_TRUE(IsStale(c, kToday));
  c.status_history.back().status = S::kAfgjort;  // decided long ago: not stale
  EXPECT_FALSE(IsStale(c, kToday));
  c.status_history = {{S::kOpstaaet, D("2018-06-01"), std::nullopt}};
  EXPECT_FALSE(IsStale(c, kToday));
}

}  // namespace
}  // namespace adda
