#include "store/borger_store.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <thread>

#include <Poco/DigestEngine.h>
#include <Poco/SHA2Engine.h>

#include "core/json_writer.h"
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

namespace {

// One journal line: the entry as a JSON object with every field, then '\n'. Written in
// two parts so that only the second, the chain's own fields, is written under the lock.
void BeginJournalLine(JsonWriter& w, const AccessEntry& e) {
  w.BeginObject();
  w.Key("ts").String(e.ts).Key("citizen").String(e.citizen).Key("actor").String(e.actor);
  w.Key("actor_kind").String(e.actor_kind).Key("purpose").String(e.purpose).Key("what").String(e.what);
  w.Key("item_kind").OptString(e.item_kind).Key("item_id").OptString(e.item_id).Key("municipality");
  if (e.municipality) w.Int(*e.municipality);
  else w.Null();
  w.Key("request_id").String(e.request_id);
}
void EndJournalLine(JsonWriter& w, std::string& line, const AccessEntry& e) {
  w.Key("seq").Int(e.seq).Key("prev_hash").String(e.prev_hash).Key("hash").String(e.hash).EndObject();
  line.push_back('\n');
}

std::optional<AccessEntry> FromJournalLine(std::string_view line) {
  const auto j = nlohmann::json::parse(line, nullptr, false);
  if (!j.is_object()) return std::nullopt;
  try {
    AccessEntry e;
    e.seq = j.at("seq").get<int64_t>();
    e.ts = j.at("ts").get<std::string>();
    e.citizen = j.at("citizen").get<std::string>();
    e.actor = j.at("actor").get<std::string>();
    e.actor_kind = j.at("actor_kind").get<std::string>();
    e.purpose = j.at("purpose").get<std::string>();
    e.what = j.at("what").get<std::string>();
    if (!j.at("item_kind").is_null()) e.item_kind = j.at("item_kind").get<std::string>();
    if (!j.at("item_id").is_null()) e.item_id = j.at("item_id").get<std::string>();
    if (!j.at("municipality").is_null()) e.municipality = j.at("municipality").get<int>();
    e.request_id = j.at("request_id").get<std::string>();
    e.prev_hash = j.at("prev_hash").get<std::string>();
    e.hash = j.at("hash").get<std::string>();
    return e;
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;
  }
}

// The entries in `paths` (those that exist) after `after_seq`, by seq, each seq once.
// A line without its '\n' is not one: a crash cut its write, which never returned, so
// its read was never answered.
std::vector<AccessEntry> JournalEntriesAfter(const std::vector<std::string>& paths, int64_t after_seq) {
  std::map<int64_t, AccessEntry> by_seq;
  for (const auto& path : paths) {
    std::ifstream in(path, std::ios::binary);
    std::string line;
    while (std::getline(in, line)) {
      if (in.eof()) break;
      if (auto e = FromJournalLine(line); e && e->seq > after_seq) by_seq.emplace(e->seq, std::move(*e));
    }
  }
  std::vector<AccessEntry> out;
  out.reserve(by_seq.size());
  for (auto& [seq, e] : by_seq) out.push_back(std::move(e));
  return out;
}

bool WriteAll(int fd, const std::string& bytes) {
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

constexpr int64_t kJournalTurnAt = 4 << 20;               // bytes
constexpr auto kMoverGather = std::chrono::milliseconds(10);  // appends gathered per batch …
constexpr size_t kMoverBatch = 4096;                          // … up to this many

}  // namespace

AccessLogWriter::AccessLogWriter(const std::string& db_path)
    : db_(std::make_unique<Db>(db_path, OpenMode::kReadWrite)) {
  ApplyServicePragmas(*db_);
  insert_ = std::make_unique<Stmt>(db_->Prepare(
      "INSERT INTO access_log (seq, ts, citizen, actor, actor_kind, purpose, what, item_kind, item_id, "
      "municipality, request_id, prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)"));
  const auto paths = JournalPaths(db_path);
  Recover(paths);
  for (int i = 0; i < 2; ++i) {
    Journal& j = journals_[i];
    j.fd = ::open(paths[static_cast<size_t>(i)].c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (j.fd < 0 || ::ftruncate(j.fd, 0) != 0) {
      const std::string why = std::strerror(errno);
      for (Journal& opened : journals_)  // no destructor runs for a constructor that throws
        if (opened.fd >= 0) ::close(opened.fd);
      throw StoreError("access log: cannot open " + paths[static_cast<size_t>(i)] + ": " + why, 0);
    }
  }
  moved_seq_ = last_seq_;
  mover_ = std::thread([this] { Run(); });
}

// Entries in the journals that the table lacks are moved verbatim (their own seq and
// hashes), then the chain goes on from the last of them.
void AccessLogWriter::Recover(const std::vector<std::string>& paths) {
  Stmt last = db_->Prepare("SELECT seq, hash FROM access_log ORDER BY seq DESC LIMIT 1");
  if (last.Step()) {
    last_seq_ = last.Int(0);
    last_hash_ = last.Text(1);
  } else {
    last_hash_ = kGenesisHash;
  }
  std::vector<AccessEntry> missing = JournalEntriesAfter(paths, last_seq_);
  if (missing.empty()) return;
  if (!Insert(missing)) throw StoreError("access log: cannot move the journals' entries into the table", 0);
  recovered_ = static_cast<int64_t>(missing.size());
  last_seq_ = missing.back().seq;
  last_hash_ = missing.back().hash;
}

AccessLogWriter::~AccessLogWriter() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  wake_mover_.notify_one();
  if (mover_.joinable()) mover_.join();
  for (Journal& j : journals_)
    if (j.fd >= 0) ::close(j.fd);
}

AccessEntry AccessLogWriter::Append(AccessEntry e) {
  std::string line;
  line.reserve(512);
  JsonWriter w(line);
  BeginJournalLine(w, e);
  std::unique_lock<std::mutex> lock(mu_);
  e.seq = last_seq_ + 1;
  e.prev_hash = last_hash_;
  e.hash = AccessEntryHash(e);
  EndJournalLine(w, line, e);
  Journal& j = journals_[active_];
  if (!WriteAll(j.fd, line)) {
    const std::string why = std::strerror(errno);
    // A part written would run into the next line: cut the journal back to before it.
    [[maybe_unused]] const int rc = ::ftruncate(j.fd, j.bytes);
    throw StoreError("access log: cannot write the journal: " + why, 0);
  }
  j.bytes += static_cast<int64_t>(line.size());
  j.last_seq = e.seq;
  Journal& other = journals_[1 - active_];
  if (j.bytes >= kJournalTurnAt && other.bytes == 0) active_ = 1 - active_;
  last_seq_ = e.seq;
  last_hash_ = e.hash;
  queue_.push_back(e);
  ++appended_;
  if (mover_idle_ || queue_.size() == kMoverBatch) {
    mover_idle_ = false;
    lock.unlock();
    wake_mover_.notify_one();
  }
  return e;
}

int64_t AccessLogWriter::pending() const {
  std::lock_guard<std::mutex> lock(mu_);
  return last_seq_ - moved_seq_;
}

bool AccessLogWriter::Settle(std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(mu_);
  const int64_t target = last_seq_;
  if (moved_seq_ >= target) return true;
  ++settling_;
  wake_mover_.notify_one();
  const bool ok = moved_cv_.wait_for(lock, timeout, [&] { return moved_seq_ >= target; });
  --settling_;
  return ok;
}

// The mover: takes what was appended into the table, a few milliseconds' worth at a
// time, and sleeps while nothing is. A batch the table refuses stays in memory (and in
// the journal) and is tried again; on stop it is left to the journal for the next open.
void AccessLogWriter::Run() {
  std::vector<AccessEntry> batch;
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    while (queue_.empty() && batch.empty()) {
      if (stop_) {  // all is in the table: the journals hold nothing it lacks
        for (Journal& j : journals_)
          if (::ftruncate(j.fd, 0) == 0) j.bytes = 0;
        return;
      }
      mover_idle_ = true;
      wake_mover_.wait(lock);
      mover_idle_ = false;
    }
    // Let appends gather for a while (one transaction per batch is the cost), unless
    // someone waits for the table.
    if (!stop_ && settling_ == 0 && queue_.size() < kMoverBatch)
      wake_mover_.wait_for(lock, kMoverGather, [&] { return stop_ || settling_ > 0 || queue_.size() >= kMoverBatch; });
    for (auto& e : queue_) batch.push_back(std::move(e));
    queue_.clear();
    lock.unlock();
    const bool ok = Insert(batch);
    lock.lock();
    if (!ok) {
      if (stop_) return;  // the journals keep them for the next open
      wake_mover_.wait_for(lock, std::chrono::milliseconds(200), [&] { return stop_; });
      continue;
    }
    moved_seq_ = batch.back().seq;
    ++commits_;
    batch.clear();
    // The journal not being written is emptied once the table has all it holds.
    Journal& idle = journals_[1 - active_];
    if (idle.bytes > 0 && moved_seq_ >= idle.last_seq && ::ftruncate(idle.fd, 0) == 0) idle.bytes = 0;
    moved_cv_.notify_all();
  }
}

