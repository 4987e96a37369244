#include "net/router.h"

#include <stdexcept>

namespace adda::net {

const char* AccessName(Access a) {
  switch (a) {
    case Access::kPublic: return "public";
    case Access::kCitizen: return "citizen";
    case Access::kShare: return "share";
    case Access::kFeedback: return "feedback";
    case Access::kSystem: return "system";
    case Access::kMunicipality: return "municipality";
    case Access::kAdmin: return "admin";
  }
  return "public";
}

std::vector<std::string> SplitPath(const std::string& path) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '/') {
      ++i;
      continue;
    }
    const size_t j = path.find('/', i);
    out.push_back(path.substr(i, j == std::string::npos ? std::string::npos : j - i));
    if (j == std::string::npos) break;
    i = j;
  }
  return out;
}

void Router::Add(Route r) {
  r.segments = SplitPath(r.pattern);
  for (const auto& existing : routes_)
    if (existing.method == r.method && existing.pattern == r.pattern)
      throw std::logic_error("duplicate route " + r.method + " " + r.pattern);
  routes_.push_back(std::move(r));
}

const Route* Router::Match(const std::string& method, const std::string& path,
                           std::map<std::string, std::string>* params, bool* path_exists) const {
  const auto parts = SplitPath(path);
  *path_exists = false;
  // A trailing slash or an empty segment is a different path.
  if (path.empty() || path[0] != '/' || (path.size() > 1 && path.back() == '/') ||
      path.find("//") != std::string::npos)
    return nullptr;
  const Route* found = nullptr;
  for (const auto& r : routes_) {
    // "{name*}" last: one or more segments, joined by '/' (static files in folders).
    const bool rest = !r.segments.empty() && r.segments.back().size() > 3 &&
                      r.segments.back().compare(r.segments.back().size() - 2, 2, "*}") == 0;
    if (rest ? parts.size() < r.segments.size() : r.segments.size() != parts.size()) continue;
    std::map<std::string, std::string> captured;
    bool ok = true;
    for (size_t i = 0; i < r.segments.size() && ok; ++i) {
      const auto& seg = r.segments[i];
      if (rest && i + 1 == r.segments.size()) {
        std::string tail = parts[i];
        for (size_t k = i + 1; k < parts.size(); ++k) tail += "/" + parts[k];
        captured[seg.substr(1, seg.size() - 3)] = tail;
      } else if (seg.size() > 2 && seg.front() == '{' && seg.back() == '}')
        captured[seg.substr(1, seg.size() - 2)] = parts[i];
      else
        ok = seg == parts[i];
    }
    if (!ok) continue;
    *path_exists = true;
    if (r.method == method) {
      // The first route in table order wins: register literal paths before captures.
      if (!found) {
        found = &r;
        *params = std::move(captured);
      }
    }
  }
  return found;
}

std::string Router::AllowedMethods(const std::string& path) const {
  std::string out;
  for (const char* m : {"GET", "POST", "PUT", "PATCH", "DELETE"}) {
    std::map<std::string, std::string> params;
    bool exists = false;
    if (Match(m, path, &params, &exists)) out += (out.empty() ? "" : ", ") + std::string(m);
  }
  return out;
}

}  // namespace adda::net
