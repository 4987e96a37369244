// A bounded map from string keys to shared, immutable values that forgets the least
// recently used entry when full. Thread-safe: every call takes one internal mutex for a
// few pointer moves, and values are handed out as shared_ptr<const V>, so a reader never
// copies a value under the lock and an entry replaced or evicted stays valid for whoever
// still holds it.
//
// borger.dk keeps two: the last good KOMBIT answer per path (served stale when KOMBIT
// is down) and the explained overview per citizen (reused while KOMBIT's answer is the
// same bytes).
#pragma once

#include <cstddef>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>

namespace adda {

template <typename V>
class LruCache {
 public:
  // capacity >= 1: the most entries kept.
  explicit LruCache(size_t capacity) : capacity_(capacity < 1 ? 1 : capacity) {}

  // The value under `key` (and marks it most recently used), or null when absent.
  std::shared_ptr<const V> Find(const std::string& key) {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = map_.find(key);
    if (it == map_.end()) return nullptr;
    order_.splice(order_.begin(), order_, it->second.at);
    return it->second.value;
  }

  // Puts `value` under `key`, replacing any earlier value; evicts the least recently
  // used entries beyond capacity.
  void Put(const std::string& key, std::shared_ptr<const V> value) {
    std::lock_guard<std::mutex> lock(mu_);
    PutLocked(key, std::move(value), true);
  }

  // Puts `value` under `key` only when nothing is there; returns what is there after.
  // For a value read from elsewhere, which must not overwrite a newer one Put meanwhile.
  std::shared_ptr<const V> PutIfAbsent(const std::string& key, std::shared_ptr<const V> value) {
    std::lock_guard<std::mutex> lock(mu_);
    return PutLocked(key, std::move(value), false);
  }

  size_t size() const {
    std::lock_guard<std::mutex> lock(mu_);
    return map_.size();
  }

 private:
  std::shared_ptr<const V> PutLocked(const std::string& key, std::shared_ptr<const V> value, bool replace) {
    auto it = map_.find(key);
    if (it != map_.end()) {
      if (replace) it->second.value = std::move(value);
      order_.splice(order_.begin(), order_, it->second.at);
      return it->second.value;
    }
    order_.push_front(key);
    auto& slot = map_.emplace(key, Slot{std::move(value), order_.begin()}).first->second;
    auto kept = slot.value;
    while (map_.size() > capacity_) {
      map_.erase(order_.back());
      order_.pop_back();
    }
    return kept;
  }

  struct Slot {
    std::shared_ptr<const V> value;
    std::list<std::string>::iterator at;  // its place in order_
  };
  const size_t capacity_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, Slot> map_;  // guarded by mu_
  std::list<std::string> order_;               // most recent first; guarded by mu_
};

}  // namespace adda
