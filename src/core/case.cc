#include "core/case.h"

#include <stdexcept>

#include "core/json_reader.h"

namespace adda {
namespace {

const char* const kStatusNames[] = {"Opstaaet", "Oplyst", "Afgjort", "Afsluttet"};

nlohmann::json OptDate(const std::optional<Date>& d) {
  return d ? nlohmann::json(d->ToString()) : nlohmann::json(nullptr);
}

}  // namespace

const char* ToString(CaseStatus s) { return kStatusNames[static_cast<int>(s)]; }

std::optional<CaseStatus> ParseCaseStatus(std::string_view s) {
  for (int i = 0; i < 4; ++i)
    if (s == kStatusNames[i]) return static_cast<CaseStatus>(i);
  return std::nullopt;
}

const std::vector<std::string>& CaseStatusNames() {
  static const std::vector<std::string> k = {"Opstaaet", "Oplyst", "Afgjort", "Afsluttet"};
  return k;
}

const char* ToString(Deliverer d) {
  return d == Deliverer::kMunicipality ? "municipality" : "udbetaling_danmark";
}

std::optional<Deliverer> ParseDeliverer(std::string_view s) {
  if (s == "municipality") return Deliverer::kMunicipality;
  if (s == "udbetaling_danmark") return Deliverer::kUdbetalingDanmark;
  return std::nullopt;
}

const std::vector<std::string>& SensitivityNames() {
  static const std::vector<std::string> k = {"IKKE_FORTROLIGE_DATA", "FORTROLIGE_PERSONOPLYSNINGER",
                                             "FOELSOMME_PERSONOPLYSNINGER", "VIP_SAGER"};
  return k;
}

const std::vector<std::string>& DocumentTypeNames() {
  static const std::vector<std::string> k = {
      "Brev, indgaaende", "Brev, udgaaende", "Dagsorden", "Eksternt Notat", "Faktura",
      "Internt Notat",    "Rapport",         "Plan",      "Andet"};
  return k;
}

const std::vector<std::string>& DocumentStatusNames() {
  static const std::vector<std::string> k = {"Modtaget",       "Fordelt",     "Underudarbejdelse",
                                             "Underreview",    "Publiceret",  "Endeligt",
                                             "Afleveret"};
  return k;
}

const std::vector<std::string>& DecisionOutcomeNames() {
  static const std::vector<std::string> k = {"medhold", "delvist_medhold", "afslag", "annulleret"};
  return k;
}

void to_json(nlohmann::json& j, const StatusPeriod& p) {
  j = nlohmann::json{{"status", ToString(p.status)}, {"from", p.from.ToString()}, {"to", OptDate(p.to)}};
  if (p.reopened) j["reopened"] = true;
}

void to_json(nlohmann::json& j, const Document& d) {
  j = nlohmann::json{{"id", d.id},
                     {"title", d.title},
                     {"letter_date", d.letter_date.ToString()},
                     {"type", d.type},
                     {"status", d.status}};
}

void to_json(nlohmann::json& j, const Case& c) {
  j = CaseIndexView(c, true);
  if (c.caseworker) j["caseworker"] = *c.caseworker;
}

nlohmann::json CaseIndexView(const Case& c, bool show_documents) {
  nlohmann::json j{{"id", c.id},
                   {"municipality", c.municipality},
                   {"case_number", c.case_number},
                   {"title", c.title},
                   {"description", c.description},
                   {"legal_basis", c.legal_basis},
                   {"sensitivity", c.sensitivity},
                   {"local_status", c.local_status},
                   {"status_history", c.status_history},
                   {"kle", {{"subject", c.kle_subject}, {"facet", c.kle_facet}}},
                   {"responsible_unit", c.responsible_unit ? nlohmann::json(*c.responsible_unit)
                                                           : nlohmann::json(nullptr)},
                   {"primary_party", c.primary_party},
                   {"deliverer", c.deliverer ? nlohmann::json(ToString(*c.deliverer))
                                             : nlohmann::json(nullptr)},
                   {"decision", nullptr},
                   {"version", c.version}};
  if (c.decision)
    j["decision"] = {{"outcome", c.decision->outcome}, {"date", c.decision->date.ToString()}};
  if (show_documents) j["documents"] = c.documents;
  return j;
}

StatusPeriod DecodeStatusPeriod(const nlohmann::json& j, const std::string& path,
                                std::vector<Violation>* violations) {
  StatusPeriod p;
  JsonReader r(j, path, violations);
  if (!r.is_object()) return p;
  if (auto s = r.OneOf("status", true, CaseStatusNames())) p.status = *ParseCaseStatus(*s);
  if (auto d = r.DateField("from", true)) p.from = *d;
  p.to = r.DateField("to", false);
  p.reopened = r.Bool("reopened", false).value_or(false);
  return p;
}

Document DecodeDocument(const nlohmann::json& j, const std::string& path,
                        std::vector<Violation>* violations) {
  Document d;
  JsonReader r(j, path, violations);
  if (!r.is_object()) return d;
  d.id = r.String("id", true, 64).value_or("");
  d.title = r.String("title", true, kMaxTitle).value_or("");
  if (auto ld = r.DateField("letter_date", true)) d.letter_date = *ld;
  d.type = r.OneOf("type", true, DocumentTypeNames()).value_or("");
  d.status = r.OneOf("status", true, DocumentStatusNames()).value_or("");
  return d;
}

Case DecodeCase(const nlohmann::json& j, std::vector<Violation>* violations) {
  Case c;
  JsonReader r(j, "", violations);
  if (!r.is_object()) return c;
  c.id = r.String("id", true, 64).value_or("");
  c.municipality = static_cast<int>(r.Int("municipality", true, 100, 999).value_or(0));
  c.case_number = r.String("case_number", true, kMaxCaseNumber).value_or("");
  c.title = r.String("title", true, kMaxTitle).value_or("");
  c.description = r.String("description", false, kMaxDescription).value_or("");
  c.legal_basis = r.String("legal_basis", false, kMaxShortText).value_or("");
  c.sensitivity = r.OneOf("sensitivity", true, SensitivityNames()).value_or("");
  c.local_status = r.String("local_status", false, kMaxShortText).value_or("");
  if (const auto* hist = r.Array("status_history", true, kMaxHistory)) {
    if (hist->empty()) r.Add("field.required", "status_history", "must hold at least one status");
    for (size_t i = 0; i < hist->size(); ++i)
      c.status_history.push_back(DecodeStatusPeriod(
          (*hist)[i], r.FieldPath("status_history") + "[" + std::to_string(i) + "]", violations));
  }
  if (const auto* kle = r.Object("kle", true)) {
    JsonReader k(*kle, r.FieldPath("kle"), violations);
    c.kle_subject = k.String("subject", true, 16).value_or("");
    c.kle_facet = k.String("facet", true, 8).value_or("");
  }
  c.responsible_unit = r.String("responsible_unit", false, kMaxShortText);
  c.caseworker = r.String("caseworker", false, kMaxShortText);
  c.primary_party = r.String("primary_party", true, 64).value_or("");
  if (const auto* docs = r.Array("documents", false, kMaxDocuments)) {
    for (size_t i = 0; i < docs->size(); ++i)
      c.documents.push_back(DecodeDocument(
          (*docs)[i], r.FieldPath("documents") + "[" + std::to_string(i) + "]", violations));
  }
  if (const auto* dec = r.Object("decision", false)) {
    JsonReader d(*dec, r.FieldPath("decision"), violations);
    Decision decision;
    decision.outcome = d.OneOf("outcome", true, DecisionOutcomeNames()).value_or("");
    if (auto dd = d.DateField("date", true)) decision.date = *dd;
    c.decision = decision;
  }
  if (auto del = r.OneOf("deliverer", false, {"municipality", "udbetaling_danmark"}))
    c.deliverer = ParseDeliverer(*del);
  if (r.Has("version")) c.version = r.Int("version", false, 0, INT64_MAX).value_or(0);
  return c;
}

void from_json(const nlohmann::json& j, Case& c) {
  std::vector<Violation> v;
  c = DecodeCase(j, &v);
  if (!v.empty()) throw std::invalid_argument("stored case invalid: " + v.front().field + " " + v.front().message);
}

}  // namespace adda
