// The citizen's pages: Mit Overblik in a browser. Each page calls the JSON route's own
// handler — the same authorisation, the same access-log entry, the same explained
// model — and writes its answer as HTML (page_views.cc); a refusal is answered as a page
// (ErrorAnswer). The session travels in an HttpOnly cookie, every form carries a CSRF
// token, and every page is served with a Content-Security-Policy without inline script.
#include <algorithm>
#include <cctype>

#include "borger/service.h"
#include "core/cpr.h"
#include "core/ids.h"
#include "web/assets.h"
#include "web/forms.h"
#include "web/layout.h"

namespace adda::borger {
namespace {

constexpr const char* kSessionCookie = "adda_session";
constexpr const char* kLoginCsrfCookie = "adda_csrf";

// Where a login may send the browser on: only the pages' own paths (no open redirect).
std::string SafeAfter(const std::string& after) {
  if (after.rfind("/mit-overblik", 0) != 0 || after.size() > 200) return "/mit-overblik";
  for (char c : after)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || std::string_view("/-_.?=&").find(c) != std::string_view::npos))
      return "/mit-overblik";
  return after;
}

bool IsHexToken(const std::string& s, size_t size) {
  return s.size() == size && std::all_of(s.begin(), s.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); });
}

std::string Lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// A browser asking for a page (an unknown path answers as a page only to one).
bool WantsHtml(const net::Request& req) { return req.Header("Accept").find("text/html") != std::string::npos; }

std::string CookieOf(const net::Request& req, const char* name) {
  const auto cookies = web::ParseCookies(req.Header("Cookie"));
  auto it = cookies.find(name);
  return it == cookies.end() ? "" : it->second;
}

// "sag" and "ydelse" in the pages' paths are the API's "case" and "grant".
std::string ItemKindOf(const net::Request& req) {
  const std::string& word = req.Param("kind");
  if (word == "sag") return "case";
  if (word == "ydelse") return "grant";
  throw net::HttpError("route.not_found", "no such page");
}

// Characters (UTF-8 code points), as the API counts a text's length.
size_t Characters(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

}  // namespace

views::ContributionFormView BorgerService::ContributionFormFor(net::Request& req) {
  views::ContributionFormView v;
  v.item_kind = ItemKindOf(req);
  const Subject s = ResolveSubject(req);
  const std::string& code = req.Param("code");
  if (code.size() != 3 || code.find_first_not_of("0123456789") != std::string::npos || code[0] == '0')
    throw net::HttpError("request.bad_municipality", "the municipality code must be three digits, 100-999");
  const std::string& id = req.Param("id");
  if (id.empty() || id.size() > 64 || !IsSafeId(id))
    throw net::HttpError("request.bad_id", "the id must be 1-64 characters of letters, digits, '.', '_' or '-'");
  // The item must be the subject's own: someone else's answers exactly like a missing one.
  const auto item = LoadItem(s, v.item_kind, std::stoi(code), id);
  v.item_title = item.value("title", "");
  v.back = views::ItemPath(item);
  v.action = views::ContributionPath(v.item_kind, std::stoi(code), id);
  v.csrf = CsrfFor(req.principal->session);
  return v;
}

net::Response BorgerService::ContributionFormPage(net::Request& req) {
  views::ContributionFormView v = ContributionFormFor(req);
  v.client_id = net::RandomHex(16);
  return PageFor(req, "Ret eller tilføj", views::ContributionForm(v, ContributionTexts()), nullptr, v.back);
}

