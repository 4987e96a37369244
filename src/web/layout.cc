#include "web/layout.h"

#include "core/date.h"
#include "web/assets.h"

namespace adda::web {
namespace {

const char* ToneName(Tone t) {
  switch (t) {
    case Tone::kInfo: return "info";
    case Tone::kSuccess: return "success";
    case Tone::kWarning: return "warning";
    case Tone::kError: return "error";
  }
  return "info";
}

}  // namespace

const std::string& ContentSecurityPolicy() {
  static const std::string kPolicy =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
      "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
  return kPolicy;
}

void SecurityHeaders(net::Response& r) {
  r.headers["Content-Security-Policy"] = ContentSecurityPolicy();
  r.headers["X-Content-Type-Options"] = "nosniff";
  r.headers["X-Frame-Options"] = "DENY";
  r.headers["Referrer-Policy"] = "same-origin";
  r.headers["Cache-Control"] = "no-store";
}

net::Response PageResponse(int status, std::string html) {
  auto r = net::Response::Raw(status, std::move(html), "text/html; charset=utf-8");
  SecurityHeaders(r);
  return r;
}

net::Response Redirect(const std::string& location) {
  auto r = net::Response::Raw(303, "", "text/html; charset=utf-8");
  r.headers["Location"] = location;
  SecurityHeaders(r);
  return r;
}

void Icon(Html& h, std::string_view id) {
  const std::string href = Assets::Embedded().Url("dkfds/img/all-svg-icons.svg") + "#" + std::string(id);
  h.Raw("<svg class=\"icon-svg\" focusable=\"false\" aria-hidden=\"true\"><use href=\"").Text(href).Raw("\"></use></svg>");
}

void Alert(Html& h, Tone tone, std::string_view heading, std::string_view text) {
  const std::string cls = std::string("alert alert-") + ToneName(tone) + " has-icon";
  h.Open("div", {{"class", cls}, {"role", tone == Tone::kError ? "alert" : "status"}});
  Icon(h, ToneName(tone));
  h.Open("div", {{"class", "alert-body"}});
  if (!heading.empty()) h.Element("p", heading, {{"class", "alert-heading"}});
  h.Element("p", text, {{"class", "alert-text"}});
  h.Close("div").Close("div");
}

void Badge(Html& h, Tone tone, std::string_view text) {
  h.Element("span", text, {{"class", std::string("badge badge-small badge-") + ToneName(tone)}});
}

void Hidden(Html& h, std::string_view name, std::string_view value) {
  h.Open("input", {{"type", "hidden"}, {"name", name}, {"value", value}});
}

std::string DanishDate(std::string_view iso) {
  if (iso.size() >= 10)
    if (auto d = Date::Parse(std::string(iso.substr(0, 10)))) return d->ToDanish();
  return std::string(iso);
}

std::string Page(const Frame& f, std::string_view main) {
  const Assets& a = Assets::Embedded();
  Html h;
  h.Raw("<!DOCTYPE html>\n<html lang=\"da\">\n<head>\n<meta charset=\"utf-8\">\n")
      .Raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
      .Raw("<link rel=\"icon\" href=\"data:,\">\n")  // no favicon request
      .Raw("<title>").Text(f.title).Raw(f.preview ? " – Forhåndsvisning" : "").Raw(" – Mit Overblik (adda)</title>\n")
      .Open("link", {{"rel", "stylesheet"}, {"href", a.Url("dkfds/css/dkfds-borgerdk.min.css")}}).Raw("\n")
      .Open("link", {{"rel", "stylesheet"}, {"href", a.Url("adda/adda.css")}}).Raw("\n")
      .Open("script", {{"src", a.Url("dkfds/js/dkfds.min.js")}, {"defer", "defer"}}).Close("script").Raw("\n")
      .Open("script", {{"src", a.Url("adda/adda.js")}, {"defer", "defer"}}).Close("script").Raw("\n")
      .Raw("</head>\n<body>\n");
  h.Link("#main-content", "Gå til sidens indhold", "skipnav");
  // Not borger.dk: a test environment with invented people, on every page.
  h.Open("div", {{"class", "adda-test-banner"}, {"role", "region"}, {"aria-label", "Testmiljø"}})
      .Open("div", {{"class", "container"}})
      .Raw("<strong>Testmiljø — fiktive data.</strong> ")
      .Text("Dette er adda, en efterligning af Mit Overblik på borger.dk. Alle personer og sager er opdigtede.")
      .Close("div").Close("div");
  h.Open("header", {{"class", "header"}})
      .Open("div", {{"class", "portal-info"}})
      .Open("div", {{"class", "portal-info-inner container"}})
      .Open("a", {{"href", "/mit-overblik"}, {"class", "adda-logo"}}).Text("adda · borger.dk (mock)").Close("a");
  if (!f.user.empty()) {
    h.Open("div", {{"class", "portal-user"}})
        .Open("p", {{"class", "user"}}).Raw("<span class=\"sr-only\">Logget ind som </span>").Text(f.user).Close("p")
        .Open("form", {{"method", "post"}, {"action", "/log-af"}, {"class", "adda-logout"}});
    Hidden(h, "csrf", f.csrf);
    h.Raw("<button type=\"submit\" class=\"button button-secondary\">Log af</button></form></div>");
  }
  h.Close("div").Close("div")
      .Open("div", {{"class", "solution-info"}})
      .Open("div", {{"class", "solution-info-inner container"}})
      .Open("div", {{"class", "solution-heading"}}).Link("/mit-overblik", "Mit Overblik").Close("div");
  if (f.preview) h.Element("p", "Forhåndsvisning for kommunen", {{"class", "adda-preview-mark"}});
  h.Close("div").Close("div").Close("header");
  h.Open("main", {{"id", "main-content"}, {"class", "container adda-main"}, {"tabindex", "-1"}});
  if (f.preview)
    Alert(h, Tone::kWarning, "Forhåndsvisning",
          "Sådan vil borgeren se kommunens oplysninger. Siden er kun for kommunens medarbejdere.");
  if (!f.subject_note.empty()) Alert(h, Tone::kInfo, "", f.subject_note);
  if (!f.back_href.empty()) h.Link(f.back_href, f.back_text, "back-link");
  h.Raw(main);
  h.Close("main");
  h.Open("footer").Open("div", {{"class", "footer"}}).Open("div", {{"class", "container"}})
      .Open("ul", {{"class", "footer-links"}})
      .Raw("<li>").Link("/tilgaengelighed", "Tilgængelighedserklæring").Raw("</li>")
      .Raw("<li>").Link("/mit-overblik", "Mit Overblik").Raw("</li>")
      .Close("ul")
      .Element("p", std::string("adda – testmiljø. Det Fælles Designsystem ") + DkfdsVersion() + ".")
      .Close("div").Close("div").Close("footer");
  h.Raw("\n</body>\n</html>\n");
  return h.Take();
}

}  // namespace adda::web
