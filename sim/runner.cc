#include "sim/runner.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cmath>
#include <memory>
#include <optional>
#include <set>
#include <stdexcept>
#include <thread>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "core/random.h"
#include "core/stats.h"
#include "net/client.h"
#include "net/http.h"
#include "sim/feedback_model.h"

namespace adda::sim {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
// The schedule runs on asio's timers, so the runner keeps their clock: journeys are paced
// and latencies timed in real time, as measurements of real sockets must be. What the
// run stamps reads RunOptions' clocks.
using Clock = asio::steady_timer::clock_type;

double Seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }
Clock::duration FromSeconds(double s) {
  return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(s));
}

// State every worker reads; the atomics are the only shared writes.
struct Shared {
  const Scenario& scenario;
  const Plan& plan;
  const Population& population;
  const RunTargets& targets;
  const RunOptions& options;
  asio::ip::tcp::endpoint borger;
  std::string host;
  Clock::time_point start;
  std::atomic<uint64_t> next_journey{0};
  std::atomic<bool> load_over{false};
  bool by_count = false;  // the run ends when the plan's journeys are done, not at a time
  std::atomic<uint64_t> requests{0}, errors{0}, journeys_done{0}, in_flight{0};
};

struct Worker {
  explicit Worker(Shared& s) : shared(s) {}
  asio::io_context ioc;  // first member: destroyed last, after the users its handlers hold
  Shared& shared;
  RunMetrics metrics;
  std::vector<std::unique_ptr<asio::steady_timer>> arrival_timers;
};

struct Item {
  std::string kind, href, id;
  int municipality = 0;
  std::vector<std::string> notices;
};

struct Request {
  http::verb verb = http::verb::get;
  std::string target, body;
  bool auth = true;     // the citizen's session
  bool runner = false;  // the runner's credential instead (simulated feedback)
};

// One virtual citizen. Lives on one worker's io_context; all its handlers run there.
class User : public std::enable_shared_from_this<User> {
 public:
  User(Worker& w, int slot) : w_(w), sh_(w.shared), slot_(slot), stream_(w.ioc), timer_(w.ioc) {}

  // Closed model: waits while its slot is inactive, then takes journeys from the plan.
  void Loop() {
    if (sh_.load_over || Stopped()) return;
    const double elapsed = Seconds(Clock::now() - sh_.start);
    if (slot_ >= std::lround(sh_.scenario.load.TargetAt(elapsed))) {
      Park(Clock::now() + std::chrono::milliseconds(100), [self = shared_from_this()] { self->Loop(); });
      return;
    }
    const uint64_t index = sh_.next_journey.fetch_add(1);
    if (index >= sh_.plan.total()) return;  // the control loop ends the load once none is under way
    // Counted as under way from now: the run must not end while this journey waits to start.
    sh_.in_flight++;
    auto when = Clock::now();
    if (sh_.scenario.load.pacing_s > 0 && runs_++ > 0) {
      Rng pace(DeriveSeed(sh_.plan.At(index).seed, "pacing"));
      when += FromSeconds(pace.Exponential(sh_.scenario.load.pacing_s) * sh_.options.time_scale);
    }
    Park(when, [self = shared_from_this(), index, when] { self->StartJourney(index, when, true); });
  }

  // `reserved`: the closed model already counted this journey as under way.
  void StartJourney(uint64_t index, Clock::time_point intended, bool reserved = false) {
    if (slot_ >= 0 && sh_.load_over && !sh_.by_count) {  // the load's time ended while this user paced
      if (reserved) sh_.in_flight--;
      return;
    }
    plan_ = sh_.plan.At(index);
    persona_ = &sh_.scenario.personas[plan_.persona];
    journey_ = &sh_.scenario.journeys[plan_.journey];
    rng_ = Rng(DeriveSeed(plan_.seed, "choices"));
    steps_ = journey_->steps;
    think_ = plan_.think_s;
    step_i_ = 0;
    token_.clear();
    share_link_.clear();
    items_.clear();
    seen_items_.clear();
    noticed_.clear();
    met_ = Experience{};
    met_.steps_planned = static_cast<int>(steps_.size());
    feedback_done_ = false;
    wants_feedback_ = std::any_of(steps_.begin(), steps_.end(), [](const JourneyStep& s) { return s.step == Step::kFeedback; }) ||
                      rng_.Chance(persona_->feedback_rate);
    journey_start_ = intended;
    if (!reserved) sh_.in_flight++;
    w_.metrics.journeys_started++;
    // The journey's cohorts, looked up once (std::map nodes stay put) rather than per request.
    auto& m = w_.metrics;
    const std::string mname = std::to_string(plan_.municipality);
    cohorts_ = {&m.all, &m.journeys[journey_->name], &m.municipalities[mname], &m.personas[persona_->name],
                &m.age_bands[sh_.population.AgeBandOf(plan_.user)]};
    for (int s = 0; s < kStepCount; ++s) step_cohorts_[s] = {nullptr, nullptr};
    cohort_keys_ = {"municipality:" + mname, "persona:" + persona_->name};
    Run(intended);
  }

