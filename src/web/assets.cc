#include "web/assets.h"

#include "net/http.h"

namespace adda::web {
namespace {

std::string TypeOf(const std::string& path) {
  const std::string ext = path.substr(path.rfind('.') + 1);
  if (ext == "css") return "text/css; charset=utf-8";
  if (ext == "js") return "text/javascript; charset=utf-8";
  if (ext == "svg") return "image/svg+xml";
  if (ext == "woff2") return "font/woff2";
  if (ext == "woff") return "font/woff";
  if (ext == "png") return "image/png";
  return "application/octet-stream";
}

}  // namespace

Assets::Assets() {
  std::string all_tags;
  for (const auto& [path, bytes] : EmbeddedAssetBytes()) {
    Asset a{path, bytes, TypeOf(path), "\"" + net::Sha256Hex(bytes).substr(0, 16) + "\""};
    all_tags += path + a.etag;
    assets_.emplace(path, std::move(a));
  }
  build_ = net::Sha256Hex(all_tags).substr(0, 12);
}

const Assets& Assets::Embedded() {
  static const Assets kAssets;
  return kAssets;
}

const Asset* Assets::Find(const std::string& path) const {
  auto it = assets_.find(path);
  return it == assets_.end() ? nullptr : &it->second;
}

}  // namespace adda::web