net::Response BorgerService::ContributionSubmit(net::Request& req) {
  views::ContributionFormView v = ContributionFormFor(req);
  auto form = web::ParseForm(req.body);
  v.field = form["felt"].substr(0, 64);
  v.kind = form["type"];
  v.text = form["tekst"];
  v.client_id = IsHexToken(form["id"], 32) ? form["id"] : net::RandomHex(16);
  const nlohmann::json& texts = ContributionTexts();
  // The form's own checks, in Danish, in the order of the form.
  if (v.kind != "correction" && v.kind != "note") {
    v.kind.clear();
    v.errors.push_back({"type-correction", "Vælg, om noget er forkert, eller om der mangler noget."});
  }
  if (!v.field.empty() && !texts["fields"][v.item_kind].contains(v.field)) {
    v.field.clear();
    v.errors.push_back({"felt", "Vælg en af oplysningerne på listen."});
  }
  if (v.text.find_first_not_of(" \t\r\n") == std::string::npos)
    v.errors.push_back({"tekst", "Skriv, hvad der er forkert eller mangler."});
  else if (Characters(v.text) > 2000)
    v.errors.push_back({"tekst", "Teksten er " + std::to_string(Characters(v.text)) +
                                     " tegn. Den må højst være 2000 tegn. Gør den kortere."});
  auto again = [&] {
    auto resp = PageFor(req, "Ret eller tilføj", views::ContributionForm(v, texts), nullptr, v.back);
    resp.status = 422;
    return resp;
  };
  if (!v.errors.empty()) return again();
  // The API's own handler stores and forwards it: one set of rules, one outbox.
  nlohmann::json body{{"municipality", std::stoi(req.Param("code"))}, {"item_kind", v.item_kind},
                      {"item_id", req.Param("id")}, {"kind", v.kind}, {"text", v.text}, {"id", v.client_id}};
  if (!v.field.empty()) body["field"] = v.field;
  net::Request api = req;
  api.body_schema = nullptr;
  api.body = body.dump();
  net::Response stored;
  try {
    stored = Contribute(api);
  } catch (const net::HttpError& e) {
    if (e.code() == "contribution.id_conflict") {
      // The form was sent, then changed and sent again (the browser's back button): the
      // changed text is a new contribution.
      body["id"] = net::RandomHex(16);
      api.body = body.dump();
      stored = Contribute(api);
    } else if (e.code() == "contribution.invalid") {
      v.errors.push_back({"tekst", "Vi kunne ikke tage imod beskeden. Ret teksten, og prøv igen."});
      return again();
    } else {
      throw;
    }
  }
  return web::Redirect("/mit-overblik/bidrag?modtaget=" + nlohmann::json::parse(stored.body).value("id", ""));
}

net::Response BorgerService::ContributionsHtml(net::Request& req) {
  const auto model = nlohmann::json::parse(MyContributions(req).body);
  std::string received = req.Query("modtaget").value_or("");
  if (!IsHexToken(received, 32)) received.clear();
  return PageFor(req, "Mine rettelser og bemærkninger", views::Contributions(model, ContributionTexts(), received),
                 nullptr, "/mit-overblik");
}

net::Response BorgerService::FeedbackPage(net::Request& req) {
  views::FeedbackFormView v;
  v.csrf = CsrfFor(req.principal->session);
  v.client_id = net::RandomHex(16);
  if (auto side = req.Query("side")) v.page = SafeAfter(*side);
  v.thanks = req.Query("tak").has_value();
  return PageFor(req, "Din mening om Mit Overblik", views::FeedbackForm(v, FeedbackTexts()), nullptr, "/mit-overblik");
}

