// Feedback: ratings, the ten System Usability Scale answers and free text, tied to a
// page or journey step and marked simulated or observed; a researcher export as CSV.
#include <sstream>

#include "core/csv.h"
#include "borger/service.h"
#include "core/stats.h"
#include "core/json_reader.h"

namespace adda::borger {
namespace {

std::string Csv(const std::optional<std::string>& v) { return v ? CsvField(*v) : std::string(); }

// The answer as the body gives it; every problem in `v`.
store::FeedbackRow DecodeFeedback(const nlohmann::json& body, std::vector<Violation>* out) {
  std::vector<Violation>& v = *out;
  JsonReader r(body, "", &v);
  r.ExpectOnly({"origin", "rating", "sus", "text", "page", "journey", "step", "run_id", "persona", "context"});
  store::FeedbackRow f;
  f.origin = r.OneOf("origin", true, {"simulated", "observed"}).value_or("");
  if (auto rating = r.Int("rating", false, 1, 5)) f.rating = static_cast<int>(*rating);
  f.text = r.String("text", false, 2000);
  f.page = r.String("page", false, 200);
  f.journey = r.String("journey", false, 100);
  f.step = r.String("step", false, 100);
  f.run_id = r.String("run_id", false, 100);
  f.persona = r.String("persona", false, 100);
  if (body.is_object() && body.contains("sus")) {
    const auto& sus = body["sus"];
    bool ok = sus.is_array() && sus.size() == 10;
    std::array<int, 10> answers{};
    for (size_t i = 0; ok && i < 10; ++i) {
      ok = sus[i].is_number_integer();
      if (ok) answers[i] = sus[i].get<int>();
    }
    const auto score = ok ? SusScore(answers) : std::nullopt;  // nullopt: an answer outside 1-5
    if (!score) v.push_back({"field.range", "sus", "the ten SUS answers, each 1-5"});
    else {
      f.sus = sus.dump();
      f.sus_score = *score;
    }
  }
  if (body.is_object() && body.contains("context")) {
    if (!body["context"].is_object() || body["context"].dump().size() > 8192)
      v.push_back({"field.type", "context", "an object of at most 8 KB"});
    else
      f.context = body["context"].dump();
  }
  if (!f.rating && !f.sus && !f.text) v.push_back({"field.required", "rating", "give a rating, SUS answers or a text"});
  return f;
}

net::Response FeedbackAnswer(const store::FeedbackRow& row, int status) {
  nlohmann::json out{{"id", row.id}, {"origin", row.origin}, {"ts", row.ts}};
  if (row.sus_score) out["sus_score"] = *row.sus_score;
  return net::Response::Json(status, out);
}

}  // namespace

net::Response BorgerService::TakeFeedback(net::Request& req) {
  std::vector<Violation> v;
  store::FeedbackRow f = DecodeFeedback(req.Json(), &v);
  if (!v.empty()) throw net::HttpError("feedback.invalid", "the feedback is not valid", {{"violations", v}});
  f.ts = clock().NowIso();
  // Who may say what: observed answers come from people (a session), so a
  // pilot's observed figures cannot be stuffed anonymously; simulated ones
  // from the runner.
  const bool runner = req.principal && req.principal->kind == "runner";
  if (f.origin == "observed" && runner)
    throw net::HttpError("feedback.observed_needs_session",
                         "observed feedback comes from a citizen's session, not the runner's credential");
  if (f.origin == "simulated" && !runner)
    throw net::HttpError("feedback.simulated_needs_runner",
                         "simulated feedback is taken only with the runner's credential");
  if (!runner) f.citizen = req.principal->subject;
  return StoreFeedbackOnce(req, std::move(f), runner);
}

net::Response BorgerService::StoreFeedbackOnce(const net::Request& req, store::FeedbackRow f, bool runner) {
  const std::string scope = runner ? "runner" : "citizen:" + *f.citizen;
  // A retry under the same Idempotency-Key (the first answer was lost, e.g.
  // in a crash after the commit) replays the stored answer instead of
  // storing the feedback twice.
  const std::string key = req.Header("Idempotency-Key");
  auto& st = conn().store;
  std::optional<store::FeedbackRow> stored;
  if (!key.empty()) {
    if (key.size() > 200 || key.find_first_of("\r\n\t") != std::string::npos)
      throw net::HttpError("idempotency.bad_key", "Idempotency-Key must be at most 200 printable characters");
    f.idempotency_key = key;
    f.idempotency_scope = scope;
    f.request_hash = net::Sha256Hex(scope + "\n" + req.body);
    stored = st.FeedbackByKey(scope, key);
  }
  if (!stored) {
    // New answers from one session are limited (a replay is not new).
    const int64_t wait = runner ? 0 : feedback_limit_.Take(req.principal->session, clock().UnixSeconds());
    if (wait > 0) {
      auto resp = net::HttpError("feedback.too_many", "too much feedback from this session; try again later",
                                 {{"retry_after_s", wait}}).ToResponse();
      resp.headers["Retry-After"] = std::to_string(wait);
      return resp;
    }
    f.id = st.InsertFeedback(f);
    if (f.id != 0) {
      metrics().Count("borger_feedback_" + f.origin + "_total");
      return FeedbackAnswer(f, 201);
    }
    stored = st.FeedbackByKey(scope, key);  // a concurrent request with the same key won
    if (!stored) throw std::runtime_error("feedback with Idempotency-Key neither stored nor found");
  }
  if (stored->request_hash != f.request_hash)
    throw net::HttpError("idempotency.key_reused", "you used this Idempotency-Key for different feedback");
  auto replay = FeedbackAnswer(*stored, 200);
  replay.headers["Idempotent-Replayed"] = "true";
  return replay;
}

net::Response BorgerService::FeedbackCsv(net::Request& req) {
  auto origin = req.Query("origin");
  if (origin && *origin != "simulated" && *origin != "observed")
    throw net::HttpError("request.bad_query", "origin must be simulated or observed", {{"parameter", "origin"}});
  std::ostringstream o;
  o << "id,ts,origin,run_id,journey,step,page,persona,rating,sus_score,"
       "sus1,sus2,sus3,sus4,sus5,sus6,sus7,sus8,sus9,sus10,text,context\n";
  for (const auto& f : conn().store.AllFeedback(origin)) {
    o << f.id << ',' << f.ts << ',' << f.origin << ',' << Csv(f.run_id) << ',' << Csv(f.journey) << ','
      << Csv(f.step) << ',' << Csv(f.page) << ',' << Csv(f.persona) << ','
      << (f.rating ? std::to_string(*f.rating) : "") << ',';
    if (f.sus_score) o << *f.sus_score;
    auto sus = f.sus ? nlohmann::json::parse(*f.sus) : nlohmann::json::array();
    for (size_t i = 0; i < 10; ++i) o << ',' << (i < sus.size() ? std::to_string(sus[i].get<int>()) : "");
    o << ',' << Csv(f.text) << ',' << Csv(f.context) << "\n";
  }
  return net::Response::Raw(200, o.str(), "text/csv; charset=utf-8");
}

net::Response BorgerService::Stats(net::Request&) {
  auto& db = conn().db;
  auto count = [&](const char* t) { return db.QueryInt(std::string("SELECT count(*) FROM ") + t).value_or(0); };
  return net::Response::Json(200, {{"sessions", count("sessions")},
                                   {"access_log", count("access_log")},
                                   {"contributions", count("contributions")},
                                   {"contributions_pending", db.QueryInt("SELECT count(*) FROM contributions WHERE forwarded = 0").value_or(0)},
                                   {"shares", count("shares")},
                                   {"proxies", count("proxies")},
                                   {"feedback", count("feedback")},
                                   {"kombit_breaker", gateway().breaker_state()}});
}


}  // namespace adda::borger
