// A municipal system's side of the integration API: pushes cases and grants as NDJSON
// bulk loads, one batch at a time, with an idempotency key per record so that a retry
// after a timeout, a 5xx or a dropped connection never writes a record twice. Used by
// `adda generate --via` (`adda push` sends record by record instead: sim/pusher.h).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "net/client.h"
#include "sim/generator.h"

namespace adda::sim {

struct PushTotals {
  int64_t lines = 0, accepted = 0, replayed = 0, rejected = 0, retries = 0, batches = 0;
  std::map<std::string, int64_t> rules;        // violated rule id -> count (rejections)
  std::map<std::string, int64_t> warnings;     // warning rule id -> count (accepted)
  std::vector<nlohmann::json> first_rejections;  // up to 20 {line, id, errors}
};

struct PushOptions {
  std::string kombit;                     // http://host:port
  std::map<int, std::string> tokens;      // municipality -> bearer token
  size_t batch_lines = 1000;
  int max_attempts = 6;                   // per batch, with exponential backoff
  std::chrono::milliseconds timeout{60000};
  std::string key_prefix = "push";        // idempotency keys: PREFIX:KIND:ID
};

class BulkPusher {
 public:
  explicit BulkPusher(PushOptions options);
  // Queues one record; sends a batch when it is full or the municipality changes.
  // Throws std::runtime_error when a batch cannot be delivered after every attempt, or
  // when there is no token for the municipality.
  void Add(int municipality, const std::string& kind, const std::string& id, const std::string& record_json);
  void Flush();
  const PushTotals& totals() const { return totals_; }

 private:
  void Send(int municipality, const std::string& body, int64_t lines);
  PushOptions options_;
  std::map<int, std::unique_ptr<net::Client>> clients_;
  int pending_municipality_ = 0;
  std::string pending_;
  int64_t pending_lines_ = 0;
  PushTotals totals_;
};

// A PopulationSink that pushes the generated cases and grants through a BulkPusher.
// Citizens and municipalities are not pushed (the KOMBIT mock's database must already
// hold them: `adda generate --citizens-only`); planted defects are counted, not sent.
class PushSink : public PopulationSink {
 public:
  explicit PushSink(BulkPusher& pusher) : pusher_(pusher) {}
  void Municipality(const adda::Municipality&) override {}
  void Citizen(const adda::Citizen&) override {}
  void Case(const store::CaseRow& row) override;
  void Grant(const store::GrantRow& row) override;
  void Defect(int, const std::string&, const std::string&, const std::string&) override {}

 private:
  BulkPusher& pusher_;
};

}  // namespace adda::sim
