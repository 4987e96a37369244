#include "core/validation.h"

#include <algorithm>
#include <cctype>
#include <set>

#include "core/cpr.h"
#include "core/ids.h"
#include "core/lifecycle.h"

namespace adda {
namespace {

std::string Lower(const std::string& s) {
  std::string out = s;
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool IsWordChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || (c & 0x80); }

void CheckMunicipality(int municipality, const ValidationContext& ctx, ValidationReport* r) {
  if (ctx.municipality != 0 && municipality != ctx.municipality)
    r->errors.push_back({"owner.municipality", "municipality",
                         "a municipality may only write its own items (you are " +
                             std::to_string(ctx.municipality) + ")"});
}

void CheckId(const std::string& id, const std::string& field, ValidationReport* r) {
  if (!id.empty() && !IsSafeId(id))
    r->errors.push_back({"field.id", field, "ids are 1–64 characters of A–Z, a–z, 0–9, '.', '_', '-'"});
}

void CheckUnitAndDeliverer(const std::optional<std::string>& unit,
                           const std::optional<Deliverer>& deliverer, ValidationReport* r) {
  if (!unit || unit->empty())
    r->warnings.push_back({"unit.set", "responsible_unit",
                           "no responsible unit: the citizen cannot see whom to contact"});
  if (!deliverer)
    r->warnings.push_back({"deliverer.set", "deliverer",
                           "who delivers the item (municipality or udbetaling_danmark) is not set"});
}

void CheckKle(const std::string& subject, const std::string& field, const ValidationContext& ctx,
              ValidationReport* r) {
  if (!KleCatalogue::IsSubjectFormat(subject)) {
    r->errors.push_back({"kle.subject_format", field, "a KLE subject is NN.NN.NN"});
  } else if (ctx.kle && !ctx.kle->Subject(subject)) {
    r->warnings.push_back({"kle.subject_known", field,
                           "KLE subject " + subject + " is not in the catalogue"});
  }
}

}  // namespace

void CheckParty(const std::string& urn, const std::string& field, const ValidationContext& ctx,
                ValidationReport* report) {
  auto digits = CprDigitsFromUrn(urn);
  if (!digits) {
    report->errors.push_back({"party.cpr_urn", field, "must be urn:oio:cpr-nr: followed by ten digits"});
    return;
  }
  auto cpr = Cpr::Parse(*digits);
  if (!cpr.ok()) {
    report->errors.push_back({"party.cpr_format", field, cpr.status().message()});
    return;
  }
  if (ctx.test_environment && !cpr->is_substitute())
    report->warnings.push_back({"party.cpr_substitute", field,
                                "not a substitute number (day + 60): test data must never hold a "
                                "real person's CPR"});
}

std::string FindJargon(const std::string& text, const std::vector<std::string>& jargon) {
  const std::string lower = Lower(text);
  for (const auto& term : jargon) {
    const std::string t = Lower(term);
    if (t.empty()) continue;
    size_t pos = 0;
    while ((pos = lower.find(t, pos)) != std::string::npos) {
      const bool starts = pos == 0 || !IsWordChar(lower[pos - 1]) || !IsWordChar(t.front());
      const size_t end = pos + t.size();
      const bool ends = end >= lower.size() || !IsWordChar(lower[end]) || !IsWordChar(t.back());
      if (starts && ends) return term;
      ++pos;
    }
  }
  return "";
}

ValidationReport ValidateCase(const Case& c, const ValidationContext& ctx) {
  ValidationReport r;
  CheckMunicipality(c.municipality, ctx, &r);
  CheckId(c.id, "id", &r);
  HistoryCheck h = CheckHistory(c.status_history, ctx.today);
  r.errors.insert(r.errors.end(), h.errors.begin(), h.errors.end());
  r.warnings.insert(r.warnings.end(), h.warnings.begin(), h.warnings.end());
  CheckKle(c.kle_subject, "kle.subject", ctx, &r);
  if (!KleCatalogue::IsFacetFormat(c.kle_facet))
    r.errors.push_back({"kle.facet_format", "kle.facet", "an action facet is a letter and two digits, e.g. G01"});
  else if (ctx.kle && !ctx.kle->FacetTitle(c.kle_facet))
    r.warnings.push_back({"kle.facet_known", "kle.facet", "action facet " + c.kle_facet + " is not in the catalogue"});
  CheckParty(c.primary_party, "primary_party", ctx, &r);
  CheckUnitAndDeliverer(c.responsible_unit, c.deliverer, &r);
  if (ctx.jargon) {
    auto term = FindJargon(c.title, *ctx.jargon);
    if (!term.empty())
      r.warnings.push_back({"title.no_jargon", "title", "contains internal jargon: \"" + term + "\""});
  }
  if (IsStale(c, ctx.today))
    r.warnings.push_back({kRuleStale, "status_history",
                          "still being processed, with no status change since " + c.last_change().ToString()});
  if (c.decision && c.decision->date > ctx.today)
    r.errors.push_back({kRuleNotFuture, "decision.date", "lies after today"});
  std::set<std::string> doc_ids;
  for (size_t i = 0; i < c.documents.size(); ++i) {
    const auto& d = c.documents[i];
    const std::string f = "documents[" + std::to_string(i) + "]";
    CheckId(d.id, f + ".id", &r);
    if (!doc_ids.insert(d.id).second)
      r.errors.push_back({"document.unique_id", f + ".id", "document id " + d.id + " appears twice"});
    if (d.letter_date > ctx.today)
      r.errors.push_back({kRuleNotFuture, f + ".letter_date", "lies after today"});
  }
  return r;
}

ValidationReport ValidateGrant(const Grant& g, const ValidationContext& ctx) {
  ValidationReport r;
  CheckMunicipality(g.municipality, ctx, &r);
  CheckId(g.id, "id", &r);
  CheckParty(g.recipient, "recipient", ctx, &r);
  CheckUnitAndDeliverer(g.responsible_unit, g.deliverer, &r);
  if (g.case_id) CheckId(*g.case_id, "case_id", &r);
  if (!g.start)
    r.warnings.push_back({"grant.period", "period.start",
                          "the grant has no period: the citizen cannot see when it applies"});
  if (g.start && g.end && *g.end < *g.start)
    r.errors.push_back({"grant.period_order", "period.end", "ends before it starts"});
  std::set<std::string> benefit_ids;
  for (size_t i = 0; i < g.benefits.size(); ++i) {
    const auto& b = g.benefits[i];
    const std::string f = "benefits[" + std::to_string(i) + "]";
    CheckId(b.id, f + ".id", &r);
    if (!benefit_ids.insert(b.id).second)
      r.errors.push_back({"benefit.unique_id", f + ".id", "benefit id " + b.id + " appears twice"});
    CheckKle(b.kle, f + ".kle", ctx, &r);
    if (b.end && *b.end < b.start) r.errors.push_back({"grant.period_order", f + ".end", "ends before it starts"});
    if (b.plan && b.plan->amount.ore < 0)
      r.errors.push_back({"payment.amounts", f + ".plan.amount", "must not be negative"});
  }
  std::set<std::string> payment_ids;
  for (size_t i = 0; i < g.payments.size(); ++i) {
    const auto& p = g.payments[i];
    const std::string f = "payments[" + std::to_string(i) + "]";
    CheckId(p.id, f + ".id", &r);
    if (!payment_ids.insert(p.id).second)
      r.errors.push_back({"payment.unique_id", f + ".id", "payment id " + p.id + " appears twice"});
    if (!benefit_ids.count(p.benefit_id))
      r.errors.push_back({"payment.benefit_link", f + ".benefit_id",
                          "refers to no granted benefit of this grant"});
    if (p.period_end < p.period_start)
      r.errors.push_back({"payment.period_order", f + ".period.end", "ends before it starts"});
    if (p.gross.ore < 0 || p.after_tax.ore < 0 || p.paid.ore < 0 || p.sent.ore < 0)
      r.errors.push_back({"payment.amounts", f, "amounts must not be negative"});
    else if (!(p.gross >= p.after_tax && p.after_tax >= p.paid))
      r.errors.push_back({"payment.amounts", f, "amounts must satisfy gross ≥ after_tax ≥ paid"});
    if (g.start && (p.period_start < *g.start || (g.end && p.period_end > *g.end)))
      r.warnings.push_back({"payment.in_period", f + ".period",
                            "lies outside the grant period"});
    if (p.disposition_date <= ctx.today && p.paid.ore == 0 && p.gross.ore > 0)
      r.warnings.push_back({"payment.settled", f + ".paid", "past disposition date but nothing paid"});
  }
  return r;
}

}  // namespace adda
