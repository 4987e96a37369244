// A real KOMBIT mock for a test: a freshly generated small database (scale 0.002, about
// 1,350 citizens across the five municipalities), credentials, the service on an
// ephemeral port on 127.0.0.1, and an HTTP client. One per test (ctest runs each test
// in its own process).
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <unistd.h>

#include "common/http_testing.h"
#include "kombit/service.h"
#include "net/client.h"
#include "net/server.h"
#include "sim/generator.h"
#include "store/kombit_store.h"

namespace adda::testing {

class KombitEnv : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = std::string(ADDA_TEST_TMP) + "/kombit-" + info->name() + "-" + std::to_string(::getpid());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    db_path_ = dir_ + "/kombit.db";
    auto inputs = sim::LoadGeneratorInputs(std::string(ADDA_SOURCE_DIR) + "/pilots/municipalities");
    ASSERT_TRUE(inputs.ok()) << inputs.status().ToString();
    sim::GenerateOptions gen;
    gen.scale = 0.002;
    gen.seed = 11;
    auto generated = sim::GenerateDatabase(*inputs, gen, db_path_, nullptr, nullptr);
    ASSERT_TRUE(generated.ok()) << generated.status().ToString();
    bool created = false;
    auto creds = kombit::LoadOrCreateCredentials(dir_ + "/credentials.json", {430, 561, 630, 710, 751}, &created);
    ASSERT_TRUE(creds.ok());
    creds_ = *creds;
    StartServer();
  }

  void StartServer() {
    kombit::KombitOptions opt;
    opt.db_path = db_path_;
    opt.credentials = creds_;
    opt.max_bulk_body = bulk_limit_;
    opt.changes_keep = changes_keep_;
    opt.changes_prune_every = prune_every_;
    opt.check_answers = true;  // every answer held to the document (StopServer)
    service_ = std::make_unique<kombit::KombitService>(opt);
    server_ = std::make_unique<net::Server>(*service_, net::ServerOptions{"127.0.0.1", 0, 16});
    server_->Start();
    client_ = std::make_unique<net::Client>(server_->url());
  }

  void StopServer() {
    client_.reset();
    if (server_) server_->Stop();
    if (service_) ExpectAnswersMatchTheDocument(*service_);
    server_.reset();
    service_.reset();
  }

  void TearDown() override {
    StopServer();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  int64_t changes_keep_ = 1'000'000;
  std::chrono::milliseconds prune_every_{60'000};

  net::Headers Sys() const { return {{"Authorization", "Bearer " + creds_.system}}; }
  net::Headers Admin() const { return {{"Authorization", "Bearer " + creds_.admin}}; }
  net::Headers Muni(int code) const { return {{"Authorization", "Bearer " + creds_.municipalities.at(code)}}; }
  static net::Headers With(net::Headers h, const std::string& k, const std::string& v) {
    h[k] = v;
    return h;
  }

  // Direct read access to the database, as a second opinion on what the API says.
  std::unique_ptr<store::Db> OpenDb() const {
    return std::make_unique<store::Db>(db_path_, store::OpenMode::kReadOnly);
  }
  std::string QueryText(const std::string& sql) const {
    auto db = OpenDb();
    return db->QueryText(sql).value_or("");
  }
  int64_t QueryInt(const std::string& sql) const {
    auto db = OpenDb();
    return db->QueryInt(sql).value_or(-1);
  }

  // A stored case of municipality `m` as JSON (full, as the owner sees it).
  nlohmann::json AnyCase(int m) {
    const std::string id = QueryText("SELECT id FROM cases WHERE municipality = " + std::to_string(m) + " ORDER BY id LIMIT 1");
    auto r = client_->Get("/v1/municipalities/" + std::to_string(m) + "/cases/" + id, Muni(m));
    EXPECT_EQ(r.status, 200) << r.body;
    return r.Json();
  }
  nlohmann::json AnyGrant(int m) {
    const std::string id = QueryText("SELECT id FROM grants WHERE municipality = " + std::to_string(m) + " ORDER BY id LIMIT 1");
    auto r = client_->Get("/v1/municipalities/" + std::to_string(m) + "/grants/" + id, Muni(m));
    EXPECT_EQ(r.status, 200) << r.body;
    return r.Json();
  }
  // A well-formed new case for municipality `m` for the citizen `cpr` (clean: no warnings
  // but the one about the mock being a test environment never applies: CPR substitute).
  static nlohmann::json NewCase(int m, const std::string& id, const std::string& cpr, const std::string& number) {
    return {{"id", id},
            {"municipality", m},
            {"case_number", number},
            {"title", "Hjælp til bolig"},
            {"description", "Sag om boligstøtte"},
            {"legal_basis", "Lov om individuel boligstøtte"},
            {"sensitivity", "FORTROLIGE_PERSONOPLYSNINGER"},
            {"local_status", "Modtaget"},
            {"status_history", {{{"status", "Opstaaet"}, {"from", "2018-11-01"}, {"to", nullptr}}}},
            {"kle", {{"subject", "32.06.00"}, {"facet", "G01"}}},
            {"responsible_unit", "Borgerservice"},
            {"primary_party", "urn:oio:cpr-nr:" + cpr},
            {"deliverer", "udbetaling_danmark"},
            {"decision", nullptr},
            {"documents", nlohmann::json::array()}};
  }

  std::string dir_, db_path_;
  size_t bulk_limit_ = 256 << 20;
  kombit::Credentials creds_;
  std::unique_ptr<kombit::KombitService> service_;
  std::unique_ptr<net::Server> server_;
  std::unique_ptr<net::Client> client_;
};

}  // namespace adda::testing
