// Identifiers: deterministic UUIDs drawn from a seeded stream (so generated data is
// reproducible), and checks for the id shapes the APIs accept.
#pragma once

#include <string>
#include <string_view>

#include "core/random.h"

namespace adda {

// A version-4-shaped UUID (lowercase, 36 chars) from the stream.
std::string MakeUuid(Rng& rng);
bool IsUuid(std::string_view s);
// Ids in URLs: 1–64 chars of [A-Za-z0-9._-]; rejects path tricks and SQL metacharacters.
bool IsSafeId(std::string_view s);

}  // namespace adda
