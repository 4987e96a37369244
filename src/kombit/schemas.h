// The KOMBIT mock's contract: the named JSON Schemas its route table (routes.cc) names
// for request bodies and answers, and the vocabulary the handlers and the schemas share
// so that neither can drift from the other.
//
// Request bodies are held to their schema before the handler reads them
// (net::Request::Json()); each request schema states what the handler's decoder accepts
// (core/case.cc, core/benefit.cc, net/faults.cc and the decoders in *_routes.cc), no
// more and no less. The domain rules (core/validation.h: KLE formats, CPR URNs, the
// status lifecycle, ownership) stay in the handlers, which report every one of them in
// one answer. Answer schemas state every field the handlers write, closed, so a stray
// or missing field is caught by the answer check (ServiceOptions::check_answers).
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace adda::kombit {

// A contribution's kinds, the items it may concern, and its statuses in order.
const std::vector<std::string>& ContributionKinds();      // note, correction
const std::vector<std::string>& ContributionItemKinds();  // case, grant
const std::vector<std::string>& ContributionStatuses();   // received … rejected
// A contribution's text and a municipality's reply, in characters.
inline constexpr size_t kMaxContributionText = 2000;
// The local status a status change may set, in characters.
inline constexpr size_t kMaxStatusChangeLocalStatus = 200;

// The named schemas (components.schemas) of the KOMBIT document; pass to AddSchemas
// before the routes that name them.
nlohmann::json KombitSchemas();

}  // namespace adda::kombit
