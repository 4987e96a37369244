#include "core/benefit.h"

#include <stdexcept>

#include "core/json_reader.h"

namespace adda {
namespace {

nlohmann::json OptDate(const std::optional<Date>& d) {
  return d ? nlohmann::json(d->ToString()) : nlohmann::json(nullptr);
}

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

void to_json(nlohmann::json& j, const Payment& p) {
  j = nlohmann::json{{"id", p.id},
                     {"benefit_id", p.benefit_id},
                     {"period", {{"start", p.period_start.ToString()}, {"end", p.period_end.ToString()}}},
                     {"gross", p.gross.dkk()},
                     {"after_tax", p.after_tax.dkk()},
                     {"sent", p.sent.dkk()},
                     {"paid", p.paid.dkk()},
                     {"disposition_date", p.disposition_date.ToString()}};
}

void to_json(nlohmann::json& j, const GrantedBenefit& b) {
  j = nlohmann::json{{"id", b.id},         {"name", b.name},
                     {"kle", b.kle},       {"reason", b.reason},
                     {"start", b.start.ToString()}, {"end", OptDate(b.end)},
                     {"repayable", b.repayable}, {"plan", nullptr}};
  if (b.plan) {
    j["plan"] = {{"start", b.plan->start.ToString()}, {"end", OptDate(b.plan->end)},
                 {"frequency", b.plan->frequency},    {"timing", b.plan->timing},
                 {"disposition", b.plan->disposition}, {"amount", b.plan->amount.dkk()}};
  }
}

void to_json(nlohmann::json& j, const Grant& g) {
  j = nlohmann::json{
      {"id", g.id},
      {"municipality", g.municipality},
      {"case_id", g.case_id ? nlohmann::json(*g.case_id) : nlohmann::json(nullptr)},
      {"recipient", g.recipient},
      {"period", {{"start", OptDate(g.start)}, {"end", OptDate(g.end)}}},
      {"reason", g.reason},
      {"sensitivity", g.sensitivity},
      {"responsible_unit", g.responsible_unit ? nlohmann::json(*g.responsible_unit) : nlohmann::json(nullptr)},
      {"deliverer", g.deliverer ? nlohmann::json(ToString(*g.deliverer)) : nlohmann::json(nullptr)},
      {"benefits", g.benefits},
      {"payments", g.payments},
      {"version", g.version}};
}

Payment DecodePayment(const nlohmann::json& j, const std::string& path,
                      std::vector<Violation>* violations) {
  Payment p;
  JsonReader r(j, path, violations);
  if (!r.is_object()) return p;
  p.id = r.String("id", true, 64).value_or("");
  p.benefit_id = r.String("benefit_id", true, 64).value_or("");
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
  b.id = r.String("id", true, 64).value_or("");
  b.name = r.String("name", true, kMaxShortText).value_or("");
  b.kle = r.String("kle", true, 16).value_or("");
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
  g.id = r.String("id", true, 64).value_or("");
  g.municipality = static_cast<int>(r.Int("municipality", true, 100, 999).value_or(0));
  g.case_id = r.String("case_id", false, 64);
  g.recipient = r.String("recipient", true, 64).value_or("");
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
