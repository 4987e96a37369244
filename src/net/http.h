// HTTP request and response as adda's handlers see them: plain values, independent of
// Poco, so handlers are easy to read and to drive in process (tests, fuzzers).
//
// Every error a handler raises is an HttpError and leaves the service as
// {"error": {"code": "...", "message": "...", ...details}} with its status.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/status.h"

namespace adda::net {

// Case-insensitive header map (HTTP field names are).
struct HeaderLess {
  bool operator()(const std::string& a, const std::string& b) const;
};
using Headers = std::map<std::string, std::string, HeaderLess>;

// Who is calling, as the service's authenticator decided.
struct Principal {
  std::string kind;          // "system", "municipality", "admin", "citizen", …
  std::optional<int> municipality;
  std::string subject;       // e.g. a session's CPR, or the credential's name
  std::string session;       // the session id, when the caller has one
};

struct Request {
  std::string method;
  std::string path;    // decoded path, without query
  std::string target;  // as received (path + query)
  std::map<std::string, std::string> query;   // last value wins
  std::map<std::string, std::string> params;  // path parameters from the route pattern
  Headers headers;
  std::string body;
  std::string request_id;         // adda's own: in the answer, the logs and the access log
  std::string client_request_id;  // the caller's X-Request-Id, sanitised: the request log only
  std::string remote;  // peer address
  std::optional<Principal> principal;
  // What the body is held to, from the route (set by the pipeline): its schema, the
  // components its $refs name, and the code a body that does not match is refused with.
  const nlohmann::json* body_schema = nullptr;
  const nlohmann::json* schemas = nullptr;
  std::string invalid_code;

  std::string Header(const std::string& name) const;  // "" when absent
  std::optional<std::string> Query(const std::string& name) const;
  const std::string& Param(const std::string& name) const;
  // The body parsed as JSON; HttpError 400 "request.malformed_json" otherwise. With a
  // body schema, a body that does not match it is refused (invalid_code, its violations).
  nlohmann::json Json() const;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  Headers headers;
  bool drop_connection = false;  // fault injection: close without answering

  static Response Json(int status, const nlohmann::json& j);
  static Response Raw(int status, std::string body, std::string content_type = "application/json");
  static Response NoContent();
};

// The HTTP status an error code answers with: the one mapping (src/net/errors.cc).
// 500 for a code nobody mapped (a test keeps every thrown code mapped).
int HttpStatusFor(std::string_view code);

// An expected failure answered as {"error": {"code", "message", …details}}. The code is
// what callers branch on; its status follows from it (HttpStatusFor), never chosen at
// the throw. Thrown by handlers; the pipeline turns it into the answer.
class HttpError : public std::runtime_error {
 public:
  HttpError(const std::string& code, const std::string& message, nlohmann::json details = nlohmann::json::object())
      : HttpError(HttpStatusFor(code), code, message, std::move(details)) {}
  // Only where the status is the point: an injected fault answers with its rule's.
  static HttpError WithStatus(int status, std::string code, const std::string& message,
                              nlohmann::json details = nlohmann::json::object()) {
    return HttpError(status, std::move(code), message, std::move(details));
  }
  // A core Status (an expected failure as a value), its violations in the details.
  static HttpError From(const Status& s);
  // A header the answer carries (Allow on 405, Retry-After on 429).
  HttpError& WithHeader(const std::string& name, std::string value) {
    headers_[name] = std::move(value);
    return *this;
  }
  int status() const { return status_; }
  const std::string& code() const { return code_; }
  const nlohmann::json& details() const { return details_; }
  const Headers& headers() const { return headers_; }
  Response ToResponse() const;

 private:
  HttpError(int status, std::string code, const std::string& message, nlohmann::json details)
      : std::runtime_error(message), status_(status), code_(std::move(code)), details_(std::move(details)) {}
  int status_;
  std::string code_;
  nlohmann::json details_;
  Headers headers_;
};

// {"error": {"code", "message", ...details}} with the status.
Response ErrorResponse(int status, const std::string& code, const std::string& message,
                       const nlohmann::json& details = nlohmann::json::object());

const char* StatusReason(int status);

// Query-string and path helpers.
std::map<std::string, std::string> ParseQuery(std::string_view query);
std::string PercentDecode(std::string_view s, bool plus_is_space);
std::string PercentEncode(std::string_view s);

// Pagination from ?limit=&offset= with bounds; HttpError 400 on bad values.
struct PageArgs {
  int64_t limit;
  int64_t offset;
};
PageArgs ParsePage(const Request& r, int64_t default_limit, int64_t max_limit);
std::optional<int> QueryInt(const Request& r, const std::string& name);  // 400 when not an int

// The token of "Authorization: Bearer <token>", or "" when absent or another scheme.
std::string BearerToken(const Request& r);
// Compares secrets in time independent of where they differ.
bool ConstantTimeEquals(const std::string& a, const std::string& b);
// Lower-case hex SHA-256 of `data` (idempotency fingerprints, token hashes, plan digests).
std::string Sha256Hex(std::string_view data);
// HMAC-SHA-256 of `data` under `key` (Poco's HMACEngine), as 64 hex digits.
std::string HmacSha256Hex(std::string_view key, std::string_view data);

}  // namespace adda::net
