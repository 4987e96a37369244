// borger.db's schema: its numbered migrations (store/schema.h applies them).
#include "store/borger_store.h"
#include "store/schema.h"

namespace adda::store {

const std::vector<Migration>& BorgerMigrations() {
  static const std::vector<Migration> k = {
      {1,
       R"sql(
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE sessions (
  id TEXT PRIMARY KEY, cpr TEXT NOT NULL, loa TEXT NOT NULL, created TEXT NOT NULL,
  expires INTEGER NOT NULL, revoked TEXT) WITHOUT ROWID;
CREATE TABLE login_failures (
  subject TEXT PRIMARY KEY, window_start INTEGER NOT NULL, failures INTEGER NOT NULL,
  locked_until INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;
CREATE TABLE access_log (
  seq INTEGER PRIMARY KEY, ts TEXT NOT NULL, citizen TEXT NOT NULL, actor TEXT NOT NULL,
  actor_kind TEXT NOT NULL, purpose TEXT NOT NULL, what TEXT NOT NULL, item_kind TEXT,
  item_id TEXT, municipality INTEGER, request_id TEXT NOT NULL, prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL);
CREATE TABLE contributions (
  id TEXT PRIMARY KEY, citizen TEXT NOT NULL, actor TEXT NOT NULL, municipality INTEGER NOT NULL,
  item_kind TEXT NOT NULL, item_id TEXT NOT NULL, field TEXT, kind TEXT NOT NULL, text TEXT NOT NULL,
  created TEXT NOT NULL, forwarded INTEGER NOT NULL DEFAULT 0, attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt INTEGER NOT NULL DEFAULT 0, last_error TEXT, status TEXT NOT NULL, reply TEXT,
  updated TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE shares (
  id TEXT PRIMARY KEY, token_hash TEXT NOT NULL UNIQUE, owner TEXT NOT NULL, recipient TEXT NOT NULL,
  purpose TEXT NOT NULL, scope TEXT NOT NULL, created TEXT NOT NULL, expires INTEGER NOT NULL,
  revoked TEXT, receipt TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE proxies (
  id TEXT PRIMARY KEY, grantor TEXT NOT NULL, grantee TEXT NOT NULL, areas TEXT NOT NULL,
  created TEXT NOT NULL, expires INTEGER NOT NULL, revoked TEXT, receipt TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE feedback (
  id INTEGER PRIMARY KEY, ts TEXT NOT NULL, origin TEXT NOT NULL, citizen TEXT, run_id TEXT,
  journey TEXT, step TEXT, page TEXT, rating INTEGER, sus TEXT, sus_score REAL, text TEXT,
  persona TEXT, context TEXT NOT NULL DEFAULT '{}');
)sql",
       R"sql(
CREATE INDEX IF NOT EXISTS access_by_citizen ON access_log (citizen, seq);
CREATE INDEX IF NOT EXISTS contributions_pending ON contributions (forwarded, next_attempt);
CREATE INDEX IF NOT EXISTS contributions_by_citizen ON contributions (citizen, created, id);
CREATE INDEX IF NOT EXISTS shares_by_owner ON shares (owner, created);
CREATE INDEX IF NOT EXISTS proxies_by_grantee ON proxies (grantee);
CREATE INDEX IF NOT EXISTS proxies_by_grantor ON proxies (grantor);
CREATE INDEX IF NOT EXISTS sessions_by_expiry ON sessions (expires);
)sql"},
      // A feedback answer may carry the client's Idempotency-Key, so that a retry after a
      // lost answer (a crash between commit and reply) is stored once.
      {2,
       R"sql(
ALTER TABLE feedback ADD COLUMN idempotency_key TEXT;
ALTER TABLE feedback ADD COLUMN request_hash TEXT;
)sql",
       R"sql(
CREATE UNIQUE INDEX IF NOT EXISTS feedback_by_key ON feedback (idempotency_key);
)sql"},
      // Client-chosen ids are the caller's own: a contribution's id (when the client
      // chooses one) is kept per citizen beside borger.dk's own id, and a feedback
      // Idempotency-Key per caller (session's citizen or the runner), so nobody can
      // claim, probe or block another caller's ids.
      {3,
       R"sql(
ALTER TABLE contributions ADD COLUMN client_id TEXT;
ALTER TABLE feedback ADD COLUMN idempotency_scope TEXT;
DROP INDEX IF EXISTS feedback_by_key;
)sql",
       R"sql(
CREATE UNIQUE INDEX IF NOT EXISTS contributions_by_client_id ON contributions (citizen, client_id);
CREATE UNIQUE INDEX IF NOT EXISTS feedback_by_scoped_key ON feedback (idempotency_scope, idempotency_key);
)sql"},
  };
  return k;
}

}  // namespace adda::store
