#include "kombit/helpers.h"

#include <chrono>

#include <Poco/DigestEngine.h>
#include <Poco/SHA2Engine.h>

#include "core/cpr.h"
#include "core/date.h"
#include "core/ids.h"

namespace adda::kombit {

int PathMunicipality(const net::Request& req) {
  const std::string& s = req.Param("code");
  if (s.size() != 3 || s.find_first_not_of("0123456789") != std::string::npos)
    throw net::HttpError("request.bad_municipality", "the municipality code must be three digits");
  return std::stoi(s);
}

const std::string& PathId(const net::Request& req, const std::string& name) {
  const std::string& s = req.Param(name);
  if (s.empty() || s.size() > 64 || !IsSafeId(s))
    throw net::HttpError("request.bad_id", "'" + name + "' must be 1-64 characters of letters, digits, '.', '_' or '-'",
                         {{"parameter", name}});
  return s;
}

std::string PathCpr(const net::Request& req) {
  auto cpr = Cpr::Parse(req.Param("cpr"));
  if (!cpr.ok()) throw net::HttpError("request.bad_cpr", "the CPR number in the path is not DDMMYYSSSS");
  return cpr->digits();
}

nlohmann::json ViolationsJson(const std::vector<Violation>& v) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& x : v) out.push_back(x);
  return out;
}

void ThrowUnprocessable(const std::vector<Violation>& errors, const std::vector<Violation>& warnings,
                        const std::string& message) {
  throw net::HttpError("integration.invalid", message,
                       {{"violations", ViolationsJson(errors)}, {"warnings", ViolationsJson(warnings)}});
}

std::string ListJson(std::vector<std::string> bodies, const store::Page& page) {
  const bool more = static_cast<int64_t>(bodies.size()) > page.limit;
  if (more) bodies.resize(static_cast<size_t>(page.limit));
  size_t total = 64;
  for (const auto& b : bodies) total += b.size() + 1;
  std::string out;
  out.reserve(total);
  out += "{\"items\":[";
  for (size_t i = 0; i < bodies.size(); ++i) {
    if (i) out.push_back(',');
    out += bodies[i];
  }
  out += "],\"limit\":" + std::to_string(page.limit) + ",\"offset\":" + std::to_string(page.offset) +
         ",\"next_offset\":" + (more ? std::to_string(page.offset + page.limit) : std::string("null")) + "}";
  return out;
}

nlohmann::json RecordRefusal(const net::HttpError& e, store::LogEntry* entry) {
  const auto& d = e.details();
  nlohmann::json errors = d.contains("violations")
                              ? d["violations"]
                              : nlohmann::json::array({{{"rule", e.code()}, {"field", ""}, {"message", e.what()}}});
  entry->status = e.status();
  entry->errors = errors.dump();
  if (d.contains("warnings")) entry->warnings = d["warnings"].dump();
  return errors;
}

std::string ETag(int64_t version) { return "\"" + std::to_string(version) + "\""; }

void CheckPreconditions(const net::Request& req, std::optional<int64_t> current) {
  const std::string if_none = req.Header("If-None-Match");
  if (if_none == "*" && current)
    throw net::HttpError("version.exists", "the item exists already (If-None-Match: *)",
                         {{"current_version", *current}});
  std::string if_match = req.Header("If-Match");
  if (if_match.empty()) return;
  if (if_match == "*") {
    if (!current) throw net::HttpError("version.missing", "the item does not exist (If-Match: *)");
    return;
  }
  if (if_match.rfind("W/", 0) == 0) if_match = if_match.substr(2);
  if (if_match.size() >= 2 && if_match.front() == '"' && if_match.back() == '"')
    if_match = if_match.substr(1, if_match.size() - 2);
  if (!current)
    throw net::HttpError("version.missing", "the item does not exist, so version " + if_match + " cannot match");
  if (if_match != std::to_string(*current))
    throw net::HttpError("version.mismatch",
                         "the item has changed: it is at version " + std::to_string(*current) + ", not " + if_match,
                         {{"current_version", *current}});
}

}  // namespace adda::kombit
