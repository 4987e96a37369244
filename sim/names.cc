#include "sim/names.h"

namespace adda::sim {
namespace {

int Cohort(int birth_year) { return birth_year < 1960 ? 0 : birth_year < 1990 ? 1 : 2; }

}  // namespace

Result<NameTables::Table> NameTables::ReadTable(const nlohmann::json& arr, const std::string& what) {
  Table t;
  std::vector<double> w;
  if (!arr.is_array() || arr.empty())
    return Status::Error("fixture.invalid", "names.json: " + what + " must be a non-empty list");
  for (const auto& e : arr) {
    if (!e.is_array() || e.size() != 2 || !e[0].is_string() || !e[1].is_number() || e[1].get<double>() <= 0)
      return Status::Error("fixture.invalid", "names.json: " + what + " entries are [name, count > 0]");
    t.names.push_back(e[0].get<std::string>());
    w.push_back(e[1].get<double>());
  }
  t.weights = WeightedTable(w);
  return t;
}

Result<NameTables> NameTables::FromJson(const nlohmann::json& j) {
  NameTables n;
  static const char* kSex[] = {"female", "male"};
  static const char* kCohorts[] = {"born_before_1960", "born_1960_1989", "born_1990_or_later"};
  try {
    for (int s = 0; s < 2; ++s) {
      for (int c = 0; c < 3; ++c) {
        auto t = ReadTable(j.at("first_names").at(kSex[s]).at(kCohorts[c]),
                           std::string("first_names.") + kSex[s] + "." + kCohorts[c]);
        if (!t.ok()) return t.status();
        n.first_[s][c] = std::move(t.value());
      }
    }
    auto last = ReadTable(j.at("last_names"), "last_names");
    if (!last.ok()) return last.status();
    n.last_ = std::move(last.value());
  } catch (const nlohmann::json::exception& e) {
    return Status::Error("fixture.invalid", std::string("names.json: ") + e.what());
  }
  return n;
}

const std::string& NameTables::FirstName(Rng& rng, Sex sex, int birth_year) const {
  const Table& t = first_[sex == Sex::kMale ? 1 : 0][Cohort(birth_year)];
  return t.names[t.weights.Pick(rng)];
}

const std::string& NameTables::LastName(Rng& rng) const { return last_.names[last_.weights.Pick(rng)]; }

}  // namespace adda::sim
