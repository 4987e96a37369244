// borger.dk's citizen rules, table by table (src/core/policy.h).
#include <gtest/gtest.h>

#include "core/policy.h"

namespace adda {
namespace {

Date D(const char* iso) { return *Date::Parse(iso); }

TEST(Policy, WhoMayActForWhomOnADate) {
  const std::string me = "0101701234", child = "1505101234", adult_child = "0101001234", other = "0202801234";
  const std::vector<ChildLink> children = {{child, D("2010-05-15")}, {adult_child, D("2000-01-01")}};
  const int64_t now = 1'544'515'200;  // 2018-12-11T08:00:00Z
  const std::vector<PowerOfAttorney> held = {
      {"p-expired", other, me, {"27"}, now - 1, false},
      {"p-revoked", other, me, {"27"}, now + 86400, true},
      {"p-for-someone-else", other, "0303901234", {"27"}, now + 86400, false},
      {"p-ok", other, me, {"32", "27"}, now + 86400, false},
  };
  struct Row {
    const char* what;
    std::string them;
    Date today;
    Authority::Kind kind;
  };
  const std::vector<Row> table = {
      {"myself", me, D("2018-12-11"), Authority::Kind::kSelf},
      {"my minor child", child, D("2018-12-11"), Authority::Kind::kParent},
      {"my child on the day before the 18th birthday", child, D("2028-05-14"), Authority::Kind::kParent},
      {"my child on the 18th birthday", child, D("2028-05-15"), Authority::Kind::kNone},
      {"my adult child", adult_child, D("2018-12-11"), Authority::Kind::kNone},
      {"someone who gave me a power in force", other, D("2018-12-11"), Authority::Kind::kProxy},
      {"a stranger", "0404601234", D("2018-12-11"), Authority::Kind::kNone},
  };
  for (const auto& r : table) {
    const Authority a = AuthorityOver(me, r.them, children, held, r.today, now);
    EXPECT_EQ(a.kind, r.kind) << r.what;
    EXPECT_EQ(a.allowed(), r.kind != Authority::Kind::kNone) << r.what;
  }
  const Authority proxy = AuthorityOver(me, other, children, held, D("2018-12-11"), now);
  EXPECT_EQ(proxy.proxy_id, "p-ok") << "expired, revoked and other people's powers are passed over";
  ASSERT_TRUE(proxy.areas);
  EXPECT_EQ(*proxy.areas, (std::vector<std::string>{"32", "27"}));
  EXPECT_FALSE(AuthorityOver(me, me, {}, {}, D("2018-12-11"), now).areas) << "oneself: every area";
  // A power ends at its second: in force one second before, not at it.
  const std::vector<PowerOfAttorney> one = {{"p", other, me, {"32"}, now, false}};
  EXPECT_EQ(AuthorityOver(me, other, {}, one, D("2018-12-11"), now - 1).kind, Authority::Kind::kProxy);
  EXPECT_EQ(AuthorityOver(me, other, {}, one, D("2018-12-11"), now).kind, Authority::Kind::kNone);
  // Custody comes first: a parent who also holds a power acts as the parent, with every area.
  const std::vector<PowerOfAttorney> from_child = {{"p-child", child, me, {"32"}, now + 60, false}};
  const Authority both = AuthorityOver(me, child, children, from_child, D("2018-12-11"), now);
  EXPECT_EQ(both.kind, Authority::Kind::kParent);
  EXPECT_FALSE(both.areas);
}

TEST(Policy, WhichItemsAnActorSees) {
  const std::optional<std::vector<std::string>> all;
  const std::optional<std::vector<std::string>> family = std::vector<std::string>{"27", "32"};
  struct Row {
    const char* what;
    std::string party, kle;
    std::optional<std::vector<std::string>> areas;
    bool seen;
  };
  const std::string urn = "urn:oio:cpr-nr:0101701234";
  const std::vector<Row> table = {
      {"my own case, no area limit", urn, "32.18.04", all, true},
      {"in a power's main group", urn, "32.18.04", family, true},
      {"the main group itself", urn, "27", family, true},
      {"outside the power's groups", urn, "15.00.00", family, false},
      {"a number that only starts with the group's digits", urn, "320.1", family, false},
      {"no KLE number under a power", urn, "", family, false},
      {"no KLE number, no limit", urn, "", all, true},
      {"someone else's item", "urn:oio:cpr-nr:0202801234", "32.18.04", all, false},
      {"a bare CPR instead of the URN", "0101701234", "32.18.04", all, false},
  };
  for (const auto& r : table) EXPECT_EQ(MaySee("0101701234", r.party, r.kle, r.areas), r.seen) << r.what;
}

TEST(Policy, FailedLoginsLockForAWindowAndThenStartOver) {
  const ThrottleRule rule{5, 900};
  ThrottleState s;
  const int64_t t0 = 1'000'000;
  for (int i = 1; i <= 4; ++i) {
    s = AfterFailedLogin(s, rule, t0 + i);
    EXPECT_EQ(s.failures, i);
    EXPECT_EQ(LoginRetryAfter({s}, t0 + i), 0) << "not locked after " << i << " failures";
  }
  EXPECT_EQ(s.window_start, t0 + 1) << "the window starts at the first failure";
  s = AfterFailedLogin(s, rule, t0 + 5);
  EXPECT_EQ(s.locked_until, t0 + 5 + 900) << "the fifth failure locks for a window";
  EXPECT_EQ(LoginRetryAfter({s}, t0 + 5), 900);
  EXPECT_EQ(LoginRetryAfter({s}, t0 + 5 + 899), 1);
  EXPECT_EQ(LoginRetryAfter({s}, t0 + 5 + 900), 0);
  // A failure after the window has passed counts from one again.
  const ThrottleState later = AfterFailedLogin(s, rule, t0 + 1 + 901);
  EXPECT_EQ(later.failures, 1);
  EXPECT_EQ(later.window_start, t0 + 1 + 901);
  // Failures spread thinner than the window never lock.
  ThrottleState slow;
  for (int i = 0; i < 20; ++i) slow = AfterFailedLogin(slow, rule, t0 + i * 1000);
  EXPECT_EQ(slow.locked_until, 0);
  // The longest lock of several (the CPR's and the client's) decides.
  ThrottleState a, b;
  a.locked_until = t0 + 10;
  b.locked_until = t0 + 300;
  EXPECT_EQ(LoginRetryAfter({a, b}, t0), 300);
  EXPECT_EQ(LoginRetryAfter({}, t0), 0);
  EXPECT_TRUE(ThrottleState{}.empty());
  EXPECT_FALSE(a.empty());
}

}  // namespace
}  // namespace adda
