#include "sim/conform_reader.h"

#include <memory>
#include <stdexcept>

#include "net/client.h"

namespace adda::sim {
namespace {

Status Error(const char* code, const std::string& target, const std::string& what) {
  return Status::Error(code, "GET " + target + ": " + what);
}

// The error code and message of a KOMBIT error answer, or the start of the body.
std::string Refusal(const net::ClientResponse& r) {
  auto body = nlohmann::json::parse(r.body, nullptr, false);
  if (body.is_object() && body.contains("error") && body["error"].is_object())
    return "HTTP " + std::to_string(r.status) + " " + body["error"].value("code", "") + ": " +
           body["error"].value("message", "");
  return "HTTP " + std::to_string(r.status) + ": " + r.body.substr(0, 200);
}

// One GET whose answer must be a JSON object.
Result<nlohmann::json> GetObject(net::Client& client, const std::string& target) {
  net::ClientResponse r;
  try {
    r = client.Get(target);
  } catch (const net::TransportError& e) {
    return Error("conform.unreachable", target, e.what());
  }
  if (r.status == 401 || r.status == 403) return Error("conform.refused", target, Refusal(r));
  if (r.status != 200) return Error("conform.http", target, Refusal(r));
  auto j = nlohmann::json::parse(r.body, nullptr, false);
  if (!j.is_object())
    return Error("conform.malformed", target, "the answer is not a JSON object");
  return j;
}

const nlohmann::json* ItemsOf(const nlohmann::json& page) {
  auto it = page.find("items");
  return it != page.end() && it->is_array() ? &*it : nullptr;
}

Result<Date> ReadToday(net::Client& client) {
  auto health = GetObject(client, "/health");
  if (!health.ok()) return health.status();
  const auto today = Date::Parse(health->value("today", ""));
  if (!today) return Error("conform.malformed", "/health", "no \"today\" date in the answer");
  return *today;
}

// Every page of …/cases or …/grants, each record decoded into `data`.
Status ReadRecords(net::Client& client, const std::string& base, const std::string& kind,
                   int page_size, conformance::Data* data) {
  int64_t offset = 0;
  for (;;) {
    const std::string target = base + "/" + kind + "s?limit=" + std::to_string(page_size) +
                               "&offset=" + std::to_string(offset);
    auto page = GetObject(client, target);
    if (!page.ok()) return page.status();
    const auto* items = ItemsOf(*page);
    if (!items) return Error("conform.malformed", target, "no \"items\" list");
    for (const auto& record : *items) conformance::AddStoredRecord(record, kind, data);
    const auto next = page->find("next_offset");
    if (next == page->end() || next->is_null()) return Status::Ok();
    if (!next->is_number_integer() || next->get<int64_t>() <= offset)
      return Error("conform.malformed", target, "\"next_offset\" does not move forward");
    offset = next->get<int64_t>();
  }
}

// Every page of …/log: pages of `page_size` after the last entry read, until a short page.
Status ReadLog(net::Client& client, const std::string& base, int page_size,
               conformance::Data* data) {
  int64_t after = 0;
  for (;;) {
    const std::string target =
        base + "/log?after=" + std::to_string(after) + "&limit=" + std::to_string(page_size);
    auto page = GetObject(client, target);
    if (!page.ok()) return page.status();
    const auto* items = ItemsOf(*page);
    if (!items) return Error("conform.malformed", target, "no \"items\" list");
    for (const auto& item : *items) {
      conformance::LogEntry e;
      conformance::from_json(item, e);
      if (e.id <= after)
        return Error("conform.malformed", target, "log entries are not in id order");
      after = e.id;
      data->log.push_back(std::move(e));
    }
    if (static_cast<int64_t>(items->size()) < page_size) return Status::Ok();
  }
}

}  // namespace

Result<ReadBack> ReadMunicipality(const ConformReaderOptions& options) {
  net::ClientOptions co;
  co.timeout = options.timeout;
  co.default_headers["Authorization"] = "Bearer " + options.token;
  std::unique_ptr<net::Client> client;
  try {
    client = std::make_unique<net::Client>(options.kombit, co);
  } catch (const std::invalid_argument& e) {
    return Status::Error("conform.bad_url", e.what());
  }
  ReadBack out;
  auto today = ReadToday(*client);
  if (!today.ok()) return today.status();
  out.today = *today;
  const std::string base = "/v1/municipalities/" + std::to_string(options.municipality);
  for (const char* kind : {"case", "grant"}) {
    Status s = ReadRecords(*client, base, kind, options.page_size, &out.data);
    if (!s.ok()) return s;
  }
  Status s = ReadLog(*client, base, options.log_page_size, &out.data);
  if (!s.ok()) return s;
  return out;
}

}  // namespace adda::sim