net::Response BorgerService::FeedbackSubmit(net::Request& req) {
  auto form = web::ParseForm(req.body);
  views::FeedbackFormView v;
  v.csrf = CsrfFor(req.principal->session);
  v.client_id = IsHexToken(form["id"], 32) ? form["id"] : net::RandomHex(16);
  if (!form["side"].empty()) v.page = SafeAfter(form["side"]);
  const auto one_to_five = [](const std::string& s) { return s.size() == 1 && s[0] >= '1' && s[0] <= '5'; };
  v.rating = form["vurdering"];
  if (!v.rating.empty() && !one_to_five(v.rating)) {
    v.rating.clear();
    v.errors.push_back({"vurdering-1", "Vælg en af de fem svarmuligheder."});
  }
  int answered = 0;
  int first_missing = 0;
  for (int i = 0; i < 10; ++i) {
    std::string a = form["sus" + std::to_string(i + 1)];
    if (!a.empty() && !one_to_five(a)) a.clear();
    v.sus[i] = a;
    if (!a.empty()) ++answered;
    else if (!first_missing) first_missing = i + 1;
  }
  if (answered > 0 && answered < 10)
    v.errors.push_back({"sus" + std::to_string(first_missing) + "-1",
                        "Svar på alle ti udsagn, eller lad dem alle stå tomme. Udsagn " + std::to_string(first_missing) +
                            " mangler et svar."});
  v.text = form["tekst"];
  const bool has_text = v.text.find_first_not_of(" \t\r\n") != std::string::npos;
  if (Characters(v.text) > 2000)
    v.errors.push_back({"tekst", "Teksten er " + std::to_string(Characters(v.text)) +
                                     " tegn. Den må højst være 2000 tegn. Gør den kortere."});
  if (v.errors.empty() && v.rating.empty() && answered == 0 && !has_text)
    v.errors.push_back({"vurdering-1", "Giv en vurdering, svar på udsagnene, eller skriv en kommentar."});
  const nlohmann::json& texts = FeedbackTexts();
  auto again = [&](int status) {
    auto resp = PageFor(req, "Din mening om Mit Overblik", views::FeedbackForm(v, texts), nullptr, "/mit-overblik");
    resp.status = status;
    return resp;
  };
  if (!v.errors.empty()) return again(422);
  // The API's own handler stores it: observed (a person's session), at most so many per
  // session, once per form (its id is the Idempotency-Key).
  nlohmann::json body{{"origin", "observed"}};
  if (!v.rating.empty()) body["rating"] = std::stoi(v.rating);
  if (answered == 10) {
    body["sus"] = nlohmann::json::array();
    for (const auto& a : v.sus) body["sus"].push_back(std::stoi(a));
  }
  if (has_text) body["text"] = v.text;
  if (!v.page.empty()) body["page"] = v.page;
  net::Request api = req;
  api.body_schema = nullptr;
  api.body = body.dump();
  api.headers["Idempotency-Key"] = "feedback-form-" + v.client_id;
  net::Response stored;
  try {
    stored = TakeFeedback(api);
  } catch (const net::HttpError& e) {
    if (e.code() != "idempotency.key_reused") throw;
    // The form was sent, changed and sent again (the back button): a new answer.
    api.headers["Idempotency-Key"] = "feedback-form-" + net::RandomHex(16);
    stored = TakeFeedback(api);
  }
  if (stored.status == 429) {
    v.errors.push_back({"vurdering-1", "Du har sendt mange vurderinger på kort tid. Vent " +
                                           stored.headers["Retry-After"] + " sekunder, og prøv igen."});
    auto resp = again(429);
    resp.headers["Retry-After"] = stored.headers["Retry-After"];
    return resp;
  }
  return web::Redirect("/mit-overblik/din-mening?tak=1");
}

const nlohmann::json& BorgerService::FeedbackTexts() { return Explanations::Embedded().raw()["feedback"]; }

const nlohmann::json& BorgerService::ContributionTexts() {
  return Explanations::Embedded().raw()["contributions"];
}

std::string BorgerService::CsrfFor(const std::string& session_id) const {
  return net::HmacSha256Hex(options_.session_secret, "csrf\n" + session_id).substr(0, 32);
}

