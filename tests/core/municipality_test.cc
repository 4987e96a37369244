#include "core/municipality.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace adda {
namespace {

nlohmann::json Minimal() {
  return nlohmann::json::parse(R"({
    "code": 751, "name": "Aarhus", "population": 345332,
    "age_structure": [{"from": 0, "to": 17, "share": 0.2}, {"from": 18, "to": 104, "share": 0.8}],
    "units": {"jobcenter": "Jobcenter Aarhus"},
    "defect_rates": {"missing_unit": 0.02}
  })");
}

std::set<std::string> Fields(const Status& s) {
  std::set<std::string> out;
  for (const auto& v : s.violations()) out.insert(v.field);
  return out;
}

TEST(MunicipalityConfig, DecodesMinimal) {
  auto m = DecodeMunicipality(Minimal());
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(m->code, 751);
  EXPECT_EQ(m->age_structure.size(), 2u);
  EXPECT_DOUBLE_EQ(m->defect_rates.at("missing_unit"), 0.02);
  EXPECT_TRUE(m->show_document_titles);
}

TEST(MunicipalityConfig, NamesEveryBadField) {
  auto j = Minimal();
  j["code"] = 7510;
  j["age_structure"][1]["from"] = 20;      // not contiguous
  j["age_structure"][1]["share"] = 0.5;    // sum 0.7
  j["defect_rates"]["typo_defect"] = 0.1;  // unknown kind
  j["populaton"] = 1;                      // misspelt key
  auto m = DecodeMunicipality(j);
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().code(), "config.invalid");
  EXPECT_EQ(Fields(m.status()), (std::set<std::string>{"code", "age_structure[1].from", "age_structure",
                                                       "defect_rates.typo_defect", "populaton"}));
}

TEST(MunicipalityConfig, ShippedPilotConfigsAreValid) {
  for (const char* f : {"561-esbjerg", "751-aarhus", "430-faaborg-midtfyn", "710-favrskov", "630-vejle"}) {
    std::ifstream is(std::string(ADDA_SOURCE_DIR) + "/pilots/municipalities/" + f + ".json");
    ASSERT_TRUE(is.good()) << f;
    std::stringstream ss;
    ss << is.rdbuf();
    auto m = DecodeMunicipality(nlohmann::json::parse(ss.str()));
    EXPECT_TRUE(m.ok()) << f << ": " << (m.ok() ? "" : m.status().violations().front().field);
  }
}

TEST(MunicipalityConfig, ShippedPopulationsMatchDomainFacts) {
  const std::map<std::string, int64_t> want = {{"561-esbjerg", 115652}, {"751-aarhus", 345332},
                                               {"430-faaborg-midtfyn", 51556}, {"710-favrskov", 48374},
                                               {"630-vejle", 114830}};
  for (const auto& [f, pop] : want) {
    std::ifstream is(std::string(ADDA_SOURCE_DIR) + "/pilots/municipalities/" + f + ".json");
    std::stringstream ss;
    ss << is.rdbuf();
    EXPECT_EQ(DecodeMunicipality(nlohmann::json::parse(ss.str()))->population, pop) << f;
  }
}

}  // namespace
}  // namespace adda

namespace adda {
namespace {

// An empty age structure once divided by zero in the generator.
TEST(MunicipalityConfig, EmptyAgeStructureIsRefused) {
  auto j = Minimal();
  j["age_structure"] = nlohmann::json::array();
  auto m = DecodeMunicipality(j);
  ASSERT_FALSE(m.ok());
  bool named = false;
  for (const auto& v : m.status().violations()) named = named || v.field == "age_structure";
  EXPECT_TRUE(named) << m.status().ToString();
}

}  // namespace
}  // namespace adda
