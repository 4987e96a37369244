// Both real services for a test: a freshly generated KOMBIT database (scale 0.002), the
// KOMBIT mock and the mock borger.dk on ephemeral ports on 127.0.0.1, talking HTTP to
// each other, and a client for each. One per test (ctest runs each in its own process).
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <unistd.h>

#include "borger/service.h"
#include "common/http_testing.h"
#include "kombit/service.h"
#include "net/client.h"
#include "net/server.h"
#include "sim/generator.h"
#include "store/sqlite.h"
#include "test_population.h"

namespace adda::testing {

class BorgerEnv : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = std::string(ADDA_TEST_TMP) + "/borger-" + info->name() + "-" + std::to_string(::getpid());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    kombit_db_ = dir_ + "/kombit.db";
    GenerateTestPopulation(kombit_db_);
    if (HasFatalFailure()) return;
    bool created = false;
    auto creds = kombit::LoadOrCreateCredentials(dir_ + "/kombit-credentials.json", {430, 561, 630, 710, 751}, &created);
    ASSERT_TRUE(creds.ok());
    kcreds_ = *creds;
    StartKombit(0);
    StartBorger();
  }

  void StartKombit(int port) {
    kombit::KombitOptions ko;
    ko.db_path = kombit_db_;
    ko.credentials = kcreds_;
    ko.changes_keep = kombit_changes_keep_;
    ko.changes_prune_every = kombit_prune_every_;
    ko.check_answers = true;  // every answer held to the document (TearDown)
    kombit_ = std::make_unique<kombit::KombitService>(ko);
    kserver_ = std::make_unique<net::Server>(*kombit_, net::ServerOptions{"127.0.0.1", port, 16});
    kserver_->Start();
    kombit_port_ = kserver_->port();
  }
  void StopKombit() {
    if (kserver_) kserver_->Stop();
    if (kombit_) ExpectAnswersMatchTheDocument(*kombit_);
    kserver_.reset();
    kombit_.reset();
  }

  void StartBorger() {
    borger::BorgerOptions bo;
    bo.db_path = dir_ + "/borger.db";
    bo.kombit.kombit = "http://127.0.0.1:" + std::to_string(kombit_port_);
    bo.kombit.token = kcreds_.system;
    bo.municipality_tokens = kcreds_.municipalities;
    bo.kombit.timeout = std::chrono::milliseconds(kombit_timeout_ms_);
    bo.kombit.breaker_open = std::chrono::milliseconds(300);
    bo.session_secret = "test-secret-0123456789abcdef0123456789abcdef";
    bo.admin_token = "adm-test-0123456789abcdef";
    bo.session_minutes = session_minutes_;
    bo.forward_in_background = false;  // tests drive the outbox with ForwardDue()
    bo.follow_changes = follow_changes_;
    bo.max_client_login_failures = max_client_login_failures_;
    bo.secure_cookies = secure_cookies_;
    bo.check_answers = true;
    if (borger_clock_) bo.clock = borger_clock_;
    if (log_borger_) {  // to a file, read back by BorgerLog() (never shared memory with the server)
      borger_log_ = std::make_unique<std::ofstream>(dir_ + "/borger.log", std::ios::app);
      bo.log = borger_log_.get();
    }
    borger_ = std::make_unique<borger::BorgerService>(bo);
    bserver_ = std::make_unique<net::Server>(*borger_, net::ServerOptions{"127.0.0.1", 0, 16});
    bserver_->Start();
    client_ = std::make_unique<net::Client>(bserver_->url());
    kclient_ = std::make_unique<net::Client>(kserver_ ? kserver_->url() : "http://127.0.0.1:" + std::to_string(kombit_port_));
  }

  void StopBorger() {
    client_.reset();
    kclient_.reset();
    if (bserver_) bserver_->Stop();
    if (borger_) ExpectAnswersMatchTheDocument(*borger_);
    bserver_.reset();
    borger_.reset();
    borger_log_.reset();
  }

  // Now on borger.dk's clock, in unix seconds (what its expiries are compared with).
  int64_t UnixNow() const { return (borger_clock_ ? *borger_clock_ : SystemClock()).UnixSeconds(); }

  // borger.dk's request log so far (with log_borger_ set before StartBorger).
  std::string BorgerLog() const {
    std::ifstream in(dir_ + "/borger.log");
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }

  void TearDown() override {
    StopBorger();
    StopKombit();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  std::string KombitText(const std::string& sql) const {
    store::Db db(kombit_db_, store::OpenMode::kReadOnly);
    return db.QueryText(sql).value_or("");
  }
  int64_t KombitInt(const std::string& sql) const {
    store::Db db(kombit_db_, store::OpenMode::kReadOnly);
    return db.QueryInt(sql).value_or(-1);
  }
  int64_t BorgerInt(const std::string& sql) const {
    if (bserver_ && sql.find("access_log") != std::string::npos) AwaitAccessLogInTable(bserver_->url());
    store::Db db(dir_ + "/borger.db", store::OpenMode::kReadOnly);
    return db.QueryInt(sql).value_or(-1);
  }

  // Logs `cpr` in and returns the Authorization header.
  net::Headers Login(const std::string& cpr) {
    auto r = client_->PostJson("/idp/login", {{"cpr", cpr}, {"password", "test"}});
    EXPECT_EQ(r.status, 201) << r.body;
    return {{"Authorization", "Bearer " + r.Json()["token"].get<std::string>()}};
  }
  net::Headers Admin() const { return {{"Authorization", "Bearer adm-test-0123456789abcdef"}}; }
  net::Headers KAdmin() const { return {{"Authorization", "Bearer " + kcreds_.admin}}; }
  net::Headers KSystem() const { return {{"Authorization", "Bearer " + kcreds_.system}}; }
  // The owning municipality gives a case (an overview item) a new title through KOMBIT's
  // integration API; the status of its PUT.
  int RetitleCase(const nlohmann::json& item, const std::string& title) {
    const int m = item["municipality"];
    const std::string path = "/v1/municipalities/" + std::to_string(m) + "/cases/" + item["id"].get<std::string>();
    auto owned = kclient_->Get(path, Municipality(m));
    if (owned.status != 200) return owned.status;
    auto body = owned.Json();
    body["title"] = title;
    return kclient_->PutJson(path, body, {{"Authorization", Municipality(m).at("Authorization")}, {"If-Match", owned.Header("ETag")}})
        .status;
  }
  // A municipality's integration key: opens the municipal citizen preview.
  net::Headers Municipality(int code) const {
    return {{"Authorization", "Bearer " + kcreds_.municipalities.at(code)}};
  }

  // A citizen with at least `n` cases.
  std::string CitizenWithCases(int n = 2) const {
    return KombitText("SELECT cpr FROM cases GROUP BY cpr HAVING count(*) >= " + std::to_string(n) +
                      " ORDER BY count(*) DESC, cpr LIMIT 1");
  }

  std::string dir_, kombit_db_;
  int kombit_port_ = 0;
  int kombit_timeout_ms_ = 500;
  bool follow_changes_ = true;  // as adda serve borger does by default
  int session_minutes_ = 30;
  // borger.dk's clock (before StartBorger); null: the system clock. BorgerOnManualClock
  // hands it manual_, which tests advance instead of sleeping.
  const Clock* borger_clock_ = nullptr;
  ManualClock manual_{GoLiveMorning()};
  int max_client_login_failures_ = 50;
  bool secure_cookies_ = false;  // the pages' cookies as over TLS
  bool log_borger_ = false;
  std::unique_ptr<std::ofstream> borger_log_;
  kombit::Credentials kcreds_;
  std::unique_ptr<kombit::KombitService> kombit_;
  std::unique_ptr<net::Server> kserver_;
  int64_t kombit_changes_keep_ = 1'000'000;
  std::chrono::milliseconds kombit_prune_every_{60'000};
  std::unique_ptr<borger::BorgerService> borger_;
  std::unique_ptr<net::Server> bserver_;
  std::unique_ptr<net::Client> client_, kclient_;
};

// BorgerEnv with borger.dk on a manual clock at go-live morning (KOMBIT keeps the system
// clock: its long polls must end on their own). Sessions, throttles, shares, the outbox's
// backoff, the breaker and cache ages move only when a test advances manual_.
class BorgerOnManualClock : public BorgerEnv {
 protected:
  void SetUp() override {
    borger_clock_ = &manual_;
    BorgerEnv::SetUp();
  }
};

}  // namespace adda::testing
