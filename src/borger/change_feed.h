// borger.dk's follower of KOMBIT's change feed (GET /v1/changes, a long poll after the
// pattern of KOMBIT's Beskedfordeler). It answers one question: may a citizen's data
// have changed since a stamp was taken? With it, an overview explained once can be
// shown again without asking KOMBIT, for as long as no change to that citizen arrives.
//
// The feed vouches for nothing unless it is live: its last poll succeeded within the
// long-poll wait plus a margin, and it has caught up with KOMBIT's newest change. When
// it is not live (KOMBIT down, slow, or answering errors), every read goes to KOMBIT as
// if there were no feed. Continuity is tracked by cursor; when it is lost (KOMBIT came
// back on another database, or too many citizens changed to remember) every stamp taken
// before is void. Thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "core/clock.h"

namespace adda::borger {

struct ChangeFeedOptions {
  std::string kombit;  // http://host:port
  std::string token;   // KOMBIT system key
  std::chrono::milliseconds wait{250};     // how long KOMBIT holds a poll open without news
  std::chrono::milliseconds margin{750};   // a poll answered later than wait + margin: not live
  std::chrono::milliseconds retry{200};    // pause after a failed poll
  size_t max_tracked = 200000;             // citizens remembered as changed; beyond, start over
  const Clock* clock = &SystemClock();     // liveness: Ticks since the last good poll
};

class ChangeFeed {
 public:
  // Where a reader stood: take one *before* reading a citizen's data from KOMBIT.
  struct Stamp {
    uint64_t epoch = 0;
    uint64_t seen = 0;
  };

  // Starts following at once in a background thread; the destructor stops it.
  explicit ChangeFeed(ChangeFeedOptions options);
  ~ChangeFeed();
  ChangeFeed(const ChangeFeed&) = delete;
  ChangeFeed& operator=(const ChangeFeed&) = delete;

  Stamp Take() const;
  // True only when the feed is live, continuity held since `stamp`, and no change for
  // `cpr` has arrived since it was taken.
  bool Unchanged(const std::string& cpr, const Stamp& stamp) const;
  bool live() const;
  nlohmann::json Health() const;  // for /health: live, cursor, changes applied

 private:
  bool LiveLocked() const;
  void Run();
  void Restart(const std::string& feed, int64_t cursor);  // with mu_ held

  const ChangeFeedOptions options_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;                                    // guarded by mu_
  bool caught_up_ = false;                               // guarded by mu_
  uint64_t epoch_ = 0;                                   // guarded by mu_
  uint64_t applied_ = 0;                                 // guarded by mu_
  std::unordered_map<std::string, uint64_t> changed_at_;  // cpr -> applied_ at its last change
  std::optional<int64_t> cursor_;                        // guarded by mu_
  std::string feed_;                                     // guarded by mu_
  int64_t last_ok_ = 0;                                  // guarded by mu_: the clock's Ticks
  int64_t polls_failed_ = 0;                             // guarded by mu_
  int64_t fell_behind_ = 0;  // guarded by mu_: KOMBIT no longer kept what came after the cursor
  std::thread thread_;
};

}  // namespace adda::borger
