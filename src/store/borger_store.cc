#include "store/borger_store.h"

#include <thread>

#include <Poco/DigestEngine.h>
#include <Poco/SHA2Engine.h>

#include "store/schema.h"

namespace adda::store {
namespace {

struct Using {
  explicit Using(Stmt& stmt) : s(stmt) {}
  ~Using() { s.Reset(); }
  Stmt& s;
};

std::optional<int> OptInt(const Stmt& s, int col) {
  if (s.IsNull(col)) return std::nullopt;
  return static_cast<int>(s.Int(col));
}

}  // namespace

Stmt& BorgerStore::Cached(const char* sql) {
  auto& slot = stmts_[sql];
  if (!slot) slot = std::make_unique<Stmt>(db_.Prepare(sql));
  return *slot;
}

// --- sessions -------------------------------------------------------------------------

void BorgerStore::InsertSession(const SessionRow& s) {
  Using u(Cached("INSERT INTO sessions (id, cpr, loa, created, expires) VALUES (?1, ?2, ?3, ?4, ?5)"));
  u.s.Bind(1, s.id).Bind(2, s.cpr).Bind(3, s.loa).Bind(4, s.created).Bind(5, s.expires);
  u.s.Step();
}

std::optional<SessionRow> BorgerStore::GetSession(const std::string& id) {
  Using u(Cached("SELECT id, cpr, loa, created, expires, revoked FROM sessions WHERE id = ?1"));
  u.s.Bind(1, id);
  if (!u.s.Step()) return std::nullopt;
  return SessionRow{u.s.Text(0), u.s.Text(1), u.s.Text(2), u.s.Text(3), u.s.Int(4), u.s.OptText(5)};
}

void BorgerStore::RevokeSession(const std::string& id, const std::string& when) {
  Using u(Cached("UPDATE sessions SET revoked = ?2 WHERE id = ?1 AND revoked IS NULL"));
  u.s.Bind(1, id).Bind(2, when);
  u.s.Step();
}

int64_t BorgerStore::DeleteExpiredSessions(int64_t now) {
  Using u(Cached("DELETE FROM sessions WHERE expires < ?1"));
  u.s.Bind(1, now - 86400);  // kept a day after expiry so a late logout still finds them
  u.s.Step();
  return db_.Changes();
}

BorgerStore::Throttle BorgerStore::GetThrottle(const std::string& subject) {
  Using u(Cached("SELECT window_start, failures, locked_until FROM login_failures WHERE subject = ?1"));
  u.s.Bind(1, subject);
  if (!u.s.Step()) return {};
  return {u.s.Int(0), static_cast<int>(u.s.Int(1)), u.s.Int(2)};
}

void BorgerStore::PutThrottle(const std::string& subject, const Throttle& t) {
  Using u(Cached("INSERT OR REPLACE INTO login_failures (subject, window_start, failures, locked_until) "
                 "VALUES (?1, ?2, ?3, ?4)"));
  u.s.Bind(1, subject).Bind(2, t.window_start).Bind(3, t.failures).Bind(4, t.locked_until);
  u.s.Step();
}

void BorgerStore::ClearThrottle(const std::string& subject) {
  Using u(Cached("DELETE FROM login_failures WHERE subject = ?1"));
  u.s.Bind(1, subject);
  u.s.Step();
}

// --- access log -----------------------------------------------------------------------

nlohmann::json AccessEntryJson(const AccessEntry& e) {
  nlohmann::json j{{"seq", e.seq},           {"ts", e.ts},       {"citizen", e.citizen},
                   {"actor", e.actor},       {"actor_kind", e.actor_kind}, {"purpose", e.purpose},
                   {"what", e.what},         {"request_id", e.request_id}};
  j["item_kind"] = e.item_kind ? nlohmann::json(*e.item_kind) : nlohmann::json(nullptr);
  j["item_id"] = e.item_id ? nlohmann::json(*e.item_id) : nlohmann::json(nullptr);
  j["municipality"] = e.municipality ? nlohmann::json(*e.municipality) : nlohmann::json(nullptr);
  return j;
}

namespace {
constexpr const char* kAccessCols =
    "seq, ts, citizen, actor, actor_kind, purpose, what, item_kind, item_id, municipality, request_id, prev_hash, hash";

AccessEntry AccessFromRow(const Stmt& s) {
  AccessEntry e;
  e.seq = s.Int(0);
  e.ts = s.Text(1);
  e.citizen = s.Text(2);
  e.actor = s.Text(3);
  e.actor_kind = s.Text(4);
  e.purpose = s.Text(5);
  e.what = s.Text(6);
  e.item_kind = s.OptText(7);
  e.item_id = s.OptText(8);
  e.municipality = OptInt(s, 9);
  e.request_id = s.Text(10);
  e.prev_hash = s.Text(11);
  e.hash = s.Text(12);
  return e;
}
}  // namespace

std::vector<AccessEntry> BorgerStore::AccessLogFor(const std::string& citizen, int64_t after_seq, int64_t limit) {
  Using u(Cached("SELECT seq, ts, citizen, actor, actor_kind, purpose, what, item_kind, item_id, municipality, "
                 "request_id, prev_hash, hash FROM access_log WHERE citizen = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3"));
  u.s.Bind(1, citizen).Bind(2, after_seq).Bind(3, limit);
  std::vector<AccessEntry> out;
  while (u.s.Step()) out.push_back(AccessFromRow(u.s));
  return out;
}

std::string AccessEntryHash(const AccessEntry& e) {
  std::string data = e.prev_hash;
  auto add = [&](const std::string& v) {
    data.push_back('\x1f');
    data += v;
  };
  add(std::to_string(e.seq));
  add(e.ts);
  add(e.citizen);
  add(e.actor);
  add(e.actor_kind);
  add(e.purpose);
  add(e.what);
  add(e.item_kind.value_or("\x1e"));
  add(e.item_id.value_or("\x1e"));
  add(e.municipality ? std::to_string(*e.municipality) : "\x1e");
  add(e.request_id);
  Poco::SHA2Engine sha(Poco::SHA2Engine::SHA_256);
  sha.update(data.data(), static_cast<unsigned>(data.size()));
  return Poco::DigestEngine::digestToHex(sha.digest());
}

AccessLogWriter::AccessLogWriter(const std::string& db_path)
    : db_(std::make_unique<Db>(db_path, OpenMode::kReadWrite)) {
  ApplyServicePragmas(*db_);
  Stmt last = db_->Prepare("SELECT seq, hash FROM access_log ORDER BY seq DESC LIMIT 1");
  if (last.Step()) {
    last_seq_ = last.Int(0);
    last_hash_ = last.Text(1);
  } else {
    last_hash_ = kGenesisHash;
  }
  insert_ = std::make_unique<Stmt>(db_->Prepare(
      "INSERT INTO access_log (seq, ts, citizen, actor, actor_kind, purpose, what, item_kind, item_id, "
      "municipality, request_id, prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)"));
}

AccessLogWriter::~AccessLogWriter() = default;  // every Append has returned by now

AccessEntry AccessLogWriter::Append(AccessEntry e) {
  Waiter w;
  w.entry = std::move(e);
  std::unique_lock<std::mutex> lock(mu_);
  line_.push_back(&w);
  w.cv.wait(lock, [&] { return w.done || line_.front() == &w; });
  if (!w.done) {
    // At the front. With nobody behind, let the other request threads run once first:
    // the commit costs CPU, not I/O, so without this pause groups stay at one entry.
    if (line_.size() == 1) {
      lock.unlock();
      std::this_thread::yield();
      lock.lock();
    }
    // Lead a group of everyone in line, up to 512.
    std::vector<Waiter*> group(line_.begin(), line_.begin() + static_cast<std::ptrdiff_t>(std::min<size_t>(line_.size(), 512)));
    lock.unlock();
    const std::string error = Commit(group);
    lock.lock();
    for (Waiter* g : group) {
      line_.pop_front();
      g->done = true;
      g->error = error;
      if (g != &w) g->cv.notify_one();
    }
    if (error.empty()) {
      appended_ += static_cast<int64_t>(group.size());
      ++commits_;
    }
    if (!line_.empty()) line_.front()->cv.notify_one();  // the next group's leader
  }
  if (!w.error.empty()) throw StoreError("access log: " + w.error, 0);
  return w.entry;
}

std::string AccessLogWriter::Commit(const std::vector<Waiter*>& group) {
  const std::string hash_before = last_hash_;
  const int64_t seq_before = last_seq_;
  Stmt& insert = *insert_;
  try {
    Transaction tx(*db_);
    for (Waiter* w : group) {
      AccessEntry& e = w->entry;
      e.seq = ++last_seq_;
      e.prev_hash = last_hash_;
      e.hash = AccessEntryHash(e);
      last_hash_ = e.hash;
      insert.Bind(1, e.seq).Bind(2, e.ts).Bind(3, e.citizen).Bind(4, e.actor).Bind(5, e.actor_kind)
          .Bind(6, e.purpose).Bind(7, e.what).Bind(8, e.item_kind).Bind(9, e.item_id);
      if (e.municipality) insert.Bind(10, *e.municipality);
      else insert.BindNull(10);
      insert.Bind(11, e.request_id).Bind(12, e.prev_hash).Bind(13, e.hash);
      insert.Step();
      insert.Reset();
    }
    tx.Commit();
    return "";
  } catch (const std::exception& ex) {
    last_hash_ = hash_before;
    last_seq_ = seq_before;
    insert.Reset();
    return ex.what()[0] ? ex.what() : "commit failed";
  }
}

ChainReport VerifyAccessLog(Db& db) {
  ChainReport r;
  Stmt s = db.Prepare(std::string("SELECT ") + kAccessCols + " FROM access_log ORDER BY seq");
  std::string prev = kGenesisHash;
  int64_t expected_seq = 1;
  while (s.Step()) {
    AccessEntry e = AccessFromRow(s);
    ++r.entries;
    auto broken = [&](const std::string& why) {
      r.ok = false;
      r.first_broken_seq = e.seq;
      r.problem = why;
    };
    if (e.seq != expected_seq) {
      broken("entry " + std::to_string(expected_seq) + " is missing (next is " + std::to_string(e.seq) + ")");
      return r;
    }
    if (e.prev_hash != prev) {
      broken("entry " + std::to_string(e.seq) + " does not link to the entry before it");
      return r;
    }
    if (AccessEntryHash(e) != e.hash) {
      broken("entry " + std::to_string(e.seq) + " was altered: its hash does not match its contents");
      return r;
    }
    prev = e.hash;
    ++expected_seq;
  }
  return r;
}

// --- contributions --------------------------------------------------------------------

namespace {
BorgerContribution ContributionFromRow(const Stmt& s) {
  BorgerContribution c;
  c.id = s.Text(0);
  c.citizen = s.Text(1);
  c.actor = s.Text(2);
  c.municipality = static_cast<int>(s.Int(3));
  c.item_kind = s.Text(4);
  c.item_id = s.Text(5);
  c.field = s.OptText(6);
  c.kind = s.Text(7);
  c.text = s.Text(8);
  c.created = s.Text(9);
  c.forwarded = s.Int(10) != 0;
  c.attempts = static_cast<int>(s.Int(11));
  c.next_attempt = s.Int(12);
  c.last_error = s.OptText(13);
  c.status = s.Text(14);
  c.reply = s.OptText(15);
  c.updated = s.Text(16);
  return c;
}
#define CONTRIB_COLS                                                                                      \
  "id, citizen, actor, municipality, item_kind, item_id, field, kind, text, created, forwarded, attempts, " \
  "next_attempt, last_error, status, reply, updated"
}  // namespace

bool BorgerStore::InsertContribution(const BorgerContribution& c) {
  Using u(Cached("INSERT OR IGNORE INTO contributions (" CONTRIB_COLS
                 ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)"));
  u.s.Bind(1, c.id).Bind(2, c.citizen).Bind(3, c.actor).Bind(4, c.municipality).Bind(5, c.item_kind)
      .Bind(6, c.item_id).Bind(7, c.field).Bind(8, c.kind).Bind(9, c.text).Bind(10, c.created)
      .Bind(11, c.forwarded ? 1 : 0).Bind(12, c.attempts).Bind(13, c.next_attempt).Bind(14, c.last_error)
      .Bind(15, c.status).Bind(16, c.reply).Bind(17, c.updated);
  u.s.Step();
  return db_.Changes() == 1;
}

std::optional<BorgerContribution> BorgerStore::GetContribution(const std::string& id) {
  Using u(Cached("SELECT " CONTRIB_COLS " FROM contributions WHERE id = ?1"));
  u.s.Bind(1, id);
  if (!u.s.Step()) return std::nullopt;
  return ContributionFromRow(u.s);
}

std::vector<BorgerContribution> BorgerStore::ContributionsFor(const std::string& citizen) {
  Using u(Cached("SELECT " CONTRIB_COLS " FROM contributions WHERE citizen = ?1 ORDER BY created, id"));
  u.s.Bind(1, citizen);
  std::vector<BorgerContribution> out;
  while (u.s.Step()) out.push_back(ContributionFromRow(u.s));
  return out;
}

std::vector<BorgerContribution> BorgerStore::DueContributions(int64_t now, int limit) {
  Using u(Cached("SELECT " CONTRIB_COLS " FROM contributions WHERE forwarded = 0 AND next_attempt <= ?1 "
                 "ORDER BY next_attempt, id LIMIT ?2"));
  u.s.Bind(1, now).Bind(2, limit);
  std::vector<BorgerContribution> out;
  while (u.s.Step()) out.push_back(ContributionFromRow(u.s));
  return out;
}

void BorgerStore::UpdateContribution(const BorgerContribution& c) {
  Using u(Cached("UPDATE contributions SET forwarded = ?2, attempts = ?3, next_attempt = ?4, last_error = ?5, "
                 "status = ?6, reply = ?7, updated = ?8 WHERE id = ?1"));
  u.s.Bind(1, c.id).Bind(2, c.forwarded ? 1 : 0).Bind(3, c.attempts).Bind(4, c.next_attempt).Bind(5, c.last_error)
      .Bind(6, c.status).Bind(7, c.reply).Bind(8, c.updated);
  u.s.Step();
}

// --- shares and proxies ---------------------------------------------------------------

namespace {
ShareRow ShareFromRow(const Stmt& s) {
  return ShareRow{s.Text(0), s.Text(1), s.Text(2), s.Text(3), s.Text(4), s.Text(5),
                  s.Text(6), s.Int(7),  s.OptText(8), s.Text(9)};
}
ProxyRow ProxyFromRow(const Stmt& s) {
  return ProxyRow{s.Text(0), s.Text(1), s.Text(2), s.Text(3), s.Text(4), s.Int(5), s.OptText(6), s.Text(7)};
}
#define SHARE_COLS "id, token_hash, owner, recipient, purpose, scope, created, expires, revoked, receipt"
#define PROXY_COLS "id, grantor, grantee, areas, created, expires, revoked, receipt"
}  // namespace

void BorgerStore::InsertShare(const ShareRow& s) {
  Using u(Cached("INSERT INTO shares (" SHARE_COLS ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"));
  u.s.Bind(1, s.id).Bind(2, s.token_hash).Bind(3, s.owner).Bind(4, s.recipient).Bind(5, s.purpose)
      .Bind(6, s.scope).Bind(7, s.created).Bind(8, s.expires).Bind(9, s.revoked).Bind(10, s.receipt);
  u.s.Step();
}

std::optional<ShareRow> BorgerStore::GetShare(const std::string& id) {
  Using u(Cached("SELECT " SHARE_COLS " FROM shares WHERE id = ?1"));
  u.s.Bind(1, id);
  if (!u.s.Step()) return std::nullopt;
  return ShareFromRow(u.s);
}

std::optional<ShareRow> BorgerStore::ShareByTokenHash(const std::string& token_hash) {
  Using u(Cached("SELECT " SHARE_COLS " FROM shares WHERE token_hash = ?1"));
  u.s.Bind(1, token_hash);
  if (!u.s.Step()) return std::nullopt;
  return ShareFromRow(u.s);
}

std::vector<ShareRow> BorgerStore::SharesOf(const std::string& owner) {
  Using u(Cached("SELECT " SHARE_COLS " FROM shares WHERE owner = ?1 ORDER BY created, id"));
  u.s.Bind(1, owner);
  std::vector<ShareRow> out;
  while (u.s.Step()) out.push_back(ShareFromRow(u.s));
  return out;
}

void BorgerStore::RevokeShare(const std::string& id, const std::string& when) {
  Using u(Cached("UPDATE shares SET revoked = ?2 WHERE id = ?1 AND revoked IS NULL"));
  u.s.Bind(1, id).Bind(2, when);
  u.s.Step();
}

void BorgerStore::InsertProxy(const ProxyRow& p) {
  Using u(Cached("INSERT INTO proxies (" PROXY_COLS ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"));
  u.s.Bind(1, p.id).Bind(2, p.grantor).Bind(3, p.grantee).Bind(4, p.areas).Bind(5, p.created).Bind(6, p.expires)
      .Bind(7, p.revoked).Bind(8, p.receipt);
  u.s.Step();
}

std::optional<ProxyRow> BorgerStore::GetProxy(const std::string& id) {
  Using u(Cached("SELECT " PROXY_COLS " FROM proxies WHERE id = ?1"));
  u.s.Bind(1, id);
  if (!u.s.Step()) return std::nullopt;
  return ProxyFromRow(u.s);
}

std::vector<ProxyRow> BorgerStore::ProxiesGivenBy(const std::string& grantor) {
  Using u(Cached("SELECT " PROXY_COLS " FROM proxies WHERE grantor = ?1 ORDER BY created, id"));
  u.s.Bind(1, grantor);
  std::vector<ProxyRow> out;
  while (u.s.Step()) out.push_back(ProxyFromRow(u.s));
  return out;
}

std::vector<ProxyRow> BorgerStore::ProxiesHeldBy(const std::string& grantee) {
  Using u(Cached("SELECT " PROXY_COLS " FROM proxies WHERE grantee = ?1 ORDER BY created, id"));
  u.s.Bind(1, grantee);
  std::vector<ProxyRow> out;
  while (u.s.Step()) out.push_back(ProxyFromRow(u.s));
  return out;
}

void BorgerStore::RevokeProxy(const std::string& id, const std::string& when) {
  Using u(Cached("UPDATE proxies SET revoked = ?2 WHERE id = ?1 AND revoked IS NULL"));
  u.s.Bind(1, id).Bind(2, when);
  u.s.Step();
}

// --- feedback -------------------------------------------------------------------------

int64_t BorgerStore::InsertFeedback(const FeedbackRow& f) {
  Using u(Cached("INSERT INTO feedback (ts, origin, citizen, run_id, journey, step, page, rating, sus, sus_score, "
                 "text, persona, context, idempotency_key, request_hash) "
                 "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15) "
                 "ON CONFLICT (idempotency_key) DO NOTHING"));
  u.s.Bind(1, f.ts).Bind(2, f.origin).Bind(3, f.citizen).Bind(4, f.run_id).Bind(5, f.journey).Bind(6, f.step)
      .Bind(7, f.page);
  if (f.rating) u.s.Bind(8, *f.rating);
  else u.s.BindNull(8);
  u.s.Bind(9, f.sus);
  if (f.sus_score) u.s.Bind(10, *f.sus_score);
  else u.s.BindNull(10);
  u.s.Bind(11, f.text).Bind(12, f.persona).Bind(13, f.context).Bind(14, f.idempotency_key).Bind(15, f.request_hash);
  u.s.Step();
  return db_.Changes() == 1 ? db_.LastInsertRowid() : 0;
}

std::optional<FeedbackRow> BorgerStore::FeedbackByKey(const std::string& key) {
  Using u(Cached("SELECT id, ts, origin, sus_score, request_hash FROM feedback WHERE idempotency_key = ?1"));
  u.s.Bind(1, key);
  if (!u.s.Step()) return std::nullopt;
  FeedbackRow f;
  f.id = u.s.Int(0);
  f.ts = u.s.Text(1);
  f.origin = u.s.Text(2);
  if (!u.s.IsNull(3)) f.sus_score = u.s.Real(3);
  f.idempotency_key = key;
  f.request_hash = u.s.OptText(4);
  return f;
}

std::vector<FeedbackRow> BorgerStore::AllFeedback(const std::optional<std::string>& origin) {
  Using u(Cached("SELECT id, ts, origin, citizen, run_id, journey, step, page, rating, sus, sus_score, text, persona, "
                 "context FROM feedback WHERE (?1 IS NULL OR origin = ?1) ORDER BY id"));
  u.s.Bind(1, origin);
  std::vector<FeedbackRow> out;
  while (u.s.Step()) {
    FeedbackRow f;
    f.id = u.s.Int(0);
    f.ts = u.s.Text(1);
    f.origin = u.s.Text(2);
    f.citizen = u.s.OptText(3);
    f.run_id = u.s.OptText(4);
    f.journey = u.s.OptText(5);
    f.step = u.s.OptText(6);
    f.page = u.s.OptText(7);
    f.rating = OptInt(u.s, 8);
    f.sus = u.s.OptText(9);
    if (!u.s.IsNull(10)) f.sus_score = u.s.Real(10);
    f.text = u.s.OptText(11);
    f.persona = u.s.OptText(12);
    f.context = u.s.Text(13);
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace adda::store
