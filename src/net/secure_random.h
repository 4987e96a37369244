// Unguessable values: session, share and proxy ids, share tokens, credentials, secrets.
// One generator for both services and the command line (the OS's entropy through
// std::random_device, /dev/urandom on Linux); never the seeded Rng of core/random.h,
// which is for reproducible synthetic data.
#pragma once

#include <string>

namespace adda::net {

// `bytes` random bytes as lower-case hex (2 × bytes characters).
std::string RandomHex(int bytes);
// `prefix` and 128 random bits as hex, e.g. "sys-3f…": a credential that says its kind.
inline std::string RandomToken(const std::string& prefix) { return prefix + RandomHex(16); }

}  // namespace adda::net