bool AccessLogWriter::Insert(const std::vector<AccessEntry>& batch) {
  Stmt& insert = *insert_;
  try {
    Transaction tx(*db_);
    for (const AccessEntry& e : batch) {
      insert.Bind(1, e.seq).Bind(2, e.ts).Bind(3, e.citizen).Bind(4, e.actor).Bind(5, e.actor_kind)
          .Bind(6, e.purpose).Bind(7, e.what).Bind(8, e.item_kind).Bind(9, e.item_id);
      if (e.municipality) insert.Bind(10, *e.municipality);
      else insert.BindNull(10);
      insert.Bind(11, e.request_id).Bind(12, e.prev_hash).Bind(13, e.hash);
      insert.Step();
      insert.Reset();
    }
    tx.Commit();
    return true;
  } catch (const std::exception&) {
    insert.Reset();
    return false;
  }
}

ChainReport VerifyAccessLog(Db& db, const std::vector<std::string>& journals) {
  ChainReport r;
  std::string prev = kGenesisHash;
  int64_t expected_seq = 1;
  // False at the first broken link, which `r` then names.
  auto check = [&](const AccessEntry& e) {
    ++r.entries;
    auto broken = [&](const std::string& why) {
      r.ok = false;
      r.first_broken_seq = e.seq;
      r.problem = why;
      return false;
    };
    if (e.seq != expected_seq)
      return broken("entry " + std::to_string(expected_seq) + " is missing (next is " + std::to_string(e.seq) + ")");
    if (e.prev_hash != prev) return broken("entry " + std::to_string(e.seq) + " does not link to the entry before it");
    if (AccessEntryHash(e) != e.hash)
      return broken("entry " + std::to_string(e.seq) + " was altered: its hash does not match its contents");
    prev = e.hash;
    ++expected_seq;
    return true;
  };
  Stmt s = db.Prepare(std::string("SELECT ") + kAccessCols + " FROM access_log ORDER BY seq");
  while (s.Step())
    if (!check(AccessFromRow(s))) return r;
  for (const auto& e : JournalEntriesAfter(journals, expected_seq - 1))
    if (!check(e)) return r;
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
