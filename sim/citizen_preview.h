// Asking the mock borger.dk what it would show a municipality's citizens before go-live
// (its municipal preview, GET /v1/preview/{cpr}, with the municipality's own key) — for
// `adda preview` and the preview section of `adda conform`. Each read is written by
// borger.dk to the citizen's access log. Blocking; one connection; not thread-safe.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/conformance.h"

namespace adda::sim {

// Up to `n` citizens the municipality's cases name as primary party: every k-th by CPR,
// so the sample spreads over the register and is the same on every run.
std::vector<std::string> SampleCitizens(const conformance::Data& data, int n);

struct PreviewResult {
  std::vector<nlohmann::json> citizens;  // borger.dk's answers, in the order asked
  std::vector<std::string> failures;     // "<masked CPR>: <status> <body>" per refused read
};

// Previews each CPR. Throws net::TransportError when borger.dk cannot be reached.
PreviewResult FetchPreviews(const std::string& borger, const std::string& token, const std::vector<std::string>& cprs);

// "0101xx-xxxx" for a ten-digit CPR; other text unchanged.
std::string MaskCpr(const std::string& cpr);

}  // namespace adda::sim
