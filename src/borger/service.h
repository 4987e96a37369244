// The mock borger.dk: login (mock NemID/MitID), a citizen's own cases and benefits
// explained in plain Danish, contributions forwarded to the owning municipality,
// export, shares with a consent receipt, acting for one's children or under a power of
// attorney, the hash-chained access log, and feedback. All case data comes from the
// KOMBIT mock over HTTP (KombitGateway). See docs/borger.md.
#pragma once

#include <atomic>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "borger/gateway.h"
#include "borger/sessions.h"
#include "core/explain.h"
#include "core/kle.h"
#include "net/service.h"
#include "store/borger_store.h"

namespace adda::borger {

struct BorgerOptions {
  std::string db_path;
  GatewayOptions kombit;
  std::string session_secret;
  std::string admin_token;
  std::string test_password = "test";     // the mock IdP's password for every test user
  int session_minutes = 30;
  int max_login_failures = 5;             // per CPR within the window, then locked
  int login_window_s = 900;
  std::optional<Date> today;              // default: KOMBIT's clock
  std::ostream* log = nullptr;
  bool forward_in_background = true;      // the contribution outbox thread
  // The municipalities' integration keys (from KOMBIT's credentials file): each opens the
  // municipal citizen preview for its own municipality.
  std::map<int, std::string> municipality_tokens;
};

// Whose data a request reads, and in what capacity.
struct Subject {
  std::string cpr;         // whose data
  std::string actor;       // who reads (a CPR, or "share:<id>")
  std::string actor_kind;  // citizen | parent | proxy | share
  std::string purpose;
  std::optional<std::vector<std::string>> areas;  // a proxy's KLE main groups
  std::optional<std::string> share_id;
};

class BorgerService : public net::HttpService {
 public:
  explicit BorgerService(BorgerOptions options);
  ~BorgerService() override;

  struct Conn {
    explicit Conn(const std::string& path);
    store::Db db;
    store::BorgerStore store;
  };
  Conn& conn();
  KombitGateway& gateway() { return gateway_; }
  Date today();
  // Forwards due contributions once (the outbox thread calls this every second).
  int ForwardDue();

 protected:
  void Authorize(net::Request& req, const net::Route& route) override;
  nlohmann::json SecuritySchemes() const override;
  nlohmann::json SecurityFor(const std::string& access) const override;
  nlohmann::json HealthDetails() override;
  // Feedback takes an Idempotency-Key (a contribution is made safe to retry by its own id).
  bool HonoursIdempotencyKey(const net::Route& r) const override {
    return r.method == "POST" && r.pattern == "/v1/feedback";
  }

 private:
  void AddIdpRoutes();
  void AddCitizenRoutes();
  void AddContributionRoutes();
  void AddShareRoutes();
  void AddFeedbackRoutes();
  void AddPreviewRoutes();

  Subject ResolveSubject(const net::Request& req);
  void LogAccess(const Subject& s, const net::Request& req, const std::string& what,
                 const std::optional<std::string>& item_kind = std::nullopt,
                 const std::optional<std::string>& item_id = std::nullopt,
                 std::optional<int> municipality = std::nullopt);
  nlohmann::json CitizenInfo(const std::string& cpr);  // KOMBIT's /v1/citizens/{cpr}
  // The subject's explained items (cases and grants), filtered to a proxy's areas.
  struct Overview {
    std::vector<nlohmann::json> items;
    bool stale = false;
    std::string fetched_at;
  };
  Overview LoadOverview(const Subject& s, Depth depth = Depth::kSummary);
  nlohmann::json LoadItem(const Subject& s, const std::string& kind, int municipality, const std::string& id);
  ExplainContext Context();
  nlohmann::json StaleNotice(const std::string& fetched_at) const;

  BorgerOptions options_;
  KombitGateway gateway_;
  SessionSigner signer_;
  std::unique_ptr<store::AccessLogWriter> access_;
  KleCatalogue kle_;
  std::mutex names_mu_;
  std::map<int, std::string> municipality_names_;
  std::optional<Date> today_;
  std::atomic<bool> stop_{false};
  std::thread outbox_;
  std::mutex outbox_mu_;
  std::condition_variable outbox_cv_;
};

}  // namespace adda::borger