 private:
  template <typename F>
  void Park(Clock::time_point when, F&& f) {
    timer_.expires_at(when);
    timer_.async_wait([f = std::forward<F>(f)](const beast::error_code& ec) {
      if (!ec) f();
    });
  }

  bool Stopped() const { return sh_.options.stop && sh_.options.stop->load(); }

  // Runs step_i_ at `intended`, or skips it when there is nothing to do it on.
  void Run(Clock::time_point intended) {
    if (Stopped()) return Cut();
    if (step_i_ >= steps_.size()) return End();
    current_ = steps_[step_i_].step;
    auto req = Build(current_);
    if (!req) {
      ++step_i_;
      return Next(intended);  // keep the schedule: a late timer must still show as latency
    }
    Send(std::move(*req), intended);
  }

  // Schedules the next step after its think time.
  void Next(Clock::time_point from) {
    if (step_i_ >= steps_.size()) return End();
    const double think = (step_i_ < think_.size() ? think_[step_i_] : 0) * sh_.options.time_scale;
    const auto when = from + FromSeconds(think);
    Park(when, [self = shared_from_this(), when] { self->Run(when); });
  }

  std::optional<Request> Build(Step step) {
    Request r;
    switch (step) {
      case Step::kLogin:
        r.verb = http::verb::post;
        r.target = "/idp/login";
        r.body = nlohmann::json{{"cpr", sh_.population.users()[plan_.user].cpr}, {"password", "test"}}.dump();
        r.auth = false;
        return r;
      case Step::kOverview:
        r.target = "/v1/overview";
        break;
      case Step::kOpenCase:
      case Step::kOpenBenefit: {
        const std::string kind = step == Step::kOpenCase ? "case" : "benefit";
        std::vector<const Item*> of_kind;
        for (const auto& i : items_)
          if (i.kind == kind) of_kind.push_back(&i);
        if (of_kind.empty()) return std::nullopt;
        r.target = of_kind[rng_.Next() % of_kind.size()]->href;
        break;
      }
      case Step::kReadExplanation: {
        if (items_.empty()) return std::nullopt;
        // The item the citizen wonders most about: the one with the most notices.
        const Item* pick = &items_[rng_.Next() % items_.size()];
        for (const auto& i : items_)
          if (i.notices.size() > pick->notices.size()) pick = &i;
        r.target = pick->href;
        break;
      }
      case Step::kContribute: {
        if (items_.empty()) return std::nullopt;
        reporting_.clear();
        const Item* item = &items_[rng_.Next() % items_.size()];
        std::string field, text = "Jeg vil gerne have en forklaring på denne sag.";
        std::string kind = "note";
        // The oldest noticed defect whose item is still in the overview (a later overview
        // may list other items).
        while (!noticed_.empty()) {
          // Not a structured binding: C++17 lambdas cannot capture one (clang refuses).
          const std::string id = noticed_.front().first, defect = noticed_.front().second;
          noticed_.erase(noticed_.begin());
          auto it = std::find_if(items_.begin(), items_.end(), [&](const Item& i) { return i.id == id; });
          if (it == items_.end()) continue;
          item = &*it;
          reporting_ = defect;
          kind = "correction";
          if (defect == "missing_unit") field = "responsible_unit", text = "Der står ingen afdeling på min sag.";
          else if (defect == "status_gap") field = "status_history", text = "Der mangler en periode i forløbet.";
          else text = "Noget ser forkert ud her (" + defect + ").";
          break;
        }
        nlohmann::json body{{"municipality", item->municipality}, {"item_kind", item->kind}, {"item_id", item->id},
                            {"kind", kind}, {"text", text}};
        if (!field.empty()) body["field"] = field;
        r.verb = http::verb::post;
        r.target = "/v1/contributions";
        r.body = body.dump();
        break;
      }
      case Step::kShare:
        r.verb = http::verb::post;
        r.target = "/v1/shares";
        r.body = R"({"recipient":"Min datter","purpose":"hjælp til at følge mine sager","scope":"all","expires_days":7})";
        break;
      case Step::kOpenShare:
        if (share_link_.empty()) return std::nullopt;
        r.target = share_link_;
        r.auth = false;
        break;
      case Step::kExport:
        r.target = rng_.Chance(0.5) ? "/v1/export?format=json" : "/v1/export?format=csv";
        break;
      case Step::kAccessLog:
        r.target = "/v1/access-log";
        break;
      case Step::kFeedback:
        if (feedback_done_) return std::nullopt;
        wants_feedback_ = false;
        r.verb = http::verb::post;
        r.target = "/v1/feedback";
        r.body = FeedbackBody();
        r.auth = false;
        r.runner = true;  // borger.dk takes simulated feedback only with the runner's credential
        break;
      case Step::kLogout:
        r.verb = http::verb::post;
        r.target = "/v1/logout";
        break;
    }
    if (r.auth && token_.empty()) return std::nullopt;  // no session: a journey without login
    return r;
  }

