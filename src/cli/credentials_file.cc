#include "cli/credentials_file.h"

#include <fstream>

#include <nlohmann/json.hpp>

namespace adda::cli {

Result<std::string> MunicipalityTokenFrom(const std::string& path, int municipality) {
  std::ifstream in(path);
  if (!in)
    return Status::Error("cli.credentials", "cannot read --credentials " + path +
                                                " (give --token KEY, or the KOMBIT mock's credentials file)");
  const auto j = nlohmann::json::parse(in, nullptr, false);
  const std::string code = std::to_string(municipality);
  const bool has = j.is_object() && j.contains("municipalities") && j["municipalities"].is_object() &&
                   j["municipalities"].contains(code) && j["municipalities"][code].is_string();
  if (!has) return Status::Error("cli.credentials", path + " holds no token for municipality " + code);
  return j["municipalities"][code].get<std::string>();
}

}  // namespace adda::cli
