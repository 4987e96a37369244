#include "core/random.h"

#include <gtest/gtest.h>

#include "core/ids.h"

namespace adda {
namespace {

TEST(Random, SameSeedSameStream) {
  Rng a(42), b(42), c(43);
  for (int i = 0; i < 100; ++i) {
    const auto x = a.Next();
    EXPECT_EQ(x, b.Next());
    EXPECT_NE(x, c.Next());
  }
}

TEST(Random, DerivedSeedsDependOnLabelAndIndex) {
  EXPECT_EQ(DeriveSeed(1, "citizen", 5), DeriveSeed(1, "citizen", 5));
  EXPECT_NE(DeriveSeed(1, "citizen", 5), DeriveSeed(1, "citizen", 6));
  EXPECT_NE(DeriveSeed(1, "citizen", 5), DeriveSeed(1, "case", 5));
  EXPECT_NE(DeriveSeed(1, "citizen", 5), DeriveSeed(2, "citizen", 5));
}

TEST(Random, BetweenStaysInBoundsAndCoversThem) {
  Rng r(7);
  std::set<int64_t> seen;
  for (int i = 0; i < 2000; ++i) {
    const auto v = r.Between(-2, 2);
    ASSERT_GE(v, -2);
    ASSERT_LE(v, 2);
    seen.insert(v);
  }
  EXPECT_EQ(seen.size(), 5u);
}

TEST(Random, WeightedPickFollowsWeights) {
  Rng r(9);
  WeightedTable t({1.0, 0.0, 3.0});
  int counts[3] = {0, 0, 0};
  for (int i = 0; i < 40000; ++i) ++counts[t.Pick(r)];
  EXPECT_EQ(counts[1], 0);
  EXPECT_NEAR(counts[2] / 40000.0, 0.75, 0.02);
}

TEST(Ids, UuidShapeAndSafeIds) {
  Rng r(1);
  const auto u = MakeUuid(r);
  EXPECT_TRUE(IsUuid(u)) << u;
  EXPECT_EQ(u[14], '4');
  for (const char* ok : {"a", "case-1", "3f2b8a1e-6c1d-4b8e-9a7f-0c1d2e3f4a5b", "x.y_z"}) EXPECT_TRUE(IsSafeId(ok)) << ok;
  for (const std::string& bad : {std::string(), std::string("."), std::string(".."), std::string("a/b"),
                                std::string("a b"), std::string("1;DROP"), std::string("x'--"), std::string(65, 'a')})
    EXPECT_FALSE(IsSafeId(bad)) << bad;
}

}  // namespace
}  // namespace adda
