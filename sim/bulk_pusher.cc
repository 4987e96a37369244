#include "sim/bulk_pusher.h"

#include <stdexcept>
#include <thread>

#include "core/json_writer.h"

namespace adda::sim {

BulkPusher::BulkPusher(PushOptions options) : options_(std::move(options)) {}

void BulkPusher::Add(int municipality, const std::string& kind, const std::string& id, const std::string& record) {
  if (pending_lines_ > 0 && (municipality != pending_municipality_ ||
                             static_cast<size_t>(pending_lines_) >= options_.batch_lines))
    Flush();
  pending_municipality_ = municipality;
  pending_ += "{\"kind\":";
  AppendJsonString(pending_, kind);
  pending_ += ",\"key\":";
  AppendJsonString(pending_, options_.key_prefix + ":" + kind + ":" + id);
  pending_ += ",\"record\":";
  pending_ += record;
  pending_ += "}\n";
  ++pending_lines_;
}

void BulkPusher::Flush() {
  if (pending_lines_ == 0) return;
  Send(pending_municipality_, pending_, pending_lines_);
  pending_.clear();
  pending_lines_ = 0;
}

void BulkPusher::Send(int municipality, const std::string& body, int64_t lines) {
  auto token = options_.tokens.find(municipality);
  if (token == options_.tokens.end())
    throw std::runtime_error("no credential for municipality " + std::to_string(municipality));
  auto& client = clients_[municipality];
  if (!client) {
    net::ClientOptions co;
    co.timeout = options_.timeout;
    co.default_headers["Authorization"] = "Bearer " + token->second;
    client = std::make_unique<net::Client>(options_.kombit, co);
  }
  const std::string path = "/v1/municipalities/" + std::to_string(municipality) + "/bulk";
  std::string last_error;
  for (int attempt = 1; attempt <= options_.max_attempts; ++attempt) {
    if (attempt > 1) {
      ++totals_.retries;
      std::this_thread::sleep_for(std::chrono::milliseconds(100 << std::min(attempt - 2, 6)));
    }
    net::ClientResponse r;
    try {
      r = client->Send("POST", path, body, {}, "application/x-ndjson");
    } catch (const net::TransportError& e) {
      last_error = e.what();
      continue;
    }
    if (r.status >= 500 || r.status == 429 || r.status == 408) {
      last_error = "HTTP " + std::to_string(r.status) + " " + r.body.substr(0, 200);
      continue;
    }
    if (r.status != 200)
      throw std::runtime_error("bulk load refused: HTTP " + std::to_string(r.status) + " " + r.body.substr(0, 300));
    const auto j = r.Json();
    ++totals_.batches;
    totals_.lines += lines;
    totals_.accepted += j.value("accepted", 0);
    totals_.replayed += j.value("replayed", 0);
    totals_.rejected += j.value("rejected", 0);
    for (const auto& res : j.value("results", nlohmann::json::array())) {
      for (const auto& e : res.value("errors", nlohmann::json::array())) ++totals_.rules[e.value("rule", "?")];
      for (const auto& w : res.value("warnings", nlohmann::json::array())) ++totals_.warnings[w.value("rule", "?")];
      if (res.contains("errors") && totals_.first_rejections.size() < 20) totals_.first_rejections.push_back(res);
    }
    return;
  }
  throw std::runtime_error("bulk load to " + options_.kombit + path + " failed after " +
                           std::to_string(options_.max_attempts) + " attempts: " + last_error);
}

void PushSink::Case(const store::CaseRow& row) {
  pusher_.Add(row.municipality, "case", row.id, SpliceCaseJson(row.body, row.documents, row.caseworker));
}

void PushSink::Grant(const store::GrantRow& row) { pusher_.Add(row.municipality, "grant", row.id, row.body); }

}  // namespace adda::sim
