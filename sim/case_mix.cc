#include "sim/case_mix.h"

#include "core/benefit.h"
#include "core/json_reader.h"

namespace adda::sim {
namespace {

std::optional<Range> ReadRange(JsonReader& r, const char* key, bool required) {
  const auto* a = r.Array(key, required, 2);
  if (!a) return std::nullopt;
  if (a->size() != 2 || !(*a)[0].is_number() || !(*a)[1].is_number() ||
      (*a)[0].get<double>() > (*a)[1].get<double>()) {
    r.Add("field.range", key, "must be [low, high] with low ≤ high");
    return std::nullopt;
  }
  return Range{(*a)[0].get<double>(), (*a)[1].get<double>()};
}

}  // namespace

const std::vector<std::string>& Situations() {
  static const std::vector<std::string> k = {
      "any",        "home_owner",            "unemployed",          "sick_leave",
      "reduced_work_capacity", "parent_of_small_child", "parent_of_school_child",
      "low_income", "elderly_alone",         "child_at_risk"};
  return k;
}

Result<std::vector<CaseRule>> DecodeCaseMix(const nlohmann::json& j, const KleCatalogue& kle) {
  std::vector<Violation> v;
  std::vector<CaseRule> rules;
  JsonReader top(j, "", &v);
  const auto* arr = top.Array("rules", true, 1000);
  if (arr) {
    for (size_t i = 0; i < arr->size(); ++i) {
      const std::string path = "rules[" + std::to_string(i) + "]";
      JsonReader r((*arr)[i], path, &v);
      if (!r.is_object()) continue;
      r.ExpectOnly({"id", "kle", "facet", "title", "who", "probability", "opened_days_before", "unit",
                    "deliverer", "durations_days", "final_status_weights", "outcomes", "sensitivity",
                    "legal_basis", "local_statuses", "documents", "benefit", "note"});
      CaseRule rule;
      rule.id = r.String("id", true, 64).value_or("");
      rule.kle = r.String("kle", true, 8).value_or("");
      if (!rule.kle.empty() && !kle.Subject(rule.kle)) r.Add("kle.subject_known", "kle", "not in kle.json");
      rule.facet = r.String("facet", true, 8).value_or("");
      if (!rule.facet.empty() && !kle.FacetTitle(rule.facet)) r.Add("kle.facet_known", "facet", "not in kle.json");
      rule.title = r.String("title", true, kMaxTitle).value_or("");
      if (const auto* who = r.Object("who", true)) {
        JsonReader w(*who, r.FieldPath("who"), &v);
        if (auto age = ReadRange(w, "age", true)) {
          rule.age_from = static_cast<int>(age->lo);
          rule.age_to = static_cast<int>(age->hi);
        }
        rule.situation = w.OneOf("situation", false, Situations()).value_or("any");
      }
      if (const auto* p = (*arr)[i].is_object() && (*arr)[i].contains("probability") ? &(*arr)[i]["probability"] : nullptr;
          !p || !p->is_number() || p->get<double>() < 0 || p->get<double>() > 1)
        r.Add("field.range", "probability", "must be a number between 0 and 1");
      else
        rule.probability = p->get<double>();
      rule.opened_days_before = ReadRange(r, "opened_days_before", true).value_or(Range{});
      rule.unit = r.String("unit", true, 64).value_or("");
      if (auto d = r.OneOf("deliverer", true, {"municipality", "udbetaling_danmark"}))
        rule.deliverer = *ParseDeliverer(*d);
      if (const auto* dur = r.Object("durations_days", true)) {
        JsonReader dr(*dur, r.FieldPath("durations_days"), &v);
        for (const char* s : {"Oplyst", "Afgjort", "Afsluttet"})
          if (auto range = ReadRange(dr, s, true)) rule.durations_days[*ParseCaseStatus(s)] = *range;
      }
      rule.final_status_weights.assign(4, 0.0);
      if (const auto* fw = r.Object("final_status_weights", true)) {
        for (const auto& [k, val] : fw->items()) {
          auto s = ParseCaseStatus(k);
          if (!s || !val.is_number() || val.get<double>() < 0)
            v.push_back({"field.enum", path + ".final_status_weights." + k, "a status with a weight ≥ 0"});
          else
            rule.final_status_weights[static_cast<size_t>(*s)] = val.get<double>();
        }
      }
      if (const auto* oc = r.Object("outcomes", true)) {
        for (const auto& [k, val] : oc->items()) {
          bool known = false;
          for (const auto& o : DecisionOutcomeNames()) known = known || o == k;
          if (!known || !val.is_number())
            v.push_back({"field.enum", path + ".outcomes." + k, "an outcome with a weight"});
          else
            rule.outcomes.emplace_back(k, val.get<double>());
        }
      }
      rule.sensitivity = r.OneOf("sensitivity", true, SensitivityNames()).value_or("");
      rule.legal_basis = r.String("legal_basis", false, kMaxShortText).value_or("");
      if (const auto* ls = r.Array("local_statuses", true, 50))
        for (const auto& s : *ls)
          if (s.is_string()) rule.local_statuses.push_back(s.get<std::string>());
      if (rule.local_statuses.empty()) r.Add("field.required", "local_statuses", "needs at least one");
      if (const auto* docs = r.Array("documents", false, 50)) {
        for (size_t d = 0; d < docs->size(); ++d) {
          JsonReader dr((*docs)[d], r.FieldPath("documents") + "[" + std::to_string(d) + "]", &v);
          DocumentTemplate t;
          t.title = dr.String("title", true, kMaxTitle).value_or("");
          t.type = dr.OneOf("type", true, DocumentTypeNames()).value_or("");
          if (auto at = dr.OneOf("at", true, CaseStatusNames())) t.at = *ParseCaseStatus(*at);
          rule.documents.push_back(t);
        }
      }
      if (const auto* b = r.Object("benefit", false)) {
        JsonReader br(*b, r.FieldPath("benefit"), &v);
        BenefitTemplate t;
        t.name = br.String("name", true, kMaxShortText).value_or("");
        t.kle = br.String("kle", true, 8).value_or("");
        if (!t.kle.empty() && !kle.Subject(t.kle)) br.Add("kle.subject_known", "kle", "not in kle.json");
        t.monthly_dkk = ReadRange(br, "monthly_dkk", true).value_or(Range{});
        t.frequency = br.OneOf("frequency", true, {"Maanedlig", "Kvartalsvis", "Engang"}).value_or("");
        t.timing = br.OneOf("timing", true, TimingNames()).value_or("");
        t.disposition = br.String("disposition", false, kMaxShortText).value_or("");
        t.repayable = br.Bool("repayable", false).value_or(false);
        t.tax_rate = ReadRange(br, "tax_rate", true).value_or(Range{});
        rule.benefit = t;
      }
      rules.push_back(std::move(rule));
    }
  }
  if (!v.empty()) {
    std::string first = v.front().field + " " + v.front().message;
    return Status::Error("fixture.invalid", "case_mix.json: " + first, std::move(v));
  }
  return rules;
}

}  // namespace adda::sim
