#include "core/citizen.h"

#include <stdexcept>

namespace adda {

void to_json(nlohmann::json& j, const Citizen& c) {
  j = nlohmann::json{{"cpr", c.cpr},
                     {"municipality", c.municipality},
                     {"first_name", c.first_name},
                     {"last_name", c.last_name},
                     {"sex", c.sex == Sex::kMale ? "M" : "K"},
                     {"birth_date", c.birth_date.ToString()},
                     {"household", c.household},
                     {"mother", c.mother ? nlohmann::json(*c.mother) : nlohmann::json(nullptr)},
                     {"father", c.father ? nlohmann::json(*c.father) : nlohmann::json(nullptr)}};
}

void from_json(const nlohmann::json& j, Citizen& c) {
  c.cpr = j.at("cpr").get<std::string>();
  c.municipality = j.at("municipality").get<int>();
  c.first_name = j.at("first_name").get<std::string>();
  c.last_name = j.at("last_name").get<std::string>();
  c.sex = j.at("sex").get<std::string>() == "M" ? Sex::kMale : Sex::kFemale;
  auto d = Date::Parse(j.at("birth_date").get<std::string>());
  if (!d) throw std::invalid_argument("citizen birth_date");
  c.birth_date = *d;
  c.household = j.value("household", int64_t{0});
  if (j.contains("mother") && j["mother"].is_string()) c.mother = j["mother"].get<std::string>();
  if (j.contains("father") && j["father"].is_string()) c.father = j["father"].get<std::string>();
}

}  // namespace adda
