// Both services as real processes, for drills that kill or starve them: a freshly
// generated KOMBIT database (scale 0.002), `adda serve kombit` and `adda serve borger` as
// child processes on ephemeral ports on 127.0.0.1, and what a drill needs around them —
// logged-in citizens with one of their cases, the admin keys, borger's pid (for SIGKILL
// and /proc counts), a restart on the same database, SQL over both databases.
// One fixture per test (ctest runs each in its own process); not thread-safe: drill
// threads use their own net::Client.
#pragma once

#include <gtest/gtest.h>
#include <sys/types.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/http_testing.h"
#include "common/kombit_process.h"
#include "net/client.h"
#include "sim/generator.h"
#include "store/sqlite.h"
#include "test_population.h"

namespace adda::testing {

class BorgerProcesses : public ::testing::Test {
 protected:
  struct Citizen {
    std::string cpr;
    net::Headers auth;  // Authorization: Bearer <session>
    int municipality = 0;
    std::string case_id;  // one of the citizen's own cases
  };

  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = std::string(ADDA_TEST_TMP) + "/procs-" + info->name() + "-" + std::to_string(::getpid());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_ + "/kombit");
    kombit_db_ = dir_ + "/kombit/kombit.db";
    borger_db_ = dir_ + "/borger.db";
    GenerateTestPopulation(kombit_db_);
    if (HasFatalFailure()) return;
    std::string why;
    // As many KOMBIT threads as borger may hold connections to it (its pool keeps them alive).
    ASSERT_TRUE(kombit_.StartServe({"kombit", "--db", kombit_db_, "--today", "2018-12-11", "--threads", "64"},
                                   dir_ + "/kombit", &why))
        << why;
    kombit_admin_ = ReadJson(kombit_db_ + ".credentials.json")["admin"];
    ASSERT_TRUE(StartBorger()) << "borger did not start";
    borger_admin_ = ReadJson(borger_db_ + ".credentials.json")["admin"];
  }

  void TearDown() override {
    borger_.reset();
    kombit_.Stop();
    if (!HasFailure()) {
      std::error_code ec;
      std::filesystem::remove_all(dir_, ec);
    }
  }

  // Starts (or, after KillBorger, restarts) `adda serve borger` over the same borger.db;
  // each start logs into its own folder and listens on a new ephemeral port.
  bool StartBorger() {
    const std::string run_dir = dir_ + "/borger-" + std::to_string(++borger_starts_);
    std::filesystem::create_directories(run_dir);
    borger_ = std::make_unique<KombitProcess>();
    std::string why;
    std::vector<std::string> args = {"borger", "--db", borger_db_, "--kombit", kombit_.url(),
                                     "--kombit-credentials", kombit_db_ + ".credentials.json",
                                     "--threads", std::to_string(borger_threads_),
                                     "--kombit-timeout-ms", std::to_string(kombit_timeout_ms_),
                                     "--kombit-breaker-ms", std::to_string(kombit_breaker_ms_)};
    if (!borger_->StartServe(args, run_dir, &why)) {
      ADD_FAILURE() << why;
      return false;
    }
    return true;
  }
  void KillBorger() { borger_->Kill(); }
  const std::string& borger_url() const { return borger_->url(); }
  pid_t borger_pid() const { return borger_->pid(); }

  net::Headers KombitAdmin() const { return {{"Authorization", "Bearer " + kombit_admin_}}; }
  net::Headers BorgerAdmin() const { return {{"Authorization", "Bearer " + borger_admin_}}; }

  // Sets KOMBIT's fault rules (an empty array lifts them all).
  void KombitFaults(const nlohmann::json& rules) {
    net::Client k(kombit_.url());
    const auto r = k.Send("PUT", "/admin/faults", rules.dump(), KombitAdmin());
    ASSERT_TRUE(r.status == 200 || r.status == 204) << r.body;
  }

  // `n` adult citizens with at least one case of their own, logged in at borger.
  std::vector<Citizen> LogIn(int n) {
    std::vector<Citizen> out;
    store::Db k(kombit_db_, store::OpenMode::kReadOnly);
    auto s = k.Prepare(
        "SELECT c.cpr, min(k.municipality), min(k.id) FROM citizens c JOIN cases k ON k.cpr = c.cpr "
        "WHERE c.birth_date < '1995-01-01' GROUP BY c.cpr ORDER BY c.cpr LIMIT ?1");
    s.Bind(1, n * 3);
    net::Client b(borger_url());
    while (s.Step() && static_cast<int>(out.size()) < n) {
      const std::string cpr = s.Text(0);
      const int m = static_cast<int>(s.Int(1));
      const std::string id = s.Text(2);
      auto login = b.PostJson("/idp/login", {{"cpr", cpr}, {"password", "test"}});
      EXPECT_EQ(login.status, 201) << login.body;
      if (login.status != 201) continue;
      net::Headers auth{{"Authorization", "Bearer " + login.Json()["token"].get<std::string>()}};
      // Only a case the citizen sees as their own (primary party) will do.
      if (b.Get("/v1/cases/" + std::to_string(m) + "/" + id, auth).status != 200) continue;
      out.push_back({cpr, auth, m, id});
    }
    EXPECT_EQ(static_cast<int>(out.size()), n) << "not enough citizens with a case of their own";
    return out;
  }

  int64_t BorgerInt(const std::string& sql) const {
    if (borger_ && sql.find("access_log") != std::string::npos) AwaitAccessLogInTable(borger_url());
    return QueryInt(borger_db_, sql);
  }
  int64_t KombitInt(const std::string& sql) const { return QueryInt(kombit_db_, sql); }
  static int64_t QueryInt(const std::string& db, const std::string& sql) {
    store::Db d(db, store::OpenMode::kReadOnly);
    return d.QueryInt(sql).value_or(-1);
  }
  static std::string IntegrityCheck(const std::string& db) {
    store::Db d(db, store::OpenMode::kReadOnly);
    return d.QueryText("PRAGMA integrity_check").value_or("");
  }

  // Threads and open descriptors of a live process.
  static int CountEntries(const std::string& dir) {
    int n = 0;
    std::error_code ec;
    for (auto it = std::filesystem::directory_iterator(dir, ec); !ec && it != std::filesystem::directory_iterator();
         it.increment(ec))
      ++n;
    return n;
  }
  static int Threads(pid_t pid) { return CountEntries("/proc/" + std::to_string(pid) + "/task"); }
  static int Fds(pid_t pid) { return CountEntries("/proc/" + std::to_string(pid) + "/fd"); }

  // `adda audit verify --db borger.db`: its exit code and output.
  std::pair<int, std::string> AuditVerify() const {
    FILE* p = popen((std::string(ADDA_BINARY) + " audit verify --db " + borger_db_ + " 2>&1").c_str(), "r");
    std::string out;
    char buf[512];
    size_t got;
    while ((got = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, got);
    const int status = pclose(p);
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
  }

  static nlohmann::json ReadJson(const std::string& path) {
    std::ifstream in(path);
    auto j = nlohmann::json::parse(in, nullptr, false);
    return j.is_discarded() ? nlohmann::json::object() : j;
  }

  std::string dir_, kombit_db_, borger_db_, kombit_admin_, borger_admin_;
  int borger_threads_ = 32;
  int kombit_timeout_ms_ = 1500;
  int kombit_breaker_ms_ = 5000;
  KombitProcess kombit_;
  std::unique_ptr<KombitProcess> borger_;
  int borger_starts_ = 0;
};

}  // namespace adda::testing
