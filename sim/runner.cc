#include "sim/runner.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <memory>
#include <optional>
#include <stdexcept>
#include <thread>

#include <boost/asio.hpp>

#include "core/random.h"
#include "core/stats.h"
#include "net/client.h"
#include "net/http.h"
#include "sim/feedback_model.h"
#include "sim/http_transport.h"
#include "sim/service_admin.h"
#include "sim/steps.h"

namespace adda::sim {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
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
  double duration_s = 0;  // the load's, from its stages
  std::atomic<uint64_t> requests{0}, errors{0}, journeys_done{0}, in_flight{0};
};

struct Worker {
  explicit Worker(Shared& s) : shared(s) {}
  asio::io_context ioc;  // first member: destroyed last, after the users its handlers hold
  Shared& shared;
  RunMetrics metrics;
  std::vector<std::unique_ptr<asio::steady_timer>> arrival_timers;
};

// What the transport sends for a step: the credential the step names, spelt out.
HttpRequest ToHttp(StepRequest r, const std::string& token, const std::string& runner_key) {
  HttpRequest h;
  h.method = r.method == Method::kPost ? beast::http::verb::post : beast::http::verb::get;
  h.target = std::move(r.target);
  h.body = std::move(r.body);
  if (r.credential == Credential::kSession) h.bearer = token;
  if (r.credential == Credential::kRunner) h.bearer = runner_key;
  return h;
}

// The error class an exchange counts under, or "" when it succeeded.
std::string ErrorClass(const beast::error_code& ec, const HttpTransport& transport) {
  if (ec) return ec == beast::error::timeout ? "timeout" : "transport";
  const int status = transport.response().result_int();
  if (status >= 500) return "http_5xx";
  if (status >= 400) return "http_4xx";
  return "";
}

