#include "net/http.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <chrono>
#include <strings.h>

#include <Poco/HMACEngine.h>
#include <Poco/SHA2Engine.h>

#include "core/date.h"
#include "core/json_schema.h"

namespace adda::net {

bool HeaderLess::operator()(const std::string& a, const std::string& b) const {
  return strcasecmp(a.c_str(), b.c_str()) < 0;
}

std::string Request::Header(const std::string& name) const {
  auto it = headers.find(name);
  return it == headers.end() ? std::string() : it->second;
}

std::optional<std::string> Request::Query(const std::string& name) const {
  auto it = query.find(name);
  if (it == query.end()) return std::nullopt;
  return it->second;
}

const std::string& Request::Param(const std::string& name) const {
  static const std::string kEmpty;
  auto it = params.find(name);
  return it == params.end() ? kEmpty : it->second;
}

nlohmann::json Request::Json() const {
  // Depth is bounded by the body limit; nlohmann's parser is recursive, so the services
  // also cap nesting (see server.cc) before a body reaches here.
  auto j = nlohmann::json::parse(body, nullptr, false);
  if (j.is_discarded())
    throw HttpError("request.malformed_json", "the request body is not valid JSON");
  if (body_schema && schemas) {
    std::vector<Violation> v;
    schema::Validate(*body_schema, j, *schemas, "", &v);
    if (!v.empty())
      throw HttpError(invalid_code.empty() ? "request.invalid" : invalid_code,
                      "the body does not match its schema (see /openapi.json)", {{"violations", v}});
  }
  return j;
}

Response Response::Json(int status, const nlohmann::json& j) {
  Response r;
  r.status = status;
  r.body = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return r;
}

Response Response::Raw(int status, std::string body, std::string content_type) {
  Response r;
  r.status = status;
  r.body = std::move(body);
  r.content_type = std::move(content_type);
  return r;
}

Response Response::NoContent() {
  Response r;
  r.status = 204;
  r.content_type.clear();
  return r;
}

Response ErrorResponse(int status, const std::string& code, const std::string& message,
                       const nlohmann::json& details) {
  nlohmann::json e = details.is_object() ? details : nlohmann::json::object();
  e["code"] = code;
  e["message"] = message;
  return Response::Json(status, {{"error", e}});
}

Response HttpError::ToResponse() const {
  Response r = ErrorResponse(status_, code_, what(), details_);
  for (const auto& [k, v] : headers_) r.headers[k] = v;
  return r;
}

const char* StatusReason(int status) {
  switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 204: return "No Content";
    case 304: return "Not Modified";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 410: return "Gone";
    case 411: return "Length Required";
    case 412: return "Precondition Failed";
    case 413: return "Payload Too Large";
    case 415: return "Unsupported Media Type";
    case 422: return "Unprocessable Content";
    case 428: return "Precondition Required";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    default: return "Status";
  }
}

std::string PercentDecode(std::string_view s, bool plus_is_space) {
  std::string out;
  out.reserve(s.size());
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hex(s[i + 1]) * 16 + hex(s[i + 2])));
      i += 2;
    } else if (s[i] == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

std::string PercentEncode(std::string_view s) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

std::map<std::string, std::string> ParseQuery(std::string_view q) {
  std::map<std::string, std::string> out;
  while (!q.empty()) {
    const size_t amp = q.find('&');
    const std::string_view part = q.substr(0, amp);
    if (!part.empty()) {
      const size_t eq = part.find('=');
      const std::string key = PercentDecode(part.substr(0, eq), true);
      out[key] = eq == std::string_view::npos ? std::string() : PercentDecode(part.substr(eq + 1), true);
    }
    if (amp == std::string_view::npos) break;
    q.remove_prefix(amp + 1);
  }
  return out;
}

std::optional<int> QueryInt(const Request& r, const std::string& name) {
  auto v = r.Query(name);
  if (!v) return std::nullopt;
  int out = 0;
  auto res = std::from_chars(v->data(), v->data() + v->size(), out);
  if (res.ec != std::errc() || res.ptr != v->data() + v->size())
    throw HttpError("request.bad_query", "query parameter '" + name + "' must be an integer",
                    {{"parameter", name}});
  return out;
}

PageArgs ParsePage(const Request& r, int64_t default_limit, int64_t max_limit) {
  PageArgs p{default_limit, 0};
  if (auto l = QueryInt(r, "limit")) {
    if (*l < 1 || *l > max_limit)
      throw HttpError("request.bad_query", "limit must be between 1 and " + std::to_string(max_limit),
                      {{"parameter", "limit"}});
    p.limit = *l;
  }
  if (auto o = QueryInt(r, "offset")) {
    if (*o < 0) throw HttpError("request.bad_query", "offset must be 0 or more", {{"parameter", "offset"}});
    p.offset = *o;
  }
  return p;
}

std::string BearerToken(const Request& r) {
  const std::string h = r.Header("Authorization");
  const std::string prefix = "Bearer ";
  if (h.size() <= prefix.size() || h.compare(0, prefix.size(), prefix) != 0) return "";
  return h.substr(prefix.size());
}

bool ConstantTimeEquals(const std::string& a, const std::string& b) {
  if (a.size() != b.size() || a.empty()) return false;
  unsigned char diff = 0;
  for (size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

std::string Sha256Hex(std::string_view data) {
  Poco::SHA2Engine e(Poco::SHA2Engine::SHA_256);
  e.update(data.data(), static_cast<unsigned>(data.size()));
  return Poco::DigestEngine::digestToHex(e.digest());
}

namespace {
// SHA-256 as Poco's HMACEngine wants it: an engine with its block and digest sizes.
class Sha256Engine : public Poco::SHA2Engine {
 public:
  enum { BLOCK_SIZE = 64, DIGEST_SIZE = 32 };
  Sha256Engine() : Poco::SHA2Engine(Poco::SHA2Engine::SHA_256) {}
};
}  // namespace

std::string HmacSha256Hex(std::string_view key, std::string_view data) {
  const std::string passphrase(key);
  Poco::HMACEngine<Sha256Engine> h(passphrase);
  h.update(data.data(), static_cast<unsigned>(data.size()));
  return Poco::DigestEngine::digestToHex(h.digest());
}

}  // namespace adda::net
