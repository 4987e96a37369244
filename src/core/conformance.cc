#include "core/conformance.h"

#include <algorithm>
#include <map>
#include <set>
#include <utility>

#include "core/cpr.h"
#include "core/fixtures.h"
#include "core/validation.h"

namespace adda::conformance {
namespace {

constexpr Severity B = Severity::kBlocker;
constexpr Severity W = Severity::kWarning;
constexpr Severity A = Severity::kAdvice;

constexpr char kStructure[] = "Structure of a record";
constexpr char kCases[] = "Cases";
constexpr char kParties[] = "Parties and CPR numbers";
constexpr char kHistory[] = "Status history";
constexpr char kGrants[] = "Grants, benefits and payments";
constexpr char kIndex[] = "The index as a whole";
constexpr char kCalls[] = "The calls themselves";
constexpr char kRefused[] = "Refused by the integration API";

constexpr char kRuleKeyless[] = "call.idempotent_retries";
constexpr char kRuleStorm[] = "call.no_4xx_storm";

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

std::string Str(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : "";
}

std::vector<Violation> ViolationsFrom(const nlohmann::json& j) {
  std::vector<Violation> out;
  if (!j.is_array()) return out;
  for (const auto& v : j)
    if (v.is_object()) out.push_back({Str(v, "rule"), Str(v, "field"), Str(v, "message")});
  return out;
}

// The masked CPR of a party URN; the masked text itself when it is not a URN.
std::string MaskedParty(const std::string& urn) {
  if (auto digits = CprDigitsFromUrn(urn)) return MaskCprs(*digits);
  return MaskCprs(urn.substr(0, 40));
}

Finding Make(const std::string& rule, const std::string& kind, const std::string& id,
             const std::string& field, const std::string& message, const std::string& party,
             const char* source) {
  return {rule, kind, MaskCprs(id), MaskCprs(field), MaskCprs(message), party, source, 0, 0};
}

Finding FromLog(const std::string& rule, const LogEntry& e, const std::string& field,
                const std::string& message, const std::string& party, const char* source) {
  const std::string kind = e.item_kind.empty() ? "call" : e.item_kind;
  const std::string id = e.item_id.empty() ? e.request_id : e.item_id;
  Finding f = Make(rule, kind, id, field, message, party, source);
  f.log_id = e.id;
  f.status = e.status;
  return f;
}

bool Refused(const LogEntry& e) { return e.status >= 400 && e.status < 500; }

void AddReport(const ValidationReport& r, const std::string& kind, const std::string& id,
               const std::string& party, std::vector<Finding>* out) {
  for (const auto* list : {&r.errors, &r.warnings})
    for (const auto& v : *list)
      out->push_back(Make(v.rule, kind, id, v.field, v.message, party, "stored"));
}

void AddStored(const Data& data, const Context& ctx, std::vector<Finding>* out) {
  const ValidationContext v{&ctx.kle, &ctx.jargon, ctx.today, true, ctx.municipality};
  out->insert(out->end(), data.undecodable.begin(), data.undecodable.end());
  for (const auto& c : data.cases)
    AddReport(ValidateCase(c, v), "case", c.id, MaskedParty(c.primary_party), out);
  for (const auto& g : data.grants)
    AddReport(ValidateGrant(g, v), "grant", g.id, MaskedParty(g.recipient), out);
}

// Every case but the first (by id) of a case number used more than once.
void AddCaseNumberClashes(const std::vector<Case>& cases, std::vector<Finding>* out) {
  std::map<std::string, std::vector<const Case*>> by_number;
  for (const auto& c : cases) by_number[c.case_number].push_back(&c);
  for (auto& [number, group] : by_number) {
    std::sort(group.begin(), group.end(),
              [](const Case* a, const Case* b) { return a->id < b->id; });
    for (size_t i = 1; i < group.size(); ++i)
      out->push_back(Make("case_number.unique", "case", group[i]->id, "case_number",
                          "case number " + number + " is also used by case " + group[0]->id,
                          MaskedParty(group[i]->primary_party), "stored"));
  }
}

void AddBrokenCaseLinks(const Data& data, std::vector<Finding>* out) {
  std::set<std::string> case_ids;
  for (const auto& c : data.cases) case_ids.insert(c.id);
  for (const auto& g : data.grants)
    if (g.case_id && !case_ids.count(*g.case_id))
      out->push_back(Make("grant.case_link", "grant", g.id, "case_id",
                          "case " + *g.case_id + " is not among the stored cases",
                          MaskedParty(g.recipient), "stored"));
}

// "case:ID" -> the stored record's masked party, to show beside a refusal.
std::map<std::string, std::string> Parties(const Data& data) {
  std::map<std::string, std::string> out;
  for (const auto& c : data.cases) out["case:" + c.id] = MaskedParty(c.primary_party);
  for (const auto& g : data.grants) out["grant:" + g.id] = MaskedParty(g.recipient);
  return out;
}

void AddRefusal(const LogEntry& e, const std::string& party, std::vector<Finding>* out) {
  if (e.errors.empty())
    out->push_back(
        FromLog("http." + std::to_string(e.status), e, "", "refused", party, "rejected"));
  for (const auto& v : e.errors)
    out->push_back(FromLog(v.rule, e, v.field, v.message, party, "rejected"));
}

// Entries whose item's latest write (5xx aside) was refused, and refusals without an item.
std::vector<const LogEntry*> OpenRefusals(const std::vector<LogEntry>& log) {
  std::vector<const LogEntry*> open;
  std::map<std::string, const LogEntry*> latest;
  for (const auto& e : log) {
    if (e.status >= 500) continue;  // the service's trouble: neither refuses nor resolves
    if (!e.item_id.empty()) {
      const LogEntry*& slot = latest[e.item_kind + ":" + e.item_id];
      if (!slot || slot->id < e.id) slot = &e;
    } else if (Refused(e)) {
      open.push_back(&e);
    }
  }
  for (const auto& [key, e] : latest)
    if (Refused(*e)) open.push_back(e);
  std::sort(open.begin(), open.end(),
            [](const LogEntry* a, const LogEntry* b) { return a->id < b->id; });
  return open;
}

// Writes of an item without a key. A bulk line KOMBIT could not parse is logged without
// item and key whatever it held, so it is judged by its refusal alone.
void AddKeylessWrites(const std::vector<LogEntry>& log, std::vector<Finding>* out) {
  for (const auto& e : log)
    if (e.idempotency_key.empty() && !e.item_id.empty())
      out->push_back(FromLog(kRuleKeyless, e, "Idempotency-Key",
                             e.method + " " + e.path + " was sent without an Idempotency-Key", "",
                             "log"));
}

std::string RuleList(const std::vector<Violation>& errors) {
  std::set<std::string> rules;
  for (const auto& v : errors) rules.insert(v.rule);
  std::string out;
  for (const auto& r : rules) out += (out.empty() ? "" : ", ") + r;
  return out.empty() ? "no rule named" : out;
}

// The same key, path and refusal more than once: a 4xx sent again unchanged.
void AddUnchangedRetries(const std::vector<LogEntry>& log, std::vector<Finding>* out) {
  std::map<std::string, std::vector<const LogEntry*>> groups;
  for (const auto& e : log)
    if (Refused(e) && !e.idempotency_key.empty())
      groups[e.idempotency_key + "\n" + e.path + "\n" + RuleList(e.errors)].push_back(&e);
  for (const auto& [key, g] : groups) {
    if (g.size() < 2) continue;
    const LogEntry& last = *g.back();
    out->push_back(FromLog(kRuleStorm, last, "Idempotency-Key",
                           "refused " + std::to_string(g.size()) +
                               " times with the same key and the same answer (" +
                               RuleList(last.errors) + "): fix the record before sending it again",
                           "", "log"));
  }
}

std::string MostCommon(const std::map<std::string, int>& by_rule) {
  std::vector<std::pair<int, std::string>> v;
  for (const auto& [rule, n] : by_rule) v.push_back({-n, rule});
  std::sort(v.begin(), v.end());
  std::string out;
  for (size_t i = 0; i < v.size() && i < 3; ++i)
    out += (i ? ", " : "") + v[i].second + " \xC3\x97" + std::to_string(-v[i].first);
  return out;
}

void AddStorm(const std::vector<LogEntry>& log, const StormThresholds& t,
              std::vector<Finding>* out) {
  if (log.empty() || t.window < 1) return;
  const size_t n = std::min(log.size(), static_cast<size_t>(t.window));
  int refused = 0;
  std::map<std::string, int> by_rule;
  for (size_t i = log.size() - n; i < log.size(); ++i) {
    if (!Refused(log[i])) continue;
    ++refused;
    for (const auto& v : log[i].errors) ++by_rule[v.rule];
  }
  if (refused < t.min_rejected || refused <= t.share * static_cast<double>(n)) return;
  Finding f = FromLog(kRuleStorm, log.back(), "",
                      std::to_string(refused) + " of the last " + std::to_string(n) +
                          " writes were refused with a 4xx (" + MostCommon(by_rule) + ")",
                      "", "log");
  f.kind = "call";
  f.id = "last " + std::to_string(n) + " writes";
  out->push_back(f);
}

RuleResult FromRule(const Rule& r) {
  return {r.id, r.severity, r.group, r.checks, r.fix, r.implemented, 0, {}};
}

RuleResult Extra(const std::string& id) {
  return {id,
          Severity::kBlocker,
          kRefused,
          "a write was refused with this error code, which is not a rule of the catalogue",
          "read the message of the refusal; docs/kombit.md lists every error code",
          true,
          0,
          {}};
}

}  // namespace

const char* ToString(Severity s) {
  switch (s) {
    case Severity::kBlocker:
      return "blocker";
    case Severity::kWarning:
      return "warning";
    case Severity::kAdvice:
      return "advice";
  }
  return "?";
}

const std::vector<Rule>& Catalogue() {
  // clang-format off
  static const std::vector<Rule> k = {
    {"field.required", B, kStructure, "a required field is missing, null or an empty string", "send the field; see the field tables in docs/domain.md", true},
    {"field.type", B, kStructure, "a field has the wrong JSON type", "send numbers as JSON numbers, dates as \"YYYY-MM-DD\" strings", true},
    {"field.length", B, kStructure, "a text or a list is longer than its limit", "shorten it; long case notes do not belong in the index", true},
    {"field.enum", B, kStructure, "a value outside its list (sensitivity, document type and status, outcome, deliverer…)", "map your system's codes to the listed values (docs/domain.md)", true},
    {"field.date", B, kStructure, "a date that is not a real YYYY-MM-DD date", "send ISO dates; check for 30 February", true},
    {"field.range", B, kStructure, "a number out of range: municipality not 100–999, an amount not finite or beyond ±10¹³ DKK", "send the three-digit municipality code; amounts in DKK", true},
    {"owner.municipality", B, kCases, "the record's municipality is not the one whose key and path are used", "push only your own items, with your own code in the body", true},
    {"field.id", B, kCases, "an id is not 1–64 characters of A–Z a–z 0–9 . _ -, or the body's id differs from the path's", "use your system's UUIDs or other URL-safe keys", true},
    {"kle.subject_format", B, kCases, "a KLE subject is not NN.NN.NN", "send the full three-level KLE number", true},
    {"kle.subject_known", W, kCases, "a well-formed KLE subject that is not in the catalogue", "use the current KLE number for the subject", true},
    {"kle.facet_format", B, kCases, "the action facet is not a letter and two digits", "send the facet, e.g. G01, P15, Ø30", true},
    {"kle.facet_known", W, kCases, "a well-formed facet that is not in the catalogue", "use a KLE action facet", true},
    {"title.no_jargon", W, kCases, "the title contains internal jargon (vedr., jf., §, SEL…)", "write titles a citizen understands: \"Hjælp til rengøring\"", true},
    {"date.not_future", B, kCases, "a status period, decision or letter is dated after today (the simulated clock)", "send dates that have happened; planned dates do not belong in the history", true},
    {"document.unique_id", B, kCases, "the same document id twice in one case", "give each document its own id", true},
    {"unit.set", W, kCases, "no responsible unit: the citizen cannot see whom to contact", "send the unit that handles the case", true},
    {"deliverer.set", W, kCases, "no deliverer: the citizen cannot see who is responsible", "send municipality or udbetaling_danmark", true},
    {"party.cpr_urn", B, kParties, "the party is not urn:oio:cpr-nr: followed by ten digits", "send the party as a CPR URN", true},
    {"party.cpr_format", B, kParties, "the ten digits are not a CPR number", "check the number; substitute numbers have day + 60", true},
    {"party.cpr_substitute", W, kParties, "in a test environment, the CPR is not a substitute number (day + 60)", "use substitute numbers in every test load", true},
    {"status.starts_opstaaet", B, kHistory, "the history is empty or does not start with Opstaaet", "send the whole history from the case's creation", true},
    {"status.ordered", B, kHistory, "a period ends before it starts, or starts before the period before it", "send periods in time order", true},
    {"status.single_open", B, kHistory, "a period other than the last has no end", "close every period but the last; its end is the next one's start", true},
    {"status.no_overlap", B, kHistory, "a period ends after the next one starts", "end each period on the day the next one starts", true},
    {"status.no_gap", W, kHistory, "a period ends before the next one starts", "end each period on the day the next one starts", true},
    {"status.no_backwards", B, kHistory, "a status moves backwards without \"reopened\": true", "mark a genoptagelse with \"reopened\": true", true},
    {"status.stale", W, kHistory, "still Opstaaet or Oplyst with no status change for more than 365 days", "send the status changes as they happen, or close the case", true},
    {"grant.period", W, kGrants, "the grant has no period start", "send the grant period", true},
    {"grant.period_order", B, kGrants, "the grant period or a granted benefit ends before it starts", "check start and end", true},
    {"benefit.unique_id", B, kGrants, "the same benefit id twice in one grant", "give each granted benefit its own id", true},
    {"payment.unique_id", B, kGrants, "the same payment id twice in one grant", "give each payment its own id", true},
    {"payment.benefit_link", B, kGrants, "a payment's benefit_id names no benefit of this grant", "send the benefit the payment belongs to in the same grant", true},
    {"payment.period_order", B, kGrants, "a payment's period ends before it starts", "check start and end", true},
    {"payment.amounts", B, kGrants, "a negative amount, or not gross ≥ after tax ≥ paid", "send gross before tax, after tax, and what was actually paid", true},
    {"payment.in_period", W, kGrants, "a payment's period lies outside the grant period", "fix the grant period or the payment period", true},
    {"payment.settled", W, kGrants, "the disposition date has passed, gross is above 0 and nothing is paid", "send paid once the payment has gone out", true},
    {"case_number.unique", B, kIndex, "the case number is used by another case of the same municipality", "send each case's own number; a replacement keeps its id", true},
    {"grant.case_link", B, kIndex, "the grant's case_id names no case of this municipality", "push the case before the grant (file order matters)", true},
    {"idempotency.key_reused", B, kCalls, "an Idempotency-Key already used for a different request", "derive the key from the record's content or version; never reuse it for a changed record", true},
    {"version.mismatch", B, kCalls, "a write with If-Match whose version is not the item's", "read the item's ETag and write with If-Match; resolve the conflict, then retry", true},
    {"version.exists", B, kCalls, "a create-only write (If-None-Match: *) of an item that exists", "replace existing items with If-Match instead", true},
    {"version.missing", B, kCalls, "a write with If-Match for an item that does not exist", "create the item first (PUT without If-Match)", true},
    {"call.idempotent_retries", W, kCalls, "writes sent without an Idempotency-Key", "send a key with every write and keep it across retries (adda push does both)", true},
    {"call.versions_respected", A, kCalls, "replacements sent without If-Match", "write with If-Match: \"<version>\" once an item exists", false},
    {"call.no_4xx_storm", W, kCalls, "a 4xx storm in the last writes, or a refused request sent again unchanged", "never retry a 4xx as it is; fix the record first (adda push does)", true},
    {"status.explained", A, kCalls, "a local_status text the citizen explanations do not cover", "keep local status texts short and plain, or map them to the catalogue", false},
  };
  // clang-format on
  return k;
}

const Rule* FindRule(std::string_view id) {
  for (const auto& r : Catalogue())
    if (id == r.id) return &r;
  return nullptr;
}

void from_json(const nlohmann::json& j, LogEntry& e) {
  if (!j.is_object()) return;
  auto num = [&](const char* key) {
    auto it = j.find(key);
    return it != j.end() && it->is_number_integer() ? it->get<int64_t>() : int64_t{0};
  };
  e.id = num("id");
  e.status = static_cast<int>(num("status"));
  e.ts = Str(j, "ts");
  e.request_id = Str(j, "request_id");
  e.method = Str(j, "method");
  e.path = Str(j, "path");
  e.item_kind = Str(j, "item_kind");
  e.item_id = Str(j, "item_id");
  e.idempotency_key = Str(j, "idempotency_key");
  const auto replayed = j.find("replayed");
  e.replayed = replayed != j.end() && replayed->is_boolean() && replayed->get<bool>();
  if (j.contains("errors")) e.errors = ViolationsFrom(j["errors"]);
  if (j.contains("warnings")) e.warnings = ViolationsFrom(j["warnings"]);
}

void to_json(nlohmann::json& j, const Finding& f) {
  j = {{"kind", f.kind},       {"id", f.id},       {"field", f.field},
       {"message", f.message}, {"party", f.party}, {"source", f.source}};
  if (f.log_id) j["log_id"] = f.log_id;
  if (f.status) j["status"] = f.status;
}

void AddStoredRecord(const nlohmann::json& record, const std::string& kind, Data* data) {
  std::vector<Violation> v;
  if (!record.is_object()) {
    data->undecodable.push_back(
        Make("field.type", kind, "", "", "the stored record is not a JSON object", "", "stored"));
    return;
  }
  const std::string id = Str(record, "id");
  if (kind == "case") {
    Case c = DecodeCase(record, &v);
    if (v.empty()) data->cases.push_back(std::move(c));
  } else {
    Grant g = DecodeGrant(record, &v);
    if (v.empty()) data->grants.push_back(std::move(g));
  }
  const std::string party =
      MaskedParty(Str(record, kind == "case" ? "primary_party" : "recipient"));
  for (const auto& x : v)
    data->undecodable.push_back(Make(x.rule, kind, id, x.field, x.message, party, "stored"));
}

Result<Context> EmbeddedContext(int municipality, Date today) {
  const auto kle_json = nlohmann::json::parse(EmbeddedFixture("kle"), nullptr, false);
  const auto expl = nlohmann::json::parse(EmbeddedFixture("explanations"), nullptr, false);
  if (kle_json.is_discarded() || !expl.is_object())
    return Status::Error("fixture.invalid",
                         "the embedded kle or explanations fixture is not JSON");
  auto kle = KleCatalogue::FromJson(kle_json);
  if (!kle.ok()) return kle.status();
  Context ctx;
  ctx.kle = std::move(*kle);
  for (const auto& t : expl.value("jargon", nlohmann::json::array()))
    if (t.is_string()) ctx.jargon.push_back(t.get<std::string>());
  ctx.today = today;
  ctx.municipality = municipality;
  return ctx;
}

std::vector<Finding> Findings(const Data& data, const Context& ctx) {
  std::vector<Finding> out;
  AddStored(data, ctx, &out);
  AddCaseNumberClashes(data.cases, &out);
  AddBrokenCaseLinks(data, &out);
  const auto parties = Parties(data);
  for (const LogEntry* e : OpenRefusals(data.log)) {
    auto it = parties.find(e->item_kind + ":" + e->item_id);
    AddRefusal(*e, it == parties.end() ? "" : it->second, &out);
  }
  AddKeylessWrites(data.log, &out);
  AddUnchangedRetries(data.log, &out);
  AddStorm(data.log, ctx.storm, &out);
  return out;
}

int Report::Failed(Severity s) const {
  return static_cast<int>(std::count_if(rules.begin(), rules.end(), [s](const RuleResult& r) {
    return r.severity == s && r.implemented && r.failed();
  }));
}

Report Evaluate(const Data& data, const Context& ctx) {
  Report report;
  report.municipality = ctx.municipality;
  report.today = ctx.today;
  report.cases = static_cast<int64_t>(data.cases.size());
  report.grants = static_cast<int64_t>(data.grants.size());
  std::set<std::string> undecodable;
  for (const auto& f : data.undecodable)
    if (undecodable.insert(f.kind + ":" + f.id).second)
      ++(f.kind == "case" ? report.cases : report.grants);
  report.log_entries = static_cast<int64_t>(data.log.size());
  report.open_rejections = static_cast<int64_t>(OpenRefusals(data.log).size());
  report.storm = ctx.storm;
  for (const auto& r : Catalogue()) report.rules.push_back(FromRule(r));
  std::map<std::string, RuleResult> extras;
  std::map<std::string, std::set<std::string>> counted;  // rule -> records or calls counted
  const auto findings = Findings(data, ctx);
  for (size_t i = 0; i < findings.size(); ++i) {
    const Finding& f = findings[i];
    auto it = std::find_if(report.rules.begin(), report.rules.end(),
                           [&](const RuleResult& r) { return r.id == f.rule; });
    RuleResult& r =
        it != report.rules.end() ? *it : extras.emplace(f.rule, Extra(f.rule)).first->second;
    const std::string subject = f.source == "log" ? "#" + std::to_string(i) : f.kind + ":" + f.id;
    if (!counted[f.rule].insert(subject).second) continue;
    ++r.count;
    if (r.examples.size() < Report::kMaxExamples) r.examples.push_back(f);
  }
  for (auto& [id, r] : extras) report.rules.push_back(std::move(r));
  return report;
}

void to_json(nlohmann::json& j, const Report& r) {
  nlohmann::json rules = nlohmann::json::array();
  for (const auto& x : r.rules)
    rules.push_back({{"id", x.id},
                     {"severity", ToString(x.severity)},
                     {"group", x.group},
                     {"checks", x.checks},
                     {"fix", x.fix},
                     {"state", x.state()},
                     {"count", x.count},
                     {"examples", x.examples}});
  j = {{"schema", "adda-conformance/1"},
       {"municipality", r.municipality},
       {"today", r.today.ToString()},
       {"verdict", r.ready() ? "ready" : "not_ready"},
       {"rules_failed",
        {{"blocker", r.Failed(Severity::kBlocker)},
         {"warning", r.Failed(Severity::kWarning)},
         {"advice", r.Failed(Severity::kAdvice)}}},
       {"read",
        {{"cases", r.cases},
         {"grants", r.grants},
         {"log_entries", r.log_entries},
         {"open_rejections", r.open_rejections}}},
       {"storm",
        {{"window", r.storm.window},
         {"share", r.storm.share},
         {"min_rejected", r.storm.min_rejected}}},
       {"rules", rules}};
}

std::string MaskCprs(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    if (!IsDigit(text[i]) || (i > 0 && IsDigit(text[i - 1]))) {
      out.push_back(text[i++]);
      continue;
    }
    size_t run = i;
    while (run < text.size() && IsDigit(text[run])) ++run;
    size_t end = run;
    if (run - i == 6 && run + 5 <= text.size() && text[run] == '-') {
      size_t tail = run + 1;
      while (tail < text.size() && IsDigit(text[tail])) ++tail;
      if (tail - run - 1 == 4) end = tail;
    }
    const bool cpr = (end == run && run - i == 10) || end != run;
    out.append(cpr ? std::string(text.substr(i, 4)) + "xx-xxxx"
                   : std::string(text.substr(i, end - i)));
    i = end;
  }
  return out;
}

}  // namespace adda::conformance