  void Send(Request r, Clock::time_point intended) {
    intended_ = intended;
    req_ = {};
    req_.method(r.verb);
    req_.target(r.target);
    req_.version(11);
    req_.set(http::field::host, sh_.host);
    req_.set(http::field::user_agent, "adda-runner");
    if (r.auth) req_.set(http::field::authorization, "Bearer " + token_);
    if (r.runner) req_.set(http::field::authorization, "Bearer " + sh_.targets.borger_admin);
    if (!r.body.empty()) {
      req_.set(http::field::content_type, "application/json");
      req_.body() = std::move(r.body);
    }
    req_.keep_alive(true);
    req_.prepare_payload();
    sent_ = Clock::now();
    retried_ = false;
    stream_.expires_after(std::chrono::milliseconds(sh_.scenario.request_timeout_ms));
    Transmit();
  }

  // Connects when needed, then writes the request and reads the answer.
  void Transmit() {
    reused_ = connected_;
    if (!connected_) {
      stream_.async_connect(sh_.borger, [self = shared_from_this()](const beast::error_code& ec) {
        if (ec) return self->Done(ec);
        self->connected_ = true;
        self->Write();
      });
    } else {
      Write();
    }
  }

  void Write() {
    http::async_write(stream_, req_, [self = shared_from_this()](const beast::error_code& ec, size_t) {
      if (ec) return self->Done(ec);
      self->parser_.emplace();
      self->parser_->body_limit(512u << 20);
      http::async_read(self->stream_, self->buffer_, *self->parser_,
                       [self](const beast::error_code& ec2, size_t) { self->Done(ec2); });
    });
  }

  void Done(const beast::error_code& ec) {
    if (ec && reused_ && !retried_ && ClosedWhileIdle(ec, req_.method() == http::verb::get)) {
      // The server closed the kept-alive connection while the citizen was thinking:
      // like a browser, open a new one and send again (the scheduled clock keeps running).
      retried_ = true;
      Disconnect();
      sent_ = Clock::now();
      return Transmit();
    }
    const auto now = Clock::now();
    const double corrected_ms = Seconds(now - intended_) * 1000;
    const double raw_ms = Seconds(now - sent_) * 1000;
    int status = 0;
    std::string error_class;
    if (ec) {
      error_class = ec == beast::error::timeout ? "timeout" : "transport";
      Disconnect();
    } else {
      status = parser_->get().result_int();
      if (!parser_->get().keep_alive()) Disconnect();
      if (status >= 500) error_class = "http_5xx";
      else if (status >= 400) error_class = "http_4xx";
    }
    const double offset_s = Seconds(now - sh_.start);
    Record(corrected_ms, raw_ms, offset_s, error_class);
    met_.latencies_ms.push_back(corrected_ms);
    met_.step_names.push_back(StepName(current_));
    met_.slowest_ms = std::max(met_.slowest_ms, corrected_ms);
    const bool feedback_step = current_ == Step::kFeedback;
    if (!error_class.empty()) {
      met_.errors++;
      if (feedback_step) {
        w_.metrics.feedback_errors++;
        return End();
      }
      met_.failed = true;
      return FinishEarly(now);
    }
    met_.steps_done++;
    try {
      Understand(parser_->get().body(), offset_s);
    } catch (const std::exception&) {  // a field of another type than documented
      w_.metrics.errors_by_class["bad_answer"]++;
      met_.failed = true;
      return FinishEarly(now);
    }
    if (corrected_ms > persona_->patience_s * 1000 && !feedback_step) {
      met_.abandoned = true;
      w_.metrics.errors_by_class["abandoned"]++;
      return FinishEarly(now);
    }
    ++step_i_;
    Next(now);
  }

