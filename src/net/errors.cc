// The one mapping from an error code to its HTTP status (src/core/status.h promises it).
// A code names what went wrong, for callers to branch on; the status follows from it.
#include "net/http.h"

#include <string_view>
#include <unordered_map>

namespace adda::net {
namespace {

bool EndsWith(std::string_view s, std::string_view tail) {
  return s.size() >= tail.size() && s.substr(s.size() - tail.size()) == tail;
}

}  // namespace

int HttpStatusFor(std::string_view code) {
  static const std::unordered_map<std::string_view, int> kStatus = {
      // The request itself: framing, syntax, parameters.
      {"request.malformed_http", 400}, {"request.malformed_header", 400}, {"request.ambiguous_length", 400},
      {"request.malformed_json", 400}, {"request.too_deep", 400}, {"request.bad_query", 400}, {"request.bad_form", 400},
      {"request.bad_id", 400}, {"request.bad_cpr", 400}, {"request.bad_municipality", 400},
      {"idempotency.bad_key", 400},
      {"request.unknown_route", 404}, {"request.method_not_allowed", 405}, {"request.too_large", 413},
      {"request.unsupported_media_type", 415},
      {"request.transfer_coding_unsupported", 501},
      // Who is asking.
      {"auth.missing", 401}, {"auth.invalid", 401}, {"login.failed", 401},
      {"session.invalid", 401}, {"session.expired", 401}, {"session.ended", 401},
      {"auth.forbidden", 403}, {"csrf.invalid", 403}, {"auth.not_on_behalf", 403}, {"session.assurance", 403},
      {"feedback.observed_needs_session", 403}, {"feedback.simulated_needs_runner", 403},
      // The state of what is asked for.
      {"contribution.id_conflict", 409}, {"changes.pruned", 410},
      {"version.missing", 412}, {"version.mismatch", 412}, {"version.exists", 412},
      {"field.id", 422}, {"bulk.line_shape", 422}, {"idempotency.key_reused", 422},
      {"login.throttled", 429}, {"feedback.too_many", 429},
      // The service or what it depends on.
      {"internal.error", 500}, {"server.error", 500},
      {"kombit.error", 502}, {"kombit.unreadable", 502},
      {"kombit.unavailable", 503}, {"access_log.unavailable", 503}, {"fault.outage", 503},
  };
  if (auto it = kStatus.find(code); it != kStatus.end()) return it->second;
  // Families: whatever is missing, and whatever does not hold together.
  if (EndsWith(code, ".not_found")) return 404;
  if (EndsWith(code, ".invalid")) return 422;
  return 500;  // a code nobody mapped: a bug, and said so (tests/net/errors_test.cc)
}

HttpError HttpError::From(const Status& s) {
  nlohmann::json details = nlohmann::json::object();
  if (!s.violations().empty()) details["violations"] = s.violations();
  return HttpError(s.code(), s.message(), std::move(details));
}

}  // namespace adda::net
