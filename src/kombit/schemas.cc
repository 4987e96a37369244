#include "kombit/schemas.h"

#include <cstdint>
#include <limits>

#include "core/benefit.h"
#include "core/case.h"
#include "core/json_schema.h"
#include "net/faults.h"

namespace adda::kombit {

const std::vector<std::string>& ContributionKinds() {
  static const std::vector<std::string> k = {"note", "correction"};
  return k;
}

const std::vector<std::string>& ContributionItemKinds() {
  static const std::vector<std::string> k = {"case", "grant"};
  return k;
}

const std::vector<std::string>& ContributionStatuses() {
  static const std::vector<std::string> k = {"received", "under_review", "corrected", "answered", "rejected"};
  return k;
}

namespace {

// The builders are this file's vocabulary. Date is also core's type: IsoIsoDate() below.
using schema::Array;
using schema::Boolean;
using schema::DateTime;
using schema::Described;
using schema::Enum;
using schema::Integer;
using schema::Json;
using schema::Number;
using schema::Object;
using schema::OneOf;
using schema::Opt;
using schema::Pattern;
using schema::Property;
using schema::Ref;
using schema::Req;
using schema::String;
using schema::Text;

constexpr int64_t kMaxInt = std::numeric_limits<int64_t>::max();
constexpr size_t kMaxPage = 500;      // net::ParsePage's upper limit on every list here
constexpr size_t kMaxFeedPage = 5000;  // the change feed's and the integration log's

// A string JsonReader reads as required: present and not empty (also for its OneOf).
Json NonEmpty(Json s) {
  s["minLength"] = 1;
  return s;
}
Json IsoDate() { return schema::Date(); }
Json Code() { return Integer(100, 999); }  // a municipality code
Json Amount() { return Described(Number(-1e13, 1e13), "DKK, at most two decimals"); }
Json Count() { return Integer(0, kMaxInt); }
Json Version() { return Integer(0, kMaxInt); }
Json AnyString() { return Json{{"type", "string"}}; }
Json AnyNumber() { return Json{{"type", "number"}}; }
// An array as long as the data makes it (results of a load, a contribution's history).
Json List(Json items) { return Json{{"type", "array"}, {"items", std::move(items)}}; }
Json Violations() { return List(Ref("Violation")); }
Json CprSchema() { return Pattern("^[0-9]{10}$", "party.cpr_format", 10); }
Json Deliverers() {
  return Enum({ToString(Deliverer::kMunicipality), ToString(Deliverer::kUdbetalingDanmark)});
}
// An id as IsSafeId has it (core/ids.h): 1-64 of [A-Za-z0-9._-], not "." or "..".
Json SafeId() { return NonEmpty(Pattern("^(?!\\.\\.?$)[A-Za-z0-9._-]+$", "field.id", kMaxId)); }

// ---- Request bodies: what the decoders accept. Case and grant records are open: their
// decoders ignore fields they do not know (a newer source system may send more).

Json StatusPeriodInput() {  // core/case.cc DecodeStatusPeriod
  return Object({Req("status", NonEmpty(Enum(CaseStatusNames()))), Req("from", IsoDate()), Opt("to", IsoDate()),
                 Opt("reopened", Boolean())},
                /*closed=*/false);
}

Json DocumentInput() {  // DecodeDocument
  return Object({Req("id", Text(kMaxId)), Req("title", Text(kMaxTitle)), Req("letter_date", IsoDate()),
                 Req("type", NonEmpty(Enum(DocumentTypeNames()))),
                 Req("status", NonEmpty(Enum(DocumentStatusNames())))},
                /*closed=*/false);
}

Json CaseInput() {  // DecodeCase
  return Object(
      {Req("id", Text(kMaxId)), Req("municipality", Code()), Req("case_number", Text(kMaxCaseNumber)),
       Req("title", Text(kMaxTitle)), Opt("description", String(kMaxDescription)),
       Opt("legal_basis", String(kMaxShortText)), Req("sensitivity", NonEmpty(Enum(SensitivityNames()))),
       Opt("local_status", String(kMaxShortText)),
       Req("status_history", Array(Ref("StatusPeriodInput"), kMaxHistory, 1)),
       Req("kle", Object({Req("subject", Text(kMaxKleCode)), Req("facet", Text(kMaxKleFacet))}, false)),
       Opt("responsible_unit", String(kMaxShortText)), Opt("caseworker", String(kMaxShortText)),
       Req("primary_party", Text(kMaxPartyUrn)), Opt("documents", Array(Ref("DocumentInput"), kMaxDocuments)),
       Opt("decision",
           Object({Req("outcome", NonEmpty(Enum(DecisionOutcomeNames()))), Req("date", IsoDate())}, false)),
       Opt("deliverer", Deliverers()), Opt("version", Version())},
      /*closed=*/false);
}

// The body of POST …/cases/{id}/status (integration_routes.cc): one status entry
// without "to" (the next status closes the one before), and the new local status.
Json StatusChange() {
  return Object({Req("status", NonEmpty(Enum(CaseStatusNames()))), Req("from", IsoDate()),
                 Opt("reopened", Boolean()), Opt("local_status", String(kMaxStatusChangeLocalStatus))});
}

Json PaymentInput() {  // core/benefit.cc DecodePayment
  return Object({Req("id", Text(kMaxId)), Req("benefit_id", Text(kMaxId)),
                 Req("period", Object({Req("start", IsoDate()), Req("end", IsoDate())}, false)),
                 Req("gross", Amount()), Req("after_tax", Amount()),
                 Opt("sent", Described(Amount(), "default: after_tax")), Req("paid", Amount()),
                 Req("disposition_date", IsoDate())},
                /*closed=*/false);
}

Json GrantedBenefitInput() {  // DecodeGrantedBenefit
  return Object(
      {Req("id", Text(kMaxId)), Req("name", Text(kMaxShortText)), Req("kle", Text(kMaxKleCode)),
       Opt("reason", String(kMaxShortText)), Req("start", IsoDate()), Opt("end", IsoDate()), Opt("repayable", Boolean()),
       Opt("plan", Object({Req("start", IsoDate()), Opt("end", IsoDate()),
                           Req("frequency", NonEmpty(Enum(FrequencyNames()))),
                           Req("timing", NonEmpty(Enum(TimingNames()))), Opt("disposition", String(kMaxShortText)),
                           Req("amount", Amount())},
                          false))},
      /*closed=*/false);
}

Json GrantInput() {  // DecodeGrant
  return Object({Req("id", Text(kMaxId)), Req("municipality", Code()), Opt("case_id", String(kMaxId)),
                 Req("recipient", Text(kMaxPartyUrn)),
                 Opt("period", Object({Opt("start", IsoDate()), Opt("end", IsoDate())}, false)),
                 Opt("reason", String(kMaxShortText)), Req("sensitivity", NonEmpty(Enum(SensitivityNames()))),
                 Opt("responsible_unit", String(kMaxShortText)), Opt("deliverer", Deliverers()),
                 Opt("benefits", Array(Ref("GrantedBenefitInput"), kMaxBenefits)),
                 Opt("payments", Array(Ref("PaymentInput"), kMaxPayments)), Opt("version", Version())},
                /*closed=*/false);
}

Json ContributionInput() {  // contribution_routes.cc ReceiveContribution
  return Object({Req("id", SafeId()), Req("municipality", Code()),
                 Req("cpr", Described(Text(11), "DDMMYYSSSS or DDMMYY-SSSS")),
                 Req("item_kind", NonEmpty(Enum(ContributionItemKinds()))), Req("item_id", Text(kMaxId)),
                 Opt("field", Described(String(64), "the field the contribution is about")),
                 Req("kind", NonEmpty(Enum(ContributionKinds()))),
                 Req("text", NonEmpty(Pattern("[^ \\t\\r\\n]", "field.required", kMaxContributionText)))});
}

Json ContributionChange() {  // AnswerContribution
  return Object({Req("status", NonEmpty(Enum(ContributionStatuses()))),
                 Opt("reply", String(kMaxContributionText))});
}

// ---- Answers: every field the handlers write, closed.

Json StatusPeriodSchema() {  // core/case.cc WritePeriod
  return Object({Req("status", Enum(CaseStatusNames())), Req("from", IsoDate()), Opt("to", IsoDate()),
                 Opt("reopened", Described(Boolean(), "written only when true"))});
}

Json DocumentSchema() {  // WriteDocument
  return Object({Req("id", Text(kMaxId)), Req("title", Text(kMaxTitle)), Req("letter_date", IsoDate()),
                 Req("type", Enum(DocumentTypeNames())), Req("status", Enum(DocumentStatusNames()))});
}

// WriteCase's fields; the owner's view adds documents and the caseworker, the index view
// has documents only where the owning municipality shows their titles.
std::vector<Property> CaseFields() {
  return {Req("id", Text(kMaxId)), Req("municipality", Code()), Req("case_number", Text(kMaxCaseNumber)),
          Req("title", Text(kMaxTitle)), Req("description", String(kMaxDescription)),
          Req("legal_basis", String(kMaxShortText)), Req("sensitivity", Enum(SensitivityNames())),
          Req("local_status", String(kMaxShortText)),
          Req("status_history", Array(Ref("StatusPeriod"), kMaxHistory, 1)),
          Req("kle", Object({Req("subject", Text(kMaxKleCode)), Req("facet", Text(kMaxKleFacet))})),
          Opt("responsible_unit", String(kMaxShortText)), Req("primary_party", Text(kMaxPartyUrn)),
          Opt("deliverer", Deliverers()),
          Opt("decision", Object({Req("outcome", Enum(DecisionOutcomeNames())), Req("date", IsoDate())})),
          Req("version", Version())};
}

Json CaseSchema() {
  auto fields = CaseFields();
  fields.push_back(Req("documents", Array(Ref("Document"), kMaxDocuments)));
  fields.push_back(Opt("caseworker", Described(String(kMaxShortText), "never shown to citizens")));
  return Described(Object(fields), "A case as its owner pushed it: with documents and caseworker");
}

Json IndexCaseSchema() {
  auto fields = CaseFields();
  fields.push_back(Opt("documents", Described(Array(Ref("Document"), kMaxDocuments),
                                              "only where the owning municipality shows document titles")));
  return Described(Object(fields), "A case as the index shows it to borger.dk: never the caseworker");
}

Json PaymentSchema() {  // core/benefit.cc WritePayment
  return Object({Req("id", Text(kMaxId)), Req("benefit_id", Text(kMaxId)),
                 Req("period", Object({Req("start", IsoDate()), Req("end", IsoDate())})), Req("gross", Amount()),
                 Req("after_tax", Amount()), Req("sent", Amount()), Req("paid", Amount()),
                 Req("disposition_date", IsoDate())});
}

Json PaymentPlanSchema() {  // WriteBenefit's plan
  return Object({Req("start", IsoDate()), Opt("end", IsoDate()), Req("frequency", Enum(FrequencyNames())),
                 Req("timing", Enum(TimingNames())), Req("disposition", String(kMaxShortText)),
                 Req("amount", Amount())});
}

Json GrantedBenefitSchema() {  // WriteBenefit
  return Object({Req("id", Text(kMaxId)), Req("name", Text(kMaxShortText)), Req("kle", Text(kMaxKleCode)),
                 Req("reason", String(kMaxShortText)), Req("start", IsoDate()), Opt("end", IsoDate()),
                 Req("repayable", Boolean()), Opt("plan", Ref("PaymentPlan"))});
}

Json GrantSchema() {  // WriteGrant
  return Object({Req("id", Text(kMaxId)), Req("municipality", Code()), Opt("case_id", String(kMaxId)),
                 Req("recipient", Text(kMaxPartyUrn)),
                 Req("period", Object({Opt("start", IsoDate()), Opt("end", IsoDate())})),
                 Req("reason", String(kMaxShortText)), Req("sensitivity", Enum(SensitivityNames())),
                 Opt("responsible_unit", String(kMaxShortText)), Opt("deliverer", Deliverers()),
                 Req("benefits", Array(Ref("GrantedBenefit"), kMaxBenefits)),
                 Req("payments", Array(Ref("Payment"), kMaxPayments)), Req("version", Version())});
}

// helpers.cc ListJson: a page of `item` by limit and offset; next_offset null at the end.
Json Page(const std::string& item) {
  return Object({Req("items", Array(Ref(item), kMaxPage)), Req("limit", Integer(1, kMaxPage)),
                 Req("offset", Count()), Opt("next_offset", Integer(1, kMaxInt))});
}

std::vector<Property> CitizenFields() {  // index_routes.cc CitizenJson
  return {Req("cpr", CprSchema()), Req("municipality", Code()), Req("first_name", String(255)),
          Req("last_name", String(255)), Req("birth_date", IsoDate()), Req("sex", Enum({"M", "K"})),
          Opt("mother", CprSchema()), Opt("father", CprSchema())};
}

Json CitizenRecordSchema() {
  auto fields = CitizenFields();
  fields.push_back(Req("children", List(Ref("Citizen"))));
  return Object(fields);
}

Json FaultRuleSchema() {  // net/faults.cc FaultInjector::Describe
  const Json ms = Number(0, 600000);
  return Object(
      {Req("id", String(32)), Req("route", Text(200)), Opt("method", AnyString()),
       Opt("latency", OneOf({Object({Req("min_ms", ms), Req("max_ms", ms)}),
                             Object({Req("mean_ms", ms), Req("distribution", Enum({"exponential"}))})})),
       Req("error_rate", Number(0, 1)), Req("error_status", Integer(400, 599)), Req("drop_rate", Number(0, 1)),
       Req("outage", Boolean()),
       Opt("window", Object({Opt("start_s", Number(0, 1e7)), Opt("end_s", Number(0, 1e7))})),
       Req("age_s", Described(AnyNumber(), "seconds since the rule was added")), Req("matched", Count()),
       Req("delayed", Count()), Req("errored", Count()), Req("dropped", Count())});
}

}  // namespace

nlohmann::json KombitSchemas() {
  return {
      // Request bodies.
      {"CaseInput", Described(CaseInput(), "A case with its full status history (PUT …/cases/{id})")},
      {"StatusPeriodInput", StatusPeriodInput()},
      {"DocumentInput", DocumentInput()},
      {"StatusChange", StatusChange()},
      {"GrantInput", Described(GrantInput(), "A grant with its granted benefits and payments (PUT …/grants/{id})")},
      {"GrantedBenefitInput", GrantedBenefitInput()},
      {"PaymentInput", PaymentInput()},
      {"ContributionInput", ContributionInput()},
      {"ContributionChange", ContributionChange()},
      {"FaultRuleInput", net::FaultInjector::RuleSchema()},
      {"FaultRuleList", Described(List(Ref("FaultRuleInput")), "every rule at once; [] removes them all")},
      // Cases and grants.
      {"StatusPeriod", StatusPeriodSchema()},
      {"Document", DocumentSchema()},
      {"Case", CaseSchema()},
      {"IndexCase", IndexCaseSchema()},
      {"CaseList", Page("Case")},
      {"IndexCaseList", Page("IndexCase")},
      {"Payment", PaymentSchema()},
      {"PaymentPlan", PaymentPlanSchema()},
      {"GrantedBenefit", GrantedBenefitSchema()},
      {"Grant", GrantSchema()},
      {"GrantList", Page("Grant")},
      // Municipalities and citizens.
      {"Municipality", Object({Req("code", Code()), Req("name", String(255)), Req("population", Count()),
                               Req("show_document_titles", Boolean())})},
      {"MunicipalityList", Object({Req("items", List(Ref("Municipality")))})},
      {"Citizen", Object(CitizenFields())},
      {"CitizenRecord", Described(CitizenRecordSchema(), "A citizen with the children they have custody of")},
      {"CitizenPage", Page("Citizen")},
      {"CitizenKeysetPage", Object({Req("items", Array(Ref("Citizen"), kMaxPage)), Req("limit", Integer(1, kMaxPage)),
                                    Opt("next_after", Described(CprSchema(), "the next page: after=this; null at the end"))})},
      {"CitizenList", Described(OneOf({Ref("CitizenPage"), Ref("CitizenKeysetPage")}),
                                "by offset, or with after= by CPR (keyset)")},
      {"Overview", Object({Req("cpr", CprSchema()), Req("cases", Ref("IndexCaseList")), Req("grants", Ref("GrantList"))})},
      {"Change", Object({Req("seq", Integer(1, kMaxInt)), Req("cpr", CprSchema()), Req("item_kind", Enum({"case", "grant"})),
                         Req("municipality", Code()), Req("item_id", Text(kMaxId)), Req("at", DateTime())})},
      {"ChangeFeed",
       Object({Req("feed", Described(String(64), "names this database's feed: seqs of another feed mean nothing here")),
               Req("items", Array(Ref("Change"), kMaxFeedPage)),
               Req("next_after", Described(Count(), "send as after= next time")), Req("last_seq", Count())})},
      // The integration API's answers.
      {"WriteResult", Described(Object({Req("id", Text(kMaxId)), Req("municipality", Code()),
                                        Req("version", Integer(1, kMaxInt)), Req("warnings", Violations())}),
                                "The item was stored at this version; what it should still fix")},
      {"BulkLineResult", Object({Req("line", Integer(1, kMaxInt)), Opt("id", String(kMaxId)),
                                 Req("status", Integer(100, 599)), Opt("replayed", Boolean()),
                                 Opt("warnings", Violations()), Opt("errors", Violations())})},
      {"BulkReport", Described(Object({Req("lines", Count()), Req("accepted", Count()), Req("replayed", Count()),
                                       Req("rejected", Count()), Req("results", List(Ref("BulkLineResult")))}),
                               "Counts, and the lines that were refused or warned")},
      {"LogEntry", Object({Req("id", Integer(1, kMaxInt)), Req("ts", DateTime()), Req("request_id", AnyString()),
                           Req("method", AnyString()), Req("path", AnyString()), Req("status", Integer(0, 599)),
                           Req("replayed", Boolean()), Opt("item_kind", Enum({"case", "grant", "contribution"})),
                           Opt("item_id", String(kMaxId)), Opt("idempotency_key", AnyString()),
                           Req("errors", Violations()), Req("warnings", Violations())})},
      {"IntegrationLog", Object({Req("items", Array(Ref("LogEntry"), kMaxFeedPage)),
                                 Req("next_after", Described(Integer(), "send as after= next time"))})},
      // Contributions.
      {"ContributionEvent", Object({Req("status", Enum(ContributionStatuses())), Req("at", DateTime()),
                                    Opt("reply", String(kMaxContributionText))})},
      {"Contribution",
       Object({Req("id", SafeId()), Req("municipality", Code()), Req("cpr", CprSchema()),
               Req("item_kind", Enum(ContributionItemKinds())), Req("item_id", Text(kMaxId)),
               Opt("field", String(64)), Req("kind", Enum(ContributionKinds())),
               Req("text", Text(kMaxContributionText)), Req("status", Enum(ContributionStatuses())),
               Opt("reply", String(kMaxContributionText)), Req("created", DateTime()), Req("updated", DateTime()),
               Req("version", Integer(1, kMaxInt)), Req("history", List(Ref("ContributionEvent")))})},
      {"ContributionList", Page("Contribution")},
      // Admin.
      {"FaultRule", FaultRuleSchema()},
      {"FaultRules", Object({Req("rules", List(Ref("FaultRule")))})},
      {"FaultAdded", Object({Req("id", String(32)), Req("rules", List(Ref("FaultRule")))})},
      {"KombitStats", Object({Req("citizens", Count()), Req("cases", Count()), Req("grants", Count()),
                              Req("contributions", Count()), Req("integration_log", Count()),
                              Req("defects", Count()), Req("requests", Count())})},
  };
}

}  // namespace adda::kombit