  // Whether the error means the server had closed the idle connection. A GET may be sent
  // again after any of these; a write only after a clean close with no answer begun,
  // since after a reset it may already have been processed.
  static bool ClosedWhileIdle(const beast::error_code& ec, bool idempotent) {
    if (ec == http::error::end_of_stream || ec == asio::error::eof) return true;
    return idempotent && (ec == asio::error::connection_reset || ec == asio::error::broken_pipe ||
                          ec == http::error::partial_message);
  }

  void Disconnect() {
    beast::error_code ignored;
    stream_.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
    stream_.close();
    connected_ = false;
    buffer_.clear();
  }

  void Record(double corrected_ms, double raw_ms, double offset_s, const std::string& error_class) {
    auto& m = w_.metrics;
    const auto us = static_cast<uint64_t>(corrected_ms * 1000);
    const bool error = !error_class.empty();
    const int s = static_cast<int>(current_);
    auto record_step = [&](StepMetrics& st) {
      st.count++;
      st.corrected.Record(us);
      st.raw.Record(static_cast<uint64_t>(raw_ms * 1000));
      if (error) st.errors++, st.errors_by_class[error_class]++;
    };
    record_step(m.steps[s]);
    auto& per_cohort = step_cohorts_[s];
    for (size_t k = 0; k < per_cohort.size(); ++k) {
      if (!per_cohort[k]) per_cohort[k] = &m.step_cohorts[{s, cohort_keys_[k]}];
      record_step(*per_cohort[k]);
    }
    for (Cohort* c : cohorts_) {
      c->requests++;
      c->errors += error;
      c->latency.Record(us);
    }
    if (error) m.errors_by_class[error_class]++;
    auto& b = m.BucketAt(offset_s);
    b.requests++;
    b.errors += error;
    b.latency.Record(us);
    for (size_t k = 0; k < sh_.scenario.faults.size(); ++k) {
      const auto& f = sh_.scenario.faults[k];
      if (offset_s >= f.start_s && offset_s < f.end_s) {
        m.windows[k].requests++;
        m.windows[k].errors += error;
        if (met_.fault_window.empty()) met_.fault_window = f.name;
      }
    }
    sh_.requests++;
    if (error) sh_.errors++;
  }

  // Reads what the answer tells the citizen: the session, the items, notices, a link.
  void Understand(const std::string& body, double offset_s) {
    auto& m = w_.metrics;
    switch (current_) {
      case Step::kLogin: {
        auto j = nlohmann::json::parse(body, nullptr, false);
        if (j.is_object() && j.contains("token")) token_ = j["token"].get<std::string>();
        m.usage["logins"]++;
        break;
      }
      case Step::kOverview: {
        m.usage["overviews"]++;
        auto j = nlohmann::json::parse(body, nullptr, false);
        if (!j.is_object()) break;
        if (j.value("stale", false)) {
          met_.stale_seen++;
          for (size_t k = 0; k < sh_.scenario.faults.size(); ++k)
            if (offset_s >= sh_.scenario.faults[k].start_s && offset_s < sh_.scenario.faults[k].end_s)
              m.windows[k].stale_answers++;
        }
        items_.clear();
        for (const auto& i : j.value("items", nlohmann::json::array())) {
          Item it;
          it.kind = i.value("kind", "");
          it.href = i.value("href", "");
          it.id = i.value("id", "");
          it.municipality = i.value("municipality", 0);
          for (const auto& n : i.value("notices", nlohmann::json::array())) it.notices.push_back(n.value("kind", ""));
          items_.push_back(std::move(it));
        }
        bool noticed_now = false;
        for (size_t idx = 0; idx < items_.size(); ++idx) {
          const auto& it = items_[idx];
          if (!seen_items_.insert(it.id).second) continue;
          for (const auto& kind : it.notices) {
            if (!IsDefectNotice(kind)) continue;
            m.defects[kind].present++;
            if (kind == "jargon_title") met_.jargon_seen++;
            if (kind == "no_explanation") met_.explanations_missing++;
            if (NoticesDefect(*persona_, rng_)) {
              m.defects[kind].noticed++;
              met_.defects_noticed.push_back(kind);
              noticed_.push_back({it.id, kind});
              noticed_now = true;
            }
          }
        }
        // Some of what a citizen notices, they report at once.
        const bool plans_contribution = std::any_of(steps_.begin() + step_i_, steps_.end(),
                                                    [](const JourneyStep& s) { return s.step == Step::kContribute; });
        if (noticed_now && !plans_contribution && rng_.Chance(persona_->report_rate)) {
          steps_.insert(steps_.begin() + step_i_ + 1, JourneyStep{Step::kContribute, 3.0});
          think_.insert(think_.begin() + std::min(step_i_ + 1, think_.size()), 3.0 * persona_->think_factor);
        }
        break;
      }
      case Step::kOpenCase:
        m.usage["cases_opened"]++;
        break;
      case Step::kOpenBenefit:
        m.usage["benefits_opened"]++;
        break;
      case Step::kReadExplanation: {
        m.usage["explanations_read"]++;
        const bool missing = body.find("\"no_explanation\"") != std::string::npos || body.find("\"means\"") == std::string::npos;
        if (missing) met_.explanations_missing++;
        else met_.explanations_read++;
        break;
      }
      case Step::kContribute:
        m.usage["contributions"]++;
        if (!reporting_.empty()) m.defects[reporting_].reported++;
        break;
      case Step::kShare: {
        m.usage["shares_created"]++;
        auto j = nlohmann::json::parse(body, nullptr, false);
        if (j.is_object()) share_link_ = j.value("link", "");
        break;
      }
      case Step::kOpenShare:
        m.usage["shares_opened"]++;
        break;
      case Step::kExport:
        m.usage["exports"]++;
        break;
      case Step::kAccessLog:
        m.usage["access_log_reads"]++;
        break;
      case Step::kFeedback:
        feedback_done_ = true;
        m.feedback_posted++;
        m.usage["feedback_posted"]++;
        if (feedback_row_ >= 0) m.feedback_rows[feedback_row_]["posted"] = true;
        break;
      case Step::kLogout:
        m.usage["logouts"]++;
        token_.clear();
        break;
    }
  }

