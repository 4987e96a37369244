// HTML for the citizen's pages. Every text that comes from data or from a person goes
// through Escape, the one escaping function; markup is written only by this code. Pure
// functions, no I/O.
#pragma once

#include <string>
#include <string_view>

namespace adda::web {

// Whether `s` is well-formed UTF-8: no stray or missing continuation bytes, no overlong
// forms, no surrogates, nothing above U+10FFFF (what Escape would replace).
bool IsUtf8(std::string_view s);

// Text for an element's content or a quoted attribute value: & < > " ' as entities;
// Unicode direction overrides and isolates (U+202A–202E, U+2066–2069), which could make
// a text display as something else, and control characters other than tab and newline
// become U+FFFD; invalid UTF-8 does too.
std::string Escape(std::string_view text);

// An attribute-safe URL: only relative paths ("/…", not "//…") and http(s) are let
// through (escaped); anything else ("javascript:", "data:") becomes "#".
std::string SafeHref(std::string_view url);

// A small writer: Open("section", {{"class", "x"}}), Text(...), Raw(markup), Close().
class Html {
 public:
  Html& Raw(std::string_view markup) {
    out_.append(markup);
    return *this;
  }
  Html& Text(std::string_view text) {
    out_ += Escape(text);
    return *this;
  }
  // <tag attr="value" …> with every value escaped.
  Html& Open(std::string_view tag, std::initializer_list<std::pair<std::string_view, std::string_view>> attrs = {});
  Html& Close(std::string_view tag);
  // <tag …>text</tag>
  Html& Element(std::string_view tag, std::string_view text,
                std::initializer_list<std::pair<std::string_view, std::string_view>> attrs = {});
  // <a href="…">text</a>, the href through SafeHref.
  Html& Link(std::string_view href, std::string_view text, std::string_view cls = "");
  const std::string& str() const { return out_; }
  std::string Take() { return std::move(out_); }

 private:
  std::string out_;
};

}  // namespace adda::web
