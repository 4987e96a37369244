// Reading the KOMBIT mock's credentials file (`DB.credentials.json`, written by
// `adda serve kombit`) from the commands that act as a municipality or as admin.
#pragma once

#include <string>

#include "core/status.h"

namespace adda::cli {

// The bearer token of `municipality` in the credentials file at `path`, or why not (one
// plain sentence) when the file cannot be read or holds no token for it.
Result<std::string> MunicipalityTokenFrom(const std::string& path, int municipality);

}  // namespace adda::cli