// One virtual citizen. Lives on one worker's io_context; all its handlers run there. What
// each step sends and reads is the step table's (steps.h); the user schedules the steps,
// times them and counts them.
class User : public std::enable_shared_from_this<User> {
 public:
  User(Worker& w, int slot)
      : w_(w),
        sh_(w.shared),
        slot_(slot),
        ctx_{sh_.scenario, sh_.population, sh_.options.run_id, w.metrics},
        transport_(w.ioc, sh_.borger, sh_.host),
        timer_(w.ioc) {}

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
    Begin(index);
    journey_start_ = intended;
    if (!reserved) sh_.in_flight++;
    w_.metrics.journeys_started++;
    LookUpCohorts();
    Run(intended);
  }

 private:
  // A fresh journey state for journey `index` of the plan.
  void Begin(uint64_t index) {
    j_ = JourneyState{};
    j_.plan = sh_.plan.At(index);
    j_.persona = &sh_.scenario.personas[j_.plan.persona];
    j_.journey = &sh_.scenario.journeys[j_.plan.journey];
    j_.rng = Rng(DeriveSeed(j_.plan.seed, "choices"));
    j_.steps = j_.journey->steps;
    j_.think = j_.plan.think_s;
    j_.met.steps_planned = static_cast<int>(j_.steps.size());
    j_.wants_feedback = std::any_of(j_.steps.begin(), j_.steps.end(),
                                    [](const JourneyStep& s) { return s.step == Step::kFeedback; }) ||
                        j_.rng.Chance(j_.persona->feedback_rate);
  }

  // The journey's cohorts, looked up once (std::map nodes stay put) rather than per request.
  void LookUpCohorts() {
    auto& m = w_.metrics;
    const std::string mname = std::to_string(j_.plan.municipality);
    cohorts_ = {&m.all, &m.journeys[j_.journey->name], &m.municipalities[mname], &m.personas[j_.persona->name],
                &m.age_bands[sh_.population.AgeBandOf(j_.plan.user)]};
    for (int s = 0; s < kStepCount; ++s) step_cohorts_[s] = {nullptr, nullptr};
    cohort_keys_ = {"municipality:" + mname, "persona:" + j_.persona->name};
  }

  template <typename F>
  void Park(Clock::time_point when, F&& f) {
    timer_.expires_at(when);
    timer_.async_wait([f = std::forward<F>(f)](const beast::error_code& ec) {
      if (!ec) f();
    });
  }

  bool Stopped() const { return sh_.options.stop && sh_.options.stop->load(); }

  // Runs the step under way at `intended`, or skips it when there is nothing to do it on.
  void Run(Clock::time_point intended) {
    if (Stopped()) return Cut();
    if (j_.step_i >= j_.steps.size()) return End();
    current_ = j_.steps[j_.step_i].step;
    auto req = BuildStep(current_, ctx_, j_);
    if (!req) {
      ++j_.step_i;
      return Next(intended);  // keep the schedule: a late timer must still show as latency
    }
    intended_ = intended;
    transport_.Exchange(ToHttp(std::move(*req), j_.token, sh_.targets.borger_admin),
                        std::chrono::milliseconds(sh_.scenario.request_timeout_ms),
                        [self = shared_from_this()](const beast::error_code& ec) { self->Answered(ec); });
  }

  // Schedules the next step after its think time.
  void Next(Clock::time_point from) {
    if (j_.step_i >= j_.steps.size()) return End();
    const double think = (j_.step_i < j_.think.size() ? j_.think[j_.step_i] : 0) * sh_.options.time_scale;
    const auto when = from + FromSeconds(think);
    Park(when, [self = shared_from_this(), when] { self->Run(when); });
  }

  // Counts the exchange, lets the step read its answer, and goes on, or ends the journey
  // early after an error, an answer it cannot read, or a wait beyond the persona's patience.
  void Answered(const beast::error_code& ec) {
    const auto now = Clock::now();
    const double corrected_ms = Seconds(now - intended_) * 1000;
    const double raw_ms = Seconds(now - transport_.sent()) * 1000;
    const std::string error_class = ErrorClass(ec, transport_);
    const double offset_s = Seconds(now - sh_.start);
    Record(corrected_ms, raw_ms, offset_s, error_class);
    Experience& met = j_.met;
    met.latencies_ms.push_back(corrected_ms);
    met.step_names.push_back(StepName(current_));
    met.slowest_ms = std::max(met.slowest_ms, corrected_ms);
    const bool feedback_step = current_ == Step::kFeedback;
    if (!error_class.empty()) return Failed(feedback_step, now);
    met.steps_done++;
    try {
      KindOf(current_).read(ctx_, j_, transport_.response().body(), offset_s);
    } catch (const std::exception&) {  // a field of another type than documented
      w_.metrics.errors_by_class["bad_answer"]++;
      met.failed = true;
      return FinishEarly(now);
    }
    if (corrected_ms > j_.persona->patience_s * 1000 && !feedback_step) {
      met.abandoned = true;
      w_.metrics.errors_by_class["abandoned"]++;
      return FinishEarly(now);
    }
    ++j_.step_i;
    Next(now);
  }

  // An exchange that failed: a failed feedback post ends the journey as it was.
  void Failed(bool feedback_step, Clock::time_point now) {
    j_.met.errors++;
    if (feedback_step) {
      w_.metrics.feedback_errors++;
      return End();
    }
    j_.met.failed = true;
    FinishEarly(now);
  }

  void Record(double corrected_ms, double raw_ms, double offset_s, const std::string& error_class) {
    auto& m = w_.metrics;
    const auto us = static_cast<uint64_t>(corrected_ms * 1000);
    const bool error = !error_class.empty();
    RecordStep(us, static_cast<uint64_t>(raw_ms * 1000), error_class);
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
    RecordInWindows(offset_s, error);
    sh_.requests++;
    if (error) sh_.errors++;
  }

  // The step's figures: the run's and its cohorts' (municipality, persona).
  void RecordStep(uint64_t corrected_us, uint64_t raw_us, const std::string& error_class) {
    auto& m = w_.metrics;
    const bool error = !error_class.empty();
    const int s = static_cast<int>(current_);
    auto record_step = [&](StepMetrics& st) {
      st.count++;
      st.corrected.Record(corrected_us);
      st.raw.Record(raw_us);
      if (error) st.errors++, st.errors_by_class[error_class]++;
    };
    record_step(m.steps[s]);
    auto& per_cohort = step_cohorts_[s];
    for (size_t k = 0; k < per_cohort.size(); ++k) {
      if (!per_cohort[k]) per_cohort[k] = &m.step_cohorts[{s, cohort_keys_[k]}];
      record_step(*per_cohort[k]);
    }
  }

  void RecordInWindows(double offset_s, bool error) {
    for (size_t k = 0; k < sh_.scenario.faults.size(); ++k) {
      const auto& f = sh_.scenario.faults[k];
      if (offset_s >= f.start_s && offset_s < f.end_s) {
        w_.metrics.windows[k].requests++;
        w_.metrics.windows[k].errors += error;
        if (j_.met.fault_window.empty()) j_.met.fault_window = f.name;
      }
    }
  }

  // After an error or giving up: the persona may still say what it thought.
  void FinishEarly(Clock::time_point now) {
    if (j_.wants_feedback && !j_.feedback_done) {
      j_.steps.assign({JourneyStep{Step::kFeedback, 0}});
      j_.think.assign({0});
      j_.step_i = 0;
      return Next(now);
    }
    End();
  }

  void End() {
    const double tot = Seconds(Clock::now() - journey_start_);
    const bool ok = !j_.met.failed && !j_.met.abandoned;
    if (!j_.feedback_done && j_.wants_feedback && ok) {
      // A journey without a feedback step whose persona chose to answer.
      j_.steps.push_back(JourneyStep{Step::kFeedback, 0});
      j_.think.resize(j_.steps.size(), 0);
      j_.wants_feedback = false;
      j_.step_i = j_.steps.size() - 1;
      return Next(Clock::now());
    }
    CountJourney(ok, tot);
    j_.answered.reset();
    j_.feedback_row = -1;
    sh_.in_flight--;
    sh_.journeys_done++;
    // A journey's connection is not kept for the next one; in the closed model the same
    // user, a returning citizen, takes the next journey.
    transport_.Disconnect();
    if (slot_ >= 0) Loop();
  }

  // The finished journey in its cohorts, and its SUS score in its feedback row.
  void CountJourney(bool ok, double time_on_task_s) {
    const auto& met = j_.met;
    for (Cohort* c : cohorts_) {
      c->journeys++;
      if (ok) c->ok++, c->time_on_task_s.push_back(time_on_task_s);
      else if (met.abandoned) c->abandoned++;
      else c->failed++;
      if (j_.answered) {
        c->ratings.push_back(j_.answered->rating);
        if (const auto sus = SusScore(j_.answered->sus)) c->sus.push_back(*sus);
      }
    }
    if (j_.feedback_row >= 0 && j_.answered) {
      auto& row = w_.metrics.feedback_rows[j_.feedback_row];
      const auto sus = SusScore(j_.answered->sus);
      row["sus_score"] = sus ? nlohmann::json(*sus) : nlohmann::json();
    }
  }

  void Cut() {
    sh_.in_flight--;
    w_.metrics.journeys_cut++;
    transport_.Disconnect();
  }

  Worker& w_;
  Shared& sh_;
  int slot_;  // closed model: the user's slot; -1 in the open model
  StepContext ctx_;  // what the step table reads, and counts into
  HttpTransport transport_;
  asio::steady_timer timer_;

  JourneyState j_;
  Step current_ = Step::kLogin;
  Clock::time_point journey_start_, intended_;
  std::vector<std::string> cohort_keys_;  // "municipality:561", "persona:senior"
  std::array<Cohort*, 5> cohorts_{};       // all, journey, municipality, persona, age band
  std::array<std::array<StepMetrics*, 2>, kStepCount> step_cohorts_{};
  int runs_ = 0;  // journeys this (closed-model) user has started
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

