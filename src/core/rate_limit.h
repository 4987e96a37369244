#pragma once
// A per-key sliding-window limit: at most `limit` events per key within `window_s`
// seconds. Pure (the caller passes the time), so tests drive it with their own clock;
// thread-safe. Keys whose window has emptied are forgotten, so memory stays bounded by
// the keys active within one window.
#include <algorithm>
#include <cstdint>
#include <iterator>
#include <deque>
#include <mutex>
#include <string>
#include <unordered_map>

namespace adda {

class RateLimiter {
 public:
  RateLimiter(int limit, int64_t window_s) : limit_(limit), window_s_(window_s) {}

  // Counts one event for `key` at `now` (seconds) and returns 0, or, when the key is
  // over its limit, counts nothing and returns the seconds until it may try again (>= 1).
  int64_t Take(const std::string& key, int64_t now) {
    std::lock_guard<std::mutex> lock(mu_);
    if (++calls_ % 4096 == 0) Forget(now);
    auto& times = events_[key];
    while (!times.empty() && times.front() <= now - window_s_) times.pop_front();
    if (static_cast<int>(times.size()) >= limit_) return std::max<int64_t>(1, times.front() + window_s_ - now);
    times.push_back(now);
    return 0;
  }

  int limit() const { return limit_; }
  int64_t window_s() const { return window_s_; }

 private:
  void Forget(int64_t now) {
    for (auto it = events_.begin(); it != events_.end();)
      it = !it->second.empty() && it->second.back() > now - window_s_ ? std::next(it) : events_.erase(it);
  }

  const int limit_;
  const int64_t window_s_;
  std::mutex mu_;
  uint64_t calls_ = 0;
  std::unordered_map<std::string, std::deque<int64_t>> events_;
};

}  // namespace adda
