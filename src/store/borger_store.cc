#include "store/borger_store.h"

namespace adda::store {
namespace {

std::optional<int> OptInt(const Stmt& s, int col) {
  if (s.IsNull(col)) return std::nullopt;
  return static_cast<int>(s.Int(col));
}

}  // namespace

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

std::vector<AccessEntry> BorgerStore::AccessLogFor(const std::string& citizen, int64_t after_seq, int64_t limit) {
  Using u(Cached("SELECT seq, ts, citizen, actor, actor_kind, purpose, what, item_kind, item_id, municipality, "
                 "request_id, prev_hash, hash FROM access_log WHERE citizen = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3"));
  u.s.Bind(1, citizen).Bind(2, after_seq).Bind(3, limit);
  std::vector<AccessEntry> out;
  while (u.s.Step()) out.push_back(AccessEntryFromRow(u.s));
  return out;
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
  c.client_id = s.OptText(17);
  return c;
}
#define CONTRIB_COLS                                                                                      \
  "id, citizen, actor, municipality, item_kind, item_id, field, kind, text, created, forwarded, attempts, " \
  "next_attempt, last_error, status, reply, updated, client_id"
}  // namespace

bool BorgerStore::InsertContribution(const BorgerContribution& c) {
  Using u(Cached("INSERT OR IGNORE INTO contributions (" CONTRIB_COLS
                 ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)"));
  u.s.Bind(1, c.id).Bind(2, c.citizen).Bind(3, c.actor).Bind(4, c.municipality).Bind(5, c.item_kind)
      .Bind(6, c.item_id).Bind(7, c.field).Bind(8, c.kind).Bind(9, c.text).Bind(10, c.created)
      .Bind(11, c.forwarded ? 1 : 0).Bind(12, c.attempts).Bind(13, c.next_attempt).Bind(14, c.last_error)
      .Bind(15, c.status).Bind(16, c.reply).Bind(17, c.updated).Bind(18, c.client_id);
  u.s.Step();
  return db_.Changes() == 1;
}

std::optional<BorgerContribution> BorgerStore::GetContribution(const std::string& id) {
  Using u(Cached("SELECT " CONTRIB_COLS " FROM contributions WHERE id = ?1"));
  u.s.Bind(1, id);
  if (!u.s.Step()) return std::nullopt;
  return ContributionFromRow(u.s);
}

std::optional<BorgerContribution> BorgerStore::ContributionByClientId(const std::string& citizen,
                                                                     const std::string& client_id) {
  Using u(Cached("SELECT " CONTRIB_COLS " FROM contributions WHERE citizen = ?1 AND client_id = ?2"));
  u.s.Bind(1, citizen).Bind(2, client_id);
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
                 "text, persona, context, idempotency_key, request_hash, idempotency_scope) "
                 "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16) "
                 "ON CONFLICT (idempotency_scope, idempotency_key) DO NOTHING"));
  u.s.Bind(1, f.ts).Bind(2, f.origin).Bind(3, f.citizen).Bind(4, f.run_id).Bind(5, f.journey).Bind(6, f.step)
      .Bind(7, f.page);
  if (f.rating) u.s.Bind(8, *f.rating);
  else u.s.BindNull(8);
  u.s.Bind(9, f.sus);
  if (f.sus_score) u.s.Bind(10, *f.sus_score);
  else u.s.BindNull(10);
  u.s.Bind(11, f.text).Bind(12, f.persona).Bind(13, f.context).Bind(14, f.idempotency_key).Bind(15, f.request_hash)
      .Bind(16, f.idempotency_scope);
  u.s.Step();
  return db_.Changes() == 1 ? db_.LastInsertRowid() : 0;
}

std::optional<FeedbackRow> BorgerStore::FeedbackByKey(const std::string& scope, const std::string& key) {
  Using u(Cached("SELECT id, ts, origin, sus_score, request_hash FROM feedback "
                 "WHERE idempotency_scope = ?1 AND idempotency_key = ?2"));
  u.s.Bind(1, scope).Bind(2, key);
  if (!u.s.Step()) return std::nullopt;
  FeedbackRow f;
  f.id = u.s.Int(0);
  f.ts = u.s.Text(1);
  f.origin = u.s.Text(2);
  if (!u.s.IsNull(3)) f.sus_score = u.s.Real(3);
  f.idempotency_key = key;
  f.idempotency_scope = scope;
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