// Starts the load: the closed model's users, one per slot up to the peak target, spread
// over the workers; or the open model's arrival timers, one per worker. Returns the
// closed model's users.
std::vector<std::shared_ptr<User>> StartLoad(Shared& sh, std::vector<std::unique_ptr<Worker>>& workers) {
  const int n = static_cast<int>(workers.size());
  std::vector<std::shared_ptr<User>> slots;
  if (sh.scenario.load.kind == LoadModel::Kind::kClosed) {
    double peak = 0;
    for (const auto& s : sh.scenario.load.stages) peak = std::max(peak, s.target);
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
  return slots;
}

// Whether the load ends at `elapsed`: its time is up, the plan's journeys are done,
// or the run is stopped.
bool LoadEnds(const Shared& sh, double elapsed, bool stopping) {
  const auto kind = sh.scenario.load.kind;
  const bool out_of_time = !sh.by_count && elapsed >= sh.duration_s;
  const bool out_of_journeys = sh.by_count && kind == LoadModel::Kind::kClosed &&
                               sh.next_journey >= sh.plan.total() && sh.in_flight == 0;
  const bool arrivals_done = kind == LoadModel::Kind::kOpen && elapsed >= sh.duration_s;
  return stopping || out_of_time || out_of_journeys || arrivals_done || sh.load_over;
}

// Reports progress about twice a second, and once more when the load ends.
class ProgressMeter {
 public:
  explicit ProgressMeter(const Shared& sh) : sh_(sh) {}
  void Tick(Clock::time_point now, double elapsed, bool load_ended, const std::string& fault) {
    if (!sh_.options.progress || (Seconds(now - last_tick_) < 0.5 && !load_ended)) return;
    Progress p;
    p.elapsed_s = elapsed;
    p.duration_s = sh_.by_count ? 0 : sh_.duration_s;
    p.journeys_done = sh_.journeys_done;
    p.journeys_planned = sh_.plan.total() == UINT64_MAX ? 0 : sh_.plan.total();
    p.requests = sh_.requests;
    p.errors = sh_.errors;
    p.in_flight = sh_.in_flight;
    p.rps = (p.requests - last_requests_) / std::max(1e-3, Seconds(now - last_tick_));
    p.fault = fault;
    last_requests_ = p.requests;
    last_tick_ = now;
    sh_.options.progress(p);
  }

 private:
  const Shared& sh_;
  uint64_t last_requests_ = 0;
  Clock::time_point last_tick_ = Clock::now();
};

// The control loop: faults, progress, and the end of the load. Returns once no journey
// is under way after the load ended, or the grace period for those under way is over.
void Control(Shared& sh, FaultDriver& faults) {
  ProgressMeter progress(sh);
  std::optional<Clock::time_point> load_end;
  for (;;) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    const auto now = Clock::now();
    const double elapsed = Seconds(now - sh.start);
    const bool stopping = sh.options.stop && sh.options.stop->load();
    const std::string active = faults.Tick(elapsed);
    if (!load_end && LoadEnds(sh, elapsed, stopping)) {
      sh.load_over = true;
      load_end = now;
    }
    progress.Tick(now, elapsed, load_end.has_value(), active);
    if (load_end) {
      const double grace = stopping ? 2.0 : sh.options.graceful_stop_s;
      if (sh.in_flight == 0 || Seconds(now - *load_end) >= grace) break;
    }
  }
}

