#include "core/benefit.h"

#include <stdexcept>

#include "core/json_reader.h"
#include "core/json_writer.h"

namespace adda {
namespace {

std::string Index(const std::string& base, size_t i) { return base + "[" + std::to_string(i) + "]"; }

}  // namespace

const std::vector<std::string>& FrequencyNames() {
  static const std::vector<std::string> k = {"Maanedlig", "Kvartalsvis", "Halvaarlig", "Aarlig",
                                             "Ugentlig",  "Engang"};
  return k;
}

const std::vector<std::string>& TimingNames() {
  static const std::vector<std::string> k = {"Forud", "Bagud"};
  return k;
}

namespace {

void WritePayment(JsonWriter& w, const Payment& p) {
  w.BeginObject();
  w.Key("id").String(p.id);
  w.Key("benefit_id").String(p.benefit_id);
  w.Key("period").BeginObject().Key("start").DateValue(p.period_start).Key("end").DateValue(p.period_end).EndObject();
  w.Key("gross").Amount(p.gross);
  w.Key("after_tax").Amount(p.after_tax);
  w.Key("sent").Amount(p.sent);
  w.Key("paid").Amount(p.paid);
  w.Key("disposition_date").DateValue(p.disposition_date);
  w.EndObject();
}

void WriteBenefit(JsonWriter& w, const GrantedBenefit& b) {
  w.BeginObject();
  w.Key("id").String(b.id);
  w.Key("name").String(b.name);
  w.Key("kle").String(b.kle);
  w.Key("reason").String(b.reason);
  w.Key("start").DateValue(b.start);
  w.Key("end").OptDate(b.end);
  w.Key("repayable").Bool(b.repayable);
  w.Key("plan");
  if (b.plan) {
    w.BeginObject();
    w.Key("start").DateValue(b.plan->start);
    w.Key("end").OptDate(b.plan->end);
    w.Key("frequency").String(b.plan->frequency);
    w.Key("timing").String(b.plan->timing);
    w.Key("disposition").String(b.plan->disposition);
    w.Key("amount").Amount(b.plan->amount);
    w.EndObject();
  } else {
    w.Null();
  }
  w.EndObject();
}

void WriteGrant(JsonWriter& w, const Grant& g) {
  w.BeginObject();
  w.Key("id").String(g.id);
  w.Key("municipality").Int(g.municipality);
  w.Key("case_id").OptString(g.case_id);
  w.Key("recipient").String(g.recipient);
  w.Key("period").BeginObject().Key("start").OptDate(g.start).Key("end").OptDate(g.end).EndObject();
  w.Key("reason").String(g.reason);
  w.Key("sensitivity").String(g.sensitivity);
  w.Key("responsible_unit").OptString(g.responsible_unit);
  w.Key("deliverer");
  if (g.deliverer) w.String(ToString(*g.deliverer));
  else w.Null();
  w.Key("benefits").BeginArray();
  for (const auto& b : g.benefits) WriteBenefit(w, b);
  w.EndArray();
  w.Key("payments").BeginArray();
  for (const auto& p : g.payments) WritePayment(w, p);
  w.EndArray();
  w.Key("version").Int(g.version);
  w.EndObject();
}

}  // namespace

void to_json(nlohmann::json& j, const Payment& p) { j = WrittenJson(p, WritePayment); }

void to_json(nlohmann::json& j, const GrantedBenefit& b) { j = WrittenJson(b, WriteBenefit); }

void to_json(nlohmann::json& j, const Grant& g) { j = nlohmann::json::parse(GrantJson(g)); }

std::string GrantJson(const Grant& g) {
  std::string out;
  out.reserve(512 + 256 * g.payments.size());
  JsonWriter w(out);
  WriteGrant(w, g);
  return out;
}

Payment DecodePayment(const nlohmann::json& j, const std::string& path,
                      std::vector<Violation>* violations) {
  Payment p;
  JsonReader r(j, path, violations);
  if (!r.is_object()) return p;
  p.id = r.String("id", true, kMaxId).value_or("");
  p.benefit_id = r.String("benefit_id", true, kMaxId).value_or("");
  if (const auto* per = r.Object("period", true)) {
    JsonReader pr(*per, r.FieldPath("period"), violations);
    if (auto d = pr.DateField("start", true)) p.period_start = *d;
    if (auto d = pr.DateField("end", true)) p.period_end = *d;
  }
  p.gross = r.Amount("gross", true).value_or(Money{});
  p.after_tax = r.Amount("after_tax", true).value_or(Money{});
  p.sent = r.Amount("sent", false).value_or(p.after_tax);
  p.paid = r.Amount("paid", true).value_or(Money{});
  if (auto d = r.DateField("disposition_date", true)) p.disposition_date = *d;
  return p;
}

GrantedBenefit DecodeGrantedBenefit(const nlohmann::json& j, const std::string& path,
                                    std::vector<Violation>* violations) {
  GrantedBenefit b;
  JsonReader r(j, path, violations);
  if (!r.is_object()) return b;
  b.id = r.String("id", true, kMaxId).value_or("");
  b.name = r.String("name", true, kMaxShortText).value_or("");
  b.kle = r.String("kle", true, kMaxKleCode).value_or("");
  b.reason = r.String("reason", false, kMaxShortText).value_or("");
  if (auto d = r.DateField("start", true)) b.start = *d;
  b.end = r.DateField("end", false);
  b.repayable = r.Bool("repayable", false).value_or(false);
  if (const auto* plan = r.Object("plan", false)) {
    JsonReader pr(*plan, r.FieldPath("plan"), violations);
    PaymentPlan p;
    if (auto d = pr.DateField("start", true)) p.start = *d;
    p.end = pr.DateField("end", false);
    p.frequency = pr.OneOf("frequency", true, FrequencyNames()).value_or("");
    p.timing = pr.OneOf("timing", true, TimingNames()).value_or("");
    p.disposition = pr.String("disposition", false, kMaxShortText).value_or("");
    p.amount = pr.Amount("amount", true).value_or(Money{});
    b.plan = p;
  }
  return b;
}

Grant DecodeGrant(const nlohmann::json& j, std::vector<Violation>* violations) {
  Grant g;
  JsonReader r(j, "", violations);
  if (!r.is_object()) return g;
  g.id = r.String("id", true, kMaxId).value_or("");
  g.municipality = static_cast<int>(r.Int("municipality", true, 100, 999).value_or(0));
  g.case_id = r.String("case_id", false, kMaxId);
  g.recipient = r.String("recipient", true, kMaxPartyUrn).value_or("");
  if (const auto* per = r.Object("period", false)) {
    JsonReader pr(*per, r.FieldPath("period"), violations);
    g.start = pr.DateField("start", false);
    g.end = pr.DateField("end", false);
  }
  g.reason = r.String("reason", false, kMaxShortText).value_or("");
  g.sensitivity = r.OneOf("sensitivity", true, SensitivityNames()).value_or("");
  g.responsible_unit = r.String("responsible_unit", false, kMaxShortText);
  if (auto del = r.OneOf("deliverer", false, {"municipality", "udbetaling_danmark"}))
    g.deliverer = ParseDeliverer(*del);
  if (const auto* bs = r.Array("benefits", false, kMaxBenefits))
    for (size_t i = 0; i < bs->size(); ++i)
      g.benefits.push_back(DecodeGrantedBenefit((*bs)[i], Index("benefits", i), violations));
  if (const auto* ps = r.Array("payments", false, kMaxPayments))
    for (size_t i = 0; i < ps->size(); ++i)
      g.payments.push_back(DecodePayment((*ps)[i], Index("payments", i), violations));
  if (r.Has("version")) g.version = r.Int("version", false, 0, INT64_MAX).value_or(0);
  return g;
}

void from_json(const nlohmann::json& j, Grant& g) {
  std::vector<Violation> v;
  g = DecodeGrant(j, &v);
  if (!v.empty()) throw std::invalid_argument("stored grant invalid: " + v.front().field + " " + v.front().message);
}

}  // namespace adda
