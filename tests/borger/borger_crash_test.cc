// Durability of borger.dk's acknowledged writes: `adda serve borger` as its own process,
// killed with SIGKILL while several clients write to it, restarted on the same database,
// and whatever was not acknowledged resent as a real client would (same contribution id,
// same Idempotency-Key). Every acknowledged write must be there exactly once, every
// contribution forwarded exactly once to the municipality's inbox in KOMBIT, the access
// log's chain must verify, and both databases must pass SQLite's integrity check.
#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "borger_processes.h"

namespace adda::testing {
namespace {

using Json = nlohmann::json;
using Clock = std::chrono::steady_clock;

// What the drill's clients saw: writes answered 2xx, writes whose answer was lost (the
// server died under them) with what to resend, and answers that should never come.
struct Ledger {
  std::mutex mu;
  std::set<std::string> acknowledged;
  std::map<std::string, Json> unanswered;  // id or key -> the request to resend
  std::vector<std::string> wrong;          // unexpected statuses
  std::atomic<int> acks{0};
  std::condition_variable acked;  // notified with each ack
};

// Runs `threads` writers until the server dies under each of them (or `stop`): writer t's
// n-th write is write(t, n) -> {id, body}; `send` posts it and returns the status.
template <typename Write, typename Send>
void RunWriters(int threads, const std::atomic<bool>& stop, Ledger* ledger, Write write, Send send,
                std::vector<std::thread>* out) {
  for (int t = 0; t < threads; ++t)
    out->emplace_back([=, &stop] {
      for (int n = 0; !stop.load(); ++n) {
        const auto [id, body] = write(t, n);
        int status = 0;
        try {
          status = send(t, id, body);
        } catch (const net::TransportError&) {
          std::lock_guard<std::mutex> lock(ledger->mu);
          ledger->unanswered[id] = body;  // no answer: the client will resend it
          return;
        }
        std::lock_guard<std::mutex> lock(ledger->mu);
        if (status == 200 || status == 201) {
          ledger->acknowledged.insert(id);
          ++ledger->acks;
          ledger->acked.notify_all();
        } else {
          ledger->wrong.push_back(id + ": " + std::to_string(status));
        }
      }
    });
}

// Waits until `enough` writes are acknowledged (at most 15 s); false when they never were.
bool AwaitAcks(Ledger& ledger, int enough) {
  std::unique_lock<std::mutex> lock(ledger.mu);
  return ledger.acked.wait_until(lock, Clock::now() + std::chrono::seconds(15),
                                 [&] { return ledger.acks.load() >= enough; });
}

std::string Quoted(const std::set<std::string>& ids) {
  std::string out;
  for (const auto& id : ids) out += (out.empty() ? "'" : ",'") + id + "'";
  return out;
}

class BorgerCrash : public BorgerProcesses {};

// Contributions: stored in borger.db and forwarded to KOMBIT inside the request, the
// outbox forwarding whatever that missed. KOMBIT's inbox is slowed a little so the kill
// lands while forwards are in flight.
TEST_F(BorgerCrash, KillDuringContributionForwardingLosesNothingAndForwardsEachOnce) {
  const auto citizens = LogIn(4);
  ASSERT_EQ(citizens.size(), 4u);
  KombitFaults(Json::array({{{"route", "/v1/contributions"}, {"method", "POST"}, {"latency", {{"min_ms", 5}, {"max_ms", 40}}}}}));
  auto write = [&](int t, int n) {
    const auto& c = citizens[static_cast<size_t>(t)];
    const std::string id = "drill-c-" + std::to_string(t) + "-" + std::to_string(n);
    return std::pair<std::string, Json>{id, {{"id", id}, {"municipality", c.municipality}, {"item_kind", "case"},
                                             {"item_id", c.case_id}, {"kind", "note"}, {"text", "Drill " + id}}};
  };
  auto post = [&](const std::string& url) {
    return [&, url](int t, const std::string&, const Json& body) {
      net::Client b(url, {std::chrono::milliseconds(5000), {}});
      return b.PostJson("/v1/contributions", body, citizens[static_cast<size_t>(t)].auth).status;
    };
  };
  Ledger ledger;
  std::atomic<bool> stop{false};
  std::vector<std::thread> writers;
  const auto started = Clock::now();
  RunWriters(4, stop, &ledger, write, post(borger_url()), &writers);
  const bool enough = AwaitAcks(ledger, 60);
  const int64_t pending_at_kill = BorgerInt("SELECT count(*) FROM contributions WHERE forwarded = 0");
  KillBorger();
  stop = true;
  for (auto& w : writers) w.join();
  ASSERT_TRUE(enough) << "too few contributions acknowledged before the kill";
  EXPECT_TRUE(ledger.wrong.empty()) << ledger.wrong.front();
  const size_t acknowledged_before = ledger.acknowledged.size();

  // Restart on the same database; the clients resend what had no answer, same ids.
  ASSERT_TRUE(StartBorger());
  std::set<std::string> resent;
  for (const auto& [id, body] : ledger.unanswered) {
    const int t = std::stoi(id.substr(8, id.find('-', 8) - 8));
    net::Client b(borger_url());
    const auto r = b.PostJson("/v1/contributions", body, citizens[static_cast<size_t>(t)].auth);
    EXPECT_TRUE(r.status == 201 || r.status == 200) << id << ": " << r.status << " " << r.body;
    resent.insert(id);
  }
  std::set<std::string> all = ledger.acknowledged;
  all.insert(resent.begin(), resent.end());
  // The outbox forwards whatever the kill left behind (it runs every second). A real
  // wait: the outbox is in the server process, which can only be asked through its database.
  const auto deadline = Clock::now() + std::chrono::seconds(10);
  while (BorgerInt("SELECT count(*) FROM contributions WHERE forwarded = 0") != 0 && Clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  const double seconds = std::chrono::duration<double>(Clock::now() - started).count();

  // The clients' ids are kept per citizen as client_id; borger.dk's own id is forwarded.
  const std::string ours = "client_id IN (" + Quoted(all) + ")";
  std::set<std::string> texts;
  for (const auto& id : all) texts.insert("Drill " + id);
  const std::string sent = "text IN (" + Quoted(texts) + ")";
  EXPECT_EQ(BorgerInt("SELECT count(*) FROM contributions WHERE " + ours), static_cast<int64_t>(all.size()));
  EXPECT_EQ(BorgerInt("SELECT count(*) FROM contributions"), static_cast<int64_t>(all.size()))
      << "a contribution no client sent, or one stored twice";
  EXPECT_EQ(BorgerInt("SELECT count(*) FROM contributions WHERE forwarded = 0"), 0) << "left in the outbox";
  EXPECT_EQ(BorgerInt("SELECT count(*) FROM contributions WHERE status = 'not_delivered'"), 0);
  EXPECT_EQ(BorgerInt("SELECT count(*) FROM contributions WHERE text <> 'Drill ' || client_id"), 0);
  // In KOMBIT's inbox: each exactly once, as the citizen wrote it, at the right municipality.
  EXPECT_EQ(KombitInt("SELECT count(*) FROM contributions WHERE " + sent), static_cast<int64_t>(all.size()));
  EXPECT_EQ(KombitInt("SELECT count(*) FROM contributions"), static_cast<int64_t>(all.size()));
  EXPECT_EQ(KombitInt("SELECT count(DISTINCT text) FROM contributions"), static_cast<int64_t>(all.size()));
  EXPECT_EQ(KombitInt("SELECT count(DISTINCT id) FROM contributions"), static_cast<int64_t>(all.size()));
  EXPECT_EQ(IntegrityCheck(borger_db_), "ok");
  EXPECT_EQ(IntegrityCheck(kombit_db_), "ok");
  RecordProperty("acknowledged_before_kill", static_cast<int>(acknowledged_before));
  RecordProperty("unanswered_resent", static_cast<int>(resent.size()));
  RecordProperty("pending_in_outbox_at_kill", static_cast<int>(pending_at_kill));
  RecordProperty("seconds", std::to_string(seconds));
}

// Feedback: one INSERT per answer; a client resends what had no answer under the same
// Idempotency-Key, so an answer committed just before the kill is not stored twice.
TEST_F(BorgerCrash, KillDuringFeedbackAppendsLosesNothingAndStoresNothingTwice) {
  auto write = [](int t, int n) {
    const std::string key = "drill-f-" + std::to_string(t) + "-" + std::to_string(n);
    return std::pair<std::string, Json>{
        key, {{"origin", "simulated"}, {"rating", 1 + n % 5}, {"text", "Drill " + key}, {"run_id", "crash-drill"}}};
  };
  // Simulated answers, as the runner sends them: with its credential (the admin key).
  auto post = [this](const std::string& url) {
    return [this, url](int, const std::string& key, const Json& body) {
      net::Client b(url, {std::chrono::milliseconds(5000), {}});
      net::Headers h = BorgerAdmin();
      h["Idempotency-Key"] = key;
      return b.PostJson("/v1/feedback", body, h).status;
    };
  };
  Ledger ledger;
  std::atomic<bool> stop{false};
  std::vector<std::thread> writers;
  const auto started = Clock::now();
  RunWriters(6, stop, &ledger, write, post(borger_url()), &writers);
  const bool enough = AwaitAcks(ledger, 300);
  KillBorger();
  stop = true;
  for (auto& w : writers) w.join();
  ASSERT_TRUE(enough) << "too little feedback acknowledged before the kill";
  EXPECT_TRUE(ledger.wrong.empty()) << ledger.wrong.front();
  const size_t acknowledged_before = ledger.acknowledged.size();
  // What a lost answer left behind: stored already (the retry must not add it again) or not.
  int64_t committed_unanswered = 0;
  for (const auto& [key, body] : ledger.unanswered)
    committed_unanswered += BorgerInt("SELECT count(*) FROM feedback WHERE idempotency_key = '" + key + "'");

  ASSERT_TRUE(StartBorger());
  int replayed = 0;
  for (const auto& [key, body] : ledger.unanswered) {
    const auto r = post(borger_url())(0, key, body);
    EXPECT_TRUE(r == 201 || r == 200) << key << ": " << r;
    replayed += r == 200;
  }
  EXPECT_EQ(replayed, committed_unanswered);
  std::set<std::string> all = ledger.acknowledged;
  for (const auto& [key, body] : ledger.unanswered) all.insert(key);
  const double seconds = std::chrono::duration<double>(Clock::now() - started).count();

  EXPECT_EQ(BorgerInt("SELECT count(*) FROM feedback WHERE idempotency_key IN (" + Quoted(ledger.acknowledged) + ")"),
            static_cast<int64_t>(acknowledged_before))
      << "acknowledged feedback was lost";
  EXPECT_EQ(BorgerInt("SELECT count(*) FROM feedback"), static_cast<int64_t>(all.size())) << "stored twice";
  EXPECT_EQ(BorgerInt("SELECT count(DISTINCT text) FROM feedback"), static_cast<int64_t>(all.size()));
  EXPECT_EQ(BorgerInt("SELECT count(*) FROM feedback WHERE text <> 'Drill ' || idempotency_key"), 0);
  EXPECT_EQ(IntegrityCheck(borger_db_), "ok");
  RecordProperty("acknowledged_before_kill", static_cast<int>(acknowledged_before));
  RecordProperty("unanswered_resent", static_cast<int>(ledger.unanswered.size()));
  RecordProperty("unanswered_but_committed", static_cast<int>(committed_unanswered));
  RecordProperty("seconds", std::to_string(seconds));
}

// The access log: every read of a citizen's data is appended (to the journal; the table
// gets it within milliseconds) before the read is answered. Readers of several citizens,
// and now and then of the log itself, run at once; after the kill and a restart (which
// moves what only the journal had into the table) the chain must verify and every
// answered read must have its entry, exactly once.
TEST_F(BorgerCrash, KillDuringAccessLogAppendsKeepsTheChainAndEveryAnsweredRead) {
  const auto citizens = LogIn(6);
  ASSERT_EQ(citizens.size(), 6u);
  // Reads are not resent: the request id adda gave each answered read (its X-Request-Id
  // answer header, kept in the log entry) names what that read must have left behind.
  std::mutex served_mu;
  std::map<std::string, std::string> served;  // the drill's name for a read -> adda's request id
  auto read = [&](const std::string& url) {
    return [&, url](int t, const std::string& id, const Json&) {
      const auto& c = citizens[static_cast<size_t>(t)];
      net::Client b(url, {std::chrono::milliseconds(5000), {}});
      const net::Headers h{{"Authorization", c.auth.at("Authorization")}};
      const std::string target =
          id.back() % 2 ? "/v1/overview" : "/v1/cases/" + std::to_string(c.municipality) + "/" + c.case_id;
      const auto r = b.Get(target, h);
      {
        std::lock_guard<std::mutex> lock(served_mu);
        served[id] = r.Header("X-Request-Id");
      }
      // And now and then the log itself (not logged, but it reads what is being appended;
      // not every time, for reading it first moves everything into the table).
      if (id.back() == '7' && b.Get("/v1/access-log?limit=5", c.auth).status != 200) return 0;
      return r.status;
    };
  };
  auto name = [](int t, int n) {
    return std::pair<std::string, Json>{"drill-r-" + std::to_string(t) + "-" + std::to_string(n), Json()};
  };
  const int64_t base = BorgerInt("SELECT coalesce(max(seq), 0) FROM access_log");  // LogIn's own reads
  Ledger ledger;
  std::atomic<bool> stop{false};
  std::vector<std::thread> readers;
  const auto started = Clock::now();
  RunWriters(6, stop, &ledger, name, read(borger_url()), &readers);
  const bool enough = AwaitAcks(ledger, 150);
  KillBorger();
  stop = true;
  for (auto& r : readers) r.join();
  ASSERT_TRUE(enough) << "too few reads answered before the kill";
  EXPECT_TRUE(ledger.wrong.empty()) << ledger.wrong.front();
  const int64_t entries_at_kill = BorgerInt("SELECT count(*) FROM access_log");  // in the table; more in the journal

  // After the restart the chain goes on from where it was.
  ASSERT_TRUE(StartBorger());
  Ledger after;
  std::atomic<bool> stop_after{false};
  std::vector<std::thread> more;
  auto name_after = [](int t, int n) {
    return std::pair<std::string, Json>{"drill-s-" + std::to_string(t) + "-" + std::to_string(n), Json()};
  };
  {  // what the killed process had journalled but not yet moved into the table
    net::Client b(borger_url());
    const auto health = b.Get("/health");
    RecordProperty("recovered_from_journal", static_cast<int>(Json::parse(health.body).value("access_log_recovered", -1)));
  }
  RunWriters(6, stop_after, &after, name_after, read(borger_url()), &more);
  EXPECT_TRUE(AwaitAcks(after, 30));
  stop_after = true;
  for (auto& r : more) r.join();
  EXPECT_TRUE(after.unanswered.empty());
  const double seconds = std::chrono::duration<double>(Clock::now() - started).count();

  const auto audit = AuditVerify();
  EXPECT_EQ(audit.first, 0) << audit.second;
  EXPECT_NE(audit.second.find("chain intact"), std::string::npos) << audit.second;
  size_t asked = 0;
  for (const Ledger* l : {&ledger, &after}) {
    std::set<std::string> ids;
    for (const auto& read_name : l->acknowledged) ids.insert(served.at(read_name));
    ASSERT_EQ(ids.size(), l->acknowledged.size()) << "two answered reads with one request id";
    const std::string answered = "request_id IN (" + Quoted(ids) + ")";
    EXPECT_EQ(BorgerInt("SELECT count(*) FROM access_log WHERE " + answered), static_cast<int64_t>(ids.size()))
        << "an answered read without its log entry, or with two";
    EXPECT_EQ(BorgerInt("SELECT count(DISTINCT request_id) FROM access_log WHERE " + answered),
              static_cast<int64_t>(ids.size()));
    asked += l->acknowledged.size() + l->unanswered.size();
  }
  // No entry for a read no one asked for (at most one for each read whose answer was lost
  // in the kill), and none twice.
  const std::string since = "FROM access_log WHERE seq > " + std::to_string(base);
  EXPECT_LE(BorgerInt("SELECT count(*) " + since), static_cast<int64_t>(asked));
  EXPECT_EQ(BorgerInt("SELECT count(*) - count(DISTINCT request_id) " + since), 0);
  EXPECT_EQ(IntegrityCheck(borger_db_), "ok");
  RecordProperty("answered_before_kill", static_cast<int>(ledger.acknowledged.size()));
  RecordProperty("unanswered_at_kill", static_cast<int>(ledger.unanswered.size()));
  RecordProperty("entries_at_kill", static_cast<int>(entries_at_kill));
  RecordProperty("answered_after_restart", static_cast<int>(after.acknowledged.size()));
  RecordProperty("seconds", std::to_string(seconds));
}

}  // namespace
}  // namespace adda::testing