// borger.dk's address; `host` gets the Host header's value (host:port).
asio::ip::tcp::endpoint Resolve(const std::string& base, std::string* host) {
  int port = 0;
  net::ParseBaseUrl(base, host, &port);
  asio::io_context resolver_ctx;
  asio::ip::tcp::resolver resolver(resolver_ctx);
  const auto endpoints = resolver.resolve(*host, std::to_string(port));
  if (endpoints.empty()) throw std::runtime_error("cannot resolve " + base);
  *host += ":" + std::to_string(port);
  return endpoints.begin()->endpoint();
}

// Runs each worker's io_context on a thread of its own until Stop.
class WorkerThreads {
 public:
  explicit WorkerThreads(std::vector<std::unique_ptr<Worker>>& workers) : workers_(workers) {
    for (auto& w : workers_) guards_.push_back(asio::make_work_guard(w->ioc));
    for (auto& w : workers_) threads_.emplace_back([&w] { w->ioc.run(); });
  }
  void Stop() {
    for (auto& g : guards_) g.reset();
    for (auto& w : workers_) w->ioc.stop();
    for (auto& t : threads_) t.join();
  }

 private:
  std::vector<std::unique_ptr<Worker>>& workers_;
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> guards_;
  std::vector<std::thread> threads_;
};

