// The pages' building blocks, in process: the one escaping function, safe links, form
// bodies, cookies, the embedded assets and the frame's security headers.
#include <gtest/gtest.h>

#include <regex>
#include <set>

#include "net/http.h"
#include "web/assets.h"
#include "web/forms.h"
#include "web/html.h"
#include "web/layout.h"

namespace adda::web {
namespace {

TEST(Escape, MarkupCharactersBecomeEntities) {
  EXPECT_EQ(Escape("<script>alert(\"x\" & 'y')</script>"),
            "&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt;");
  EXPECT_EQ(Escape("Søren Ærø – 1.234,50 kr."), "Søren Ærø – 1.234,50 kr.");  // Danish text as it is
  EXPECT_EQ(Escape("linje 1\nlinje 2\tfane"), "linje 1\nlinje 2\tfane");
}

TEST(Escape, DirectionOverridesControlsAndBrokenUtf8BecomeReplacementCharacters) {
  const std::string fffd = "\xEF\xBF\xBD";
  EXPECT_EQ(Escape("a\u202Eb"), "a" + fffd + "b");         // right-to-left override
  EXPECT_EQ(Escape("a\u2066b\u2069"), "a" + fffd + "b" + fffd);  // isolates
  EXPECT_EQ(Escape(std::string("a\0b", 3)), "a" + fffd + "b");
  EXPECT_EQ(Escape("a\x1b[31mb"), "a" + fffd + "[31mb");
  EXPECT_EQ(Escape("a\xC3"), "a" + fffd);                 // a truncated sequence
  EXPECT_EQ(Escape("\xC0\xBC"), fffd + fffd);             // an overlong '<'
  EXPECT_EQ(Escape("\xED\xA0\x80"), fffd + fffd + fffd);  // a surrogate
}

TEST(SafeHref, OnlyLocalPathsAndWebAddressesPass) {
  EXPECT_EQ(SafeHref("/mit-overblik/sag/561/A-1"), "/mit-overblik/sag/561/A-1");
  EXPECT_EQ(SafeHref("/log-ind?efter=/mit-overblik&q=\"x\""), "/log-ind?efter=/mit-overblik&amp;q=&quot;x&quot;");
  EXPECT_EQ(SafeHref("https://www.borger.dk/"), "https://www.borger.dk/");
  EXPECT_EQ(SafeHref("#main-content"), "#main-content");
  for (const char* bad : {"javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,<b>", "//evil.example/",
                          "/\\evil.example", "vbscript:x", ""})
    EXPECT_EQ(SafeHref(bad), "#") << bad;
}

TEST(Html, AttributesAreEscapedAndLinksChecked) {
  Html h;
  h.Open("input", {{"value", "\"><script>x</script>"}}).Link("javascript:alert(1)", "<b>klik</b>");
  EXPECT_EQ(h.str(), "<input value=\"&quot;&gt;&lt;script&gt;x&lt;/script&gt;\"><a href=\"#\">&lt;b&gt;klik&lt;/b&gt;</a>");
}

TEST(Forms, DecodesPlusPercentAndKeepsTheFirstOfTwo) {
  auto f = ParseForm("cpr=0101901234&text=Hej+med+dig%21+%C3%A6%C3%B8%C3%A5&cpr=9999999999&empty=&flag");
  EXPECT_EQ(f["cpr"], "0101901234");
  EXPECT_EQ(f["text"], "Hej med dig! æøå");
  EXPECT_EQ(f["empty"], "");
  EXPECT_TRUE(f.count("flag"));
  EXPECT_EQ(ParseForm("a=%ZZ%")["a"], "%ZZ%");  // a broken escape is kept as written
}

TEST(Forms, TextThatIsNotUtf8IsRefused) {
  EXPECT_EQ(ParseForm("tekst=%F0%9F%98%80+%E2%82%AC")["tekst"], "\xF0\x9F\x98\x80 \xE2\x82\xAC");  // 😀 €
  for (const char* bad : {"tekst=%FF", "tekst=%C3", "tekst=%C0%AF", "tekst=%ED%A0%80", "tekst=%F4%90%80%80",
                          "%80=x", "tekst=a%E2%82"}) {
    try {
      ParseForm(bad);
      ADD_FAILURE() << bad << " was taken";
    } catch (const net::HttpError& e) {
      EXPECT_EQ(e.status(), 400) << bad;
      EXPECT_EQ(e.code(), "request.bad_form") << bad;
    }
  }
  EXPECT_TRUE(IsUtf8("Æblegrød"));
  EXPECT_FALSE(IsUtf8("\xE6" "blegr\xF8" "d"));  // Latin-1
}

TEST(Forms, ReadsAtMostTheGivenNumberOfFields) {
  std::string body;
  for (int i = 0; i < 1000; ++i) body += "f" + std::to_string(i) + "=x&";
  EXPECT_EQ(ParseForm(body, 64).size(), 64u);
}

TEST(Cookies, ParsedAndSetWithTheirAttributes) {
  auto c = ParseCookies("adda_session=abc.def; adda_csrf=0123;  other = x ;broken;=novalue");
  EXPECT_EQ(c["adda_session"], "abc.def");
  EXPECT_EQ(c["adda_csrf"], "0123");
  EXPECT_FALSE(c.count("broken"));
  EXPECT_EQ(SetCookie("s", "v"), "s=v; Path=/; HttpOnly; SameSite=Lax");
  CookieOptions o;
  o.secure = true;
  o.max_age_s = 0;
  o.same_site = "Strict";
  EXPECT_EQ(SetCookie("s", "", o), "s=; Path=/; HttpOnly; SameSite=Strict; Secure; Max-Age=0");
}

TEST(Assets, EveryFileTheCssRefersToIsEmbeddedButTheUnusedFacesAndTheLogo) {
  const Assets& a = Assets::Embedded();
  EXPECT_TRUE(std::regex_match(a.build(), std::regex("[0-9a-f]{12}")));
  const Asset* css = a.Find("dkfds/css/dkfds-borgerdk.min.css");
  ASSERT_NE(css, nullptr);
  EXPECT_EQ(css->content_type, "text/css; charset=utf-8");
  ASSERT_NE(a.Find("dkfds/js/dkfds.min.js"), nullptr);
  ASSERT_NE(a.Find("dkfds/img/all-svg-icons.svg"), nullptr);
  ASSERT_NE(a.Find("adda/adda.css"), nullptr);
  ASSERT_NE(a.Find("adda/adda.js"), nullptr);
  const std::string text(css->bytes);
  std::regex url(R"(url\(['"]?\.\./([^)'"#?]+))");
  int fonts = 0;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), url); it != std::sregex_iterator(); ++it) {
    const std::string rel = (*it)[1];
    const bool skipped = std::regex_search(rel, std::regex(R"(\.(eot|ttf)$|logo-)"));
    EXPECT_EQ(a.Find("dkfds/" + rel) == nullptr, skipped) << rel;
    if (rel.find("woff2") != std::string::npos) ++fonts;
  }
  EXPECT_GT(fonts, 0);
  std::set<std::string> tags;
  for (const auto& [path, asset] : a.all()) {
    EXPECT_FALSE(asset.bytes.empty()) << path;
    EXPECT_TRUE(std::regex_match(asset.etag, std::regex("\"[0-9a-f]{16}\""))) << path;
    tags.insert(asset.etag);
    EXPECT_EQ(path.find(".."), std::string::npos);
  }
  EXPECT_GT(tags.size(), a.all().size() / 2);  // distinct files, distinct tags (a few icons may be equal)
  EXPECT_EQ(a.Find("../etc/passwd"), nullptr);
  EXPECT_EQ(a.Find("dkfds/img/logo-borgerdk.svg"), nullptr);
}

