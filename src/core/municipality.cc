#include "core/municipality.h"

#include <cmath>

#include "core/json_reader.h"

namespace adda {
namespace {

std::map<std::string, double> ShareMap(JsonReader& r, const char* key, bool required,
                                       double max_value, std::vector<Violation>* v) {
  std::map<std::string, double> out;
  const auto* obj = r.Object(key, required);
  if (!obj) return out;
  for (const auto& [k, val] : obj->items()) {
    if (!val.is_number() || val.get<double>() < 0 || val.get<double>() > max_value) {
      v->push_back({"field.range", r.FieldPath(key) + "." + k,
                    "must be a number between 0 and " + std::to_string(max_value)});
      continue;
    }
    out[k] = val.get<double>();
  }
  return out;
}

}  // namespace

const std::vector<std::string>& DefectKinds() {
  static const std::vector<std::string> k = {"missing_unit", "status_gap",  "stale_status",
                                             "jargon_title", "unknown_kle", "payment_without_grant_period"};
  return k;
}

double Municipality::RateMultiplier(const std::string& rule_id, const std::string& kle_subject) const {
  double m = 1.0;
  if (auto it = area_multipliers.find(kle_subject.substr(0, 2)); it != area_multipliers.end())
    m *= it->second;
  if (auto it = rule_multipliers.find(rule_id); it != rule_multipliers.end()) m *= it->second;
  return m;
}

Result<Municipality> DecodeMunicipality(const nlohmann::json& j) {
  std::vector<Violation> v;
  Municipality m;
  JsonReader r(j, "", &v);
  if (r.is_object()) {
    r.ExpectOnly({"code", "name", "cvr", "note", "population", "sex", "age_structure", "situations",
                  "area_multipliers", "rule_multipliers", "units", "show_document_titles",
                  "defect_rates"});
    m.code = static_cast<int>(r.Int("code", true, 100, 999).value_or(0));
    m.name = r.String("name", true, 100).value_or("");
    m.cvr = r.String("cvr", false, 8).value_or("");
    m.population = r.Int("population", true, 1, 10'000'000).value_or(0);
    if (const auto* ms = r.Object("sex", false)) {
      JsonReader s(*ms, "sex", &v);
      s.ExpectOnly({"male_share"});
      if (s.Has("male_share")) {
        const auto& val = (*ms)["male_share"];
        if (!val.is_number() || val.get<double>() < 0 || val.get<double>() > 1)
          s.Add("field.range", "male_share", "must be between 0 and 1");
        else
          m.male_share = val.get<double>();
      }
    }
    if (const auto* bands = r.Array("age_structure", true, 200)) {
      double total = 0;
      int expect_from = 0;
      for (size_t i = 0; i < bands->size(); ++i) {
        JsonReader b((*bands)[i], "age_structure[" + std::to_string(i) + "]", &v);
        b.ExpectOnly({"from", "to", "share"});
        AgeBand band;
        band.from = static_cast<int>(b.Int("from", true, 0, 120).value_or(-1));
        band.to = static_cast<int>(b.Int("to", true, 0, 120).value_or(-1));
        const auto& share = (*bands)[i].is_object() ? (*bands)[i].value("share", nlohmann::json()) : nlohmann::json();
        if (!share.is_number() || share.get<double>() < 0 || share.get<double>() > 1) {
          b.Add("field.range", "share", "must be a number between 0 and 1");
        } else {
          band.share = share.get<double>();
        }
        if (band.from >= 0 && band.from != expect_from)
          b.Add("age.contiguous", "from", "bands must be contiguous from 0; expected " + std::to_string(expect_from));
        if (band.to >= 0 && band.to < band.from) b.Add("field.range", "to", "must not be below from");
        expect_from = band.to + 1;
        total += band.share;
        m.age_structure.push_back(band);
      }
      if (bands->empty())
        r.Add("field.required", "age_structure", "needs at least one age band");
      else if (std::fabs(total - 1.0) > 0.01)
        r.Add("age.sum", "age_structure", "shares sum to " + std::to_string(total) + ", not 1");
    }
    m.situations = ShareMap(r, "situations", false, 1.0, &v);
    m.area_multipliers = ShareMap(r, "area_multipliers", false, 100.0, &v);
    m.rule_multipliers = ShareMap(r, "rule_multipliers", false, 100.0, &v);
    if (const auto* units = r.Object("units", true)) {
      for (const auto& [k, val] : units->items()) {
        if (!val.is_string() || val.get<std::string>().empty())
          v.push_back({"field.type", "units." + k, "must be a non-empty string"});
        else
          m.units[k] = val.get<std::string>();
      }
    }
    m.show_document_titles = r.Bool("show_document_titles", false).value_or(true);
    m.defect_rates = ShareMap(r, "defect_rates", false, 1.0, &v);
    for (const auto& [kind, rate] : m.defect_rates) {
      bool known = false;
      for (const auto& k : DefectKinds()) known = known || k == kind;
      if (!known) v.push_back({"field.enum", "defect_rates." + kind, "unknown defect kind"});
    }
  }
  if (!v.empty())
    return Status::Error("config.invalid", "municipality config is invalid", std::move(v));
  return m;
}

}  // namespace adda