void BorgerService::AuthorizePage(net::Request& req, const net::Route& route) {
  using net::Access;
  const bool post = req.method == "POST";
  if (route.access == Access::kPublic) {
    // The login form, before any session: its token is a cookie set with the form and
    // sent back in it (double submit), so another site cannot post it.
    if (post) {
      const auto form = web::ParseForm(req.body);
      const std::string cookie = CookieOf(req, kLoginCsrfCookie);
      auto it = form.find("csrf");
      if (!IsHexToken(cookie, 32) || it == form.end() || !net::ConstantTimeEquals(it->second, cookie))
        throw net::HttpError("csrf.invalid", "the form is out of date or was not sent from this site; load the page again");
    }
    return;
  }
  if (route.access != Access::kCitizen) throw std::logic_error("a page of access " + std::string(AccessName(route.access)));
  const std::string token = CookieOf(req, kSessionCookie);
  if (token.empty()) throw net::HttpError("auth.missing", "log in first");
  req.principal = SessionPrincipal(token);
  if (post) {
    const auto form = web::ParseForm(req.body);
    auto it = form.find("csrf");
    if (it == form.end() || !net::ConstantTimeEquals(it->second, CsrfFor(req.principal->session)))
      throw net::HttpError("csrf.invalid", "the form is out of date or was not sent from this site; load the page again");
  }
}

std::optional<net::Principal> BorgerService::CookiePrincipal(const net::Request& req) {
  const std::string token = CookieOf(req, kSessionCookie);
  if (token.empty()) return std::nullopt;
  try {
    return SessionPrincipal(token);
  } catch (const net::HttpError&) {
    return std::nullopt;
  }
}

net::Response BorgerService::PageFor(const net::Request& req, const std::string& title, const std::string& main,
                                     const nlohmann::json* model, const std::string& back) {
  web::Frame f;
  f.title = title;
  f.back_href = back;
  if (!back.empty()) f.back_text = "Tilbage til Mit Overblik";
  std::optional<net::Principal> who = req.principal;
  if (!who) who = CookiePrincipal(req);
  if (who && who->kind == "citizen") {
    f.csrf = CsrfFor(who->session);
    try {
      f.user = gateway_.CitizenOf(who->subject).person.full_name();
    } catch (const std::exception&) {
      f.user = "CPR " + who->subject.substr(0, 6) + "-xxxx";  // KOMBIT is away: no name to show
    }
  }
  // Whose data: the model's notice when the reader acts for someone else.
  if (model && model->is_object())
    for (const auto& n : model->value("notices", nlohmann::json::array()))
      if (n.value("kind", "") == "acting_on_behalf") f.subject_note = n.value("text", "");
  return web::PageResponse(200, web::Page(f, main));
}

net::Response BorgerService::HomePage(net::Request&) { return web::Redirect("/mit-overblik"); }

net::Response BorgerService::LoginAnswer(const net::Request& req, int status, views::LoginView v) {
  std::string csrf = CookieOf(req, kLoginCsrfCookie);
  const bool fresh = !IsHexToken(csrf, 32);
  if (fresh) csrf = net::RandomHex(16);
  v.csrf = csrf;
  v.password_hint = options_.test_password;
  const auto names = Context().municipality_names;
  for (const auto& [code, name] : names) v.municipalities.emplace_back(code, name);
  if (v.municipality == 0 || !names.count(v.municipality))
    v.municipality = names.empty() ? 0 : names.begin()->first;
  if (v.municipality == 0) {
    v.users_error = "Vi kan ikke hente testbrugerne lige nu. Du kan stadig skrive et CPR-nummer.";
  } else {
    try {
      auto r = gateway_.Get("/v1/citizens?municipality=" + std::to_string(v.municipality) + "&limit=500");
      if (r.status != 200) throw net::HttpError("kombit.error", "KOMBIT answered " + std::to_string(r.status));
      auto found = DecodeCitizens(r.body, "next_offset");
      if (!found.ok()) throw net::HttpError::From(found.status());
      const std::string q = Lower(v.query);
      std::string digits;
      for (char c : v.query)
        if (std::isdigit(static_cast<unsigned char>(c))) digits += c;
      for (const auto& c : found->items) {
        const std::string name = c.full_name();
        const bool match = q.empty() || Lower(name).find(q) != std::string::npos ||
                           (!digits.empty() && c.cpr.rfind(digits, 0) == 0);
        if (match) v.users.push_back({c.cpr, name, c.birth_date.ToString()});
        if (v.users.size() >= 25) break;
      }
    } catch (const std::exception&) {
      v.users_error = "Vi kan ikke hente testbrugerne lige nu. Du kan stadig skrive et CPR-nummer.";
    }
  }
  web::Frame f;
  f.title = "Log ind";
  auto resp = web::PageResponse(status, web::Page(f, views::Login(v)));
  if (fresh) {
    web::CookieOptions o;
    o.secure = options_.secure_cookies;
    o.same_site = "Strict";
    resp.headers["Set-Cookie"] = web::SetCookie(kLoginCsrfCookie, csrf, o);
  }
  return resp;
}

