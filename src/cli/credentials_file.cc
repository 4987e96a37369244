#include "cli/credentials_file.h"

#include <fstream>

#include <nlohmann/json.hpp>

namespace adda::cli {

std::string MunicipalityTokenFrom(const std::string& path, int municipality, std::string* why) {
  std::ifstream in(path);
  if (!in) {
    *why = "cannot read --credentials " + path + " (give --token KEY, or the KOMBIT mock's credentials file)";
    return "";
  }
  const auto j = nlohmann::json::parse(in, nullptr, false);
  const std::string code = std::to_string(municipality);
  const bool has = j.is_object() && j.contains("municipalities") && j["municipalities"].is_object() &&
                   j["municipalities"].contains(code) && j["municipalities"][code].is_string();
  if (!has) {
    *why = path + " holds no token for municipality " + code;
    return "";
  }
  return j["municipalities"][code].get<std::string>();
}

}  // namespace adda::cli
