// The mock KOMBIT backend: the case index and benefit index over kombit.db, for three
// audiences — borger.dk (system key: index queries, contributions), municipalities (one
// key each: the integration API, their contributions inbox, their integration log), and
// the pilot team (admin key: fault injection and counters). See docs/kombit.md.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "core/date.h"
#include "core/kle.h"
#include "kombit/credentials.h"
#include "net/service.h"
#include "store/kombit_store.h"

namespace adda::kombit {

struct KombitOptions {
  std::string db_path;
  Credentials credentials;
  std::optional<Date> today;  // the simulated clock; default: the database's, else go-live day
  std::ostream* log = nullptr;
  size_t max_body = 1 << 20;       // one record
  size_t max_bulk_body = 256 << 20;  // a bulk NDJSON load
  // The change feed keeps the newest this many changes (0: all); a follower further
  // behind is told so (410 changes.pruned) and starts again from now.
  int64_t changes_keep = 1'000'000;
  std::chrono::milliseconds changes_prune_every{60'000};
  // Holds every answer to /openapi.json and keeps what does not match (tests; serve
  // --check-answers): see net::ServiceOptions::check_answers.
  bool check_answers = false;
  // Every stamp (the integration log, contributions, changes, idempotency records) and
  // the change feed's long-poll deadline read it.
  const Clock* clock = &SystemClock();
};

class KombitService : public net::HttpService {
 public:
  // Opens (and migrates) the database once to check it; StoreError when it cannot.
  explicit KombitService(KombitOptions options);
  ~KombitService() override;

  Date today() const { return today_; }

  // One connection per serving thread, opened on first use, with its prepared
  // statements; never shared between threads.
  struct Conn {
    Conn(const std::string& path, const Clock& clock);
    store::Db db;
    store::KombitStore store;
  };
  Conn& conn();

 protected:
  void Authorize(net::Request& req, const net::Route& route) override;
  bool Serves(net::Access a) const override {
    return a == net::Access::kPublic || a == net::Access::kSystem || a == net::Access::kMunicipality ||
           a == net::Access::kAdmin;
  }
  nlohmann::json SecuritySchemes() const override;
  nlohmann::json HealthDetails() override;
  // The integration writes (one key per municipality): see Integrate and Bulk.
  bool HonoursIdempotencyKey(const net::Route& r) const override {
    return r.access == net::Access::kMunicipality && r.method != "GET";
  }

 private:
  void AddRoutes();  // the table (routes.cc)
  // Handlers, in the table's order (index_routes.cc, integration_routes.cc,
  // contribution_routes.cc, admin_routes.cc).
  net::Response Municipalities(net::Request& req);
  net::Response Citizens(net::Request& req);
  net::Response CitizenRecord(net::Request& req);
  net::Response CitizenCases(net::Request& req);
  net::Response CitizenGrants(net::Request& req);
  net::Response CitizenOverview(net::Request& req);
  net::Response Changes(net::Request& req);
  net::Response CaseItem(net::Request& req);
  net::Response GrantItem(net::Request& req);
  net::Response IntegratePutCase(net::Request& req);
  net::Response OwnCase(net::Request& req);
  net::Response OwnCases(net::Request& req);
  net::Response IntegrateStatus(net::Request& req);
  net::Response IntegrateDocument(net::Request& req);
  net::Response IntegratePutGrant(net::Request& req);
  net::Response OwnGrant(net::Request& req);
  net::Response OwnGrants(net::Request& req);
  net::Response IntegrationLog(net::Request& req);
  net::Response ReceiveContribution(net::Request& req);
  net::Response ContributionStatus(net::Request& req);
  net::Response CitizenContributions(net::Request& req);
  net::Response OwnContributions(net::Request& req);
  net::Response AnswerContribution(net::Request& req);
  net::Response Faults(net::Request& req);
  net::Response AddFault(net::Request& req);
  net::Response ReplaceFaults(net::Request& req);
  net::Response ClearFaults(net::Request& req);
  net::Response RemoveFault(net::Request& req);
  net::Response Stats(net::Request& req);
  using BodiesByCpr = std::vector<std::string> (store::KombitStore::*)(const std::string&, std::optional<int>, store::Page);
  net::Response CitizenItems(net::Request& req, BodiesByCpr query);
  net::Response IntegrateGrantBenefit(net::Request& req);
  net::Response IntegrateGrantPayment(net::Request& req);
  net::Response PutGrantPart(net::Request& req, const std::string& part);

  // The integration write pipeline: idempotency, one transaction, log entry.
  struct Outcome {
    net::Response response;
    nlohmann::json warnings = nlohmann::json::array();
  };
  using Write = std::function<Outcome(store::KombitStore&, int municipality)>;
  net::Response Integrate(net::Request& req, const std::string& item_kind, const std::string& item_id,
                          const Write& write);
  net::Response Bulk(net::Request& req);

  // Writers shared by the single-record routes and the bulk route. `req` carries the
  // preconditions (If-Match / If-None-Match) or is null for bulk lines.
  Outcome PutCase(store::KombitStore& s, int m, const std::string& id, const nlohmann::json& body,
                  const net::Request* req);
  Outcome PutGrant(store::KombitStore& s, int m, const std::string& id, const nlohmann::json& body,
                   const net::Request* req);
  // Keeps an accepted item's warnings and answers with its id, version and ETag.
  Outcome Stored(store::KombitStore& s, int m, const std::string& kind, const std::string& id, int64_t version,
                 bool created, const std::vector<Violation>& warnings);

  // Every changes_prune_every: all but the newest changes_keep changes go.
  void PruneChanges();

  KombitOptions options_;
  Date today_;
  std::string feed_id_;  // names this database's change feed (meta feed_id)
  KleCatalogue kle_;
  std::vector<std::string> jargon_;
  std::atomic<int64_t> changes_pruned_{0};
  std::mutex prune_mu_;
  std::condition_variable prune_cv_;
  bool stopping_ = false;  // guarded by prune_mu_
  std::thread pruner_;
};

}  // namespace adda::kombit
