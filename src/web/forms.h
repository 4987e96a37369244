// What a browser sends and keeps: form bodies (application/x-www-form-urlencoded) and
// cookies. Pure functions; the pages' handlers decide what the values mean.
#pragma once

#include <map>
#include <string>
#include <string_view>

namespace adda::web {

// name=value&… with + as space and %XX decoded; a name given twice keeps its first
// value. At most `max_fields` fields are read (the rest ignored). A name or value that
// is not UTF-8 (a browser on a UTF-8 page never sends one) is refused with 400
// request.bad_form: nothing else downstream need think about broken text.
std::map<std::string, std::string> ParseForm(std::string_view body, size_t max_fields = 64);

// The Cookie header's name=value pairs ("a=1; b=2").
std::map<std::string, std::string> ParseCookies(std::string_view header);

struct CookieOptions {
  bool secure = false;        // only over TLS (when the service is served over it)
  int64_t max_age_s = -1;     // -1: a session cookie; 0: delete it
  std::string same_site = "Lax";
  std::string path = "/";
};
// A Set-Cookie value: always HttpOnly, with SameSite and Path; `value` must be a token
// (base64url, hex) — nothing here quotes it.
std::string SetCookie(const std::string& name, const std::string& value, const CookieOptions& o = {});

}  // namespace adda::web
