// borger.dk's contract: the named schemas of its bodies. A request body is held to its
// schema before the handler decodes it (Request::Json); every answer is held to its
// schema in the tests (ServiceOptions::check_answers) and by Prism in `make lint`.
#include "borger/schemas.h"

#include "core/json_schema.h"

namespace adda::borger {
namespace {

using namespace adda::schema;  // NOLINT: the builders are the vocabulary of this file

// What IsSafeId accepts: an id a client may choose or send in a path.
Json SafeId() { return Pattern("^[A-Za-z0-9._-]+$", "field.id", 64); }
Json Cpr() { return Pattern("^[0-9]{10}$", "request.bad_cpr", 10); }
Json Municipality() { return Integer(100, 999); }
Json Notices() { return Array(Ref("Notice"), 100); }

Json Notice() { return Object({Req("kind", String()), Req("text", String())}); }

Json Unit() { return Object({Req("name", Nullable(String())), Req("text", String())}); }
Json Deliverer() { return Object({Req("code", Enum({"municipality", "udbetaling_danmark"})), Req("text", String())}); }
Json Period() { return Object({Req("start", Nullable(Date())), Req("end", Nullable(Date()))}); }

// A case as the citizen reads it (core/explain.cc ExplainCase): the overview shows its
// summary, the item page adds the timeline and documents.
Json ExplainedCase() {
  return Object({
      Req("kind", Enum({"case"})),
      Req("municipality", Municipality()),
      Req("municipality_name", String()),
      Req("id", String()),
      Req("case_number", String()),
      Req("open", Boolean()),
      Req("opened", Date()),
      Req("last_change", Date()),
      Opt("original_title", String()),
      Req("title", String()),
      Req("subject", Object({Req("code", String()), Req("title", Nullable(String())), Req("means", String())})),
      Req("area", Nullable(Object({Req("code", String()), Req("title", String()), Req("means", String()),
                                   Req("next", String()), Req("you_can", String())}))),
      Req("status", Object({Req("code", String()), Req("since", Date()), Req("local_status", String()),
                            Opt("label", String()), Opt("means", String()), Opt("next", String()),
                            Opt("you_can", String()),
                            Opt("expected_next", Object({Req("from", Date()), Req("to", Date()), Req("text", String())}))})),
      Req("decision", Nullable(Object({Req("outcome", String()), Req("date", Date()), Req("text", String())}))),
      Req("unit", Unit()),
      Req("deliverer", Deliverer()),
      Opt("timeline", Array(Object({Req("status", String()), Req("label", String()), Req("from", Date()),
                                    Req("to", Nullable(Date()))}),
                            1000)),
      Opt("documents", Array(Object({Req("title", String()), Req("date", Date()), Req("date_text", String()),
                                     Req("type", String())}),
                             1000)),
      Opt("documents_note", String()),
      Req("notices", Notices()),
      Opt("would_confuse", Array(String(), 100)),
      Opt("href", Described(String(), "the item's own page in this API")),
      Opt("stale", Described(Boolean(), "true: KOMBIT did not answer; this is the copy last read")),
  });
}

Json Payment() {
  return Object({Req("period", Object({Req("start", Date()), Req("end", Date())})),
                 Req("disposition_date", Date()), Req("disposition_text", String()),
                 Req("gross", Number(-1e12, 1e12)), Req("gross_text", String()),
                 Req("after_tax", Number(-1e12, 1e12)), Req("after_tax_text", String()),
                 Req("paid", Number(-1e12, 1e12)), Req("paid_text", String())});
}

// A grant and its benefits as the citizen reads them (ExplainGrant).
Json ExplainedGrant() {
  const Json plan = Object({Req("frequency", String()), Req("timing", String()), Req("disposition", String()),
                            Req("amount", Number(-1e12, 1e12)), Req("amount_text", String())});
  const Json benefit = Object({Req("name", String()), Req("kle", String()), Req("start", Date()),
                               Req("end", Nullable(Date())), Req("repayable", Boolean()), Opt("plan", plan)});
  return Object({
      Req("kind", Enum({"grant"})),
      Req("municipality", Municipality()),
      Req("municipality_name", String()),
      Req("id", String()),
      Req("title", String()),
      Req("reason", String()),
      Req("open", Boolean()),
      Req("last_change", Date()),
      Req("period", Period()),
      Req("benefits", Array(benefit, 1000)),
      Opt("payments", Object({Req("past", Array(Ref("Payment"), 100000)), Req("planned", Array(Ref("Payment"), 100000))})),
      Opt("last_payment", Ref("Payment")),
      Opt("next_payment", Ref("Payment")),
      Req("case_id", Nullable(String())),
      Req("unit", Unit()),
      Req("deliverer", Deliverer()),
      Req("notices", Notices()),
      Opt("would_confuse", Array(String(), 100)),
      Opt("href", Described(String(), "the item's own page in this API")),
      Opt("stale", Described(Boolean(), "true: KOMBIT did not answer; this is the copy last read")),
  });
}

Json Items() { return Array(Tagged("kind", {{"case", "ExplainedCase"}, {"grant", "ExplainedGrant"}}), 100000); }

Json AccessEntry() {
  return Object({Req("seq", Integer(1, INT64_MAX)), Req("ts", DateTime()), Opt("citizen", Cpr()),
                 Req("actor", String()), Req("actor_kind", Enum({"citizen", "parent", "proxy", "share", "municipality"})),
                 Req("purpose", String()), Req("what", String()), Req("request_id", String()),
                 Req("item_kind", Nullable(Enum({"case", "grant"}))), Req("item_id", Nullable(String())),
                 Req("municipality", Nullable(Municipality()))});
}

Json Contribution() {
  return Object({Req("id", String()), Req("municipality", Municipality()), Req("item_kind", Enum({"case", "grant"})),
                 Req("item_id", String()), Req("field", Nullable(String())), Req("kind", Enum({"note", "correction"})),
                 Req("text", String()), Req("status", String()), Req("forwarded", Boolean()),
                 Req("reply", Nullable(String())), Req("created", DateTime()), Req("updated", DateTime()),
                 Req("client_id", Nullable(String()))});
}

Json ShareItem() {
  return Object({Req("kind", Enum({"case", "grant"})), Req("municipality", Municipality()), Req("id", SafeId())});
}

// A share as its owner sees it; `with_link` adds the token and link, shown once.
Json Share(bool with_link) {
  std::vector<Property> p = {
      Req("id", String()), Req("recipient", String()), Req("purpose", String()),
      Req("scope", Object({Req("all", Boolean()), Opt("items", Array(Ref("ShareItem"), 200))})),
      Req("created", DateTime()), Req("expires_at", DateTime()), Req("revoked", Nullable(DateTime())),
      Req("active", Boolean()), Req("receipt", Ref("ConsentReceipt"))};
  if (with_link) {
    p.push_back(Req("token", Pattern("^[0-9a-f]{64}$", "field.pattern", 64)));
    p.push_back(Req("link", String()));
  }
  return Object(p);
}

Json Proxy() {
  return Object({Req("id", String()), Req("grantor", Cpr()), Req("grantee", Cpr()), Req("areas", Array(String(), 100)),
                 Req("created", DateTime()), Req("expires_at", DateTime()), Req("revoked", Nullable(DateTime())),
                 Req("active", Boolean()), Req("receipt", Ref("ConsentReceipt"))});
}

// Kantara's consent receipt, as adda writes it for a share or a power of attorney.
Json ConsentReceipt() {
  return Object({Req("receipt_id", String()), Req("version", Enum({"adda-consent-1"})),
                 Req("consent_given_at", DateTime()), Req("data_subject", Cpr()), Req("given_to", String()),
                 Opt("controller", String()), Req("purposes", Array(String(), 10)),
                 Req("data", Map(Json::object())), Req("access", String()), Req("expires_at", DateTime()),
                 Req("how_it_ends", String())});
}

}  // namespace

nlohmann::json BorgerSchemas() {
  const Json person = Object({Req("cpr", Cpr()), Req("name", String()), Req("birth_date", Date())});
  return {
      // What callers send.
      {"LoginIn", Object({Req("cpr", Text(11)), Req("password", Text(200))})},
      {"ContributionIn",
       Object({Req("municipality", Municipality()), Req("item_kind", Enum({"case", "grant"})),
               Req("item_id", SafeId()), Opt("field", String(64)), Req("kind", Enum({"note", "correction"})),
               Req("text", Described(Text(2000), "what is wrong or missing (not only spaces)")),
               Opt("id", Described(SafeId(), "your own id for it: a resend with the same id is not stored twice"))})},
      {"ShareIn",
       Object({Req("recipient", Text(200)), Req("purpose", Text(500)),
               Req("scope", OneOf({Enum({"all"}), Array(Ref("ShareItem"), 200, 1)})),
               Req("expires_days", Integer(1, 90))})},
      {"ProxyIn",
       Object({Req("grantee", Described(Text(11), "the CPR number of whom you give it to")),
               Req("areas", Described(Array(Pattern("^[0-9]{2}$", "field.enum", 2), 100, 1),
                                      "KLE main groups, e.g. [\"32\", \"27\"]")),
               Req("expires_days", Integer(1, 366))})},
      {"FeedbackIn",
       Described(Object({Req("origin", Enum({"simulated", "observed"})), Opt("rating", Integer(1, 5)),
                         Opt("sus", Described(Array(Integer(1, 5), 10, 10), "the ten SUS answers, each 1-5")),
                         Opt("text", String(2000)), Opt("page", String(200)), Opt("journey", String(100)),
                         Opt("step", String(100)), Opt("run_id", String(100)), Opt("persona", String(100)),
                         Opt("context", Described(Map(Json::object()), "any object, at most 8 KB as JSON"))}),
                 "at least one of rating, sus and text")},
      // What it answers.
      {"Notice", Notice()},
      {"Payment", Payment()},
      {"ExplainedCase", ExplainedCase()},
      {"ExplainedGrant", ExplainedGrant()},
      {"AccessEntry", AccessEntry()},
      {"Contribution", Contribution()},
      {"ShareItem", ShareItem()},
      {"Share", Share(false)},
      {"NewShare", Share(true)},
      {"Proxy", Proxy()},
      {"ConsentReceipt", ConsentReceipt()},
      {"TestUsers",
       Object({Req("items", Array(Object({Req("cpr", Cpr()), Req("name", String()), Req("birth_date", Date()),
                                          Req("password", String())}),
                                  500)),
               Opt("next_after", Cpr()), Opt("next_offset", Integer(0, INT64_MAX))})},
      {"Session",
       Object({Req("token", String()), Req("session_id", String()), Req("expires_at", DateTime()),
               Req("loa", Enum({"substantial"})), Req("name", String())})},
      {"Me",
       Object({Req("cpr", Cpr()), Req("name", String()), Req("municipality", Municipality()),
               Req("children", Array(person, 100)),
               Req("powers_of_attorney_held",
                   Array(Object({Req("id", String()), Req("grantor", Cpr()), Req("areas", Array(String(), 100)),
                                 Req("expires_at", DateTime())}),
                         1000))})},
      {"Overview",
       Object({Req("acting_as", Enum({"citizen", "parent", "proxy"})),
               Req("counts", Object({Req("items", Integer(0, INT64_MAX)), Req("open", Integer(0, INT64_MAX))})),
               Req("fetched_at", Described(String(), "when KOMBIT last answered for these items (RFC 3339)")),
               Req("items", Items()), Req("notices", Notices()), Req("stale", Boolean()), Req("subject", Cpr())})},
      {"Export",
       Object({Req("exported_at", DateTime()), Req("subject", Cpr()), Req("stale", Boolean()), Req("items", Items()),
               Req("contributions",
                   Array(Object({Req("id", String()), Req("municipality", Municipality()),
                                 Req("item_kind", Enum({"case", "grant"})), Req("item_id", String()),
                                 Req("kind", Enum({"note", "correction"})), Req("text", String()),
                                 Req("status", String()), Req("reply", Nullable(String())), Req("created", DateTime())}),
                         100000)),
               Req("access_log", Array(Ref("AccessEntry"), 100000))})},
      {"AccessLogPage", Object({Req("items", Array(Ref("AccessEntry"), 1000)), Req("next_after", Integer(0, INT64_MAX))})},
      {"Contributions", Object({Req("items", Array(Ref("Contribution"), 100000))})},
      {"Shares", Object({Req("items", Array(Ref("Share"), 100000))})},
      {"SharedOverview",
       Object({Req("shared_by", String()), Req("purpose", String()), Req("expires_at", DateTime()),
               Req("notices", Notices()), Req("items", Items())})},
      {"Proxies", Object({Req("given", Array(Ref("Proxy"), 100000)), Req("held", Array(Ref("Proxy"), 100000))})},
      {"FeedbackReceipt",
       Object({Req("id", Integer(1, INT64_MAX)), Req("origin", Enum({"simulated", "observed"})), Req("ts", DateTime()),
               Opt("sus_score", Number(0, 100))})},
      {"BorgerStats",
       Object({Req("sessions", Integer(0, INT64_MAX)), Req("access_log", Integer(0, INT64_MAX)),
               Req("contributions", Integer(0, INT64_MAX)), Req("contributions_pending", Integer(0, INT64_MAX)),
               Req("shares", Integer(0, INT64_MAX)), Req("proxies", Integer(0, INT64_MAX)),
               Req("feedback", Integer(0, INT64_MAX)), Req("kombit_breaker", Enum({"closed", "open", "half_open"}))})},
      {"Preview",
       Object({Req("subject", Cpr()), Req("municipality", Municipality()), Req("purpose", String()),
               Req("stale", Boolean()), Req("notices", Notices()),
               Req("counts", Object({Req("items", Integer(0, INT64_MAX)), Req("flagged", Integer(0, INT64_MAX))})),
               Req("flags", Map(Integer(1, INT64_MAX))), Req("items", Items())})},
  };
}

}  // namespace adda::borger
