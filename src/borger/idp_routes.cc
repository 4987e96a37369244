// The mock NemID/MitID identity provider and the session's own routes.
#include <algorithm>
#include <cctype>

#include "borger/service.h"
#include "core/cpr.h"
#include "core/ids.h"
#include "core/json_reader.h"

namespace adda::borger {
namespace {

// "127.0.0.1:51234" -> "127.0.0.1", "[::1]:51234" -> "::1": the client, not its port.
std::string PeerHost(const std::string& remote) {
  if (!remote.empty() && remote.front() == '[') return remote.substr(1, remote.find(']') - 1);
  const size_t colon = remote.rfind(':');
  return colon == std::string::npos ? remote : remote.substr(0, colon);
}

struct LoginForm {
  std::string cpr;  // as given: not yet known to be a CPR number
  std::string password;
};

// The login body, {cpr, password}; 422 login.invalid with every problem otherwise.
LoginForm DecodeLogin(const nlohmann::json& body) {
  std::vector<Violation> v;
  JsonReader r(body, "", &v);
  r.ExpectOnly({"cpr", "password"});
  const auto cpr = r.String("cpr", true, 11);
  const auto password = r.String("password", true, 200);
  if (!v.empty())
    throw net::HttpError("login.invalid", "give cpr and password", {{"violations", v}});
  return {*cpr, *password};
}

// 429 login.throttled, saying in body and Retry-After how many seconds to wait.
net::Response Throttled(int64_t wait) {
  net::HttpError e("login.throttled", "too many failed logins; try again later", {{"retry_after_s", wait}});
  auto resp = e.ToResponse();
  resp.headers["Retry-After"] = std::to_string(wait);
  return resp;
}

}  // namespace

net::Response BorgerService::TestUsers(net::Request& req) {
  const auto m = net::QueryInt(req, "municipality");
  if (!m) throw net::HttpError("request.bad_query", "municipality is required", {{"parameter", "municipality"}});
  const auto page = net::ParsePage(req, 50, 500);
  const auto after = req.Query("after");
  if (after && (after->size() != 10 || !std::all_of(after->begin(), after->end(), ::isdigit)))
    throw net::HttpError("request.bad_query", "after must be a CPR number (ten digits)", {{"parameter", "after"}});
  auto r = gateway().Get("/v1/citizens?municipality=" + std::to_string(*m) + "&limit=" + std::to_string(page.limit) +
                         (after ? "&after=" + *after : "&offset=" + std::to_string(page.offset)));
  if (r.status != 200) throw net::HttpError(r.status == 400 ? "request.bad_query" : "kombit.error", "KOMBIT answered " + std::to_string(r.status));
  const std::string next_key = after ? "next_after" : "next_offset";
  auto found = DecodeCitizens(r.body, next_key);
  if (!found.ok()) throw net::HttpError::From(found.status());
  nlohmann::json users = nlohmann::json::array();
  for (const auto& c : found->items)
    users.push_back({{"cpr", c.cpr}, {"name", c.full_name()}, {"birth_date", c.birth_date.ToString()},
                     {"password", options_.test_password}});
  return net::Response::Json(200, {{"items", users}, {next_key, found->next}});
}

net::Response BorgerService::Login(net::Request& req) {
  const LoginForm form = DecodeLogin(req.Json());
  return LoginWith(req, form.cpr, form.password);
}

net::Response BorgerService::LoginWith(const net::Request& req, const std::string& cpr_text, const std::string& password) {
  auto cpr = Cpr::Parse(cpr_text);
  // The same answer for an unknown CPR and a wrong password.
  const std::string subject = cpr.ok() ? cpr->digits() : cpr_text;
  auto& s = conn().store;
  const int64_t now = clock().UnixSeconds();
  // Failed logins are counted per CPR and per client address (a client
  // guessing across many CPRs is stopped as well as one guessing at one).
  const std::string client = "client:" + PeerHost(req.remote);
  auto t = s.GetThrottle(subject);
  auto tc = s.GetThrottle(client);
  if (const int64_t wait = LoginRetryAfter({t, tc}, now); wait > 0) return Throttled(wait);
  bool ok = cpr.ok() && password == options_.test_password;
  std::optional<CitizenRecord> citizen;
  if (ok) {
    citizen = gateway().FindCitizen(subject, false);
    ok = citizen.has_value();
  }
  if (!ok) {
    s.PutThrottle(subject, AfterFailedLogin(t, {options_.max_login_failures, options_.login_window_s}, now));
    s.PutThrottle(client, AfterFailedLogin(tc, {options_.max_client_login_failures, options_.login_window_s}, now));
    metrics().Count("borger_login_failures_total");
    throw net::HttpError("login.failed", "the CPR number or the password is wrong");
  }
  // Only a citizen with earlier failures has a row to clear: skip the write otherwise.
  if (!t.empty()) s.ClearThrottle(subject);
  return StartSession(subject, citizen->person.full_name());
}

// A session for `cpr`: its row (what makes logout final) and its signed token.
net::Response BorgerService::StartSession(const std::string& cpr, const std::string& name) {
  const int64_t now = clock().UnixSeconds();
  Session session{MakeSessionId(), cpr, "substantial", now + options_.session_minutes * 60, now};
  conn().store.InsertSession({session.id, session.cpr, session.loa, clock().NowIso(), session.expires, std::nullopt});
  metrics().Count("borger_logins_total");
  return net::Response::Json(201, {{"token", signer_.Sign(session)},
                                   {"session_id", session.id},
                                   {"expires_at", Timestamp(session.expires * 1000).ToString()},
                                   {"loa", session.loa},
                                   {"name", name}});
}

net::Response BorgerService::Logout(net::Request& req) {
  RevokeSession(req.principal->session);
  return net::Response::NoContent();
}

net::Response BorgerService::Me(net::Request& req) {
  const std::string me = req.principal->subject;
  const CitizenRecord info = gateway_.CitizenOf(me);
  const Date now = today();
  nlohmann::json children = nlohmann::json::array();
  for (const auto& c : info.children)
    if (c.IsMinorOn(now))
      children.push_back({{"cpr", c.cpr}, {"name", c.full_name()}, {"birth_date", c.birth_date.ToString()}});
  nlohmann::json held = nlohmann::json::array();
  for (const auto& p : conn().store.ProxiesHeldBy(me))
    if (!p.revoked && p.expires > clock().UnixSeconds())
      held.push_back({{"id", p.id}, {"grantor", p.grantor}, {"areas", nlohmann::json::parse(p.areas)},
                      {"expires_at", Timestamp(p.expires * 1000).ToString()}});
  return net::Response::Json(200, {{"cpr", me},
                                   {"name", info.person.full_name()},
                                   {"municipality", info.person.municipality},
                                   {"children", children},
                                   {"powers_of_attorney_held", held}});
}


}  // namespace adda::borger