net::Response BorgerService::LoginPage(net::Request& req) {
  if (CookiePrincipal(req)) return web::Redirect(SafeAfter(req.Query("efter").value_or("")));
  views::LoginView v;
  v.after = SafeAfter(req.Query("efter").value_or(""));
  v.query = req.Query("q").value_or("").substr(0, 100);
  if (auto k = req.Query("kommune"); k && k->size() == 3 && std::all_of(k->begin(), k->end(), ::isdigit))
    v.municipality = std::stoi(*k);
  if (req.Query("logget_af")) v.notice = "Du er logget af.";
  return LoginAnswer(req, 200, std::move(v));
}

net::Response BorgerService::LoginSubmit(net::Request& req) {
  auto form = web::ParseForm(req.body);
  views::LoginView v;
  v.after = SafeAfter(form["efter"]);
  v.cpr = form["cpr"].substr(0, 20);
  const std::string& password = form["password"];
  if (form["cpr"].empty()) {
    v.error = "Skriv dit CPR-nummer.";
    return LoginAnswer(req, 422, std::move(v));
  }
  if (form["cpr"].size() > 11 || password.size() > 200) {
    v.error = "Et CPR-nummer har 10 cifre, fx 0101901234.";
    return LoginAnswer(req, 422, std::move(v));
  }
  net::Response session;
  try {
    session = LoginWith(req, form["cpr"], password);
  } catch (const net::HttpError& e) {
    if (e.status() == 503 || e.status() == 502) throw;  // the error page says KOMBIT is away
    v.error = "CPR-nummeret eller adgangskoden er forkert.";
    return LoginAnswer(req, e.status(), std::move(v));
  }
  if (session.status == 429) {
    v.error = "Der er for mange forkerte forsøg. Vent " + session.headers["Retry-After"] + " sekunder, og prøv igen.";
    auto resp = LoginAnswer(req, 429, std::move(v));
    resp.headers["Retry-After"] = session.headers["Retry-After"];
    return resp;
  }
  const auto j = nlohmann::json::parse(session.body);
  auto resp = web::Redirect(v.after);
  web::CookieOptions o;
  o.secure = options_.secure_cookies;
  o.max_age_s = options_.session_minutes * 60;
  resp.headers["Set-Cookie"] = web::SetCookie(kSessionCookie, j.at("token").get<std::string>(), o);
  return resp;
}

net::Response BorgerService::LogoutSubmit(net::Request& req) {
  RevokeSession(req.principal->session);
  auto resp = web::Redirect("/log-ind?logget_af=1");
  web::CookieOptions o;
  o.secure = options_.secure_cookies;
  o.max_age_s = 0;
  resp.headers["Set-Cookie"] = web::SetCookie(kSessionCookie, "", o);
  return resp;
}

net::Response BorgerService::OverviewHtml(net::Request& req) {
  const auto model = nlohmann::json::parse(MyOverview(req).body);
  return PageFor(req, "Mit Overblik", views::Overview(model), &model);
}

net::Response BorgerService::CasePage(net::Request& req) {
  const auto model = nlohmann::json::parse(CaseItem(req).body);
  return PageFor(req, model.value("title", "Sag"), views::Case(model), &model, "/mit-overblik");
}

net::Response BorgerService::BenefitPage(net::Request& req) {
  const auto model = nlohmann::json::parse(BenefitItem(req).body);
  return PageFor(req, model.value("title", "Ydelse"), views::Benefit(model), &model, "/mit-overblik");
}