  // After an error or giving up: the persona may still say what it thought.
  void FinishEarly(Clock::time_point now) {
    if (wants_feedback_ && !feedback_done_) {
      steps_.assign({JourneyStep{Step::kFeedback, 0}});
      think_.assign({0});
      step_i_ = 0;
      return Next(now);
    }
    End();
  }

  std::string FeedbackBody() {
    const Answer a = SimulateAnswer(*persona_, met_, DeriveSeed(plan_.seed, "feedback"));
    answered_ = a;
    std::string steps, latencies;
    for (size_t i = 0; i < met_.step_names.size(); ++i) {
      steps += (i ? "|" : "") + met_.step_names[i];
      char ms[32];
      std::snprintf(ms, sizeof ms, "%.3f", met_.latencies_ms[i]);
      latencies += (i ? "|" : "") + std::string(ms);
    }
    std::string defects;
    for (const auto& d : met_.defects_noticed) defects += (defects.empty() ? "" : "|") + d;
    nlohmann::json row{{"run_id", sh_.options.run_id},
                       {"answer_id", sh_.options.run_id + "-" + std::to_string(plan_.index)},
                       {"journey_id", plan_.index},
                       {"journey", journey_->name},
                       {"persona", persona_->name},
                       {"age_band", sh_.population.AgeBandOf(plan_.user)},
                       {"municipality", std::to_string(plan_.municipality)},
                       {"rating", a.rating},
                       {"sus_score", nullptr},
                       {"text", a.text},
                       {"theme", a.theme},
                       {"steps", steps},
                       {"latencies_ms", latencies},
                       {"errors", met_.errors},
                       {"stale_seen", met_.stale_seen},
                       {"defects_noticed", defects},
                       {"fault_window", met_.fault_window},
                       {"posted", false}};
    for (int i = 0; i < 10; ++i) row["sus" + std::to_string(i + 1)] = a.sus[i];
    auto& rows = w_.metrics.feedback_rows;
    feedback_row_ = static_cast<int64_t>(rows.size());
    rows.push_back(row);
    nlohmann::json context{{"journey_id", plan_.index}, {"steps", steps.substr(0, 2000)},
                           {"latencies_ms", latencies.substr(0, 3000)}, {"errors", met_.errors},
                           {"stale_seen", met_.stale_seen}, {"defects_noticed", defects.substr(0, 1000)},
                           {"fault_window", met_.fault_window}, {"theme", a.theme}, {"municipality", plan_.municipality}};
    nlohmann::json body{{"origin", "simulated"}, {"rating", a.rating}, {"sus", a.sus},   {"text", a.text},
                        {"journey", journey_->name}, {"step", met_.step_names.empty() ? "" : met_.step_names.back()},
                        {"page", "/v1/overview"}, {"run_id", sh_.options.run_id}, {"persona", persona_->name},
                        {"context", context}};
    return body.dump();
  }

