#include "kombit/credentials.h"

#include <fstream>
#include <sys/stat.h>

#include <nlohmann/json.hpp>

namespace adda::kombit {

std::optional<net::Principal> Credentials::Identify(const std::string& token) const {
  if (token.empty()) return std::nullopt;
  std::optional<net::Principal> found;
  // Compare against every key so the time taken does not tell which kind matched.
  if (net::ConstantTimeEquals(token, system)) found = net::Principal{"system", std::nullopt, "borger.dk"};
  if (net::ConstantTimeEquals(token, admin)) found = net::Principal{"admin", std::nullopt, "admin"};
  for (const auto& [code, t] : municipalities)
    if (net::ConstantTimeEquals(token, t)) found = net::Principal{"municipality", code, "municipality " + std::to_string(code)};
  return found;
}

namespace {

Status Write(const std::string& path, const Credentials& c) {
  nlohmann::json j{{"system", c.system}, {"admin", c.admin}, {"municipalities", nlohmann::json::object()}};
  for (const auto& [code, t] : c.municipalities) j["municipalities"][std::to_string(code)] = t;
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    if (!out) return Status::Error("credentials.write", "cannot write " + tmp);
    out << j.dump(2) << "\n";
    if (!out) return Status::Error("credentials.write", "cannot write " + tmp);
  }
  ::chmod(tmp.c_str(), 0600);
  if (std::rename(tmp.c_str(), path.c_str()) != 0)
    return Status::Error("credentials.write", "cannot rename " + tmp + " to " + path);
  return Status::Ok();
}

}  // namespace

Result<Credentials> LoadOrCreateCredentials(const std::string& path, const std::vector<int>& codes, bool* created) {
  *created = false;
  Credentials c;
  std::ifstream in(path);
  bool changed = false;
  if (in) {
    auto j = nlohmann::json::parse(in, nullptr, false);
    if (j.is_discarded() || !j.is_object() || !j.value("system", nlohmann::json()).is_string() ||
        !j.value("admin", nlohmann::json()).is_string())
      return Status::Error("credentials.invalid", path + " is not a credentials file (system, admin, municipalities)");
    c.system = j["system"];
    c.admin = j["admin"];
    const nlohmann::json munis = j.value("municipalities", nlohmann::json::object());
    if (!munis.is_object()) return Status::Error("credentials.invalid", path + ": municipalities must be an object");
    for (const auto& [k, v] : munis.items()) {
      if (!v.is_string()) return Status::Error("credentials.invalid", path + ": municipality " + k + " needs a string token");
      try {
        c.municipalities[std::stoi(k)] = v.get<std::string>();
      } catch (const std::exception&) {
        return Status::Error("credentials.invalid", path + ": '" + k + "' is not a municipality code");
      }
    }
    if (c.system.size() < 16 || c.admin.size() < 16)
      return Status::Error("credentials.invalid", path + ": tokens must be at least 16 characters");
  } else {
    c.system = RandomToken("sys-");
    c.admin = RandomToken("adm-");
    *created = true;
    changed = true;
  }
  for (int code : codes) {
    if (!c.municipalities.count(code)) {
      c.municipalities[code] = RandomToken("m" + std::to_string(code) + "-");
      changed = true;
    }
  }
  if (changed) {
    Status s = Write(path, c);
    if (!s.ok()) return s;
  }
  return c;
}

}  // namespace adda::kombit