// The workers, each counting into the run's time buckets and fault windows.
std::vector<std::unique_ptr<Worker>> MakeWorkers(Shared& sh, int n, double bucket_s) {
  std::vector<std::unique_ptr<Worker>> workers;
  for (int i = 0; i < n; ++i) {
    workers.push_back(std::make_unique<Worker>(sh));
    workers.back()->metrics.bucket_s = bucket_s;
    workers.back()->metrics.windows.resize(sh.scenario.faults.size());
  }
  return workers;
}

// Once the workers' threads stopped: merges their metrics into `out`, then destroys them
// and with them the users still parked; the journeys under way count as cut.
void Collect(const Shared& sh, std::vector<std::shared_ptr<User>>& slots,
             std::vector<std::unique_ptr<Worker>>& workers, double bucket_s, RunMetrics& out) {
  const uint64_t cut = sh.in_flight;
  slots.clear();
  for (auto& w : workers) {
    for (auto& t : w->arrival_timers) t->cancel();
    out.Merge(std::move(w->metrics));
  }
  workers.clear();  // destroys parked users
  out.journeys_cut += cut;
  out.bucket_s = bucket_s;
  out.windows.resize(sh.scenario.faults.size());
}

}  // namespace

RunResult RunScenario(const Scenario& scenario, const Plan& plan, const Population& population,
                      const RunTargets& targets, const RunOptions& options) {
  std::string host;
  const auto borger = Resolve(targets.borger, &host);
  Shared shared{scenario, plan, population, targets, options, borger, host, Clock::now()};
  const int n = std::max(1, options.workers);
  shared.duration_s = scenario.load.duration_s();
  shared.by_count = scenario.load.journeys.has_value() || scenario.load.each_citizen;
  const double bucket_s = shared.duration_s > 600 && !shared.by_count ? std::ceil(shared.duration_s / 600) : 1;
  auto workers = MakeWorkers(shared, n, bucket_s);

  RunResult result;
  result.started_at = options.wall->NowIso();
  FaultDriver faults(scenario, targets);
  shared.start = Clock::now();
  std::vector<std::shared_ptr<User>> slots = StartLoad(shared, workers);
  WorkerThreads threads(workers);
  Control(shared, faults);
  const bool stopped = options.stop && options.stop->load();
  result.load_seconds = Seconds(Clock::now() - shared.start);
  threads.Stop();
  faults.LiftAll();
  result.fault_applied = faults.applied();
  result.fault_errors = faults.errors();
  Collect(shared, slots, workers, bucket_s, result.metrics);
  result.complete = !stopped;
  result.finished_at = options.wall->NowIso();
  if (options.services_clock) result.simulated_end = options.services_clock->NowIso();
  return result;
}

}  // namespace adda::sim
