// Repositories over the mock borger.dk's database (borger.db): sessions and login
// throttling, the hash-chained access log, contributions with their forwarding outbox,
// shares (with consent receipts), powers of attorney, and feedback. A BorgerStore wraps
// one connection (one per thread, never shared); the access log's entries and its writer
// (journal first, table in batches) are their own unit, store/access_log.h.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/policy.h"
#include "store/access_log.h"
#include "store/schema.h"
#include "store/sqlite.h"

namespace adda::store {

// borger.db's schema, as numbered migrations (store/borger_schema.cc).
const std::vector<Migration>& BorgerMigrations();

struct SessionRow {
  std::string id, cpr, loa, created;
  int64_t expires = 0;  // unix seconds
  std::optional<std::string> revoked;
};

struct BorgerContribution {
  std::string id, citizen, actor;
  int municipality = 0;
  std::string item_kind, item_id;
  std::optional<std::string> field;
  std::string kind, text, created;
  bool forwarded = false;
  int attempts = 0;
  int64_t next_attempt = 0;
  std::optional<std::string> last_error;
  std::string status = "pending";  // pending (not yet at the municipality), then KOMBIT's
  std::optional<std::string> reply;
  std::string updated;
  std::optional<std::string> client_id;  // the id the citizen's client chose, unique per citizen
};

struct ShareRow {
  std::string id, token_hash, owner, recipient, purpose;
  std::string scope;  // JSON: {"all": true} or {"items": [{municipality, kind, id}]}
  std::string created;
  int64_t expires = 0;
  std::optional<std::string> revoked;
  std::string receipt;  // JSON consent receipt
};

struct ProxyRow {
  std::string id, grantor, grantee;
  std::string areas;  // JSON array of KLE main groups, e.g. ["32", "27"]
  std::string created;
  int64_t expires = 0;
  std::optional<std::string> revoked;
  std::string receipt;
};

struct FeedbackRow {
  int64_t id = 0;
  std::string ts, origin;
  std::optional<std::string> citizen, run_id, journey, step, page;
  std::optional<int> rating;
  std::optional<std::string> sus;  // JSON array of ten 1-5 answers
  std::optional<double> sus_score;
  std::optional<std::string> text, persona;
  std::string context = "{}";
  // The client's Idempotency-Key, whose it is (the caller: "citizen:<cpr>" or "runner"),
  // and a fingerprint of what was sent with it.
  std::optional<std::string> idempotency_key, request_hash, idempotency_scope;
};

class BorgerStore {
 public:
  explicit BorgerStore(Db& db) : db_(db) {}
  Db& db() { return db_; }

  void InsertSession(const SessionRow& s);
  std::optional<SessionRow> GetSession(const std::string& id);
  void RevokeSession(const std::string& id, const std::string& when);
  int64_t DeleteExpiredSessions(int64_t now);

  // Login throttling: failures per subject in a window (the rule: core/policy.h).
  using Throttle = ThrottleState;
  Throttle GetThrottle(const std::string& subject);
  void PutThrottle(const std::string& subject, const Throttle& t);
  void ClearThrottle(const std::string& subject);

  std::vector<AccessEntry> AccessLogFor(const std::string& citizen, int64_t after_seq, int64_t limit);

  bool InsertContribution(const BorgerContribution& c);  // false when the id exists
  std::optional<BorgerContribution> GetContribution(const std::string& id);
  std::optional<BorgerContribution> ContributionByClientId(const std::string& citizen, const std::string& client_id);
  std::vector<BorgerContribution> ContributionsFor(const std::string& citizen);
  std::vector<BorgerContribution> DueContributions(int64_t now, int limit);
  void UpdateContribution(const BorgerContribution& c);

  void InsertShare(const ShareRow& s);
  std::optional<ShareRow> GetShare(const std::string& id);
  std::optional<ShareRow> ShareByTokenHash(const std::string& token_hash);
  std::vector<ShareRow> SharesOf(const std::string& owner);
  void RevokeShare(const std::string& id, const std::string& when);

  void InsertProxy(const ProxyRow& p);
  std::optional<ProxyRow> GetProxy(const std::string& id);
  std::vector<ProxyRow> ProxiesGivenBy(const std::string& grantor);
  std::vector<ProxyRow> ProxiesHeldBy(const std::string& grantee);
  void RevokeProxy(const std::string& id, const std::string& when);

  // The new row's id; 0 (nothing stored) when f.idempotency_key is already taken.
  int64_t InsertFeedback(const FeedbackRow& f);
  // The row stored under an Idempotency-Key (id, ts, origin, sus_score, request_hash).
  std::optional<FeedbackRow> FeedbackByKey(const std::string& scope, const std::string& key);
  std::vector<FeedbackRow> AllFeedback(const std::optional<std::string>& origin);

 private:
  Stmt& Cached(const char* sql) { return db_.Cached(sql); }
  Db& db_;
};

}  // namespace adda::store

