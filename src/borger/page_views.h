// The citizen's pages as HTML, written from the same explained model the JSON routes
// answer (core/explain.cc's wording, fixtures/explanations.json): no rule and no text
// of the model is written a second time here, only where it goes on the page. Pure
// functions of their inputs; every text from data goes through web::Escape (web::Html).
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace adda::borger::views {

// A test user the login page offers.
struct TestUser {
  std::string cpr;
  std::string name;
  std::string birth_date;
};

struct LoginView {
  std::string csrf;                  // the login form's double-submit token
  std::string after;                 // where to go once logged in (a checked local path)
  std::string cpr;                   // as typed, on a failed attempt
  std::string error;                 // the error summary's text; empty: none
  std::string notice;                // e.g. "Du er logget af."
  int municipality = 0;              // the list's municipality
  std::vector<std::pair<int, std::string>> municipalities;  // code, name
  std::string query;                 // the search text
  std::vector<TestUser> users;       // the list, already filtered
  std::string password_hint;         // the mock IdP's password for every test user
  std::string users_error;           // the list could not be fetched
};
// The mock MitID login (the <main> content).
std::string Login(const LoginView& v);

// Mit Overblik from the overview's JSON (GET /v1/overview).
std::string Overview(const nlohmann::json& overview);
// One case from its JSON (GET /v1/cases/{code}/{id}).
std::string Case(const nlohmann::json& c);
// One benefit from its JSON (GET /v1/benefits/{code}/{id}).
std::string Benefit(const nlohmann::json& g);

// The page's own path for an explained item: /mit-overblik/sag/561/ID or …/ydelse/….
std::string ItemPath(const nlohmann::json& item);

// A problem with a form's answer: the control's id (the error summary links to it) and
// what to do, in Danish.
struct FormError {
  std::string id;
  std::string text;
};

// "Ret eller tilføj": the contribution form for one of my items.
struct ContributionFormView {
  std::string csrf;
  std::string action;      // the form's own path: /mit-overblik/ret/sag/561/ID
  std::string back;        // the item's page
  std::string item_kind;   // case | grant
  std::string item_title;
  std::string field;       // as chosen ("" = the whole item)
  std::string kind;        // correction | note, as chosen
  std::string text;        // as written
  std::string client_id;   // the form's own id: a resent form is stored once
  std::vector<FormError> errors;
};
// `texts` is fixtures/explanations.json's "contributions" section (kinds, fields, statuses).
std::string ContributionForm(const ContributionFormView& v, const nlohmann::json& texts);
// "Mine rettelser og bemærkninger" from GET /v1/contributions; `received` names the one
// just sent (its receipt is shown on top), "" for none.
std::string Contributions(const nlohmann::json& mine, const nlohmann::json& texts, const std::string& received);
// The path of an item's contribution form: /mit-overblik/ret/sag/561/ID or …/ydelse/….
std::string ContributionPath(const std::string& item_kind, int municipality, const std::string& id);

// "Din mening om Mit Overblik": a rating, the ten SUS statements, a comment.
struct FeedbackFormView {
  std::string csrf;
  std::string client_id;             // the form's own id: a resent form is stored once
  std::string page;                  // the page it is about (a checked local path), or ""
  std::string rating;                // "1".."5" as chosen, or ""
  std::vector<std::string> sus = std::vector<std::string>(10);  // "1".."5" or "" each
  std::string text;
  bool thanks = false;               // sent: the thanks instead of the form
  std::vector<FormError> errors;
};
// `texts` is fixtures/explanations.json's "feedback" section.
std::string FeedbackForm(const FeedbackFormView& v, const nlohmann::json& texts);

// "Hvem har set mine data" from the access log's JSON (GET /v1/access-log).
std::string AccessLog(const nlohmann::json& page);

std::string Accessibility(const std::string& dkfds_version);

// An error page's content: a heading, what happened and what to do, the request id.
std::string Error(int status, const std::string& heading, const std::string& text, const std::string& request_id,
                  bool offer_login);

}  // namespace adda::borger::views
