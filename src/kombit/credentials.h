// KOMBIT's credentials: one system key (borger.dk's), one admin key, and one key per
// municipality. Bearer tokens, generated on first start into a JSON file beside the
// database (mode 0600) and read from it afterwards. Tokens are compared in constant time.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "net/http.h"
#include "net/secure_random.h"

namespace adda::kombit {

struct Credentials {
  std::string system;
  std::string admin;
  std::map<int, std::string> municipalities;

  // Who holds `token`, or nullopt.
  std::optional<net::Principal> Identify(const std::string& token) const;
};

// Reads `path`; when it does not exist, creates it with fresh random tokens for
// `municipality_codes` and sets *created. A municipality missing from an existing file
// gets a token added (and the file rewritten).
Result<Credentials> LoadOrCreateCredentials(const std::string& path, const std::vector<int>& municipality_codes,
                                            bool* created);

using net::RandomToken;  // credentials are "sys-…", "adm-…", "m751-…" and 128 random bits

}  // namespace adda::kombit
