#include "sim/pusher.h"

#include <algorithm>
#include <thread>

#include "core/ids.h"
#include "net/http.h"

namespace adda::sim {
namespace {

constexpr size_t kMaxKey = 200;  // KOMBIT's limit for an Idempotency-Key

Status Malformed(int64_t line, const std::string& what) {
  return Status::Error("push.malformed_line", "line " + std::to_string(line) + ": " + what);
}

bool HasControl(const std::string& s) {
  return std::any_of(s.begin(), s.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
}

// Whether a later attempt may succeed: the request may not have arrived, or the service
// asked us to come back. A 4xx is an answer about the record and will not change.
bool Retryable(int status) { return status == 408 || status == 429 || status >= 500; }

// A refusal every later record would meet too: the credential (401/403), or a URL that
// is not the integration API (an unknown route, a method not allowed).
bool AboutTheCall(const PushResult& r) {
  if (r.status == 401 || r.status == 403 || r.status == 405) return true;
  return r.status == 404 && !r.errors.empty() && r.errors.front().rule == "request.unknown_route";
}

std::vector<Violation> ViolationsFrom(const nlohmann::json& array) {
  std::vector<Violation> out;
  if (!array.is_array()) return out;
  for (const auto& v : array)
    if (v.is_object())
      out.push_back({v.value("rule", "?"), v.value("field", ""), v.value("message", "")});
  return out;
}

// A refusal's rules: the violations KOMBIT listed, else its error code as the one rule.
std::vector<Violation> RefusalFrom(const net::ClientResponse& answer) {
  auto body = nlohmann::json::parse(answer.body, nullptr, false);
  const auto error =
      body.is_object() ? body.value("error", nlohmann::json::object()) : nlohmann::json::object();
  auto violations = ViolationsFrom(error.value("violations", nlohmann::json::array()));
  if (violations.empty())
    violations.push_back({error.value("code", "http." + std::to_string(answer.status)), "",
                          error.value("message", answer.body.substr(0, 200))});
  return violations;
}

}  // namespace

Result<std::vector<PushRecord>> ParsePushFile(std::istream& in, const std::string& key_prefix) {
  if (key_prefix.size() + 64 > kMaxKey || HasControl(key_prefix))
    return Status::Error("push.bad_key_prefix",
                         "the key prefix must be printable and at most " +
                             std::to_string(kMaxKey - 64) + " characters");
  std::vector<PushRecord> out;
  std::string text;
  for (int64_t line = 1; std::getline(in, text); ++line) {
    if (!text.empty() && text.back() == '\r') text.pop_back();
    if (text.find_first_not_of(" \t") == std::string::npos) continue;
    const auto j = nlohmann::json::parse(text, nullptr, false);
    if (j.is_discarded()) return Malformed(line, "not valid JSON");
    if (!j.is_object()) return Malformed(line, "not a JSON object");
    const std::string kind =
        j.contains("kind") && j["kind"].is_string() ? j["kind"].get<std::string>() : "";
    if (kind != "case" && kind != "grant")
      return Malformed(line, "\"kind\" must be \"case\" or \"grant\"");
    if (!j.contains("record") || !j["record"].is_object())
      return Malformed(line, "\"record\" must be an object");
    const auto& record = j["record"];
    if (!record.contains("id") || !record["id"].is_string())
      return Malformed(line, "the record needs a string \"id\"");
    PushRecord r{line, kind, record["id"].get<std::string>(), "", ""};
    try {
      r.body = record.dump();
    } catch (const nlohmann::json::exception&) {
      return Malformed(line, "the record is not valid UTF-8");
    }
    if (j.contains("key")) {
      if (!j["key"].is_string() || j["key"].get<std::string>().empty())
        return Malformed(line, "\"key\" must be a non-empty string");
      r.key = j["key"].get<std::string>();
      if (r.key.size() > kMaxKey || HasControl(r.key))
        return Malformed(line, "\"key\" must be printable and at most 200 characters");
    } else {
      r.key = key_prefix + net::Sha256Hex(text);
    }
    out.push_back(std::move(r));
  }
  if (in.bad()) return Status::Error("push.read", "reading the file failed");
  return out;
}

const char* ToString(PushOutcome o) {
  switch (o) {
    case PushOutcome::kAccepted:
      return "accepted";
    case PushOutcome::kReplayed:
      return "replayed";
    case PushOutcome::kRejected:
      return "rejected";
    case PushOutcome::kFailed:
      return "failed";
    case PushOutcome::kNotSent:
      return "not_sent";
  }
  return "?";
}

void to_json(nlohmann::json& j, const PushResult& r) {
  j = {{"line", r.line},     {"kind", r.kind},
       {"id", r.id},         {"outcome", ToString(r.outcome)},
       {"status", r.status}, {"attempts", r.attempts}};
  if (!r.errors.empty()) j["violations"] = r.errors;
  if (!r.warnings.empty()) j["warnings"] = r.warnings;
  if (!r.message.empty()) j["message"] = r.message;
}

void PushSummary::Add(const PushResult& r) {
  ++records;
  retries += std::max(0, r.attempts - 1);
  switch (r.outcome) {
    case PushOutcome::kAccepted:
      ++accepted;
      ++(r.status == 201 ? created : replaced);
      break;
    case PushOutcome::kReplayed:
      ++replayed;
      break;
    case PushOutcome::kRejected:
      ++rejected;
      for (const auto& e : r.errors) ++rejected_by_rule[e.rule];
      if (first_rejections.size() < kMaxExamples) first_rejections.push_back(r);
      break;
    case PushOutcome::kFailed:
      ++failed;
      if (failures.size() < kMaxExamples) failures.push_back(r);
      break;
    case PushOutcome::kNotSent:
      ++not_sent;
      stopped_early = true;
      break;
  }
  if (r.outcome == PushOutcome::kAccepted || r.outcome == PushOutcome::kReplayed) {
    for (const auto& w : r.warnings) ++warnings_by_rule[w.rule];
    if (!r.warnings.empty() && first_warnings.size() < kMaxExamples) first_warnings.push_back(r);
  }
}

void to_json(nlohmann::json& j, const PushSummary& s) {
  j = {{"records", s.records},
       {"accepted", s.accepted},
       {"created", s.created},
       {"replaced", s.replaced},
       {"replayed", s.replayed},
       {"rejected", s.rejected},
       {"failed", s.failed},
       {"not_sent", s.not_sent},
       {"retries", s.retries},
       {"rejected_by_rule", s.rejected_by_rule},
       {"warnings_by_rule", s.warnings_by_rule},
       {"first_rejections", s.first_rejections},
       {"first_warnings", s.first_warnings},
       {"failures", s.failures}};
}

Pusher::Pusher(PusherOptions options) : options_(std::move(options)) {
  if (!options_.sleep)
    options_.sleep = [](std::chrono::milliseconds d) { std::this_thread::sleep_for(d); };
  net::ClientOptions co;
  co.timeout = options_.timeout;
  co.default_headers["Authorization"] = "Bearer " + options_.token;
  client_ = std::make_unique<net::Client>(options_.kombit, co);  // throws on a bad URL
}

Pusher::~Pusher() = default;

std::chrono::milliseconds Pusher::Backoff(int retry, const net::ClientResponse* answer) const {
  auto wait = options_.first_backoff * (int64_t{1} << std::min(retry - 1, 20));
  wait = std::min(wait, options_.max_backoff);
  if (!answer) return wait;
  // Retry-After in seconds (the HTTP-date form is not worth a parser here).
  const std::string after = answer->Header("Retry-After");
  if (!after.empty() && after.size() < 9 &&
      after.find_first_not_of("0123456789") == std::string::npos) {
    const std::chrono::milliseconds asked{std::stoll(after) * 1000};
    wait = std::max(wait, std::min(asked, options_.max_retry_after));
  }
  return wait;
}

PushResult Pusher::Push(const PushRecord& record) {
  PushResult r;
  r.line = record.line;
  r.kind = record.kind;
  r.id = record.id;
  if (!IsSafeId(record.id)) {  // it would not be a path segment: KOMBIT could only answer 400
    r.outcome = PushOutcome::kRejected;
    r.errors.push_back(
        {"field.id", "id",
         "ids are 1–64 characters of A–Z, a–z, 0–9, '.', '_', '-' (checked before sending)"});
    return r;
  }
  const std::string path = "/v1/municipalities/" + std::to_string(options_.municipality) + "/" +
                           (record.kind == "case" ? "cases/" : "grants/") + record.id;
  const net::Headers headers{{"Idempotency-Key", record.key}};
  net::ClientResponse answer;
  bool have_answer = false;
  for (int attempt = 1; attempt <= options_.max_attempts; ++attempt) {
    if (attempt > 1) options_.sleep(Backoff(attempt - 1, have_answer ? &answer : nullptr));
    ++r.attempts;
    try {
      answer = client_->Send("PUT", path, record.body, headers);
      have_answer = true;
    } catch (const net::TransportError& e) {
      have_answer = false;
      r.status = 0;
      r.message = e.what();
      continue;
    }
    r.status = answer.status;
    if (Retryable(answer.status)) {
      r.message = "HTTP " + std::to_string(answer.status) + ": " + answer.body.substr(0, 200);
      continue;
    }
    r.message.clear();
    if (answer.status >= 200 && answer.status < 300) {
      r.outcome = answer.Header("Idempotent-Replayed") == "true" ? PushOutcome::kReplayed
                                                                 : PushOutcome::kAccepted;
      auto body = nlohmann::json::parse(answer.body, nullptr, false);
      if (body.is_object())
        r.warnings = ViolationsFrom(body.value("warnings", nlohmann::json::array()));
    } else {
      r.outcome = PushOutcome::kRejected;
      r.errors = RefusalFrom(answer);
    }
    return r;
  }
  r.outcome = PushOutcome::kFailed;
  return r;
}

PushSummary Pusher::PushAll(const std::vector<PushRecord>& records,
                            const std::function<void(int64_t, int64_t)>& progress,
                            const std::atomic<bool>* cancel) {
  PushSummary summary;
  bool stop = false;
  const auto total = static_cast<int64_t>(records.size());
  for (int64_t i = 0; i < total; ++i) {
    const auto& record = records[static_cast<size_t>(i)];
    if (cancel && cancel->load()) stop = true;
    if (stop) {
      PushResult skipped;
      skipped.line = record.line;
      skipped.kind = record.kind;
      skipped.id = record.id;
      summary.Add(skipped);
      continue;
    }
    PushResult r = Push(record);
    stop = r.outcome == PushOutcome::kFailed || AboutTheCall(r);
    summary.Add(r);
    if (progress) progress(i + 1, total);
  }
  return summary;
}

}  // namespace adda::sim
