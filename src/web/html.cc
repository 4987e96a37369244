#include "web/html.h"

#include <cstdint>

namespace adda::web {
namespace {

const char* kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// The length of the UTF-8 sequence at `s[i]` and its code point, or 0 when invalid.
size_t Utf8At(std::string_view s, size_t i, uint32_t* cp) {
  const auto b = static_cast<unsigned char>(s[i]);
  size_t n = b < 0x80 ? 1 : (b >> 5) == 0x6 ? 2 : (b >> 4) == 0xE ? 3 : (b >> 3) == 0x1E ? 4 : 0;
  if (n == 0 || i + n > s.size()) return 0;
  uint32_t c = n == 1 ? b : n == 2 ? (b & 0x1F) : n == 3 ? (b & 0x0F) : (b & 0x07);
  for (size_t k = 1; k < n; ++k) {
    const auto cont = static_cast<unsigned char>(s[i + k]);
    if ((cont >> 6) != 0x2) return 0;
    c = (c << 6) | (cont & 0x3F);
  }
  // Overlong forms, surrogates and beyond U+10FFFF are not text.
  if ((n == 2 && c < 0x80) || (n == 3 && c < 0x800) || (n == 4 && c < 0x10000) || c > 0x10FFFF ||
      (c >= 0xD800 && c <= 0xDFFF))
    return 0;
  *cp = c;
  return n;
}

bool Hidden(uint32_t c) {
  return (c < 0x20 && c != '\t' && c != '\n') || c == 0x7F || (c >= 0x80 && c < 0xA0) ||
         (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) || c == 0x200E || c == 0x200F;
}

}  // namespace

bool IsUtf8(std::string_view s) {
  uint32_t c = 0;
  for (size_t i = 0, n = 0; i < s.size(); i += n)
    if ((n = Utf8At(s, i, &c)) == 0) return false;
  return true;
}

std::string Escape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (size_t i = 0; i < text.size();) {
    uint32_t c = 0;
    const size_t n = Utf8At(text, i, &c);
    if (n == 0) {
      out += kReplacement;
      ++i;
      continue;
    }
    if (Hidden(c)) {
      out += kReplacement;
    } else if (n > 1) {
      out.append(text.substr(i, n));
    } else {
      switch (text[i]) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&#39;"; break;
        default: out += text[i];
      }
    }
    i += n;
  }
  return out;
}

std::string SafeHref(std::string_view url) {
  const bool relative = url.size() >= 1 && url[0] == '/' && !(url.size() >= 2 && (url[1] == '/' || url[1] == '\\'));
  const bool web = url.rfind("https://", 0) == 0 || url.rfind("http://", 0) == 0;
  const bool fragment = url.size() >= 1 && url[0] == '#';
  if (!relative && !web && !fragment) return "#";
  return Escape(url);
}

Html& Html::Open(std::string_view tag, std::initializer_list<std::pair<std::string_view, std::string_view>> attrs) {
  out_ += '<';
  out_.append(tag);
  for (const auto& [k, v] : attrs) {
    out_ += ' ';
    out_.append(k);
    out_ += "=\"";
    out_ += (k == "href" || k == "action") ? SafeHref(v) : Escape(v);
    out_ += '"';
  }
  out_ += '>';
  return *this;
}

Html& Html::Close(std::string_view tag) {
  out_ += "</";
  out_.append(tag);
  out_ += '>';
  return *this;
}

Html& Html::Element(std::string_view tag, std::string_view text,
                    std::initializer_list<std::pair<std::string_view, std::string_view>> attrs) {
  return Open(tag, attrs).Text(text).Close(tag);
}

Html& Html::Link(std::string_view href, std::string_view text, std::string_view cls) {
  if (cls.empty()) return Open("a", {{"href", href}}).Text(text).Close("a");
  return Open("a", {{"href", href}, {"class", cls}}).Text(text).Close("a");
}

}  // namespace adda::web
