#include "core/lru_cache.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace adda {
namespace {

std::shared_ptr<const int> Int(int v) { return std::make_shared<const int>(v); }

TEST(LruCache, ForgetsTheLeastRecentlyUsedWhenFull) {
  LruCache<int> c(2);
  c.Put("a", Int(1));
  c.Put("b", Int(2));
  ASSERT_EQ(*c.Find("a"), 1);  // a is now the most recent
  c.Put("c", Int(3));          // so b goes
  EXPECT_EQ(c.Find("b"), nullptr);
  EXPECT_EQ(*c.Find("a"), 1);
  EXPECT_EQ(*c.Find("c"), 3);
  EXPECT_EQ(c.size(), 2u);
  c.Put("a", Int(10));  // replacing does not grow it
  EXPECT_EQ(*c.Find("a"), 10);
  EXPECT_EQ(c.size(), 2u);
}

TEST(LruCache, PutIfAbsentNeverOverwritesWhatWasPutMeanwhile) {
  // The session cache's rule: a logout's revoked row, once put, is not replaced by a
  // read that started before the logout.
  LruCache<int> c(4);
  EXPECT_EQ(*c.PutIfAbsent("s", Int(1)), 1);
  c.Put("s", Int(2));
  EXPECT_EQ(*c.PutIfAbsent("s", Int(1)), 2);
  EXPECT_EQ(*c.Find("s"), 2);
}

TEST(LruCache, AValueHandedOutOutlivesItsEviction) {
  LruCache<int> c(1);
  c.Put("a", Int(1));
  auto held = c.Find("a");
  c.Put("b", Int(2));
  EXPECT_EQ(c.Find("a"), nullptr);
  EXPECT_EQ(*held, 1);
}

TEST(LruCache, ManyThreadsAtOnceKeepItWithinCapacity) {
  LruCache<int> c(64);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&c, t] {
      for (int i = 0; i < 5000; ++i) {
        const std::string key = std::to_string((i * 7 + t) % 200);
        c.Put(key, Int(i));
        if (auto v = c.Find(key)) EXPECT_GE(*v, 0);
      }
    });
  for (auto& th : threads) th.join();
  EXPECT_LE(c.size(), 64u);
}

}  // namespace
}  // namespace adda
