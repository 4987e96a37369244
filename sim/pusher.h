// The reference municipal client, the engine behind `adda push`: it sends a file of
// cases and grants one record at a time through the KOMBIT mock's per-record
// integration API (PUT /v1/municipalities/{code}/cases/{id} and …/grants/{id}), the way
// a municipality's own case system should. Every record carries an Idempotency-Key, so
// a resend never writes it twice. What may succeed later (a dropped connection, a
// timeout, 408, 429, 5xx) is retried with exponential backoff, honouring Retry-After,
// for a bounded number of attempts; a 4xx answer is never retried. When retrying is
// pointless (the credential is refused, the URL is not the integration API, or the
// service is still unreachable after every attempt) the pusher stops instead of sending a storm of
// requests that must fail, and counts the rest as not sent. A Pusher owns one keep-alive connection
// and is not thread-safe; use one per thread. Sleeping is injected, so tests need not wait.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <istream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/status.h"
#include "net/client.h"

namespace adda::sim {

// One line of a push file, checked for shape (not for content: that is KOMBIT's job).
struct PushRecord {
  int64_t line = 0;  // 1-based line number in the file
  std::string kind;  // "case" or "grant"
  std::string
      id;  // the record's "id"; may be unsafe for a URL (the pusher then rejects it locally)
  std::string body;  // the record, serialized as sent
  std::string key;   // the Idempotency-Key: the line's "key", else key_prefix + sha256(line)
};

// Reads a push file: newline-delimited JSON, one {"kind": "case"|"grant", "record":
// {…}, "key": optional string} per line; blank lines are skipped. On success, the
// records in file order. Fails with push.malformed_line, the message naming the
// first bad line's number and what is wrong with it (not JSON, not that shape, a
// record without a string "id", a key over 200 characters or with control characters).
Result<std::vector<PushRecord>> ParsePushFile(std::istream& in, const std::string& key_prefix);

enum class PushOutcome {
  kAccepted,  // 201 created or 200 replaced, possibly with warnings
  kReplayed,  // the same key and record were sent before: KOMBIT replayed its answer
  kRejected,  // a 4xx answer (422 lists the violated rules), or an id refused before sending
  kFailed,    // still a transport error, 408, 429 or 5xx after every attempt
  kNotSent,   // not tried: the push stopped earlier (refused credential, failure, interrupt)
};
const char* ToString(PushOutcome o);

// What became of one record.
struct PushResult {
  int64_t line = 0;
  std::string kind, id;
  PushOutcome outcome = PushOutcome::kNotSent;
  int status = 0;                   // the last HTTP status; 0 when there was none
  int attempts = 0;                 // requests sent for this record
  std::vector<Violation> errors;    // rejected: the violations (or the error code as rule)
  std::vector<Violation> warnings;  // accepted or replayed: the warnings KOMBIT returned
  std::string message;              // failed: the last error
};
void to_json(nlohmann::json& j, const PushResult& r);

// Counts over a whole push, with the first few problems kept as examples.
struct PushSummary {
  static constexpr size_t kMaxExamples = 20;
  int64_t records = 0, accepted = 0, created = 0, replaced = 0, replayed = 0, rejected = 0,
          failed = 0, not_sent = 0, retries = 0;
  std::map<std::string, int64_t> rejected_by_rule;  // rule id -> rejected records naming it
  std::map<std::string, int64_t> warnings_by_rule;  // rule id -> accepted records warned about it
  std::vector<PushResult> first_rejections;         // up to kMaxExamples
  std::vector<PushResult> first_warnings;           // up to kMaxExamples
  std::vector<PushResult> failures;                 // records that failed after every attempt
  bool stopped_early = false;                       // some records were not sent

  void Add(const PushResult& r);
  bool AllAccepted() const { return accepted + replayed == records; }
};
void to_json(nlohmann::json& j, const PushSummary& s);

struct PusherOptions {
  std::string kombit;                                    // http://host:port
  int municipality = 0;                                  // the path's {code}
  std::string token;                                     // the municipality's bearer token
  int max_attempts = 5;                                  // per record, first try included
  std::chrono::milliseconds first_backoff{200};          // doubled after each retry…
  std::chrono::milliseconds max_backoff{5000};           // …up to this
  std::chrono::milliseconds max_retry_after{30000};      // a longer Retry-After is cut to this
  std::chrono::milliseconds timeout{30000};              // per request
  std::function<void(std::chrono::milliseconds)> sleep;  // default: std::this_thread::sleep_for
};

class Pusher {
 public:
  // Throws std::invalid_argument when options.kombit is not http://host:port.
  explicit Pusher(PusherOptions options);
  ~Pusher();

  // Sends one record (with retries) and says what became of it. Never throws for
  // network or HTTP trouble: that is the result's outcome.
  PushResult Push(const PushRecord& record);

  // Pushes every record in order. Stops early after a refusal every later record would
  // meet too (401, 403, 405, 404 request.unknown_route), a record that failed after
  // every attempt, or when *cancel becomes true; the records left count as not sent.
  // `progress` (may be empty) is called after each record sent.
  PushSummary PushAll(const std::vector<PushRecord>& records,
                      const std::function<void(int64_t done, int64_t total)>& progress = {},
                      const std::atomic<bool>* cancel = nullptr);

 private:
  std::chrono::milliseconds Backoff(int retry, const net::ClientResponse* answer) const;
  PusherOptions options_;
  std::unique_ptr<net::Client> client_;
};

}  // namespace adda::sim