net::Response BorgerService::AccessLogHtml(net::Request& req) {
  const auto model = nlohmann::json::parse(AccessLogPage(req).body);
  return PageFor(req, "Hvem har set mine data", views::AccessLog(model), nullptr, "/mit-overblik");
}

net::Response BorgerService::DownloadPage(net::Request& req) {
  auto resp = Export(req);  // the file itself, as the API gives it
  web::SecurityHeaders(resp);
  return resp;
}

net::Response BorgerService::AccessibilityPage(net::Request& req) {
  return PageFor(req, "Tilgængelighedserklæring", views::Accessibility(web::DkfdsVersion()));
}

net::Response BorgerService::StaticFile(net::Request& req) {
  const auto& assets = web::Assets::Embedded();
  const web::Asset* a = req.Param("build") == assets.build() ? assets.Find(req.Param("path")) : nullptr;
  if (!a) throw net::HttpError("asset.not_found", "no such file");
  net::Response resp;
  if (req.Header("If-None-Match") == a->etag) {
    resp = net::Response::Raw(304, "", a->content_type);
  } else {
    resp = net::Response::Raw(200, std::string(a->bytes), a->content_type);
  }
  resp.headers["ETag"] = a->etag;
  // The URL names the build: a new build has new URLs, so this one never changes.
  resp.headers["Cache-Control"] = "public, max-age=31536000, immutable";
  resp.headers["X-Content-Type-Options"] = "nosniff";
  return resp;
}

net::Response BorgerService::ErrorAnswer(const net::Request& req, const net::Route* route, const net::HttpError& e) {
  const bool page = route ? route->page : WantsHtml(req);
  if (!page) return HttpService::ErrorAnswer(req, route, e);
  const int status = e.status();
  // No session, or one that ended: to the login, and back here afterwards.
  if (status == 401 && route && route->access == net::Access::kCitizen) {
    auto resp = web::Redirect(req.method == "GET" ? "/log-ind?efter=" + SafeAfter(req.target) : "/log-ind");
    if (!CookieOf(req, kSessionCookie).empty()) {
      web::CookieOptions o;
      o.secure = options_.secure_cookies;
      o.max_age_s = 0;
      resp.headers["Set-Cookie"] = web::SetCookie(kSessionCookie, "", o);
    }
    return resp;
  }
  std::string heading = "Der skete en fejl", text = "Siden kunne ikke vises. Prøv igen om lidt.";
  bool login = false;
  if (status == 404) {
    heading = "Siden findes ikke";
    text = "Vi kan ikke finde siden. Måske er adressen forkert, eller også er sagen eller ydelsen ikke din.";
  } else if (status == 400) {
    heading = "Adressen er ikke gyldig";
    text = "Adressen indeholder noget, vi ikke kan læse. Gå tilbage til Mit Overblik, og prøv igen.";
  } else if (status == 403 && e.code() == "csrf.invalid") {
    heading = "Formularen er udløbet";
    text = "Af sikkerhedshensyn kunne vi ikke tage imod formularen. Indlæs siden igen, og prøv en gang til.";
    login = true;
  } else if (status == 403) {
    heading = "Du har ikke adgang";
    text = "Du har ikke adgang til at se disse oplysninger.";
  } else if (status == 405) {
    heading = "Det kan siden ikke";
    text = "Siden kan ikke bruges på den måde.";
  } else if (status == 413) {
    heading = "Der er for meget tekst";
    text = "Formularen indeholdt mere, end vi kan tage imod. Gør teksten kortere, og prøv igen.";
  } else if (status == 502 || status == 503) {
    heading = "Vi kan ikke hente dine oplysninger lige nu";
    text = "Kommunernes data er midlertidigt utilgængelige. Prøv igen om lidt.";
  }
  web::Frame f;
  f.title = heading;
  auto resp = web::PageResponse(status, web::Page(f, views::Error(status, heading, text, req.request_id, login)));
  for (const auto& [k, v] : e.headers()) resp.headers[k] = v;  // Allow, Retry-After
  return resp;
}

}  // namespace adda::borger
