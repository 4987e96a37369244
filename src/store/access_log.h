// The hash-chained access log of borger.db (adgangslog: who read which of a citizen's
// data, when and why): its entries, the writer that appends them (journal file first,
// the access_log table in batches, recovery of what only the journals hold), and the
// check of the whole chain that `adda audit verify` runs. AccessLogWriter is
// thread-safe; the free functions are pure or work on the caller's connection.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "store/sqlite.h"

namespace adda::store {

struct AccessEntry {
  int64_t seq = 0;
  std::string ts, citizen, actor, actor_kind, purpose, what;
  std::optional<std::string> item_kind, item_id;
  std::optional<int> municipality;
  std::string request_id, prev_hash, hash;
};
nlohmann::json AccessEntryJson(const AccessEntry& e);
// The entry in the current row of `s`, whose columns are the access_log table's: seq,
// ts, citizen, actor, actor_kind, purpose, what, item_kind, item_id, municipality,
// request_id, prev_hash, hash, in that order.
AccessEntry AccessEntryFromRow(const Stmt& s);

// Appends to the hash-chained access log. An entry is durable when Append returns: it
// is written (one write(2), under the chain's lock) to a journal file beside the
// database, so it survives a crash of the process exactly as a SQLite commit in WAL
// mode with synchronous=NORMAL does (in the OS's page cache, not yet fsynced). A
// background thread, the mover, takes entries from memory into the access_log table in
// batches of a few milliseconds' worth. There are two journal files, used in turn: once
// the one being written passes 4 MB, appends go to the other, and the first is emptied
// as soon as the table holds all it has. On open, entries in the journals that the
// table lacks (the process died before moving them) are moved first, verbatim, so
// nothing answered is lost and a tampered journal shows in `adda audit verify`.
//
// So a read costs one short lock and one write(2), and no request thread waits for
// another's SQLite commit. Whoever must see every entry appended so far in the table
// calls Settle() first.
//
// Each entry's hash is SHA-256 over the previous hash and its fields, so altering,
// removing or reordering any row breaks the chain from there on. Thread-safe.
class AccessLogWriter {
 public:
  explicit AccessLogWriter(const std::string& db_path);
  ~AccessLogWriter();  // moves what remains into the table
  AccessLogWriter(const AccessLogWriter&) = delete;
  AccessLogWriter& operator=(const AccessLogWriter&) = delete;
  // Fills seq, prev_hash, hash; throws StoreError when the journal write failed (then
  // nothing of the entry is kept and the chain goes on from the entry before).
  AccessEntry Append(AccessEntry e);
  // Waits until the table holds every entry appended before the call; false if that
  // took longer than `timeout` (the table cannot be written: the entries stay safe in
  // the journal and in memory, and are tried again).
  bool Settle(std::chrono::milliseconds timeout = std::chrono::milliseconds(5000));
  int64_t appended() const { return appended_.load(); }
  int64_t commits() const { return commits_.load(); }                   // table transactions
  int64_t pending() const;                                              // not in the table yet
  int64_t recovered() const { return recovered_; }                      // moved from journals on open

  static std::vector<std::string> JournalPaths(const std::string& db_path) {
    return {db_path + "-access.journal.0", db_path + "-access.journal.1"};
  }

 private:
  struct Journal {
    int fd = -1;
    int64_t bytes = 0;
    int64_t last_seq = 0;  // of the last entry written to it
  };
  void Run();
  // Inserts `batch` in one transaction; false (and nothing stored) on failure.
  bool Insert(const std::vector<AccessEntry>& batch);
  void Recover(const std::vector<std::string>& paths);

  std::unique_ptr<Db> db_;  // the mover's (and, before it starts, the constructor's)
  std::unique_ptr<Stmt> insert_;

  mutable std::mutex mu_;  // guards everything below
  Journal journals_[2];
  int active_ = 0;  // the journal appends go to
  std::string last_hash_;
  int64_t last_seq_ = 0;
  std::vector<AccessEntry> queue_;  // appended, not yet taken by the mover
  int64_t moved_seq_ = 0;           // the table holds every entry up to here
  bool mover_idle_ = false, stop_ = false;
  int settling_ = 0;  // Settle() calls waiting
  std::condition_variable wake_mover_, moved_cv_;

  std::atomic<int64_t> appended_{0}, commits_{0};
  int64_t recovered_ = 0;
  std::thread mover_;
};

std::string AccessEntryHash(const AccessEntry& e);
constexpr const char* kGenesisHash = "0000000000000000000000000000000000000000000000000000000000000000";

struct ChainReport {
  int64_t entries = 0;
  bool ok = true;
  int64_t first_broken_seq = 0;
  std::string problem;
};
// Walks the whole log in order and checks every link: the table, then the entries in
// `journals` (AccessLogWriter::JournalPaths; those present) the table does not hold yet.
ChainReport VerifyAccessLog(Db& db, const std::vector<std::string>& journals = {});

}  // namespace adda::store
