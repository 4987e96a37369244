#include "store/access_log.h"

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
}  // namespace

AccessEntry AccessEntryFromRow(const Stmt& s) {
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
  if (!s.IsNull(9)) e.municipality = static_cast<int>(s.Int(9));
  e.request_id = s.Text(10);
  e.prev_hash = s.Text(11);
  e.hash = s.Text(12);
  return e;
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
    if (!check(AccessEntryFromRow(s))) return r;
  for (const auto& e : JournalEntriesAfter(journals, expected_seq - 1))
    if (!check(e)) return r;
  return r;
}

}  // namespace adda::store