  void End() {
    auto& m = w_.metrics;
    const double tot = Seconds(Clock::now() - journey_start_);
    const bool ok = !met_.failed && !met_.abandoned;
    if (!feedback_done_ && wants_feedback_ && ok) {
      // A journey without a feedback step whose persona chose to answer.
      steps_.push_back(JourneyStep{Step::kFeedback, 0});
      think_.resize(steps_.size(), 0);
      wants_feedback_ = false;
      step_i_ = steps_.size() - 1;
      return Next(Clock::now());
    }
    for (Cohort* c : cohorts_) {
      c->journeys++;
      if (ok) c->ok++, c->time_on_task_s.push_back(tot);
      else if (met_.abandoned) c->abandoned++;
      else c->failed++;
      if (answered_) {
        c->ratings.push_back(answered_->rating);
        if (const auto sus = SusScore(answered_->sus)) c->sus.push_back(*sus);
      }
    }
    if (feedback_row_ >= 0 && answered_) {
      auto& row = m.feedback_rows[feedback_row_];
      const auto sus = SusScore(answered_->sus);
      row["sus_score"] = sus ? nlohmann::json(*sus) : nlohmann::json();
    }
    answered_.reset();
    feedback_row_ = -1;
    sh_.in_flight--;
    sh_.journeys_done++;
    if (slot_ >= 0) {
      // Closed model: take the next journey on the same connection, as a returning citizen.
      Disconnect();
      Loop();
    } else {
      Disconnect();
    }
  }

  void Cut() {
    sh_.in_flight--;
    w_.metrics.journeys_cut++;
    Disconnect();
  }

  Worker& w_;
  Shared& sh_;
  int slot_;  // closed model: the user's slot; -1 in the open model
  beast::tcp_stream stream_;
  asio::steady_timer timer_;
  beast::flat_buffer buffer_;
  http::request<http::string_body> req_;
  std::optional<http::response_parser<http::string_body>> parser_;
  bool connected_ = false;
  bool reused_ = false;   // the request went out on a kept-alive connection
  bool retried_ = false;  // and was sent again on a fresh one

  PlannedJourney plan_;
  const Persona* persona_ = nullptr;
  const Journey* journey_ = nullptr;
  Rng rng_{0};
  std::vector<JourneyStep> steps_;
  std::vector<double> think_;
  size_t step_i_ = 0;
  Step current_ = Step::kLogin;
  Clock::time_point journey_start_, intended_, sent_;
  std::vector<std::string> cohort_keys_;  // "municipality:561", "persona:senior"
  std::array<Cohort*, 5> cohorts_{};       // all, journey, municipality, persona, age band
  std::array<std::array<StepMetrics*, 2>, kStepCount> step_cohorts_{};
  std::string token_, share_link_, reporting_;
  std::vector<Item> items_;
  std::set<std::string> seen_items_;
  std::vector<std::pair<std::string, std::string>> noticed_;  // (item id, defect kind), oldest first
  Experience met_;
  bool wants_feedback_ = false, feedback_done_ = false;
  int runs_ = 0;  // journeys this (closed-model) user has started
  std::optional<Answer> answered_;
  int64_t feedback_row_ = -1;
};

// Open model: worker `w` of `n` starts arrivals w, w+n, w+2n, … at their scheduled times.
void ScheduleArrival(Worker& w, asio::steady_timer& timer, size_t index, size_t stride) {
  auto& sh = w.shared;
  const auto& arrivals = sh.plan.arrivals();
  if (index >= arrivals.size()) return;
  const auto when = sh.start + FromSeconds(arrivals[index]);
  timer.expires_at(when);
  timer.async_wait([&w, &timer, index, stride, when](const beast::error_code& ec) {
    auto& s = w.shared;
    if (ec || s.load_over || (s.options.stop && s.options.stop->load())) return;
    if (s.in_flight >= s.scenario.load.max_in_flight) {
      w.metrics.arrivals_dropped++;
    } else {
      auto user = std::make_shared<User>(w, -1);
      user->StartJourney(index, when);
    }
    ScheduleArrival(w, timer, index + stride, stride);
  });
}

// Applies and lifts the scenario's fault windows through the KOMBIT admin API.
class FaultDriver {
 public:
  FaultDriver(const Scenario& s, const RunTargets& t) : scenario_(s), targets_(t), ids_(s.faults.size()) {
    applied_.assign(s.faults.size(), false);
    errors_.assign(s.faults.size(), "");
  }
  // Returns the name of the window in force at `elapsed`, or "".
  std::string Tick(double elapsed) {
    std::string active;
    for (size_t k = 0; k < scenario_.faults.size(); ++k) {
      const auto& f = scenario_.faults[k];
      if (elapsed >= f.start_s && elapsed < f.end_s && !ids_[k] && errors_[k].empty()) Apply(k);
      if (elapsed >= f.end_s && ids_[k]) Lift(k);
      if (ids_[k]) active = f.name;
    }
    return active;
  }
  void LiftAll() {
    for (size_t k = 0; k < ids_.size(); ++k)
      if (ids_[k]) Lift(k);
  }
  std::vector<bool> applied() const { return applied_; }
  std::vector<std::string> errors() const { return errors_; }

