#include "borger/sessions.h"

#include <fstream>
#include <string_view>
#include <sys/stat.h>

#include <Poco/Crypto/OpenSSLInitializer.h>
#include <Poco/DigestEngine.h>
#include <Poco/JWT/Signer.h>
#include <Poco/SHA2Engine.h>
#include <Poco/JWT/Token.h>

#include "core/date.h"

namespace adda::borger {

SessionSigner::SessionSigner(const std::string& secret) {
  // Keeps OpenSSL initialised for the life of the process (never torn down mid-request).
  static Poco::Crypto::OpenSSLInitializer openssl;
  signer_ = std::make_unique<Poco::JWT::Signer>(secret);
}

SessionSigner::~SessionSigner() = default;

std::string SessionSigner::Sign(const Session& s) const {
  Poco::JWT::Token token;
  token.setType("JWT");
  token.setIssuer("adda-mock-idp");
  token.setSubject(s.cpr);
  token.setId(s.id);
  token.setIssuedAt(Poco::Timestamp::fromEpochTime(static_cast<std::time_t>(s.issued)));
  token.setExpiration(Poco::Timestamp::fromEpochTime(static_cast<std::time_t>(s.expires)));
  token.payload().set("loa", s.loa);
  return signer_->sign(token, Poco::JWT::Signer::ALGO_HS256);
}

namespace {

int Base64UrlValue(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '-') return 62;
  if (c == '_') return 63;
  return -1;
}

// Whether `part` is the one spelling base64url without padding gives its bytes: only the
// alphabet, no '=', a length a byte count can have, and the unused low bits of the last
// character zero. Decoders accept other spellings of the same signature (a trailing '=',
// a last character with stray bits); a token is accepted in one form only.
bool CanonicalBase64Url(std::string_view part) {
  if (part.empty() || part.size() % 4 == 1) return false;
  for (char c : part)
    if (Base64UrlValue(c) < 0) return false;
  const int last = Base64UrlValue(part.back());
  if (part.size() % 4 == 2) return (last & 0x0f) == 0;
  if (part.size() % 4 == 3) return (last & 0x03) == 0;
  return true;
}

// header.payload.signature, each part canonical.
bool CanonicalJwt(std::string_view jwt) {
  const size_t a = jwt.find('.');
  if (a == std::string_view::npos) return false;
  const size_t b = jwt.find('.', a + 1);
  if (b == std::string_view::npos || jwt.find('.', b + 1) != std::string_view::npos) return false;
  return CanonicalBase64Url(jwt.substr(0, a)) && CanonicalBase64Url(jwt.substr(a + 1, b - a - 1)) &&
         CanonicalBase64Url(jwt.substr(b + 1));
}

}  // namespace

Result<Session> SessionSigner::Verify(const std::string& jwt, int64_t now) const {
  // The caller learns only "expired" or "not valid", never which check a forgery failed.
  const auto invalid = [] { return Status::Error("session.invalid", "the session token is not valid"); };
  const auto expired = [] { return Status::Error("session.expired", "the session has expired; log in again"); };
  if (jwt.size() > 4096) return invalid();
  if (!CanonicalJwt(jwt)) return invalid();
  if (auto known = verified_.Find(jwt)) {
    if (known->expires <= now) return expired();
    return *known;
  }
  Poco::JWT::Token token;  // the signer accepts HS256 only: "none" and others are refused
  try {
    if (!signer_->tryVerify(jwt, token)) return invalid();
  } catch (const std::exception&) {
    return invalid();
  }
  Session s;
  try {
    s.cpr = token.getSubject();
    s.id = token.getId();
    s.issued = static_cast<int64_t>(token.getIssuedAt().epochTime());
    s.expires = static_cast<int64_t>(token.getExpiration().epochTime());
    s.loa = token.payload().optValue<std::string>("loa", "");
  } catch (const std::exception&) {
    return invalid();
  }
  if (s.id.empty() || s.cpr.empty()) return invalid();
  if (s.expires <= now) return expired();
  verified_.Put(jwt, std::make_shared<const Session>(s));
  return s;
}

std::string LoadOrCreateSecret(const std::string& path) {
  {
    std::ifstream in(path);
    std::string s;
    if (in >> s && s.size() >= 32) return s;
  }
  const std::string s = net::RandomHex(32);
  {
    std::ofstream out(path, std::ios::trunc);
    out << s << "\n";
  }
  ::chmod(path.c_str(), 0600);
  return s;
}

}  // namespace adda::borger
