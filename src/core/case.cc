#include "core/case.h"

#include <stdexcept>

#include "core/json_reader.h"
#include "core/json_writer.h"

namespace adda {
namespace {

const char* const kStatusNames[] = {"Opstaaet", "Oplyst", "Afgjort", "Afsluttet"};

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

namespace {

void WritePeriod(JsonWriter& w, const StatusPeriod& p) {
  w.BeginObject();
  w.Key("status").String(ToString(p.status));
  w.Key("from").DateValue(p.from);
  w.Key("to").OptDate(p.to);
  if (p.reopened) w.Key("reopened").Bool(true);
  w.EndObject();
}

void WriteDocument(JsonWriter& w, const Document& d) {
  w.BeginObject();
  w.Key("id").String(d.id);
  w.Key("title").String(d.title);
  w.Key("letter_date").DateValue(d.letter_date);
  w.Key("type").String(d.type);
  w.Key("status").String(d.status);
  w.EndObject();
}

void WriteCase(JsonWriter& w, const Case& c, bool show_documents, bool with_caseworker) {
  w.BeginObject();
  w.Key("id").String(c.id);
  w.Key("municipality").Int(c.municipality);
  w.Key("case_number").String(c.case_number);
  w.Key("title").String(c.title);
  w.Key("description").String(c.description);
  w.Key("legal_basis").String(c.legal_basis);
  w.Key("sensitivity").String(c.sensitivity);
  w.Key("local_status").String(c.local_status);
  w.Key("status_history").BeginArray();
  for (const auto& p : c.status_history) WritePeriod(w, p);
  w.EndArray();
  w.Key("kle").BeginObject().Key("subject").String(c.kle_subject).Key("facet").String(c.kle_facet).EndObject();
  w.Key("responsible_unit").OptString(c.responsible_unit);
  w.Key("primary_party").String(c.primary_party);
  w.Key("deliverer");
  if (c.deliverer) w.String(ToString(*c.deliverer));
  else w.Null();
  w.Key("decision");
  if (c.decision)
    w.BeginObject().Key("outcome").String(c.decision->outcome).Key("date").DateValue(c.decision->date).EndObject();
  else
    w.Null();
  w.Key("version").Int(c.version);
  if (show_documents) {
    w.Key("documents").BeginArray();
    for (const auto& d : c.documents) WriteDocument(w, d);
    w.EndArray();
  }
  if (with_caseworker && c.caseworker) w.Key("caseworker").String(*c.caseworker);
  w.EndObject();
}

}  // namespace

void to_json(nlohmann::json& j, const StatusPeriod& p) { j = WrittenJson(p, WritePeriod); }

void to_json(nlohmann::json& j, const Document& d) { j = WrittenJson(d, WriteDocument); }

void to_json(nlohmann::json& j, const Case& c) { j = nlohmann::json::parse(CaseJson(c)); }

std::string CaseJson(const Case& c) {
  std::string out;
  JsonWriter w(out);
  WriteCase(w, c, true, true);
  return out;
}

std::string CaseIndexJson(const Case& c, bool show_documents) {
  std::string out;
  out.reserve(1024);
  JsonWriter w(out);
  WriteCase(w, c, show_documents, false);
  return out;
}

std::string DocumentsJson(const std::vector<Document>& documents) {
  std::string out;
  JsonWriter w(out);
  w.BeginArray();
  for (const auto& d : documents) WriteDocument(w, d);
  w.EndArray();
  return out;
}

std::string SpliceCaseJson(std::string_view body, std::string_view documents,
                           const std::optional<std::string>& caseworker) {
  std::string out;
  out.reserve(body.size() + documents.size() + 48);
  out.append(body.substr(0, body.empty() ? 0 : body.size() - 1));
  out.append(",\"documents\":");
  out.append(documents);
  if (caseworker) {
    out.append(",\"caseworker\":");
    AppendJsonString(out, *caseworker);
  }
  out.push_back('}');
  return out;
}

nlohmann::json CaseIndexView(const Case& c, bool show_documents) {
  return nlohmann::json::parse(CaseIndexJson(c, show_documents));
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
  d.id = r.String("id", true, kMaxId).value_or("");
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
  c.id = r.String("id", true, kMaxId).value_or("");
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
    c.kle_subject = k.String("subject", true, kMaxKleCode).value_or("");
    c.kle_facet = k.String("facet", true, kMaxKleFacet).value_or("");
  }
  c.responsible_unit = r.String("responsible_unit", false, kMaxShortText);
  c.caseworker = r.String("caseworker", false, kMaxShortText);
  c.primary_party = r.String("primary_party", true, kMaxPartyUrn).value_or("");
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
