#include "borger/page_views.h"

#include <map>

#include "web/html.h"
#include "web/layout.h"

namespace adda::borger::views {
namespace {

using nlohmann::json;
using web::Html;
using web::Tone;

// A string field of `j`, "" when absent, null or not a string.
std::string S(const json& j, const char* key) {
  if (!j.is_object()) return "";
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : "";
}
const json& O(const json& j, const char* key) {
  static const json kNull;
  if (!j.is_object()) return kNull;
  auto it = j.find(key);
  return it == j.end() ? kNull : *it;
}

// The status badge: open items are still being worked on; closed ones are done.
void StatusBadge(Html& h, const json& item) {
  const bool open = item.value("open", false);
  std::string label = item.value("kind", "") == "case" ? S(O(item, "status"), "label") : "";
  if (label.empty()) label = open ? "Løbende" : "Afsluttet";
  web::Badge(h, open ? Tone::kInfo : Tone::kSuccess, label);
}

// The item's data-quality notices (and any other), each as an alert.
void Notices(Html& h, const json& item) {
  for (const auto& n : O(item, "notices")) web::Alert(h, Tone::kWarning, "", S(n, "text"));
}

void Fact(Html& h, const char* term, const std::string& text) {
  if (text.empty()) return;
  h.Element("dt", term).Element("dd", text);
}

// "1. januar 2019 – 31. december 2019", an open end as "og fremover".
std::string Period(const json& p) {
  const std::string start = S(p, "start"), end = S(p, "end");
  if (start.empty() && end.empty()) return "";
  if (end.empty()) return "Fra " + web::DanishDate(start);
  if (start.empty()) return "Til " + web::DanishDate(end);
  return web::DanishDate(start) + " – " + web::DanishDate(end);
}

void OverviewItem(Html& h, const json& item) {
  const bool is_case = item.value("kind", "") == "case";
  h.Raw("<li>");
  h.Open("h3", {{"class", "h4"}}).Link(ItemPath(item), S(item, "title")).Close("h3");
  h.Open("p", {{"class", "adda-meta"}});
  StatusBadge(h, item);
  h.Text(" ").Text(is_case ? "Sag" : "Ydelse").Text(" hos ").Text(S(item, "municipality_name"))
      .Text(" · senest ændret ").Text(web::DanishDate(S(item, "last_change")));
  h.Close("p");
  if (is_case) {
    const std::string means = S(O(item, "status"), "means");
    if (!means.empty()) h.Element("p", means, {{"class", "adda-meta"}});
  } else {
    const json& next = O(item, "next_payment");
    const json& last = O(item, "last_payment");
    if (next.is_object())
      h.Element("p", "Næste udbetaling: " + S(next, "paid_text") + " den " + S(next, "disposition_text"), {{"class", "adda-meta"}});
    else if (last.is_object())
      h.Element("p", "Seneste udbetaling: " + S(last, "paid_text") + " den " + S(last, "disposition_text"), {{"class", "adda-meta"}});
  }
  if (!O(item, "notices").empty()) {
    h.Open("p", {{"class", "adda-meta"}});
    web::Badge(h, Tone::kWarning, "Bemærk");
    h.Text(" ").Text(S(O(item, "notices")[0], "text")).Close("p");
  }
  h.Raw("</li>");
}

void PaymentsTable(Html& h, const char* caption, const json& payments) {
  if (!payments.is_array() || payments.empty()) return;
  h.Open("div", {{"class", "table--responsive-scroll"}});
  h.Open("table", {{"class", "table table--zebra"}}).Element("caption", caption);
  h.Raw("<thead><tr><th scope=\"col\">Dato</th><th scope=\"col\">Periode</th><th scope=\"col\" class=\"text-align-right\">"
        "Beløb før skat</th><th scope=\"col\" class=\"text-align-right\">Efter skat</th><th scope=\"col\" "
        "class=\"text-align-right\">Udbetalt</th></tr></thead><tbody>");
  for (const auto& p : payments) {
    h.Raw("<tr>").Element("td", S(p, "disposition_text")).Element("td", Period(O(p, "period")))
        .Element("td", S(p, "gross_text"), {{"class", "text-align-right"}})
        .Element("td", S(p, "after_tax_text"), {{"class", "text-align-right"}})
        .Element("td", S(p, "paid_text"), {{"class", "text-align-right"}}).Raw("</tr>");
  }
  h.Raw("</tbody></table></div>");
}

void Contact(Html& h, const json& item) {
  h.Element("h2", "Hvem står for det");
  h.Open("dl", {{"class", "adda-facts"}});
  Fact(h, "Kommune", S(item, "municipality_name"));
  Fact(h, "Ansvarlig enhed", S(O(item, "unit"), "text"));
  Fact(h, "Hvem leverer", S(O(item, "deliverer"), "text"));
  h.Close("dl");
}

// "Er noget forkert?": the way to the item's contribution form.
void FixIt(Html& h, const json& item) {
  const bool is_case = item.value("kind", "") == "case";
  h.Element("h2", "Er noget forkert, eller mangler der noget?");
  h.Element("p", std::string("Du kan gøre kommunen opmærksom på det. Kommunen ser på det og svarer dig her på siden."));
  h.Open("p").Link(ContributionPath(is_case ? "case" : "grant", item.value("municipality", 0), S(item, "id")),
                   "Ret eller tilføj", "button button-secondary").Close("p");
}

// The error summary on top of a form that came back: a heading and a link to each
// control with a problem; adda.js moves focus to it.
void ErrorSummary(Html& h, std::string_view heading, const std::vector<FormError>& errors) {
  h.Open("div", {{"class", "alert alert-error has-icon"}, {"role", "alert"}, {"tabindex", "-1"},
                 {"data-error-summary", "true"}, {"aria-labelledby", "error-summary-heading"}});
  web::Icon(h, "error");
  h.Open("div", {{"class", "alert-body"}})
      .Element("p", heading, {{"class", "alert-heading"}, {"id", "error-summary-heading"}})
      .Open("ul", {{"class", "alert-text nobullet-list"}});
  for (const auto& e : errors) h.Raw("<li>").Link("#" + e.id, e.text).Raw("</li>");
  h.Close("ul").Close("div").Close("div");
}

// A control's own error message, above it (its id is `id`-error, for aria-describedby).
void FieldError(Html& h, const std::string& id, const std::string& text) {
  h.Open("span", {{"class", "form-error-message"}, {"id", id + "-error"}})
      .Raw("<span class=\"sr-only\">Fejl: </span>").Text(text).Close("span");
}

const FormError* ErrorFor(const std::vector<FormError>& errors, std::string_view prefix) {
  for (const auto& e : errors)
    if (e.id.rfind(prefix, 0) == 0) return &e;
  return nullptr;
}

}  // namespace

std::string ItemPath(const json& item) {
  const bool is_case = item.value("kind", "") == "case";
  const int m = item.value("municipality", 0);
  // The id is a safe id (letters, digits, . _ -): nothing in it needs encoding.
  return std::string("/mit-overblik/") + (is_case ? "sag/" : "ydelse/") + std::to_string(m) + "/" + S(item, "id");
}

std::string Login(const LoginView& v) {
  Html h;
  h.Element("h1", "Log ind med MitID (test)");
  if (!v.notice.empty()) web::Alert(h, Tone::kSuccess, "", v.notice);
  if (!v.error.empty()) ErrorSummary(h, "Du blev ikke logget ind", {{"cpr", v.error}});
  h.Element("p", "Dette er en efterligning af MitID. Vælg en testbruger, eller skriv et CPR-nummer fra den fiktive "
                 "befolkning. Adgangskoden er den samme for alle testbrugere: " + v.password_hint + ".");
  // Typing a CPR.
  h.Open("form", {{"method", "post"}, {"action", "/log-ind"}, {"novalidate", "novalidate"}});
  web::Hidden(h, "csrf", v.csrf);
  web::Hidden(h, "efter", v.after);
  h.Open("div", {{"class", v.error.empty() ? "form-group" : "form-group form-error"}})
      .Element("label", "CPR-nummer", {{"class", "form-label"}, {"for", "cpr"}})
      .Element("span", "10 cifre, med eller uden bindestreg, fx 0101901234", {{"class", "form-hint"}, {"id", "cpr-hint"}});
  if (!v.error.empty()) FieldError(h, "cpr", v.error);
  h.Open("input", {{"class", "form-input input-width-s adda-cpr"}, {"id", "cpr"}, {"name", "cpr"}, {"type", "text"},
                   {"inputmode", "numeric"}, {"autocomplete", "off"}, {"maxlength", "11"}, {"value", v.cpr},
                   {"aria-describedby", v.error.empty() ? "cpr-hint" : "cpr-hint cpr-error"}})
      .Close("div");
  h.Open("div", {{"class", "form-group"}})
      .Element("label", "Adgangskode", {{"class", "form-label"}, {"for", "password"}})
      .Open("input", {{"class", "form-input input-width-s"}, {"id", "password"}, {"name", "password"}, {"type", "password"},
                      {"autocomplete", "current-password"}})
      .Close("div");
  h.Raw("<button type=\"submit\" class=\"button button-primary\">Log ind</button></form>");

  // Choosing a test user: a plain GET form (works without JavaScript).
  h.Element("h2", "Vælg en testbruger", {{"class", "adda-users"}});
  h.Open("form", {{"method", "get"}, {"action", "/log-ind"}});
  if (!v.after.empty()) web::Hidden(h, "efter", v.after);
  h.Open("div", {{"class", "form-group"}}).Element("label", "Kommune", {{"class", "form-label"}, {"for", "kommune"}})
      .Open("select", {{"class", "form-select"}, {"id", "kommune"}, {"name", "kommune"}});
  for (const auto& [code, name] : v.municipalities) {
    const std::string c = std::to_string(code);
    if (code == v.municipality)
      h.Open("option", {{"value", c}, {"selected", "selected"}});
    else
      h.Open("option", {{"value", c}});
    h.Text(name).Text(" (").Text(c).Text(")").Close("option");
  }
  h.Close("select").Close("div");
  h.Open("div", {{"class", "form-group"}}).Element("label", "Søg på navn eller CPR-nummer", {{"class", "form-label"}, {"for", "q"}})
      .Open("input", {{"class", "form-input input-width-m"}, {"id", "q"}, {"name", "q"}, {"type", "search"}, {"value", v.query}})
      .Close("div");
  h.Raw("<button type=\"submit\" class=\"button button-secondary\">Vis testbrugere</button></form>");
  if (!v.users_error.empty()) {
    web::Alert(h, Tone::kWarning, "", v.users_error);
  } else if (v.users.empty()) {
    h.Element("p", "Ingen testbrugere matcher søgningen.");
  } else {
    h.Open("div", {{"class", "table--responsive-scroll"}});
    h.Open("table", {{"class", "table table--compact"}})
        .Element("caption", "Testbrugere i " + [&] {
          for (const auto& [code, name] : v.municipalities)
            if (code == v.municipality) return name;
          return std::string("kommunen");
        }());
    h.Raw("<thead><tr><th scope=\"col\">Navn</th><th scope=\"col\">CPR-nummer</th><th scope=\"col\">Født</th>"
          "<th scope=\"col\"><span class=\"sr-only\">Handling</span></th></tr></thead><tbody>");
    for (const auto& u : v.users) {
      h.Raw("<tr>").Element("td", u.name).Element("td", u.cpr, {{"class", "adda-cpr"}})
          .Element("td", web::DanishDate(u.birth_date)).Raw("<td>");
      h.Open("form", {{"method", "post"}, {"action", "/log-ind"}});
      web::Hidden(h, "csrf", v.csrf);
      web::Hidden(h, "efter", v.after);
      web::Hidden(h, "cpr", u.cpr);
      web::Hidden(h, "password", v.password_hint);
      h.Open("button", {{"type", "submit"}, {"class", "button button-tertiary"}})
          .Text("Log ind").Raw("<span class=\"sr-only\"> som ").Text(u.name).Raw("</span>").Close("button");
      h.Raw("</form></td></tr>");
    }
    h.Raw("</tbody></table></div>");
  }
  return h.Take();
}

std::string Overview(const json& o) {
  Html h;
  h.Element("h1", "Mit Overblik");
  h.Element("p", "Her kan du se dine sager og ydelser hos kommunen, hvad de betyder, og hvad der sker nu.",
            {{"class", "font-lead"}});
  for (const auto& n : O(o, "notices")) {
    const std::string kind = S(n, "kind");
    if (kind == "acting_on_behalf") continue;  // the frame says whose data this is
    web::Alert(h, kind == "stale_data" ? Tone::kWarning : Tone::kInfo, "", S(n, "text"));
  }
  std::vector<const json*> cases, grants;
  for (const auto& i : O(o, "items")) (i.value("kind", "") == "case" ? cases : grants).push_back(&i);
  const auto section = [&](const char* heading, const char* empty, const std::vector<const json*>& items) {
    h.Element("h2", heading);
    if (items.empty()) {
      h.Element("p", empty);
      return;
    }
    int open = 0;
    for (const json* i : items) open += i->value("open", false) ? 1 : 0;
    h.Element("p", std::to_string(items.size()) + (items.size() == 1 ? " i alt" : " i alt") + ", " +
                       std::to_string(open) + " løbende.", {{"class", "adda-meta"}});
    h.Open("ul", {{"class", "adda-items"}});
    for (const json* i : items) OverviewItem(h, *i);
    h.Close("ul");
  };
  section("Mine sager", "Du har ingen sager, som kommunen viser her.", cases);
  section("Mine ydelser", "Du har ingen ydelser, som kommunen viser her.", grants);
  h.Element("h2", "Mangler der noget?");
  h.Element("p", "Kommunerne viser ikke alle sager her endnu. Mangler en sag eller en ydelse, eller er noget forkert, "
                 "så kontakt den kommune, der har sagen. Du kan også se, hvem der har set dine oplysninger.");
  h.Open("ul", {{"class", "nobullet-list"}})
      .Raw("<li>").Link("/mit-overblik/bidrag", "Mine rettelser og bemærkninger").Raw("</li>")
      .Raw("<li>").Link("/mit-overblik/din-mening?side=/mit-overblik", "Giv din mening om Mit Overblik").Raw("</li>")
      .Raw("<li>").Link("/mit-overblik/adgangslog", "Hvem har set mine data").Raw("</li>")
      .Raw("<li>").Link("/mit-overblik/hent?format=csv", "Hent mine data (CSV, til regneark)").Raw("</li>")
      .Raw("<li>").Link("/mit-overblik/hent?format=json", "Hent mine data (JSON, til andre systemer)").Raw("</li>")
      .Close("ul");
  return h.Take();
}

std::string Case(const json& c) {
  Html h;
  h.Element("h1", S(c, "title"));
  h.Open("p", {{"class", "adda-meta"}});
  StatusBadge(h, c);
  h.Text(" Sagsnummer ").Text(S(c, "case_number")).Text(" · oprettet ").Text(web::DanishDate(S(c, "opened")));
  h.Close("p");
  Notices(h, c);
  const json& st = O(c, "status");
  h.Element("h2", "Hvad betyder status");
  h.Element("p", S(st, "means").empty() ? "Vi har ingen forklaring på denne status." : S(st, "means"));
  if (!S(st, "local_status").empty())
    h.Element("p", "Kommunens egen betegnelse: " + S(st, "local_status"), {{"class", "adda-meta"}});
  const json& area = O(c, "area");
  if (!S(st, "next").empty() || O(st, "expected_next").is_object() || !S(area, "next").empty()) {
    h.Element("h2", "Hvad sker der nu");
    if (!S(st, "next").empty()) h.Element("p", S(st, "next"));
    if (O(st, "expected_next").is_object()) h.Element("p", S(O(st, "expected_next"), "text"));
    if (!S(area, "next").empty()) h.Element("p", S(area, "next"));
  }
  if (!S(st, "you_can").empty() || !S(area, "you_can").empty()) {
    h.Element("h2", "Hvad kan du gøre");
    if (!S(st, "you_can").empty()) h.Element("p", S(st, "you_can"));
    if (!S(area, "you_can").empty()) h.Element("p", S(area, "you_can"));
  }
  const json& d = O(c, "decision");
  if (d.is_object()) {
    h.Element("h2", "Afgørelse");
    h.Element("p", S(d, "text") + " (" + web::DanishDate(S(d, "date")) + ")");
  }
  h.Element("h2", "Hvad sagen handler om");
  h.Open("dl", {{"class", "adda-facts"}});
  Fact(h, "Emne", S(O(c, "subject"), "title"));
  Fact(h, "Forklaring", S(O(c, "subject"), "means"));
  Fact(h, "Område", S(area, "title"));
  Fact(h, "Om området", S(area, "means"));
  h.Close("dl");
  const json& timeline = O(c, "timeline");
  if (timeline.is_array() && !timeline.empty()) {
    h.Element("h2", "Forløb");
    h.Open("ol", {{"class", "adda-timeline"}});
    for (const auto& t : timeline) {
      const std::string to = S(t, "to");
      h.Raw("<li>").Open("strong").Text(S(t, "label")).Close("strong").Text(": ").Text(web::DanishDate(S(t, "from")))
          .Text(to.empty() ? " og fremover" : " – " + web::DanishDate(to)).Raw("</li>");
    }
    h.Close("ol");
  }
  h.Element("h2", "Dokumenter");
  const json& docs = O(c, "documents");
  if (docs.is_array() && !docs.empty()) {
    h.Open("div", {{"class", "table--responsive-scroll"}});
    h.Open("table", {{"class", "table table--zebra"}}).Element("caption", "Breve og dokumenter i sagen", {{"class", "sr-only"}});
    h.Raw("<thead><tr><th scope=\"col\">Titel</th><th scope=\"col\">Dato</th><th scope=\"col\">Type</th></tr></thead><tbody>");
    for (const auto& doc : docs)
      h.Raw("<tr>").Element("td", S(doc, "title")).Element("td", S(doc, "date_text")).Element("td", S(doc, "type")).Raw("</tr>");
    h.Raw("</tbody></table></div>");
  }
  if (!S(c, "documents_note").empty()) h.Element("p", S(c, "documents_note"));
  else if (!docs.is_array() || docs.empty()) h.Element("p", "Der er ingen dokumenter at vise i sagen.");
  Contact(h, c);
  FixIt(h, c);
  return h.Take();
}

std::string Benefit(const json& g) {
  Html h;
  h.Element("h1", S(g, "title"));
  h.Open("p", {{"class", "adda-meta"}});
  StatusBadge(h, g);
  h.Text(" Bevilget af ").Text(S(g, "municipality_name"));
  h.Close("p");
  Notices(h, g);
  h.Element("h2", "Bevillingen");
  h.Open("dl", {{"class", "adda-facts"}});
  Fact(h, "Periode", Period(O(g, "period")));
  Fact(h, "Begrundelse", S(g, "reason"));
  h.Close("dl");
  const json& benefits = O(g, "benefits");
  if (benefits.is_array() && !benefits.empty()) {
    h.Element("h2", "Ydelser i bevillingen");
    h.Open("div", {{"class", "table--responsive-scroll"}});
    h.Open("table", {{"class", "table table--zebra"}}).Element("caption", "Bevilgede ydelser og deres plan", {{"class", "sr-only"}});
    h.Raw("<thead><tr><th scope=\"col\">Ydelse</th><th scope=\"col\">Periode</th><th scope=\"col\">Udbetales</th>"
          "<th scope=\"col\" class=\"text-align-right\">Beløb</th><th scope=\"col\">Skal betales tilbage</th></tr></thead><tbody>");
    for (const auto& b : benefits) {
      const json& plan = O(b, "plan");
      h.Raw("<tr>").Element("td", S(b, "name")).Element("td", Period(json{{"start", O(b, "start")}, {"end", O(b, "end")}}))
          .Element("td", plan.is_object() ? S(plan, "frequency") : "")
          .Element("td", plan.is_object() ? S(plan, "amount_text") : "", {{"class", "text-align-right"}})
          .Element("td", b.value("repayable", false) ? "Ja" : "Nej").Raw("</tr>");
    }
    h.Raw("</tbody></table></div>");
  }
  h.Element("h2", "Udbetalinger");
  const json& pay = O(g, "payments");
  if (pay.is_object() && (!O(pay, "planned").empty() || !O(pay, "past").empty())) {
    PaymentsTable(h, "Planlagte udbetalinger", O(pay, "planned"));
    PaymentsTable(h, "Tidligere udbetalinger", O(pay, "past"));
  } else {
    h.Element("p", "Der er ingen udbetalinger at vise.");
  }
  Contact(h, g);
  FixIt(h, g);
  return h.Take();
}

std::string ContributionPath(const std::string& item_kind, int municipality, const std::string& id) {
  return std::string("/mit-overblik/ret/") + (item_kind == "case" ? "sag/" : "ydelse/") + std::to_string(municipality) +
         "/" + id;
}

std::string ContributionForm(const ContributionFormView& v, const json& texts) {
  const bool is_case = v.item_kind == "case";
  Html h;
  h.Element("h1", "Ret eller tilføj");
  h.Element("p", std::string("Er noget forkert, eller mangler der noget i ") + (is_case ? "sagen" : "ydelsen") + " «" +
                     v.item_title + "»? Skriv det her, så sender vi det til kommunen. Kommunens svar kan du se under "
                     "Mine rettelser og bemærkninger.", {{"class", "font-lead"}});
  if (!v.errors.empty()) ErrorSummary(h, "Beskeden blev ikke sendt", v.errors);
  h.Open("form", {{"method", "post"}, {"action", v.action}, {"novalidate", "novalidate"}});
  web::Hidden(h, "csrf", v.csrf);
  web::Hidden(h, "id", v.client_id);

  // The kind: radios in a fieldset.
  const FormError* kind_error = ErrorFor(v.errors, "type");
  h.Open("div", {{"class", kind_error ? "form-group form-error" : "form-group"}});
  if (kind_error)
    h.Open("fieldset", {{"aria-describedby", "type-error"}});
  else
    h.Open("fieldset");
  h.Element("legend", "Hvad drejer det sig om?", {{"class", "form-label"}});
  if (kind_error) FieldError(h, "type", kind_error->text);
  for (const char* k : {"correction", "note"}) {
    const std::string id = std::string("type-") + k;
    h.Open("div", {{"class", "form-group-radio"}});
    if (v.kind == k)
      h.Open("input", {{"class", "form-radio"}, {"type", "radio"}, {"id", id}, {"name", "type"}, {"value", k},
                       {"checked", "checked"}});
    else
      h.Open("input", {{"class", "form-radio"}, {"type", "radio"}, {"id", id}, {"name", "type"}, {"value", k}});
    h.Element("label", S(O(texts, "kinds"), k), {{"class", "form-label"}, {"for", id}}).Close("div");
  }
  h.Close("fieldset").Close("div");

  // The field: the whole item, or one of its parts.
  const FormError* field_error = ErrorFor(v.errors, "felt");
  h.Open("div", {{"class", field_error ? "form-group form-error" : "form-group"}})
      .Element("label", "Hvilken oplysning drejer det sig om?", {{"class", "form-label"}, {"for", "felt"}});
  if (field_error) FieldError(h, "felt", field_error->text);
  if (field_error)
    h.Open("select", {{"class", "form-select"}, {"id", "felt"}, {"name", "felt"}, {"aria-describedby", "felt-error"}});
  else
    h.Open("select", {{"class", "form-select"}, {"id", "felt"}, {"name", "felt"}});
  const auto option = [&](const std::string& value, const std::string& label) {
    if (value == v.field)
      h.Open("option", {{"value", value}, {"selected", "selected"}});
    else
      h.Open("option", {{"value", value}});
    h.Text(label).Close("option");
  };
  option("", is_case ? "Hele sagen" : "Hele ydelsen");
  for (const auto& [name, label] : O(O(texts, "fields"), is_case ? "case" : "grant").items())
    option(name, label.is_string() ? label.get<std::string>() : name);
  h.Close("select").Close("div");

  // The text, with Det Fælles Designsystem's character limit (the server checks it too).
  const FormError* text_error = ErrorFor(v.errors, "tekst");
  h.Open("div", {{"class", text_error ? "form-group form-limit form-error" : "form-group form-limit"},
                 {"data-maxlength", "2000"}})
      .Element("label", "Skriv, hvad der er forkert eller mangler", {{"class", "form-label"}, {"for", "tekst"}})
      .Element("span", "Skriv, hvad der burde stå, og hvorfor. Skriv ikke oplysninger om andre personer.",
               {{"class", "form-hint"}, {"id", "tekst-hint"}});
  if (text_error) FieldError(h, "tekst", text_error->text);
  h.Open("textarea", {{"class", "form-input"}, {"id", "tekst"}, {"name", "tekst"}, {"rows", "7"},
                      {"aria-describedby", text_error ? "tekst-hint tekst-limit tekst-error" : "tekst-hint tekst-limit"}})
      .Text(v.text).Close("textarea")
      .Element("span", "Du kan skrive op til 2000 tegn", {{"class", "character-limit"}, {"id", "tekst-limit"}, {"aria-hidden", "true"}})
      .Element("span", "Du kan skrive op til 2000 tegn", {{"class", "character-limit-sr-only sr-only"}, {"aria-live", "polite"}})
      .Close("div");
  h.Raw("<button type=\"submit\" class=\"button button-primary\">Send til kommunen</button> ");
  h.Link(v.back, "Fortryd", "button button-tertiary");
  h.Close("form");
  return h.Take();
}

std::string Contributions(const json& mine, const json& texts, const std::string& received) {
  Html h;
  h.Element("h1", "Mine rettelser og bemærkninger");
  const json& items = O(mine, "items");
  for (const auto& c : items) {
    if (received.empty() || S(c, "id") != received) continue;
    web::Alert(h, Tone::kSuccess, "Tak. Din besked er modtaget",
               "Kvitteringsnummer " + S(c, "id") + ". " + S(O(O(texts, "statuses"), S(c, "status").c_str()), "means"));
  }
  h.Element("p", "Her kan du se, hvad du har skrevet til kommunen om dine sager og ydelser, hvor langt kommunen er, og "
                 "hvad den har svaret.", {{"class", "font-lead"}});
  if (!items.is_array() || items.empty()) {
    h.Element("p", "Du har ikke sendt nogen rettelser eller bemærkninger endnu. Åbn en sag eller en ydelse i "
                   "Mit Overblik, og vælg «Ret eller tilføj».");
    return h.Take();
  }
  static const std::map<std::string, Tone> kTone = {
      {"pending", Tone::kInfo},        {"received", Tone::kInfo}, {"under_review", Tone::kInfo},
      {"corrected", Tone::kSuccess},   {"answered", Tone::kSuccess}, {"rejected", Tone::kWarning},
      {"not_delivered", Tone::kError}};
  h.Open("ul", {{"class", "adda-items"}});
  // Newest first.
  for (auto it = items.rbegin(); it != items.rend(); ++it) {
    const json& c = *it;
    const bool is_case = S(c, "item_kind") == "case";
    const std::string status = S(c, "status");
    const json& st = O(O(texts, "statuses"), status.c_str());
    const std::string field = S(c, "field");
    std::string about = field.empty() ? (is_case ? "Hele sagen" : "Hele ydelsen")
                                      : S(O(O(texts, "fields"), is_case ? "case" : "grant"), field.c_str());
    if (about.empty()) about = field;  // a field the API took that the form does not list
    h.Raw("<li>");
    h.Element("h2", S(O(texts, "kinds"), S(c, "kind").c_str()), {{"class", "h4"}});
    h.Open("p", {{"class", "adda-meta"}});
    web::Badge(h, kTone.count(status) ? kTone.at(status) : Tone::kInfo, S(st, "label").empty() ? status : S(st, "label"));
    h.Text(" Sendt ").Text(web::DanishDate(S(c, "created"))).Text(" · kvitteringsnummer ").Text(S(c, "id")).Close("p");
    h.Open("dl", {{"class", "adda-facts"}});
    Fact(h, is_case ? "Sag" : "Ydelse", about);
    Fact(h, "Du skrev", S(c, "text"));
    Fact(h, "Status", S(st, "means"));
    Fact(h, "Kommunens svar", S(c, "reply"));
    h.Close("dl");
    h.Open("p").Link(ItemPath({{"kind", is_case ? "case" : "grant"}, {"municipality", c.value("municipality", 0)},
                               {"id", S(c, "item_id")}}),
                     is_case ? "Se sagen" : "Se ydelsen").Close("p");
    h.Raw("</li>");
  }
  h.Close("ul");
  return h.Take();
}

namespace {

// One question answered on a scale: a fieldset of radios name-1 … name-N (the first is
// where the error summary links), laid out in a row on a wide screen.
void ScaleQuestion(Html& h, const std::string& name, const std::string& legend, const json& labels,
                   const std::string& chosen, const FormError* error, bool numbered) {
  h.Open("div", {{"class", error ? "form-group form-error" : "form-group"}});
  if (error)
    h.Open("fieldset", {{"aria-describedby", name + "-error"}});
  else
    h.Open("fieldset");
  h.Element("legend", legend, {{"class", "form-label"}});
  if (error) FieldError(h, name, error->text);
  h.Open("div", {{"class", "adda-scale"}});
  for (size_t i = 0; i < labels.size(); ++i) {
    const std::string value = std::to_string(i + 1);
    const std::string id = name + "-" + value;
    h.Open("div", {{"class", "form-group-radio"}});
    if (chosen == value)
      h.Open("input", {{"class", "form-radio"}, {"type", "radio"}, {"id", id}, {"name", name}, {"value", value},
                       {"checked", "checked"}});
    else
      h.Open("input", {{"class", "form-radio"}, {"type", "radio"}, {"id", id}, {"name", name}, {"value", value}});
    const std::string label = labels[i].is_string() ? labels[i].get<std::string>() : value;
    h.Element("label", numbered ? value + " – " + label : label, {{"class", "form-label"}, {"for", id}}).Close("div");
  }
  h.Close("div").Close("fieldset").Close("div");
}

}  // namespace

std::string FeedbackForm(const FeedbackFormView& v, const json& texts) {
  Html h;
  h.Element("h1", "Din mening om Mit Overblik");
  if (v.thanks) {
    web::Alert(h, Tone::kSuccess, "Tak", S(texts, "thanks"));
    h.Open("p").Link("/mit-overblik", "Gå til Mit Overblik").Close("p");
    return h.Take();
  }
  h.Element("p", "Hjælp os med at gøre Mit Overblik bedre. Du bestemmer selv, hvad du svarer på, og dit svar bliver "
                 "ikke brugt i dine sager.", {{"class", "font-lead"}});
  if (!v.errors.empty()) ErrorSummary(h, "Din vurdering blev ikke sendt", v.errors);
  h.Open("form", {{"method", "post"}, {"action", "/mit-overblik/din-mening"}, {"novalidate", "novalidate"}});
  web::Hidden(h, "csrf", v.csrf);
  web::Hidden(h, "id", v.client_id);
  if (!v.page.empty()) web::Hidden(h, "side", v.page);
  ScaleQuestion(h, "vurdering", S(texts, "rating_question"), O(texts, "rating_labels"), v.rating,
                ErrorFor(v.errors, "vurdering"), false);
  h.Element("h2", "Ti udsagn om Mit Overblik");
  h.Element("p", S(texts, "sus_intro"));
  const json& statements = O(texts, "sus_statements");
  for (size_t i = 0; i < statements.size() && i < v.sus.size(); ++i) {
    const std::string name = "sus" + std::to_string(i + 1);
    const FormError* e = nullptr;
    for (const auto& err : v.errors)
      if (err.id == name + "-1") e = &err;
    ScaleQuestion(h, name, std::to_string(i + 1) + ". " + statements[i].get<std::string>(), O(texts, "sus_scale"),
                  v.sus[i], e, false);
  }
  const FormError* text_error = ErrorFor(v.errors, "tekst");
  h.Open("div", {{"class", text_error ? "form-group form-limit form-error" : "form-group form-limit"},
                 {"data-maxlength", "2000"}})
      .Element("label", S(texts, "text_label"), {{"class", "form-label"}, {"for", "tekst"}})
      .Element("span", S(texts, "text_hint"), {{"class", "form-hint"}, {"id", "tekst-hint"}});
  if (text_error) FieldError(h, "tekst", text_error->text);
  h.Open("textarea", {{"class", "form-input"}, {"id", "tekst"}, {"name", "tekst"}, {"rows", "5"},
                      {"aria-describedby", text_error ? "tekst-hint tekst-limit tekst-error" : "tekst-hint tekst-limit"}})
      .Text(v.text).Close("textarea")
      .Element("span", "Du kan skrive op til 2000 tegn", {{"class", "character-limit"}, {"id", "tekst-limit"}, {"aria-hidden", "true"}})
      .Element("span", "Du kan skrive op til 2000 tegn", {{"class", "character-limit-sr-only sr-only"}, {"aria-live", "polite"}})
      .Close("div");
  h.Raw("<button type=\"submit\" class=\"button button-primary\">Send din vurdering</button>");
  h.Close("form");
  return h.Take();
}

std::string AccessLog(const json& page) {
  Html h;
  h.Element("h1", "Hvem har set mine data");
  h.Element("p", "Her kan du se, hvornår dine oplysninger er blevet vist, og af hvem: dig selv, en forælder eller en "
                 "med fuldmagt, en du har delt med, eller din kommune, når den ser på, hvad du vil få vist. Hver "
                 "visning skrives i loggen, og loggen kan ikke ændres bagefter.", {{"class", "font-lead"}});
  const json& items = O(page, "items");
  if (!items.is_array() || items.empty()) {
    h.Element("p", "Ingen har set dine oplysninger endnu.");
    return h.Take();
  }
  static const std::map<std::string, std::string> kWho = {
      {"citizen", "Dig selv"}, {"parent", "En forælder"}, {"proxy", "En med fuldmagt"},
      {"share", "En du har delt med"}, {"municipality", "Kommunen (forhåndsvisning)"}};
  static const std::map<std::string, std::string> kWhat = {
      {"overview", "Mit Overblik"}, {"case", "En sag"}, {"benefit", "En ydelse"}, {"export", "Hentede alle data"},
      {"shared overview", "Delte oplysninger"}, {"preview", "Forhåndsvisning"},
      {"contributions", "Mine bidrag"}};
  h.Open("div", {{"class", "table--responsive-scroll"}});
  h.Open("table", {{"class", "table table--zebra"}}).Element("caption", "Visninger af dine oplysninger, nyeste sidst", {{"class", "sr-only"}});
  h.Raw("<thead><tr><th scope=\"col\">Tidspunkt</th><th scope=\"col\">Hvem</th><th scope=\"col\">Hvad</th>"
        "<th scope=\"col\">Formål</th></tr></thead><tbody>");
  for (const auto& e : items) {
    const std::string ts = S(e, "ts");
    const std::string who = S(e, "actor_kind");
    const std::string what = S(e, "what");
    std::string what_text = kWhat.count(what) ? kWhat.at(what) : what;
    if (!S(e, "item_id").empty()) what_text += " (" + S(e, "item_id") + ")";
    h.Raw("<tr>").Element("td", web::DanishDate(ts) + (ts.size() >= 16 ? " kl. " + ts.substr(11, 5) : ""))
        .Element("td", kWho.count(who) ? kWho.at(who) : who).Element("td", what_text).Element("td", S(e, "purpose"))
        .Raw("</tr>");
  }
  h.Raw("</tbody></table></div>");
  return h.Take();
}

std::string Accessibility(const std::string& dkfds_version) {
  Html h;
  h.Element("h1", "Tilgængelighedserklæring");
  h.Element("p", "adda er et testmiljø, der efterligner Mit Overblik på borger.dk med fiktive data. Siderne skal kunne "
                 "bruges af alle og følger webtilgængelighedsloven og standarden WCAG 2.1 niveau AA.");
  h.Element("h2", "Sådan er siderne lavet");
  h.Open("ul")
      .Element("li", "Siderne bruger Det Fælles Designsystem (version " + dkfds_version + ") med borger.dk-temaet.")
      .Element("li", "Alt virker uden JavaScript: almindelige links og formularer.")
      .Element("li", "Siderne testes automatisk med axe-core i en rigtig browser hver gang adda bygges og testes.")
      .Close("ul");
  h.Element("h2", "Det ved vi ikke virker endnu");
  h.Element("p", "Automatiske test finder kun en del af de mulige problemer. Siderne er endnu ikke testet manuelt med "
                 "skærmlæser, forstørrelse eller talestyring, og brugertest med borgere er ikke gennemført.");
  h.Element("h2", "Fandt du et problem?");
  h.Element("p", "Skriv det i adda's fejlliste, og fortæl hvilken side og hvad du prøvede at gøre. I den rigtige "
                 "løsning kan du klage til Digitaliseringsstyrelsen via Digitaliseringsstyrelsens tilgængeligheds-"
                 "henvendelser.");
  return h.Take();
}

std::string Error(int status, const std::string& heading, const std::string& text, const std::string& request_id,
                  bool offer_login) {
  Html h;
  h.Element("h1", heading);
  h.Element("p", text);
  h.Open("ul", {{"class", "nobullet-list"}});
  h.Raw("<li>").Link("/mit-overblik", "Gå til Mit Overblik").Raw("</li>");
  if (offer_login) h.Raw("<li>").Link("/log-ind", "Log ind igen").Raw("</li>");
  h.Close("ul");
  h.Element("p", "Fejlkode " + std::to_string(status) + (request_id.empty() ? "" : " · forespørgsel " + request_id),
            {{"class", "adda-meta"}});
  return h.Take();
}

}  // namespace adda::borger::views
