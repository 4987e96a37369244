// Sessions from the mock NemID/MitID login: a signed JWT (HS256, Poco::JWT) carrying
// the CPR, the assurance level (Substantial) and a session id, expiring after a set
// time; the session row in borger.db makes logout (revocation) final. A token is
// accepted only when its signature, expiry, session row, and CPR all agree.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "core/lru_cache.h"
#include "core/status.h"
#include "net/secure_random.h"
#include "store/borger_store.h"

namespace Poco::JWT {
class Signer;
}

namespace adda::borger {

struct Session {
  std::string id;
  std::string cpr;
  std::string loa;
  int64_t expires = 0;  // unix seconds
  int64_t issued = 0;   // unix seconds, the service's clock
};

// One per service, shared by all threads. Poco's JWT Signer initialises and tears down
// OpenSSL's locks in its constructor and destructor, which races when threads create
// their own (found by ThreadSanitizer under load), so the signer lives as long as the
// service and OpenSSL stays initialised for the whole process.
class SessionSigner {
 public:
  explicit SessionSigner(const std::string& secret);
  ~SessionSigner();
  SessionSigner(const SessionSigner&) = delete;
  SessionSigner& operator=(const SessionSigner&) = delete;
  std::string Sign(const Session& s) const;
  // Signature and expiry only (the caller checks the session row). Nullopt with a reason.
  // A token whose signature verified once is remembered by its exact bytes (the same
  // bytes verify the same way), so a session's later requests skip the JWT parse; its
  // expiry is still checked on every call.
  // The session a token carries, or session.expired / session.invalid (too long, not
  // canonical, a bad signature, missing claims).
  Result<Session> Verify(const std::string& token, int64_t now) const;

 private:
  std::unique_ptr<Poco::JWT::Signer> signer_;
  mutable LruCache<Session> verified_{16384};
};

// Reads the secret from `path`, or creates it (32 random bytes, hex, mode 0600).
std::string LoadOrCreateSecret(const std::string& path);
// Session, share and proxy ids are 128 random bits as hex; share tokens 256.
using net::RandomHex;
inline std::string MakeSessionId() { return RandomHex(16); }

}  // namespace adda::borger
