// borger.dk's only way to case data: the KOMBIT mock over HTTP, through pooled
// keep-alive connections with a bounded timeout, a circuit breaker, and a short-lived
// cache of good answers. When KOMBIT is slow, failing or down, a citizen gets the last
// known answer marked stale with its time, or — when nothing is known — a clear 503.
// Never a hang, and a cached answer is only ever served for the same request path
// (the path carries the citizen's CPR), so never someone else's data.
#pragma once

#include <atomic>
#include <chrono>
#include <mutex>
#include <optional>
#include <string>

#include "borger/kombit_answers.h"
#include "core/clock.h"
#include "core/lru_cache.h"
#include "net/client.h"

namespace adda::borger {

struct GatewayOptions {
  std::string kombit;  // http://host:port
  std::string token;   // KOMBIT system key
  std::chrono::milliseconds timeout{1500};
  int breaker_failures = 5;                      // consecutive failures that open the breaker
  std::chrono::milliseconds breaker_open{5000};  // how long it stays open before one trial
  std::chrono::seconds cache_ttl{600};           // how old a stale answer may be
  size_t cache_entries = 20000;
  const Clock* clock = &SystemClock();            // the breaker, cache ages (Ticks) and fetched_at (Now)
};

struct Fetched {
  int status = 0;
  std::string body;
  bool stale = false;
  std::string fetched_at;  // ISO time the body was fetched
  std::string cause;       // when stale: why KOMBIT was not asked or did not answer
};

// The answer when KOMBIT cannot be reached and nothing is known: 503 kombit.unavailable.
// Also what a stale answer that is not the asker's own must turn into, so that someone
// else's item answers exactly like one nobody has read (existence never shows).
net::HttpError KombitUnavailable(const std::string& cause);

// A decoded answer with where it came from: fresh, or the cache's copy and why.
template <typename T>
struct Typed {
  T value;
  bool stale = false;
  std::string fetched_at;
  std::string cause;
};

class KombitGateway {
 public:
  explicit KombitGateway(GatewayOptions options);
  // GET `path`. 2xx and 4xx answers are returned as they are (and 2xx cached); transport
  // errors, timeouts, 5xx and an open breaker fall back to the cache (stale) or throw
  // net::HttpError 503 "kombit.unavailable".
  Fetched Get(const std::string& path, bool allow_stale = true);
  // KOMBIT's answers about a citizen, decoded once (kombit_answers.h). Each throws
  // net::HttpError: kombit.error for a status it does not expect, kombit.unreadable for
  // an answer it cannot decode, and kombit.unavailable as Get does.
  CitizenRecord CitizenOf(const std::string& cpr);  // citizen.not_found when the register has no such CPR
  // nullopt when the register has no such CPR; `allow_stale` as for Get.
  std::optional<CitizenRecord> FindCitizen(const std::string& cpr, bool allow_stale = true);
  // The overview as fetched: the overview page compares its bytes with the last answer's
  // before decoding them again (DecodeOverview).
  Fetched OverviewOf(const std::string& cpr);
  // One case or grant (kind "case" | "grant"); nullopt when the index has no such item.
  std::optional<Typed<IndexItem>> ItemOf(const std::string& kind, int municipality, const std::string& id);
  // A write (POST/PUT/PATCH) — never cached, never retried here; throws TransportError.
  net::ClientResponse Send(const std::string& method, const std::string& path, const std::string& body);

  std::string breaker_state() const;  // closed | open | half_open
  int64_t failures_total() const { return failures_total_.load(); }
  int64_t stale_served() const { return stale_served_.load(); }

 private:
  bool BreakerAllows();
  void RecordSuccess();
  void RecordFailure();
  void Remember(const std::string& path, const std::string& body, const std::string& fetched_at);
  std::optional<Fetched> Recall(const std::string& path);

  GatewayOptions options_;
  net::ClientPool pool_;
  mutable std::mutex breaker_mu_;
  int consecutive_failures_ = 0;
  int64_t open_until_ = 0;  // the clock's Ticks
  bool trial_in_flight_ = false;
  std::atomic<int64_t> failures_total_{0}, stale_served_{0};

  struct CacheEntry {
    std::string body, fetched_at;
    int64_t at;  // the clock's Ticks
  };
  LruCache<CacheEntry> cache_;
};

}  // namespace adda::borger