 private:
  net::Client& client() {
    if (!client_) {
      net::ClientOptions o;
      o.timeout = std::chrono::milliseconds(3000);
      o.default_headers["Authorization"] = "Bearer " + targets_.kombit_admin;
      client_ = std::make_unique<net::Client>(targets_.kombit, o);
    }
    return *client_;
  }
  void Apply(size_t k) {
    try {
      auto r = client().PostJson("/admin/faults", scenario_.faults[k].rule);
      if (r.status != 201) {
        errors_[k] = "KOMBIT answered " + std::to_string(r.status) + ": " + r.body.substr(0, 300);
        return;
      }
      const auto j = r.Json();
      if (!j.contains("id") || j["id"].is_null()) {
        errors_[k] = "KOMBIT added the rule but named no id: " + r.body.substr(0, 300);
        return;
      }
      ids_[k] = j["id"].is_string() ? j["id"].get<std::string>() : j["id"].dump();
      applied_[k] = true;
    } catch (const std::exception& e) {
      errors_[k] = e.what();
    }
  }
  // Removes the rule; when KOMBIT cannot be told, the id is kept so the next Tick or
  // LiftAll tries again, and the window's error says so.
  void Lift(size_t k) {
    try {
      const auto r = client().Send("DELETE", "/admin/faults/" + *ids_[k]);
      if (r.status == 204 || r.status == 200 || r.status == 404) {
        ids_[k].reset();
        return;
      }
      errors_[k] = "KOMBIT did not remove the fault rule: " + std::to_string(r.status);
    } catch (const std::exception& e) {
      client_.reset();
      errors_[k] = std::string("KOMBIT could not be told to remove the fault rule: ") + e.what();
    }
  }

  const Scenario& scenario_;
  const RunTargets& targets_;
  std::vector<std::optional<std::string>> ids_;
  std::vector<bool> applied_;
  std::vector<std::string> errors_;
  std::unique_ptr<net::Client> client_;
};

}  // namespace

Population LoadPopulation(const RunTargets& targets, const std::vector<int>& municipalities, Date today) {
  net::ClientOptions o;
  o.timeout = std::chrono::milliseconds(30000);
  o.default_headers["Authorization"] = "Bearer " + targets.borger_admin;
  net::Client client(targets.borger, o);
  std::vector<TestUser> users;
  for (int m : municipalities) {
    std::string after = "0000000000";
    for (;;) {
      const std::string target = "/idp/users?municipality=" + std::to_string(m) + "&limit=500&after=" + after;
      auto r = client.Get(target);
      if (r.status != 200)
        throw std::runtime_error(targets.borger + target + " answered " + std::to_string(r.status) + ": " +
                                 r.body.substr(0, 200));
      const auto j = r.Json();
      if (!j.is_object() || !j.contains("items") || !j["items"].is_array())
        throw std::runtime_error(targets.borger + target + " answered without an items list");
      for (const auto& u : j["items"]) {
        auto birth = Date::Parse(u.value("birth_date", ""));
        const auto cpr = u.value("cpr", std::string());
        if (cpr.empty()) throw std::runtime_error(targets.borger + target + " answered a user without a CPR");
        users.push_back({cpr, m, birth.value_or(Date())});
      }
      const auto next = j.value("next_after", nlohmann::json());
      if (!next.is_string() || j["items"].empty()) break;
      after = next.get<std::string>();
    }
  }
  return Population(std::move(users), today);
}

