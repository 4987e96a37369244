// The conformance rule catalogue of docs/conformance.md as data, and the pure evaluation
// behind `adda conform`: from what one municipality has stored in the KOMBIT mock (its
// cases and grants, as read back) and its integration log, the records and calls that
// break each rule, and a verdict (ready when no blocker rule fails).
//
// Evidence comes from four places, every one a pure function of the data:
//  * the stored records, validated again exactly as the integration API validates a
//    write (ValidateCase / ValidateGrant with the KLE catalogue, the jargon list and the
//    simulated clock): the warnings the stored data carries, and errors the clock has
//    made true since (a date now in the future under an earlier --today);
//  * writes the integration API refused: an item whose *latest* logged write was
//    refused fails every rule that refusal names (a later accepted or replayed write of
//    the same item resolves it; a refused bulk line without an item always counts);
//  * the stored set as a whole: case numbers unique, grants linked to a stored case;
//  * the calls: writes without an Idempotency-Key, a 4xx answer retried unchanged, and a
//    4xx storm (StormThresholds).
// A rule id a refusal names that is not in the catalogue (request.malformed_json,
// case.not_found…) is reported as an extra blocker rule, so nothing refused is hidden.
// Every CPR number in a finding is masked (DDMMxx-xxxx) before it leaves this unit.
// No I/O; all functions are pure and thread-safe.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/benefit.h"
#include "core/case.h"
#include "core/date.h"
#include "core/kle.h"
#include "core/status.h"

namespace adda::conformance {

enum class Severity { kBlocker, kWarning, kAdvice };
const char* ToString(Severity s);  // "blocker", "warning", "advice"

// One rule of the catalogue. The strings are static and never null.
struct Rule {
  const char* id;  // stable, e.g. "status.no_gap"
  Severity severity;
  const char* group;   // the catalogue's section, e.g. "Status history"
  const char* checks;  // what the rule checks, in a sentence
  const char* fix;     // how to fix it
  bool implemented;    // false: planned, shown but not evaluated
};

// Every rule of docs/conformance.md, in the document's order.
const std::vector<Rule>& Catalogue();
// The rule with this id, or null.
const Rule* FindRule(std::string_view id);

// One entry of GET /v1/municipalities/{code}/log. Absent (null) strings read as "".
struct LogEntry {
  int64_t id = 0;
  std::string ts, request_id, method, path;
  std::string item_kind, item_id, idempotency_key;
  int status = 0;
  bool replayed = false;
  std::vector<Violation> errors;  // a refusal's violations, or its error code as rule
  std::vector<Violation> warnings;
};
// Tolerant: a missing key, a null or a value of the wrong type reads as its default;
// a `j` that is not an object leaves `e` as it was. Never throws.
void from_json(const nlohmann::json& j, LogEntry& e);

// One record or call that breaks a rule. Text fields are already masked.
struct Finding {
  std::string rule;
  std::string kind;   // "case", "grant", or "call"
  std::string id;     // the record's id; for a call without an item, its request id
  std::string field;  // path into the record, may be empty
  std::string message;
  std::string party;   // the record's CPR, masked (0101xx-xxxx); "" when unknown
  std::string source;  // "stored", "rejected" or "log"
  int64_t log_id = 0;  // the log entry it comes from; 0 for stored data
  int status = 0;      // the HTTP status of that entry
};
void to_json(nlohmann::json& j, const Finding& f);

// What was read back for one municipality. Records that do not decode are kept as their
// structural findings instead.
struct Data {
  std::vector<Case> cases;
  std::vector<Grant> grants;
  std::vector<Finding> undecodable;
  std::vector<LogEntry> log;  // in id order
};

// Decodes one stored record (kind "case" or "grant") into `data`: the record, or, when
// it does not decode, its structural findings (field.*).
void AddStoredRecord(const nlohmann::json& record, const std::string& kind, Data* data);

// A 4xx storm: among the last `window` writes of the log, at least `min_rejected` were
// refused with a 4xx and they are more than `share` of the writes in the window.
struct StormThresholds {
  int window = 100;
  double share = 0.2;
  int min_rejected = 10;
};

struct Context {
  KleCatalogue kle;
  std::vector<std::string> jargon;
  Date today = GoLiveDate();  // the simulated clock
  int municipality = 0;       // whose data it is
  StormThresholds storm;
};
// The catalogues compiled into the binary (fixtures/kle.json and the jargon list of
// fixtures/explanations.json), as the KOMBIT mock uses them. Failure:
// "fixture.invalid" when an embedded fixture does not parse.
Result<Context> EmbeddedContext(int municipality, Date today);

// The outcome of one rule.
struct RuleResult {
  std::string id;
  Severity severity = Severity::kBlocker;
  std::string group, checks, fix;
  bool implemented = true;
  int64_t count = 0;              // records (or, for call rules, calls) that break it
  std::vector<Finding> examples;  // the first kMaxExamples, one per record or call
  bool failed() const { return count > 0; }
  const char* state() const { return !implemented ? "planned" : failed() ? "fail" : "pass"; }
};

struct Report {
  static constexpr size_t kMaxExamples = 10;
  int municipality = 0;
  Date today;
  int64_t cases = 0, grants = 0, log_entries = 0;
  int64_t open_rejections = 0;  // items whose latest write was refused
  StormThresholds storm;
  std::vector<RuleResult> rules;  // catalogue order, then extra refused rule ids by id

  int Failed(Severity s) const;  // rules of that severity that fail
  bool ready() const { return Failed(Severity::kBlocker) == 0; }
};
// The conformance document, schema "adda-conformance/1" (docs/conformance.md).
void to_json(nlohmann::json& j, const Report& r);

// Every finding in `data` under `ctx`, before grouping by rule. Order: stored records,
// the stored set, refused writes, calls.
std::vector<Finding> Findings(const Data& data, const Context& ctx);

// Groups findings into one result per rule and counts. Pure; never throws.
Report Evaluate(const Data& data, const Context& ctx);

// `text` with every CPR number in it masked: a run of exactly ten digits, or six digits,
// a hyphen and four digits, becomes DDMMxx-xxxx.
std::string MaskCprs(std::string_view text);

}  // namespace adda::conformance
