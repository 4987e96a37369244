// The frame every citizen page shares (Det Fælles Designsystem's borger.dk theme): the
// skip link, the "Testmiljø — fiktive data" banner, the header with who is logged in and
// a log-out form, whose data is shown, the footer with the accessibility statement, and
// the headers every page answers with (Content-Security-Policy without inline script,
// frame-ancestors 'none'). Plus the few DKFDS components the pages use. Pure functions:
// the borger service fills them from its explained model.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "net/http.h"
#include "web/html.h"

namespace adda::web {

struct Frame {
  std::string title;           // the page's own title (the <title> adds " – Mit Overblik")
  std::string user;            // who is logged in; empty: nobody
  std::string csrf;            // the session's CSRF token, for the log-out form
  std::string subject_note;    // "Du ser oplysninger om …" when acting for someone else
  bool preview = false;        // the municipality's preview: marked "Forhåndsvisning"
  std::string back_href;       // a back link above the heading; empty: none
  std::string back_text = "Tilbage";
};

// The whole document around `main` (markup written by the caller with Html).
std::string Page(const Frame& f, std::string_view main);

// A page answer: text/html, the security headers, never cached.
net::Response PageResponse(int status, std::string html);
// 303 See Other to `location` (POST-redirect-GET), with the security headers.
net::Response Redirect(const std::string& location);
// The headers every page and redirect carries.
void SecurityHeaders(net::Response& r);
// The Content-Security-Policy the pages are served with.
const std::string& ContentSecurityPolicy();

// DKFDS components.
enum class Tone { kInfo, kSuccess, kWarning, kError };
// <div class="alert alert-…"> with an icon, an optional heading and the text.
void Alert(Html& h, Tone tone, std::string_view heading, std::string_view text);
// <span class="badge badge-…">text</span>
void Badge(Html& h, Tone tone, std::string_view text);
// An SVG icon from the sprite, hidden from assistive technology.
void Icon(Html& h, std::string_view id);
// A hidden form field.
void Hidden(Html& h, std::string_view name, std::string_view value);

// Danish formats: "11. december 2018" from "2018-12-11" (the text as given otherwise).
std::string DanishDate(std::string_view iso);

}  // namespace adda::web
