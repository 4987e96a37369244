#include "core/explain.h"

#include <algorithm>

#include "core/fixtures.h"
#include "core/lifecycle.h"
#include "core/validation.h"

namespace adda {
namespace {

std::string Fill(std::string text, const std::map<std::string, std::string>& vars) {
  for (const auto& [k, v] : vars) {
    const std::string key = "{" + k + "}";
    for (size_t pos = text.find(key); pos != std::string::npos;
         pos = text.find(key, pos + v.size()))
      text.replace(pos, key.size(), v);
  }
  return text;
}

std::string Str(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

const std::vector<std::string>& ContributionStatusNames() {
  static const std::vector<std::string> k = {"pending",  "received", "under_review", "corrected",
                                             "answered", "rejected", "not_delivered"};
  return k;
}

Result<Explanations> Explanations::FromJson(const nlohmann::json& j) {
  auto bad = [](const std::string& what) {
    return Status::Error("fixture.invalid", "explanations: " + what);
  };
  if (!j.is_object()) return bad("must be an object");
  for (const char* s : {"Opstaaet", "Oplyst", "Afgjort", "Afsluttet"}) {
    const auto& st = j.value("statuses", nlohmann::json::object());
    if (!st.contains(s)) return bad(std::string("statuses.") + s + " is missing");
    for (const char* f : {"label", "means", "next", "you_can"})
      if (!st[s].contains(f) || !st[s][f].is_string())
        return bad(std::string("statuses.") + s + "." + f + " is missing");
  }
  for (const char* d : {"municipality", "udbetaling_danmark"})
    if (!j.value("deliverers", nlohmann::json::object()).contains(d))
      return bad(std::string("deliverers.") + d + " is missing");
  for (const auto& o : DecisionOutcomeNames())
    if (!j.value("outcomes", nlohmann::json::object()).contains(o))
      return bad("outcomes." + o + " is missing");
  for (const char* k : {"missing_unit", "status_gap", "stale_status", "unknown_kle", "jargon_title",
                        "payment_without_grant_period"})
    if (!j.value("defects", nlohmann::json::object()).contains(k))
      return bad(std::string("defects.") + k + " is missing");
  for (const char* n : {"stale_data", "unavailable", "no_items", "share_view", "acting_on_behalf"})
    if (!j.value("notices", nlohmann::json::object()).contains(n))
      return bad(std::string("notices.") + n + " is missing");
  // A contribution's kinds, the fields a citizen may point at, and every status it can have.
  const auto& contrib = j.value("contributions", nlohmann::json::object());
  for (const char* k : {"correction", "note"})
    if (!contrib.value("kinds", nlohmann::json::object()).contains(k))
      return bad(std::string("contributions.kinds.") + k + " is missing");
  for (const char* k : {"case", "grant"}) {
    const auto& f = contrib.value("fields", nlohmann::json::object()).value(k, nlohmann::json::object());
    if (f.empty() || !std::all_of(f.begin(), f.end(), [](const nlohmann::json& t) { return t.is_string(); }))
      return bad(std::string("contributions.fields.") + k + " must name fields with their texts");
  }
  for (const auto& s : ContributionStatusNames()) {
    const auto& st = contrib.value("statuses", nlohmann::json::object()).value(s, nlohmann::json::object());
    for (const char* f : {"label", "means"})
      if (!st.contains(f) || !st[f].is_string()) return bad("contributions.statuses." + s + "." + f + " is missing");
  }
  // The feedback form: its question and five answers, the ten SUS statements and their
  // five-step scale (in SUS's own order: odd statements positive, even negative).
  const auto& fb = j.value("feedback", nlohmann::json::object());
  for (const char* k : {"rating_question", "sus_intro", "text_label", "text_hint", "thanks"})
    if (!fb.contains(k) || !fb[k].is_string()) return bad(std::string("feedback.") + k + " is missing");
  const auto strings = [&](const char* k, size_t n) {
    const auto& a = fb.value(k, nlohmann::json::array());
    return a.is_array() && a.size() == n && std::all_of(a.begin(), a.end(), [](const nlohmann::json& t) { return t.is_string(); });
  };
  if (!strings("rating_labels", 5)) return bad("feedback.rating_labels must be five texts");
  if (!strings("sus_statements", 10)) return bad("feedback.sus_statements must be the ten SUS statements");
  if (!strings("sus_scale", 5)) return bad("feedback.sus_scale must be five texts");
  Explanations e;
  e.j_ = j;
  for (const auto& t : j.value("jargon", nlohmann::json::array()))
    if (t.is_string()) e.jargon_.push_back(t.get<std::string>());
  return e;
}

const Explanations& Explanations::Embedded() {
  static const Explanations e = [] {
    auto r = FromJson(nlohmann::json::parse(EmbeddedFixture("explanations")));
    if (!r.ok()) throw std::runtime_error(r.status().message());
    return *r;
  }();
  return e;
}

const nlohmann::json* Explanations::Status(const std::string& code) const {
  const auto& st = j_["statuses"];
  auto it = st.find(code);
  return it == st.end() ? nullptr : &*it;
}

const nlohmann::json* Explanations::Area(const std::string& main_group) const {
  if (!j_.contains("areas")) return nullptr;
  auto it = j_["areas"].find(main_group);
  return it == j_["areas"].end() ? nullptr : &*it;
}

std::string Explanations::Subject(const std::string& code) const {
  if (!j_.contains("subjects")) return "";
  auto it = j_["subjects"].find(code);
  return it == j_["subjects"].end() ? "" : Str(*it, "means");
}

std::string Explanations::Outcome(const std::string& code) const {
  auto it = j_["outcomes"].find(code);
  return it == j_["outcomes"].end() || !it->is_string() ? "" : it->get<std::string>();
}

std::string Explanations::Deliverer(const std::string& code,
                                    const std::string& municipality) const {
  auto it = j_["deliverers"].find(code);
  return it == j_["deliverers"].end()
             ? ""
             : Fill(it->get<std::string>(), {{"municipality", municipality}});
}

std::string Explanations::Defect(const std::string& kind, const std::string& municipality) const {
  auto it = j_["defects"].find(kind);
  return it == j_["defects"].end() ? ""
                                   : Fill(it->get<std::string>(), {{"municipality", municipality}});
}

std::string Explanations::Notice(const std::string& kind,
                                 const std::map<std::string, std::string>& vars) const {
  auto it = j_["notices"].find(kind);
  return it == j_["notices"].end() ? "" : Fill(it->get<std::string>(), vars);
}

const std::vector<std::string>& NoticeKinds() {
  static const std::vector<std::string> k = {"missing_unit",  "status_gap",
                                             "stale_status",  "unknown_kle",
                                             "jargon_title",  "payment_without_grant_period",
                                             "no_explanation"};
  return k;
}

namespace {

std::string MunicipalityName(const ExplainContext& ctx, int code) {
  auto it = ctx.municipality_names.find(code);
  return it == ctx.municipality_names.end() ? std::to_string(code) : it->second;
}

nlohmann::json DelivererJson(const std::optional<adda::Deliverer>& d,
                             const std::string& municipality, const ExplainContext& ctx) {
  const std::string code = d ? ToString(*d) : "municipality";
  return {{"code", code}, {"text", ctx.explanations->Deliverer(code, municipality)}};
}

nlohmann::json UnitJson(const std::optional<std::string>& unit, const std::string& municipality,
                        const ExplainContext& ctx, nlohmann::json* notices) {
  if (unit && !unit->empty()) return {{"name", *unit}, {"text", "Kontakt: " + *unit}};
  const std::string text = ctx.explanations->Defect("missing_unit", municipality);
  notices->push_back({{"kind", "missing_unit"}, {"text", text}});
  return {{"name", nullptr}, {"text", text}};
}

}  // namespace

nlohmann::json ExplainCase(const Case& c, bool documents_shown, const ExplainContext& ctx,
                           Depth depth) {
  const Explanations& ex = *ctx.explanations;
  const std::string muni = MunicipalityName(ctx, c.municipality);
  nlohmann::json notices = nlohmann::json::array();
  nlohmann::json out{{"kind", "case"},
                     {"municipality", c.municipality},
                     {"municipality_name", muni},
                     {"id", c.id},
                     {"case_number", c.case_number},
                     {"open", c.is_open()},
                     {"opened", c.status_history.front().from.ToString()},
                     {"last_change", c.last_change().ToString()}};

  // Title and subject: the KLE subject's title is the plain one; a jargon title or an
  // unknown subject is shown the way that helps the citizen most.
  const KleSubject* subject = ctx.kle ? ctx.kle->Subject(c.kle_subject) : nullptr;
  std::string title = c.title;
  if (!FindJargon(c.title, ex.jargon()).empty()) {
    notices.push_back({{"kind", "jargon_title"}, {"text", ex.Defect("jargon_title", muni)}});
    if (subject) title = subject->title;
    out["original_title"] = c.title;
  }
  out["title"] = title;
  const std::string main_group = c.kle_subject.size() >= 2 ? c.kle_subject.substr(0, 2) : "";
  if (!subject)
    notices.push_back({{"kind", "unknown_kle"}, {"text", ex.Defect("unknown_kle", muni)}});
  out["subject"] = {{"code", c.kle_subject},
                    {"title", subject ? nlohmann::json(subject->title) : nlohmann::json(nullptr)},
                    {"means", subject ? ex.Subject(c.kle_subject) : ""}};
  if (const auto* area = ex.Area(main_group); area && subject)
    out["area"] = {{"code", main_group},
                   {"title", Str(*area, "title")},
                   {"means", Str(*area, "means")},
                   {"next", Str(*area, "next")},
                   {"you_can", Str(*area, "you_can")}};
  else
    out["area"] = nullptr;

  // Status: what it means, what happens next and roughly when, what I can do.
  const std::string code = ToString(c.current_status());
  const nlohmann::json* st = ex.Status(code);
  nlohmann::json status{
      {"code", code}, {"since", c.last_change().ToString()}, {"local_status", c.local_status}};
  if (st) {
    status["label"] = Str(*st, "label");
    status["means"] = Str(*st, "means");
    status["next"] = Str(*st, "next");
    status["you_can"] = Str(*st, "you_can");
    if (c.is_open() && st->contains("next_days") && (*st)["next_days"].is_array() &&
        (*st)["next_days"].size() == 2) {
      const Date from = c.last_change().AddDays((*st)["next_days"][0].get<int>());
      const Date to = c.last_change().AddDays((*st)["next_days"][1].get<int>());
      // Only while it still lies ahead: a past window would mislead (a stale case has its notice).
      if (to >= ctx.today)
        status["expected_next"] = {
            {"from", from.ToString()},
            {"to", to.ToString()},
            {"text", "Typisk mellem " + from.ToDanish() + " og " + to.ToDanish()}};
    }
  } else {
    notices.push_back(
        {{"kind", "no_explanation"}, {"text", "Vi har ingen forklaring på denne status."}});
  }
  if (IsStale(c, ctx.today))
    notices.push_back({{"kind", "stale_status"}, {"text", ex.Defect("stale_status", muni)}});
  out["status"] = status;
  if (c.decision)
    out["decision"] = {{"outcome", c.decision->outcome},
                       {"date", c.decision->date.ToString()},
                       {"text", ex.Outcome(c.decision->outcome)}};
  else
    out["decision"] = nullptr;

  out["unit"] = UnitJson(c.responsible_unit, muni, ctx, &notices);
  out["deliverer"] = DelivererJson(c.deliverer, muni, ctx);

  nlohmann::json timeline = nlohmann::json::array();
  if (depth == Depth::kDetail)
    for (const auto& p : c.status_history) {
      const nlohmann::json* s = ex.Status(ToString(p.status));
      timeline.push_back(
          {{"status", ToString(p.status)},
           {"label", s ? Str(*s, "label") : ToString(p.status)},
           {"from", p.from.ToString()},
           {"to", p.to ? nlohmann::json(p.to->ToString()) : nlohmann::json(nullptr)}});
    }
  if (depth == Depth::kDetail) out["timeline"] = timeline;
  const HistoryCheck hc = CheckHistory(c.status_history, ctx.today);
  for (const auto& w : hc.warnings)
    if (w.rule == "status.no_gap") {
      notices.push_back({{"kind", "status_gap"}, {"text", ex.Defect("status_gap", muni)}});
      break;
    }
  if (depth == Depth::kSummary) {
    // The overview links to the item; its timeline and documents are on the item page.
  } else if (documents_shown) {
    nlohmann::json docs = nlohmann::json::array();
    for (const auto& d : c.documents)
      docs.push_back({{"title", d.title},
                      {"date", d.letter_date.ToString()},
                      {"date_text", d.letter_date.ToDanish()},
                      {"type", d.type}});
    out["documents"] = docs;
  } else {
    out["documents"] = nullptr;
    out["documents_note"] =
        muni +
        " Kommune viser ikke dokumenternes titler her. Du kan se dine breve i din digitale post.";
  }
  out["notices"] = notices;
  return out;
}

nlohmann::json ExplainGrant(const Grant& g, const ExplainContext& ctx, Depth depth) {
  const Explanations& ex = *ctx.explanations;
  const std::string muni = MunicipalityName(ctx, g.municipality);
  nlohmann::json notices = nlohmann::json::array();
  std::string title = g.reason;
  nlohmann::json benefits = nlohmann::json::array();
  for (const auto& b : g.benefits) {
    if (&b == &g.benefits.front()) title = b.name;
    nlohmann::json bj{{"name", b.name},
                      {"kle", b.kle},
                      {"start", b.start.ToString()},
                      {"end", b.end ? nlohmann::json(b.end->ToString()) : nlohmann::json(nullptr)},
                      {"repayable", b.repayable}};
    if (b.plan)
      bj["plan"] = {{"frequency", b.plan->frequency},
                    {"timing", b.plan->timing},
                    {"disposition", b.plan->disposition},
                    {"amount", b.plan->amount.dkk()},
                    {"amount_text", b.plan->amount.ToDanish()}};
    benefits.push_back(bj);
  }
  Date last_change = g.start.value_or(GoLiveDate());
  nlohmann::json past = nlohmann::json::array(), planned = nlohmann::json::array();
  bool outside = false;
  const Payment* last = nullptr;
  const Payment* next = nullptr;
  auto payment_json = [](const Payment& p) {
    return nlohmann::json{
        {"period", {{"start", p.period_start.ToString()}, {"end", p.period_end.ToString()}}},
        {"disposition_date", p.disposition_date.ToString()},
        {"disposition_text", p.disposition_date.ToDanish()},
        {"gross", p.gross.dkk()},
        {"gross_text", p.gross.ToDanish()},
        {"after_tax", p.after_tax.dkk()},
        {"after_tax_text", p.after_tax.ToDanish()},
        {"paid", p.paid.dkk()},
        {"paid_text", p.paid.ToDanish()}};
  };
  for (const auto& p : g.payments) {
    if (p.planned_on(ctx.today)) {
      if (!next || p.disposition_date < next->disposition_date) next = &p;
      if (depth == Depth::kDetail) planned.push_back(payment_json(p));
    } else {
      if (!last || p.disposition_date >= last->disposition_date) last = &p;
      if (depth == Depth::kDetail) past.push_back(payment_json(p));
      last_change = std::max(last_change, p.disposition_date);
    }
    if (!g.start || p.period_start < *g.start || (g.end && p.period_end > *g.end)) outside = true;
  }
  if (!g.payments.empty() && (outside || !g.start))
    notices.push_back({{"kind", "payment_without_grant_period"},
                       {"text", ex.Defect("payment_without_grant_period", muni)}});
  const bool open = !g.end || *g.end >= ctx.today || next != nullptr;
  nlohmann::json out{
      {"kind", "grant"},
      {"municipality", g.municipality},
      {"municipality_name", muni},
      {"id", g.id},
      {"title", title},
      {"reason", g.reason},
      {"open", open},
      {"last_change", last_change.ToString()},
      {"period",
       {{"start", g.start ? nlohmann::json(g.start->ToString()) : nlohmann::json(nullptr)},
        {"end", g.end ? nlohmann::json(g.end->ToString()) : nlohmann::json(nullptr)}}},
      {"benefits", benefits}};
  if (depth == Depth::kDetail) out["payments"] = {{"past", past}, {"planned", planned}};
  if (last) out["last_payment"] = payment_json(*last);
  if (next) out["next_payment"] = payment_json(*next);
  out["case_id"] = g.case_id ? nlohmann::json(*g.case_id) : nlohmann::json(nullptr);
  out["unit"] = UnitJson(g.responsible_unit, muni, ctx, &notices);
  out["deliverer"] = DelivererJson(g.deliverer, muni, ctx);
  out["notices"] = notices;
  return out;
}

void SortForOverview(std::vector<nlohmann::json>* items) {
  std::stable_sort(
      items->begin(), items->end(), [](const nlohmann::json& a, const nlohmann::json& b) {
        const bool ao = a.value("open", false), bo = b.value("open", false);
        if (ao != bo) return ao;
        const std::string al = a.value("last_change", ""), bl = b.value("last_change", "");
        if (al != bl) return al > bl;
        return a.value("id", "") < b.value("id", "");
      });
}

}  // namespace adda
