// The access log's writer: journal first, table in batches. What a crash can leave
// behind (entries only in the journal, a last line cut short) is built here by hand, so
// that each case is exact; BorgerCrash.* kills the real process.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "store/borger_store.h"
#include "store/schema.h"

namespace adda::store {
namespace {

std::string FreshDb(const std::string& name) {
  const std::string dir = std::string(ADDA_TEST_TMP) + "/access-log-" + std::to_string(::getpid());
  std::filesystem::create_directories(dir);
  const std::string p = dir + "/" + name;
  for (const char* s : {"", "-wal", "-shm", "-access.journal.0", "-access.journal.1"}) std::filesystem::remove(p + s);
  Db db(p, OpenMode::kCreate);
  Migrate(db, BorgerMigrations());
  return p;
}

AccessEntry Read(const std::string& who, int n) {
  AccessEntry e;
  e.ts = "2026-11-23T10:00:00.000Z";
  e.citizen = who;
  e.actor = who;
  e.actor_kind = "citizen";
  e.purpose = "own access";
  e.what = "case";
  e.item_kind = "case";
  e.item_id = "c-" + std::to_string(n);
  e.municipality = 751;
  e.request_id = "req-" + std::to_string(n);
  return e;
}

int64_t Count(const std::string& db) {
  Db d(db, OpenMode::kReadOnly);
  return d.QueryInt("SELECT count(*) FROM access_log").value_or(-1);
}

int64_t Bytes(const std::string& path) {
  std::error_code ec;
  const auto n = std::filesystem::file_size(path, ec);
  return ec ? -1 : static_cast<int64_t>(n);
}

// A journal line as the writer writes it (any JSON object with these fields will do).
std::string Line(const AccessEntry& e) {
  nlohmann::json j = AccessEntryJson(e);
  j["prev_hash"] = e.prev_hash;
  j["hash"] = e.hash;
  return j.dump() + "\n";
}

// Entries seq from..to chained on `prev`, as a crashed writer would have journalled them.
std::vector<AccessEntry> Chain(int from, int to, std::string prev) {
  std::vector<AccessEntry> out;
  for (int n = from; n <= to; ++n) {
    AccessEntry e = Read("0101901234", n);
    e.seq = n;
    e.prev_hash = prev;
    e.hash = AccessEntryHash(e);
    prev = e.hash;
    out.push_back(e);
  }
  return out;
}

std::string LastHash(const std::string& db) {
  Db d(db, OpenMode::kReadOnly);
  return d.QueryText("SELECT hash FROM access_log ORDER BY seq DESC LIMIT 1").value_or("");
}

TEST(AccessLog, AnAppendIsInTheTableOnceSettledAndTheJournalsAreEmptyAfterClose) {
  const std::string db = FreshDb("settle.db");
  const auto journals = AccessLogWriter::JournalPaths(db);
  {
    AccessLogWriter w(db);
    for (int n = 1; n <= 3; ++n) {
      const AccessEntry e = w.Append(Read("0101901234", n));
      EXPECT_EQ(e.seq, n);
    }
    EXPECT_GT(Bytes(journals[0]), 0) << "an answered read is in the journal before the table";
    ASSERT_TRUE(w.Settle());
    EXPECT_EQ(Count(db), 3);
    EXPECT_EQ(w.pending(), 0);
    EXPECT_EQ(w.appended(), 3);
  }
  EXPECT_EQ(Bytes(journals[0]), 0);
  EXPECT_EQ(Bytes(journals[1]), 0);
  Db d(db, OpenMode::kReadOnly);
  const auto r = VerifyAccessLog(d, journals);
  EXPECT_TRUE(r.ok) << r.problem;
  EXPECT_EQ(r.entries, 3);
}

TEST(AccessLog, OnOpenTheJournalsEntriesTheTableLacksAreMovedAndACutLastLineIsNot) {
  const std::string db = FreshDb("recover.db");
  const auto journals = AccessLogWriter::JournalPaths(db);
  {
    AccessLogWriter w(db);
    for (int n = 1; n <= 5; ++n) w.Append(Read("0101901234", n));
  }
  ASSERT_EQ(Count(db), 5);
  // The process died with 6..8 journalled but not moved, in the middle of writing 9;
  // 4 and 5 are in both (moved, journal not yet emptied) and must not be stored twice.
  const auto lost = Chain(4, 9, "");  // hashes of 4, 5 do not matter: they are skipped
  auto tail = Chain(6, 9, LastHash(db));
  {
    std::ofstream j0(journals[0], std::ios::binary | std::ios::trunc);
    j0 << Line(lost[0]) << Line(lost[1]) << Line(tail[0]);
    std::ofstream j1(journals[1], std::ios::binary | std::ios::trunc);
    j1 << Line(tail[1]) << Line(tail[2]) << Line(tail[3]).substr(0, 40);  // no '\n': its write never returned
  }
  {
    AccessLogWriter w(db);
    EXPECT_EQ(w.recovered(), 3);
    EXPECT_EQ(Count(db), 8);
    EXPECT_EQ(Bytes(journals[0]), 0);
    EXPECT_EQ(Bytes(journals[1]), 0);
    const AccessEntry next = w.Append(Read("0101901234", 99));
    EXPECT_EQ(next.seq, 9) << "the chain goes on from the last entry recovered";
    EXPECT_EQ(next.prev_hash, tail[2].hash);
  }
  Db d(db, OpenMode::kReadOnly);
  const auto r = VerifyAccessLog(d);
  EXPECT_TRUE(r.ok) << r.problem;
  EXPECT_EQ(r.entries, 9);
  EXPECT_EQ(d.QueryInt("SELECT count(*) FROM access_log WHERE request_id = 'req-9'"), 0) << "the cut line";
}

TEST(AccessLog, VerifyReadsTheJournalsTailAndNamesAnEntryAlteredThere) {
  const std::string db = FreshDb("verify.db");
  const auto journals = AccessLogWriter::JournalPaths(db);
  {
    AccessLogWriter w(db);
    for (int n = 1; n <= 5; ++n) w.Append(Read("0101901234", n));
  }
  auto tail = Chain(6, 7, LastHash(db));
  {
    std::ofstream j0(journals[0], std::ios::binary | std::ios::trunc);
    j0 << Line(tail[0]) << Line(tail[1]);
  }
  {
    Db d(db, OpenMode::kReadOnly);
    const auto r = VerifyAccessLog(d, journals);
    EXPECT_TRUE(r.ok) << r.problem;
    EXPECT_EQ(r.entries, 7) << "the table's 5 and the journal's 2";
  }
  tail[1].actor = "someone else";  // altered after it was written
  {
    std::ofstream j0(journals[0], std::ios::binary | std::ios::trunc);
    j0 << Line(tail[0]) << Line(tail[1]);
  }
  {
    Db d(db, OpenMode::kReadOnly);
    const auto r = VerifyAccessLog(d, journals);
    EXPECT_FALSE(r.ok);
    EXPECT_EQ(r.first_broken_seq, 7);
    EXPECT_NE(r.problem.find("altered"), std::string::npos) << r.problem;
  }
  // Opened, the writer moves it as it is: the evidence stays for audit verify.
  { AccessLogWriter w(db); }
  Db d(db, OpenMode::kReadOnly);
  EXPECT_EQ(VerifyAccessLog(d).first_broken_seq, 7);
}

TEST(AccessLog, ManyThreadsAppendOneUnbrokenChainAcrossBothJournals) {
  const std::string db = FreshDb("turn.db");
  const auto journals = AccessLogWriter::JournalPaths(db);
  constexpr int kThreads = 4, kEach = 4000;  // about 5.5 MB of journal: past the 4 MB turn
  AccessLogWriter w(db);
  std::atomic<int> failed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      int64_t last = 0;
      for (int n = 0; n < kEach; ++n) {
        const AccessEntry e = w.Append(Read("010190" + std::to_string(1000 + t), t * kEach + n));
        if (e.seq <= last) ++failed;  // each thread's entries in order
        last = e.seq;
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(failed.load(), 0);
  ASSERT_TRUE(w.Settle());
  EXPECT_EQ(Count(db), kThreads * kEach);
  EXPECT_GT(w.commits(), 1);
  // The journals turned over: the first was emptied once the table had it, so together
  // they hold less than the whole log.
  const int64_t held = Bytes(journals[0]) + Bytes(journals[1]);
  EXPECT_GT(held, 0);
  EXPECT_LT(held, 4 << 20);
  Db d(db, OpenMode::kReadOnly);
  const auto r = VerifyAccessLog(d, journals);
  EXPECT_TRUE(r.ok) << r.problem;
  EXPECT_EQ(r.entries, kThreads * kEach);
}

}  // namespace
}  // namespace adda::store
