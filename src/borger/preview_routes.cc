// The municipal citizen preview: before go-live, a municipality sees what borger.dk would
// show one of its citizens — only its own items, explained exactly as the citizen would
// see them, with the items that would confuse a citizen flagged. Every preview read is
// written to that citizen's access log as the municipality's, with its purpose.
#include <algorithm>
#include <map>

#include "borger/service.h"
#include "core/cpr.h"

namespace adda::borger {
namespace {

// The notices that mean a citizen would be confused or misled by an item.
bool Confusing(const std::string& kind) {
  return kind == "jargon_title" || kind == "missing_unit" || kind == "stale_status" || kind == "no_explanation" ||
         kind == "unknown_kle" || kind == "status_gap" || kind == "payment_without_grant_period";
}

// The path's CPR number: 400 request.bad_id unless ten digits, request.bad_cpr unless a
// CPR number (ten digits are not yet one: 0000000000 has no date in it).
const std::string& PreviewCpr(const net::Request& req) {
  const std::string& cpr = req.Param("cpr");
  if (cpr.size() != 10 || !std::all_of(cpr.begin(), cpr.end(), ::isdigit))
    throw net::HttpError("request.bad_id", "the CPR number must be ten digits");
  const auto parsed = Cpr::Parse(cpr);
  if (!parsed.ok())
    throw net::HttpError("request.bad_cpr", "not a CPR number: " + parsed.status().message(),
                         {{"parameter", "cpr"}});
  return cpr;
}

// The municipality's own items, each with "would_confuse": the kinds of its confusing
// notices; how many items are flagged, and how often each kind occurs.
struct FlaggedItems {
  nlohmann::json items = nlohmann::json::array();
  std::map<std::string, int> flags;
  int flagged = 0;
};

// Moves `municipality`'s items out of `all` (never another municipality's) and flags them.
FlaggedItems FlagConfusing(std::vector<nlohmann::json>& all, int municipality) {
  FlaggedItems out;
  for (auto& i : all) {
    if (i.value("municipality", 0) != municipality) continue;
    nlohmann::json why = nlohmann::json::array();
    for (const auto& n : i.value("notices", nlohmann::json::array()))
      if (Confusing(n.value("kind", ""))) {
        why.push_back(n["kind"]);
        out.flags[n["kind"].get<std::string>()]++;
      }
    out.flagged += !why.empty();
    i["would_confuse"] = why;
    out.items.push_back(std::move(i));
  }
  return out;
}

}  // namespace

net::Response BorgerService::Preview(net::Request& req) {
  const std::string& cpr = PreviewCpr(req);
  // Only a citizen in the register is previewed (and logged): the access log
  // holds reads of someone's data, not of a number nobody has.
  gateway_.CitizenOf(cpr);
  const int municipality = *req.principal->municipality;
  Subject s;
  s.cpr = cpr;
  s.actor = "municipality:" + std::to_string(municipality);
  s.actor_kind = "municipality";
  s.purpose = "municipal pre-go-live preview";
  Overview o = LoadOverview(s, Depth::kDetail);
  FlaggedItems f = FlagConfusing(o.items, municipality);
  LogAccess(s, req, "preview", std::nullopt, std::nullopt, municipality);
  nlohmann::json notices = nlohmann::json::array();
  if (o.stale) notices.push_back(StaleNotice(o.fetched_at));
  return net::Response::Json(200, {{"subject", cpr},
                                   {"municipality", municipality},
                                   {"purpose", s.purpose},
                                   {"stale", o.stale},
                                   {"notices", notices},
                                   {"counts", {{"items", f.items.size()}, {"flagged", f.flagged}}},
                                   {"flags", f.flags},
                                   {"items", f.items}});
}


}  // namespace adda::borger
