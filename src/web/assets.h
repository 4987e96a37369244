// The pages' static files, compiled into adda (src/web/CMakeLists.txt): Det Fælles
// Designsystem's borger.dk theme, its script, icons and fonts, and adda's own CSS and
// script. Served under /static/<build>/…, where <build> is a hash of all of them, so an
// answer may be cached for a year: a new build has new URLs.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace adda::web {

struct Asset {
  std::string path;          // "dkfds/css/dkfds-borgerdk.min.css"
  std::string_view bytes;
  std::string content_type;  // from the extension
  std::string etag;          // "\"<16 hex of SHA-256>\""
};

class Assets {
 public:
  static const Assets& Embedded();
  const Asset* Find(const std::string& path) const;  // null when there is no such file
  const std::string& build() const { return build_; }  // 12 hex digits
  // "/static/<build>/<path>"
  std::string Url(const std::string& path) const { return "/static/" + build_ + "/" + path; }
  const std::map<std::string, Asset>& all() const { return assets_; }

 private:
  Assets();
  std::map<std::string, Asset> assets_;
  std::string build_;
};

const char* DkfdsVersion();  // the installed dkfds package's version
// The generated table (embedded_assets.cc): each file's path and bytes.
const std::vector<std::pair<std::string, std::string_view>>& EmbeddedAssetBytes();

}  // namespace adda::web
