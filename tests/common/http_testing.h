// Helpers the HTTP-level test suites share: reading route patterns, judging error
// answers, and sending a raw request over a socket (for what a well-behaved client
// would never send: broken framing, oversized bodies announced but not sent, …).
#pragma once

#include <gtest/gtest.h>

#include <cctype>
#include <cstdlib>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <Poco/Exception.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <nlohmann/json.hpp>

#include "net/client.h"
#include "net/router.h"
#include "net/service.h"

namespace adda::testing {

using Json = nlohmann::json;

inline std::string Key(const net::Route& r) { return r.method + " " + r.pattern; }

// The API's routes of a table: every row but the pages (which answer HTML; their own
// suite covers them). Kept by the caller for the test's length: the batteries hold
// pointers into it.
inline std::vector<net::Route> ApiRoutes(const std::vector<net::Route>& all) {
  std::vector<net::Route> out;
  for (const auto& r : all)
    if (!r.page) out.push_back(r);
  return out;
}

// Every answer the service gave matched its /openapi.json: status, content type, schema
// (the service checks with ServiceOptions::check_answers; this reads what it kept).
inline void ExpectAnswersMatchTheDocument(const net::HttpService& service) {
  for (const auto& v : service.ContractViolations()) ADD_FAILURE() << service.options().name << ": " << v;
}

// borger.dk answers a read once its access-log entry is in the journal; the table gets it
// within milliseconds. Before counting rows of access_log in SQLite, wait for that
// (borger's /health: access_log_pending 0). Returns quietly when borger does not answer:
// a killed process's entries reach the table when it starts again.
inline void AwaitAccessLogInTable(const std::string& borger_url) {
  net::Client c(borger_url, {std::chrono::milliseconds(1000), {}});
  for (int i = 0; i < 500; ++i) {
    try {
      const auto r = c.Get("/health");
      if (r.status != 200) return;
      if (nlohmann::json::parse(r.body).value("access_log_pending", int64_t{0}) == 0) return;
    } catch (const std::exception&) {
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ADD_FAILURE() << "borger.dk's access log did not reach its table within 5 s";
}

// Path traversal in other dress, for both services' hostile-id sweeps: double-encoded,
// backslashed, overlong UTF-8 and full-width dots.
inline const std::vector<std::string>& DisguisedTraversals() {
  static const std::vector<std::string> k = {"%252e%252e%252f", "..%5C..%5Cetc", "%c0%ae%c0%ae%c0%af",
                                             ".%2e", "%2e.", "%EF%BC%8E%EF%BC%8E"};
  return k;
}

inline bool IsParam(const std::string& seg) { return seg.size() > 2 && seg.front() == '{' && seg.back() == '}'; }

// The names of a pattern's "{name}" segments, in order.
inline std::vector<std::string> ParamNames(const std::string& pattern) {
  std::vector<std::string> out;
  for (const auto& seg : net::SplitPath(pattern))
    if (IsParam(seg)) out.push_back(seg.substr(1, seg.size() - 2));
  return out;
}
inline std::vector<std::string> ParamNames(const net::Route& r) { return ParamNames(r.pattern); }

inline std::string Lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

inline std::string Upper(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

inline std::string Repeat(const std::string& s, size_t n) {
  std::string out;
  out.reserve(s.size() * n);
  for (size_t i = 0; i < n; ++i) out += s;
  return out;
}

inline std::string Describe(const std::string& method, const std::string& target, const net::ClientResponse& r) {
  return method + " " + target + " -> " + std::to_string(r.status) + " " + r.body.substr(0, 400);
}

// The body as JSON; null when it is not JSON (so a wrong answer fails an expectation
// instead of throwing out of the test).
inline Json Parsed(const net::ClientResponse& r) {
  Json j = Json::parse(r.body, nullptr, false);
  return j.is_discarded() ? Json() : j;
}

inline std::string ErrorCode(const net::ClientResponse& r) {
  const Json j = Parsed(r);
  if (!j.is_object() || !j.contains("error") || !j["error"].is_object()) return "";
  return j["error"].value("code", "");
}

// The error envelope {"error": {"code", "message"}} with `status` and, unless empty, `code`.
inline ::testing::AssertionResult IsError(const net::ClientResponse& r, int status, const std::string& code) {
  if (r.status != status)
    return ::testing::AssertionFailure() << "status " << r.status << ", want " << status << " " << code;
  if (r.Header("Content-Type").rfind("application/json", 0) != 0)
    return ::testing::AssertionFailure() << "Content-Type is '" << r.Header("Content-Type") << "'";
  const Json j = Parsed(r);
  if (!j.is_object() || !j.contains("error") || !j["error"].is_object())
    return ::testing::AssertionFailure() << "not an error envelope";
  const Json& e = j["error"];
  if (!e.contains("code") || !e["code"].is_string() || !e.contains("message") || !e["message"].is_string() ||
      e["message"].get<std::string>().empty())
    return ::testing::AssertionFailure() << "error without code and message";
  if (!code.empty() && e["code"] != code)
    return ::testing::AssertionFailure() << "code " << e["code"] << ", want " << code;
  return ::testing::AssertionSuccess();
}

// A 4xx in the error envelope: a clear refusal, whatever its code.
inline ::testing::AssertionResult IsClientError(const net::ClientResponse& r) {
  if (r.status < 400 || r.status > 499) return ::testing::AssertionFailure() << "status " << r.status << ", want 4xx";
  return IsError(r, r.status, "");
}

// A violation names `field` or a part of it ("scope[0]" is named by "scope[0].kind": the
// schema says which member of it is wrong).
inline bool NamesField(const Json& violations, const std::string& field) {
  if (!violations.is_array()) return false;
  for (const auto& v : violations) {
    if (!v.is_object()) continue;
    const std::string named = v.value("field", "");
    if (named == field) return true;
    if (named.size() > field.size() && named.compare(0, field.size(), field) == 0 &&
        (named[field.size()] == '.' || named[field.size()] == '['))
      return true;
  }
  return false;
}

inline void ReplaceFirst(std::string* s, const std::string& from, const std::string& to) {
  const size_t at = s->find(from);
  ASSERT_NE(at, std::string::npos) << from << " in " << *s;
  s->replace(at, from.size(), to);
}

// Ten-digit runs in a text that stand alone (CPR numbers as the services write them).
// Regression: a run bounded only by non-digits also matched inside random hex ids
// ("5a5d3493617198d7…" holds 3493617198), which made BorgerAuthz fail now and then.
inline std::set<std::string> CprsIn(const std::string& body) {
  auto alnum = [&](size_t i) { return std::isalnum(static_cast<unsigned char>(body[i])) != 0; };
  std::set<std::string> out;
  for (size_t i = 0; i + 10 <= body.size(); ++i) {
    bool digits = true;
    for (size_t k = 0; k < 10 && digits; ++k) digits = std::isdigit(static_cast<unsigned char>(body[i + k]));
    const bool alone = (i == 0 || !alnum(i - 1)) && (i + 10 == body.size() || !alnum(i + 10));
    if (digits && alone) out.insert(body.substr(i, 10));
  }
  return out;
}

// Text that means something to SQL: quotes, comments, statement ends, wildcards,
// parameter markers. Wherever a service takes text, each must be stored verbatim or
// refused with a clear 4xx; never a 5xx, never half stored.
inline const std::vector<std::string>& SqlMetacharacters() {
  static const std::vector<std::string> k = {"'",
                                             "''",
                                             "\"",
                                             "' OR '1'='1",
                                             "1' OR 1=1 --",
                                             "x'); DROP TABLE feedback; --",
                                             "1; DELETE FROM cases; --",
                                             "' UNION SELECT name FROM sqlite_master --",
                                             "%' OR 'a' LIKE '%",
                                             "_%\\' /* ? ?1 :a @a $a */ `x` [y]"};
  return k;
}

// JSON pointers to every string in `j` ("/title", "/scope/0/id", …).
inline void StringLeaves(const Json& j, const std::string& at, std::vector<std::string>* out) {
  if (j.is_string()) {
    out->push_back(at);
  } else if (j.is_object()) {
    for (const auto& [k, v] : j.items()) StringLeaves(v, at + "/" + k, out);
  } else if (j.is_array()) {
    for (size_t i = 0; i < j.size(); ++i) StringLeaves(j[i], at + "/" + std::to_string(i), out);
  }
}

// Whether some string anywhere in `j` is exactly `text`.
inline bool HoldsString(const Json& j, const std::string& text) {
  if (j.is_string()) return j.get<std::string>() == text;
  if (j.is_structured())
    for (const auto& v : j) {
      if (HoldsString(v, text)) return true;
    }
  return false;
}

// Whether `in` holds a whole answer: its head and, when it announces a length, its body.
inline bool CompleteHttp(const std::string& in) {
  const size_t end = in.find("\r\n\r\n");
  if (end == std::string::npos) return false;
  const std::string head = Lower(in.substr(0, end));
  const size_t at = head.find("\r\ncontent-length:");
  if (at == std::string::npos) return false;  // read to the end
  const size_t length = std::strtoull(head.c_str() + at + 17, nullptr, 10);
  return in.size() >= end + 4 + length;
}

// Sends `request` as it is to the server at `base_url` and reads one answer. Send errors
// (a reset after an early answer) go to `send_errors`; no HTTP answer fails the test.
inline net::ClientResponse RawHttp(const std::string& base_url, const std::string& request, int timeout_s = 5,
                                   std::vector<std::string>* send_errors = nullptr) {
  std::string host;
  int port = 0;
  net::ParseBaseUrl(base_url, &host, &port);
  Poco::Net::StreamSocket socket(Poco::Net::SocketAddress(host, static_cast<Poco::UInt16>(port)));
  socket.setReceiveTimeout(Poco::Timespan(timeout_s, 0));
  try {
    for (size_t sent = 0; sent < request.size();)
      sent += static_cast<size_t>(socket.sendBytes(request.data() + sent, static_cast<int>(request.size() - sent)));
  } catch (const Poco::Exception& e) {
    if (send_errors) send_errors->push_back(e.displayText());  // the answer may have come before the reset
  }
  std::string in;
  char buf[16384];
  for (;;) {
    int n = 0;
    try {
      n = socket.receiveBytes(buf, sizeof buf);
    } catch (const Poco::Exception&) {
      break;
    }
    if (n <= 0) break;
    in.append(buf, static_cast<size_t>(n));
    if (CompleteHttp(in)) break;
  }
  net::ClientResponse out;
  std::istringstream stream(in);
  Poco::Net::HTTPResponse head;
  try {
    head.read(stream);
  } catch (const Poco::Exception& e) {
    ADD_FAILURE() << "no HTTP answer to a raw request: " << e.displayText() << " in '" << in.substr(0, 200) << "'";
    return out;
  }
  out.status = static_cast<int>(head.getStatus());
  for (const auto& [k, v] : head) out.headers[k] = v;
  out.body = in.substr(static_cast<size_t>(stream.tellg()));
  return out;
}

}  // namespace adda::testing
