#include "sim/steps.h"

#include <algorithm>
#include <cstdio>
#include <utility>

#include <nlohmann/json.hpp>

namespace adda::sim {
namespace {

using nlohmann::json;

StepRequest Get(std::string target, Credential credential = Credential::kSession) {
  StepRequest r;
  r.target = std::move(target);
  r.credential = credential;
  return r;
}

StepRequest Post(std::string target, std::string body, Credential credential = Credential::kSession) {
  StepRequest r;
  r.method = Method::kPost;
  r.target = std::move(target);
  r.body = std::move(body);
  r.credential = credential;
  return r;
}

// --- login: POST /idp/login; the answer holds the session ------------------------------

std::optional<StepRequest> SendLogin(const StepContext& c, JourneyState& j) {
  const auto& cpr = c.population.users()[j.plan.user].cpr;
  return Post("/idp/login", json{{"cpr", cpr}, {"password", "test"}}.dump(), Credential::kNone);
}

void ReadLogin(const StepContext& c, JourneyState& j, const std::string& body, double) {
  auto answer = json::parse(body, nullptr, false);
  if (answer.is_object() && answer.contains("token")) j.token = answer["token"].get<std::string>();
  c.metrics.usage["logins"]++;
}

// --- overview: GET /v1/overview; the items, their notices, and what the citizen notices

std::optional<StepRequest> SendOverview(const StepContext&, JourneyState&) { return Get("/v1/overview"); }

// A stale answer (KOMBIT unreachable) counts in every fault window in force.
void CountStale(const StepContext& c, JourneyState& j, double offset_s) {
  j.met.stale_seen++;
  const auto& faults = c.scenario.faults;
  for (size_t k = 0; k < faults.size(); ++k)
    if (offset_s >= faults[k].start_s && offset_s < faults[k].end_s) c.metrics.windows[k].stale_answers++;
}

void ReadItems(const json& answer, std::vector<OverviewItem>& items) {
  items.clear();
  for (const auto& i : answer.value("items", json::array())) {
    OverviewItem it;
    it.kind = i.value("kind", "");
    it.href = i.value("href", "");
    it.id = i.value("id", "");
    it.municipality = i.value("municipality", 0);
    for (const auto& n : i.value("notices", json::array())) it.notices.push_back(n.value("kind", ""));
    items.push_back(std::move(it));
  }
}

// Counts the defects on items met for the first time in this journey and lets the
// persona notice each or not; true when it noticed one.
bool NoticeDefects(const StepContext& c, JourneyState& j) {
  bool noticed_now = false;
  for (const auto& it : j.items) {
    if (!j.seen_items.insert(it.id).second) continue;
    for (const auto& kind : it.notices) {
      if (!IsDefectNotice(kind)) continue;
      c.metrics.defects[kind].present++;
      if (kind == "jargon_title") j.met.jargon_seen++;
      if (kind == "no_explanation") j.met.explanations_missing++;
      if (NoticesDefect(*j.persona, j.rng)) {
        c.metrics.defects[kind].noticed++;
        j.met.defects_noticed.push_back(kind);
        j.noticed.push_back({it.id, kind});
        noticed_now = true;
      }
    }
  }
  return noticed_now;
}

void ReadOverview(const StepContext& c, JourneyState& j, const std::string& body, double offset_s) {
  c.metrics.usage["overviews"]++;
  auto answer = json::parse(body, nullptr, false);
  if (!answer.is_object()) return;
  if (answer.value("stale", false)) CountStale(c, j, offset_s);
  ReadItems(answer, j.items);
  const bool noticed_now = NoticeDefects(c, j);
  // Some of what a citizen notices, they report at once.
  const bool plans_contribution = std::any_of(j.steps.begin() + j.step_i, j.steps.end(),
                                              [](const JourneyStep& s) { return s.step == Step::kContribute; });
  if (noticed_now && !plans_contribution && j.rng.Chance(j.persona->report_rate)) {
    j.steps.insert(j.steps.begin() + j.step_i + 1, JourneyStep{Step::kContribute, 3.0});
    j.think.insert(j.think.begin() + std::min(j.step_i + 1, j.think.size()), 3.0 * j.persona->think_factor);
  }
}

// --- open case, open benefit: GET the detail of an item of that kind from the overview

std::optional<StepRequest> OpenItemOfKind(JourneyState& j, const std::string& kind) {
  std::vector<const OverviewItem*> of_kind;
  for (const auto& i : j.items)
    if (i.kind == kind) of_kind.push_back(&i);
  if (of_kind.empty()) return std::nullopt;
  return Get(of_kind[j.rng.Next() % of_kind.size()]->href);
}

std::optional<StepRequest> SendOpenCase(const StepContext&, JourneyState& j) { return OpenItemOfKind(j, "case"); }
std::optional<StepRequest> SendOpenBenefit(const StepContext&, JourneyState& j) {
  return OpenItemOfKind(j, "benefit");
}

void ReadOpenCase(const StepContext& c, JourneyState&, const std::string&, double) {
  c.metrics.usage["cases_opened"]++;
}
void ReadOpenBenefit(const StepContext& c, JourneyState&, const std::string&, double) {
  c.metrics.usage["benefits_opened"]++;
}

// --- read explanation: GET the item the citizen wonders most about, and read it ---------

std::optional<StepRequest> SendReadExplanation(const StepContext&, JourneyState& j) {
  if (j.items.empty()) return std::nullopt;
  // The item the citizen wonders most about: the one with the most notices.
  const OverviewItem* pick = &j.items[j.rng.Next() % j.items.size()];
  for (const auto& i : j.items)
    if (i.notices.size() > pick->notices.size()) pick = &i;
  return Get(pick->href);
}

void ReadExplanation(const StepContext& c, JourneyState& j, const std::string& body, double) {
  c.metrics.usage["explanations_read"]++;
  const bool missing =
      body.find("\"no_explanation\"") != std::string::npos || body.find("\"means\"") == std::string::npos;
  if (missing) j.met.explanations_missing++;
  else j.met.explanations_read++;
}

// --- contribute: POST /v1/contributions on an item, a noticed defect when there is one -

struct Report {
  const OverviewItem* item = nullptr;
  std::string kind = "note", field, text = "Jeg vil gerne have en forklaring på denne sag.";
};

// The oldest noticed defect whose item is still in the overview (a later overview may
// list other items), else a note on a random item. Takes the defects it passes over.
Report ChooseReport(JourneyState& j) {
  Report r;
  r.item = &j.items[j.rng.Next() % j.items.size()];
  while (!j.noticed.empty()) {
    // Not a structured binding: C++17 lambdas cannot capture one (clang refuses).
    const std::string id = j.noticed.front().first, defect = j.noticed.front().second;
    j.noticed.erase(j.noticed.begin());
    auto it = std::find_if(j.items.begin(), j.items.end(), [&](const OverviewItem& i) { return i.id == id; });
    if (it == j.items.end()) continue;
    r.item = &*it;
    j.reporting = defect;
    r.kind = "correction";
    if (defect == "missing_unit") r.field = "responsible_unit", r.text = "Der står ingen afdeling på min sag.";
    else if (defect == "status_gap") r.field = "status_history", r.text = "Der mangler en periode i forløbet.";
    else r.text = "Noget ser forkert ud her (" + defect + ").";
    break;
  }
  return r;
}

std::optional<StepRequest> SendContribute(const StepContext&, JourneyState& j) {
  if (j.items.empty()) return std::nullopt;
  j.reporting.clear();
  const Report r = ChooseReport(j);
  json body{{"municipality", r.item->municipality}, {"item_kind", r.item->kind}, {"item_id", r.item->id},
            {"kind", r.kind}, {"text", r.text}};
  if (!r.field.empty()) body["field"] = r.field;
  return Post("/v1/contributions", body.dump());
}

void ReadContribute(const StepContext& c, JourneyState& j, const std::string&, double) {
  c.metrics.usage["contributions"]++;
  if (!j.reporting.empty()) c.metrics.defects[j.reporting].reported++;
}

// --- share: POST /v1/shares with someone the citizen chooses; the answer holds the link

std::optional<StepRequest> SendShare(const StepContext&, JourneyState&) {
  return Post("/v1/shares",
              R"({"recipient":"Min datter","purpose":"hjælp til at følge mine sager","scope":"all","expires_days":7})");
}

void ReadShare(const StepContext& c, JourneyState& j, const std::string& body, double) {
  c.metrics.usage["shares_created"]++;
  auto answer = json::parse(body, nullptr, false);
  if (answer.is_object()) j.share_link = answer.value("link", "");
}

// --- open share: GET /v1/shared/{token} as the recipient, without a session ------------

std::optional<StepRequest> SendOpenShare(const StepContext&, JourneyState& j) {
  if (j.share_link.empty()) return std::nullopt;
  return Get(j.share_link, Credential::kNone);
}

void ReadOpenShare(const StepContext& c, JourneyState&, const std::string&, double) {
  c.metrics.usage["shares_opened"]++;
}

// --- export, access log ----------------------------------------------------------------

std::optional<StepRequest> SendExport(const StepContext&, JourneyState& j) {
  return Get(j.rng.Chance(0.5) ? "/v1/export?format=json" : "/v1/export?format=csv");
}

void ReadExport(const StepContext& c, JourneyState&, const std::string&, double) { c.metrics.usage["exports"]++; }

std::optional<StepRequest> SendAccessLog(const StepContext&, JourneyState&) { return Get("/v1/access-log"); }

void ReadAccessLog(const StepContext& c, JourneyState&, const std::string&, double) {
  c.metrics.usage["access_log_reads"]++;
}

// --- feedback: POST /v1/feedback, the persona's simulated answer -----------------------

// What the journey met, '|'-joined, as the feedback row and its context hold it.
struct Trace {
  std::string steps, latencies_ms, defects_noticed;
};

Trace TraceOf(const Experience& met) {
  Trace t;
  for (size_t i = 0; i < met.step_names.size(); ++i) {
    t.steps += (i ? "|" : "") + met.step_names[i];
    char ms[32];
    std::snprintf(ms, sizeof ms, "%.3f", met.latencies_ms[i]);
    t.latencies_ms += (i ? "|" : "") + std::string(ms);
  }
  for (const auto& d : met.defects_noticed) t.defects_noticed += (t.defects_noticed.empty() ? "" : "|") + d;
  return t;
}

// The answer's row in feedback.csv; "posted" turns true when borger.dk took it.
json FeedbackRow(const StepContext& c, const JourneyState& j, const Answer& a, const Trace& t) {
  json row{{"run_id", c.run_id},
           {"answer_id", c.run_id + "-" + std::to_string(j.plan.index)},
           {"journey_id", j.plan.index},
           {"journey", j.journey->name},
           {"persona", j.persona->name},
           {"age_band", c.population.AgeBandOf(j.plan.user)},
           {"municipality", std::to_string(j.plan.municipality)},
           {"rating", a.rating},
           {"sus_score", nullptr},
           {"text", a.text},
           {"theme", a.theme},
           {"steps", t.steps},
           {"latencies_ms", t.latencies_ms},
           {"errors", j.met.errors},
           {"stale_seen", j.met.stale_seen},
           {"defects_noticed", t.defects_noticed},
           {"fault_window", j.met.fault_window},
           {"posted", false}};
  for (int i = 0; i < 10; ++i) row["sus" + std::to_string(i + 1)] = a.sus[i];
  return row;
}

// What borger.dk is sent: the answer and, as context, what the journey met.
std::string FeedbackBody(const StepContext& c, const JourneyState& j, const Answer& a, const Trace& t) {
  json context{{"journey_id", j.plan.index}, {"steps", t.steps.substr(0, 2000)},
               {"latencies_ms", t.latencies_ms.substr(0, 3000)}, {"errors", j.met.errors},
               {"stale_seen", j.met.stale_seen}, {"defects_noticed", t.defects_noticed.substr(0, 1000)},
               {"fault_window", j.met.fault_window}, {"theme", a.theme}, {"municipality", j.plan.municipality}};
  json body{{"origin", "simulated"}, {"rating", a.rating}, {"sus", a.sus},   {"text", a.text},
            {"journey", j.journey->name}, {"step", j.met.step_names.empty() ? "" : j.met.step_names.back()},
            {"page", "/v1/overview"}, {"run_id", c.run_id}, {"persona", j.persona->name},
            {"context", context}};
  return body.dump();
}

std::optional<StepRequest> SendFeedback(const StepContext& c, JourneyState& j) {
  if (j.feedback_done) return std::nullopt;
  j.wants_feedback = false;
  const Answer a = SimulateAnswer(*j.persona, j.met, DeriveSeed(j.plan.seed, "feedback"));
  j.answered = a;
  const Trace t = TraceOf(j.met);
  auto& rows = c.metrics.feedback_rows;
  j.feedback_row = static_cast<int64_t>(rows.size());
  rows.push_back(FeedbackRow(c, j, a, t));
  return Post("/v1/feedback", FeedbackBody(c, j, a, t), Credential::kRunner);
}

void ReadFeedback(const StepContext& c, JourneyState& j, const std::string&, double) {
  j.feedback_done = true;
  c.metrics.feedback_posted++;
  c.metrics.usage["feedback_posted"]++;
  if (j.feedback_row >= 0) c.metrics.feedback_rows[j.feedback_row]["posted"] = true;
}

// --- logout: POST /v1/logout; the session is gone ---------------------------------------

std::optional<StepRequest> SendLogout(const StepContext&, JourneyState&) { return Post("/v1/logout", ""); }

void ReadLogout(const StepContext& c, JourneyState& j, const std::string&, double) {
  c.metrics.usage["logouts"]++;
  j.token.clear();
}

// In the order of enum class Step, so that a step is its own index.
constexpr StepKind kKinds[kStepCount] = {
    {Step::kLogin, SendLogin, ReadLogin},
    {Step::kOverview, SendOverview, ReadOverview},
    {Step::kOpenCase, SendOpenCase, ReadOpenCase},
    {Step::kOpenBenefit, SendOpenBenefit, ReadOpenBenefit},
    {Step::kReadExplanation, SendReadExplanation, ReadExplanation},
    {Step::kContribute, SendContribute, ReadContribute},
    {Step::kShare, SendShare, ReadShare},
    {Step::kOpenShare, SendOpenShare, ReadOpenShare},
    {Step::kExport, SendExport, ReadExport},
    {Step::kAccessLog, SendAccessLog, ReadAccessLog},
    {Step::kFeedback, SendFeedback, ReadFeedback},
    {Step::kLogout, SendLogout, ReadLogout},
};

constexpr bool InStepOrder() {
  for (int i = 0; i < kStepCount; ++i)
    if (static_cast<int>(kKinds[i].step) != i) return false;
  return true;
}
static_assert(InStepOrder(), "kKinds must list every step in the order of enum class Step");

}  // namespace

const StepKind& KindOf(Step step) { return kKinds[static_cast<int>(step)]; }

std::optional<StepRequest> BuildStep(Step step, const StepContext& c, JourneyState& j) {
  auto r = KindOf(step).send(c, j);
  if (r && r->credential == Credential::kSession && j.token.empty()) return std::nullopt;  // a journey without login
  return r;
}

}  // namespace adda::sim
