#include "web/forms.h"

#include "net/http.h"
#include "web/html.h"

namespace adda::web {

std::map<std::string, std::string> ParseForm(std::string_view body, size_t max_fields) {
  std::map<std::string, std::string> out;
  size_t i = 0, fields = 0;
  while (i <= body.size() && fields < max_fields) {
    size_t amp = body.find('&', i);
    if (amp == std::string_view::npos) amp = body.size();
    const std::string_view pair = body.substr(i, amp - i);
    if (!pair.empty()) {
      ++fields;
      const size_t eq = pair.find('=');
      const std::string name = net::PercentDecode(pair.substr(0, eq), true);
      const std::string value = eq == std::string_view::npos ? "" : net::PercentDecode(pair.substr(eq + 1), true);
      if (!IsUtf8(name) || !IsUtf8(value))
        throw net::HttpError("request.bad_form", "the form is not UTF-8 text", {{"field", IsUtf8(name) ? name : ""}});
      out.emplace(name, value);
    }
    i = amp + 1;
  }
  return out;
}

std::map<std::string, std::string> ParseCookies(std::string_view header) {
  std::map<std::string, std::string> out;
  size_t i = 0;
  while (i < header.size()) {
    size_t end = header.find(';', i);
    if (end == std::string_view::npos) end = header.size();
    std::string_view part = header.substr(i, end - i);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    while (!part.empty() && part.back() == ' ') part.remove_suffix(1);
    const size_t eq = part.find('=');
    if (eq != std::string_view::npos && eq > 0) out.emplace(std::string(part.substr(0, eq)), std::string(part.substr(eq + 1)));
    i = end + 1;
  }
  return out;
}

std::string SetCookie(const std::string& name, const std::string& value, const CookieOptions& o) {
  std::string c = name + "=" + value + "; Path=" + o.path + "; HttpOnly; SameSite=" + o.same_site;
  if (o.secure) c += "; Secure";
  if (o.max_age_s >= 0) c += "; Max-Age=" + std::to_string(o.max_age_s);
  return c;
}

}  // namespace adda::web