TEST(Layout, EveryPageHasTheBannerTheSkipLinkAndNoInlineScript) {
  Frame f;
  f.title = "Mit <Overblik>";
  f.user = "Anna \"A\" Jensen";
  f.csrf = "0123456789abcdef0123456789abcdef";
  const std::string page = Page(f, "<p>indhold</p>");
  EXPECT_NE(page.find("<html lang=\"da\">"), std::string::npos);
  EXPECT_NE(page.find("Testmiljø — fiktive data"), std::string::npos);
  EXPECT_NE(page.find("href=\"#main-content\""), std::string::npos);
  EXPECT_NE(page.find("<main id=\"main-content\""), std::string::npos);
  EXPECT_NE(page.find("Mit &lt;Overblik&gt;"), std::string::npos);
  EXPECT_NE(page.find("Anna &quot;A&quot; Jensen"), std::string::npos);
  EXPECT_NE(page.find("name=\"csrf\" value=\"0123456789abcdef0123456789abcdef\""), std::string::npos);
  EXPECT_NE(page.find("/tilgaengelighed"), std::string::npos);
  // Scripts only by src (the policy allows no inline script), and no inline style.
  EXPECT_FALSE(std::regex_search(page, std::regex("<script>|<script [^>]*>[^<]+</script>")));
  EXPECT_EQ(page.find("style=\""), std::string::npos);
  EXPECT_FALSE(std::regex_search(page, std::regex(R"( on[a-z]+=)")));
  const std::string preview = Page(Frame{"x", "", "", "", true}, "");
  EXPECT_NE(preview.find("Forhåndsvisning"), std::string::npos);
}

TEST(Layout, PagesCarryTheSecurityHeaders) {
  auto r = PageResponse(200, "<p></p>");
  EXPECT_EQ(r.content_type, "text/html; charset=utf-8");
  const std::string csp = r.headers["Content-Security-Policy"];
  EXPECT_NE(csp.find("script-src 'self'"), std::string::npos);
  EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos);
  EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos);
  EXPECT_EQ(r.headers["X-Content-Type-Options"], "nosniff");
  EXPECT_EQ(r.headers["Cache-Control"], "no-store");
  auto to = Redirect("/mit-overblik");
  EXPECT_EQ(to.status, 303);
  EXPECT_EQ(to.headers["Location"], "/mit-overblik");
  EXPECT_FALSE(to.headers["Content-Security-Policy"].empty());
}

TEST(Layout, DanishDates) {
  EXPECT_EQ(DanishDate("2018-12-11"), "11. december 2018");
  EXPECT_EQ(DanishDate("2019-01-02T10:15:00Z"), "2. januar 2019");
  EXPECT_EQ(DanishDate("ukendt"), "ukendt");
}

}  // namespace
}  // namespace adda::web