RunResult RunScenario(const Scenario& scenario, const Plan& plan, const Population& population,
                      const RunTargets& targets, const RunOptions& options) {
  std::string host;
  int port = 0;
  net::ParseBaseUrl(targets.borger, &host, &port);
  asio::io_context resolver_ctx;
  asio::ip::tcp::resolver resolver(resolver_ctx);
  const auto endpoints = resolver.resolve(host, std::to_string(port));
  if (endpoints.empty()) throw std::runtime_error("cannot resolve " + targets.borger);

  Shared shared{scenario, plan, population, targets, options, endpoints.begin()->endpoint(),
                host + ":" + std::to_string(port), Clock::now()};
  const int n = std::max(1, options.workers);
  const double duration = scenario.load.duration_s();
  const bool by_count = scenario.load.journeys.has_value() || scenario.load.each_citizen;
  shared.by_count = by_count;
  const double bucket_s = duration > 600 && !by_count ? std::ceil(duration / 600) : 1;

  std::vector<std::unique_ptr<Worker>> workers;
  for (int i = 0; i < n; ++i) {
    workers.push_back(std::make_unique<Worker>(shared));
    workers.back()->metrics.bucket_s = bucket_s;
    workers.back()->metrics.windows.resize(scenario.faults.size());
  }

  RunResult result;
  result.started_at = options.wall->NowIso();
  FaultDriver faults(scenario, targets);
  shared.start = Clock::now();
  std::vector<std::shared_ptr<User>> slots;
  if (scenario.load.kind == LoadModel::Kind::kClosed) {
    double peak = 0;
    for (const auto& s : scenario.load.stages) peak = std::max(peak, s.target);
    for (int slot = 0; slot < static_cast<int>(std::ceil(peak)); ++slot) {
      auto& w = *workers[slot % n];
      slots.push_back(std::make_shared<User>(w, slot));
      asio::post(w.ioc, [u = slots.back()] { u->Loop(); });
    }
  } else {
    for (int i = 0; i < n; ++i) {
      auto& w = *workers[i];
      w.arrival_timers.push_back(std::make_unique<asio::steady_timer>(w.ioc));
      ScheduleArrival(w, *w.arrival_timers.back(), i, n);
    }
  }
  std::vector<std::thread> threads;
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> guards;
  for (auto& w : workers) guards.push_back(asio::make_work_guard(w->ioc));
  for (auto& w : workers) threads.emplace_back([&w] { w->ioc.run(); });

  // The control loop: faults, progress, and the end of the load.
  uint64_t last_requests = 0;
  auto last_tick = Clock::now();
  std::optional<Clock::time_point> load_end;
  for (;;) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    const auto now = Clock::now();
    const double elapsed = Seconds(now - shared.start);
    const bool stopping = options.stop && options.stop->load();
    const std::string active = faults.Tick(elapsed);
    if (!load_end) {
      const bool out_of_time = !by_count && elapsed >= duration;
      const bool out_of_journeys = by_count && scenario.load.kind == LoadModel::Kind::kClosed &&
                                   shared.next_journey >= plan.total() && shared.in_flight == 0;
      const bool arrivals_done = scenario.load.kind == LoadModel::Kind::kOpen && elapsed >= duration;
      if (stopping || out_of_time || out_of_journeys || arrivals_done || shared.load_over) {
        shared.load_over = true;
        load_end = now;
      }
    }
    if (options.progress && (Seconds(now - last_tick) >= 0.5 || load_end)) {
      Progress p;
      p.elapsed_s = elapsed;
      p.duration_s = by_count ? 0 : duration;
      p.journeys_done = shared.journeys_done;
      p.journeys_planned = plan.total() == UINT64_MAX ? 0 : plan.total();
      p.requests = shared.requests;
      p.errors = shared.errors;
      p.in_flight = shared.in_flight;
      p.rps = (p.requests - last_requests) / std::max(1e-3, Seconds(now - last_tick));
      p.fault = active;
      last_requests = p.requests;
      last_tick = now;
      options.progress(p);
    }
    if (load_end) {
      const double grace = stopping ? 2.0 : options.graceful_stop_s;
      if (shared.in_flight == 0 || Seconds(now - *load_end) >= grace) break;
    }
  }
  const bool stopped = options.stop && options.stop->load();
  result.load_seconds = Seconds(Clock::now() - shared.start);
  for (auto& g : guards) g.reset();
  for (auto& w : workers) w->ioc.stop();
  for (auto& t : threads) t.join();
  faults.LiftAll();
  result.fault_applied = faults.applied();
  result.fault_errors = faults.errors();
  const uint64_t cut = shared.in_flight;
  slots.clear();
  for (auto& w : workers) {
    for (auto& t : w->arrival_timers) t->cancel();
    result.metrics.Merge(std::move(w->metrics));
  }
  workers.clear();  // destroys parked users
  result.metrics.journeys_cut += cut;
  result.metrics.bucket_s = bucket_s;
  result.metrics.windows.resize(scenario.faults.size());
  result.complete = !stopped;
  result.finished_at = options.wall->NowIso();
  if (options.services_clock) result.simulated_end = options.services_clock->NowIso();
  return result;
}

}  // namespace adda::sim
