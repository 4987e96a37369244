#include "core/lru_cache.h"

#include <gtest/gtest.h>

#include <atomic>
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
  // Every value put under key k is i * kKeys + k, so whatever a Find returns must belong
  // to the key it was asked for; a mix-up under contention shows as a wrong remainder.
  constexpr int kKeys = 200, kThreads = 4, kTurns = 5000;
  constexpr size_t kCapacity = 64;
  LruCache<int> c(kCapacity);
  std::atomic<int> wrong{0}, over_capacity{0};
  std::vector<int> hits(kThreads, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < kTurns; ++i) {
        const int k = (i * 7 + t) % kKeys;
        const std::string key = std::to_string(k);
        c.Put(key, Int(i * kKeys + k));
        if (c.size() > kCapacity) ++over_capacity;
        if (auto v = c.Find(key)) {
          ++hits[t];
          if (*v % kKeys != k || *v / kKeys >= kTurns) ++wrong;
        }
      }
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_EQ(over_capacity.load(), 0);
  // A key just put is found unless 64 other keys were put in between: a thread may miss
  // now and then when it is preempted, never on every turn.
  for (int t = 0; t < kThreads; ++t) EXPECT_GT(hits[t], 0) << "thread " << t;
  // 200 keys went through a cache of 64: it is full, and holds exactly 64 of them.
  EXPECT_EQ(c.size(), kCapacity);
  size_t found = 0;
  for (int k = 0; k < kKeys; ++k) {
    if (auto v = c.Find(std::to_string(k))) {
      ++found;
      EXPECT_EQ(*v % kKeys, k) << "key " << k;
    }
  }
  EXPECT_EQ(found, kCapacity);
}

}  // namespace
}  // namespace adda
