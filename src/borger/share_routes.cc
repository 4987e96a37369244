// Use and share: a share grant to someone I choose (recipient, scope, purpose, expiry,
// with a consent receipt), read-only views through the share link, and powers of
// attorney (fuldmagt) over chosen areas that the holder uses from their own login.
#include <set>

#include "borger/service.h"
#include "core/cpr.h"
#include "core/ids.h"
#include "core/json_reader.h"

namespace adda::borger {
namespace {

std::string TokenHash(const std::string& token) { return net::Sha256Hex("share\n" + token); }

nlohmann::json ShareView(const store::ShareRow& s, int64_t now) {
  return {{"id", s.id},
          {"recipient", s.recipient},
          {"purpose", s.purpose},
          {"scope", nlohmann::json::parse(s.scope)},
          {"created", s.created},
          {"expires_at", Timestamp(s.expires * 1000).ToString()},
          {"revoked", s.revoked ? nlohmann::json(*s.revoked) : nlohmann::json(nullptr)},
          {"active", !s.revoked && s.expires > now},
          {"receipt", nlohmann::json::parse(s.receipt)}};
}

nlohmann::json ProxyView(const store::ProxyRow& p, int64_t now) {
  return {{"id", p.id},
          {"grantor", p.grantor},
          {"grantee", p.grantee},
          {"areas", nlohmann::json::parse(p.areas)},
          {"created", p.created},
          {"expires_at", Timestamp(p.expires * 1000).ToString()},
          {"revoked", p.revoked ? nlohmann::json(*p.revoked) : nlohmann::json(nullptr)},
          {"active", !p.revoked && p.expires > now},
          {"receipt", nlohmann::json::parse(p.receipt)}};
}

bool InScope(const nlohmann::json& scope, const std::string& kind, int municipality, const std::string& id) {
  if (scope.value("all", false)) return true;
  for (const auto& i : scope.value("items", nlohmann::json::array()))
    if (i.value("kind", "") == kind && i.value("municipality", 0) == municipality && i.value("id", "") == id) return true;
  return false;
}

// A share's scope, {"all": true} or {"all": false, "items": [{kind, municipality, id}]},
// from the body's "all" or list of 1-200 items; every problem in `v`.
nlohmann::json DecodeShareScope(const nlohmann::json& body, std::vector<Violation>* v) {
  if (!body.is_object() || !body.contains("scope")) {
    v->push_back({"field.required", "scope", "say what to share: \"all\" or a list of items"});
    return nlohmann::json();
  }
  const auto& given = body["scope"];
  if (given == "all") return {{"all", true}};
  if (!given.is_array() || given.empty() || given.size() > 200) {
    v->push_back({"field.type", "scope", "must be \"all\" or a list of 1-200 items"});
    return nlohmann::json();
  }
  nlohmann::json scope = {{"all", false}, {"items", nlohmann::json::array()}};
  for (size_t i = 0; i < given.size(); ++i) {
    const auto& it = given[i];
    if (!it.is_object() || !it.contains("kind") || !it.contains("municipality") || !it.contains("id") ||
        !it["kind"].is_string() || !it["municipality"].is_number_integer() || !it["id"].is_string() ||
        it["municipality"].get<int64_t>() < 100 || it["municipality"].get<int64_t>() > 999 ||
        (it["kind"] != "case" && it["kind"] != "grant") || !IsSafeId(it["id"].get<std::string>())) {
      v->push_back({"field.type", "scope[" + std::to_string(i) + "]", "each item is {kind: case|grant, municipality: 100-999, id}"});
      continue;
    }
    scope["items"].push_back({{"kind", it["kind"]}, {"municipality", it["municipality"]}, {"id", it["id"]}});
  }
  return scope;
}

// A consent receipt (after Kantara's): who, to whom, what, why, when, how it ends.
nlohmann::json ShareReceipt(const store::ShareRow& s, const nlohmann::json& scope) {
  return {{"receipt_id", s.id},
          {"version", "adda-consent-1"},
          {"consent_given_at", s.created},
          {"data_subject", s.owner},
          {"given_to", s.recipient},
          {"controller", "borger.dk (adda mock)"},
          {"purposes", {s.purpose}},
          {"data", scope},
          {"access", "read only"},
          {"expires_at", Timestamp(s.expires * 1000).ToString()},
          {"how_it_ends", "at expiry, or when you revoke it under Delinger"}};
}

// A power of attorney's areas: a list of KLE main groups (["32", "27"]); every problem in `v`.
std::set<std::string> DecodeProxyAreas(const nlohmann::json& body, const KleCatalogue& kle,
                                       std::vector<Violation>* v) {
  std::set<std::string> areas;
  if (!body.is_object() || !body.contains("areas") || !body["areas"].is_array() || body["areas"].empty()) {
    v->push_back({"field.required", "areas", "list the KLE main groups, e.g. [\"32\", \"27\"]"});
    return areas;
  }
  for (const auto& a : body["areas"]) {
    if (!a.is_string() || !kle.MainGroupTitle(a.get<std::string>())) {
      v->push_back({"field.enum", "areas", "each area is a KLE main group such as \"32\""});
      break;
    }
    areas.insert(a.get<std::string>());
  }
  return areas;
}

// The consent receipt of a power of attorney, as ShareReceipt's for a share.
nlohmann::json ProxyReceipt(const store::ProxyRow& p) {
  return {{"receipt_id", p.id},
          {"version", "adda-consent-1"},
          {"consent_given_at", p.created},
          {"data_subject", p.grantor},
          {"given_to", p.grantee},
          {"purposes", {"power of attorney"}},
          {"data", {{"areas", nlohmann::json::parse(p.areas)}}},
          {"access", "read and contribute"},
          {"expires_at", Timestamp(p.expires * 1000).ToString()},
          {"how_it_ends", "at expiry, or when you revoke it"}};
}

}  // namespace

net::Response BorgerService::CreateShare(net::Request& req) {
  const std::string me = req.principal->subject;
  const auto body = req.Json();
  std::vector<Violation> v;
  JsonReader r(body, "", &v);
  r.ExpectOnly({"recipient", "purpose", "scope", "expires_days"});
  const std::string recipient = r.String("recipient", true, 200).value_or("");
  const std::string purpose = r.String("purpose", true, 500).value_or("");
  const int64_t days = r.Int("expires_days", true, 1, 90).value_or(0);
  const nlohmann::json scope = DecodeShareScope(body, &v);
  if (!v.empty()) throw net::HttpError("share.invalid", "the share is not valid", {{"violations", v}});
  const Subject self{me, me, "citizen", "own access", std::nullopt, std::nullopt};
  if (!scope["all"].get<bool>())
    for (const auto& it : scope["items"]) LoadItem(self, it["kind"], it["municipality"], it["id"]);
  const int64_t now = clock().UnixSeconds();
  const std::string token = RandomHex(32);
  store::ShareRow s;
  s.id = RandomHex(16);
  s.token_hash = TokenHash(token);
  s.owner = me;
  s.recipient = recipient;
  s.purpose = purpose;
  s.scope = scope.dump();
  s.created = clock().NowIso();
  s.expires = now + days * 86400;
  s.receipt = ShareReceipt(s, scope).dump();
  conn().store.InsertShare(s);
  nlohmann::json out = ShareView(s, now);
  out["token"] = token;
  out["link"] = "/v1/shared/" + token;
  return net::Response::Json(201, out);
}

net::Response BorgerService::MyShares(net::Request& req) {
  nlohmann::json items = nlohmann::json::array();
  for (const auto& s : conn().store.SharesOf(req.principal->subject)) items.push_back(ShareView(s, clock().UnixSeconds()));
  return net::Response::Json(200, {{"items", items}});
}

net::Response BorgerService::EndShare(net::Request& req) {
  const std::string& id = req.Param("id");
  auto s = IsSafeId(id) ? conn().store.GetShare(id) : std::nullopt;
  if (!s || s->owner != req.principal->subject)
    throw net::HttpError("share.not_found", "no such share among yours");
  conn().store.RevokeShare(id, clock().NowIso());
  return net::Response::NoContent();
}

net::Response BorgerService::GiveProxy(net::Request& req) {
  const std::string me = req.principal->subject;
  const auto body = req.Json();
  std::vector<Violation> v;
  JsonReader r(body, "", &v);
  r.ExpectOnly({"grantee", "areas", "expires_days"});
  const std::string grantee_text = r.String("grantee", true, 11).value_or("");
  const int64_t days = r.Int("expires_days", true, 1, 366).value_or(0);
  auto grantee = Cpr::Parse(grantee_text);
  if (!grantee_text.empty() && !grantee.ok()) v.push_back({"party.cpr_format", "grantee", "must be a CPR number"});
  const std::set<std::string> areas = DecodeProxyAreas(body, kle_, &v);
  if (grantee.ok() && grantee->digits() == me) v.push_back({"field.range", "grantee", "cannot be yourself"});
  if (!v.empty()) throw net::HttpError("proxy.invalid", "the power of attorney is not valid", {{"violations", v}});
  gateway_.CitizenOf(grantee->digits());  // must be a known person (404 otherwise)
  const int64_t now = clock().UnixSeconds();
  store::ProxyRow p;
  p.id = RandomHex(16);
  p.grantor = me;
  p.grantee = grantee->digits();
  p.areas = nlohmann::json(std::vector<std::string>(areas.begin(), areas.end())).dump();
  p.created = clock().NowIso();
  p.expires = now + days * 86400;
  p.receipt = ProxyReceipt(p).dump();
  conn().store.InsertProxy(p);
  return net::Response::Json(201, ProxyView(p, now));
}

net::Response BorgerService::MyProxies(net::Request& req) {
  const std::string me = req.principal->subject;
  nlohmann::json given = nlohmann::json::array(), held = nlohmann::json::array();
  for (const auto& p : conn().store.ProxiesGivenBy(me)) given.push_back(ProxyView(p, clock().UnixSeconds()));
  for (const auto& p : conn().store.ProxiesHeldBy(me)) held.push_back(ProxyView(p, clock().UnixSeconds()));
  return net::Response::Json(200, {{"given", given}, {"held", held}});
}

net::Response BorgerService::EndProxy(net::Request& req) {
  const std::string& id = req.Param("id");
  auto p = IsSafeId(id) ? conn().store.GetProxy(id) : std::nullopt;
  if (!p || p->grantor != req.principal->subject)
    throw net::HttpError("proxy.not_found", "no such power of attorney among those you gave");
  conn().store.RevokeProxy(id, clock().NowIso());
  return net::Response::NoContent();
}


// The share a link's token opens: 404 for a malformed, unknown, revoked or expired one
// alike, so a token's fate does not show.
store::ShareRow BorgerService::OpenShare(const net::Request& req) {
  const std::string& token = req.Param("token");
  if (token.size() != 64 || token.find_first_not_of("0123456789abcdef") != std::string::npos)
    throw net::HttpError("share.not_found", "this share link does not exist or has ended");
  auto s = conn().store.ShareByTokenHash(TokenHash(token));
  if (!s || s->revoked || s->expires <= clock().UnixSeconds())
    throw net::HttpError("share.not_found", "this share link does not exist or has ended");
  return *s;
}

Subject BorgerService::ShareSubject(const store::ShareRow& s) {
  return Subject{s.owner, "share:" + s.id + " (" + s.recipient + ")", "share", "share: " + s.purpose, std::nullopt, s.id};
}

net::Response BorgerService::SharedOverview(net::Request& req) {
  const store::ShareRow s = OpenShare(req);
  const Subject subject = ShareSubject(s);
  const auto scope = nlohmann::json::parse(s.scope);
  Overview o = LoadOverview(subject);
  nlohmann::json items = nlohmann::json::array();
  for (const auto& i : o.items)
    if (InScope(scope, i["kind"], i["municipality"], i["id"])) items.push_back(i);
  LogAccess(subject, req, "shared overview");
  const std::string name = gateway_.CitizenOf(s.owner).person.full_name();
  nlohmann::json notices = nlohmann::json::array(
      {{{"kind", "share_view"}, {"text", Explanations::Embedded().Notice("share_view", {{"name", name}})}}});
  if (o.stale) notices.push_back(StaleNotice(o.fetched_at));
  return net::Response::Json(200, {{"shared_by", name},
                                   {"purpose", s.purpose},
                                   {"expires_at", Timestamp(s.expires * 1000).ToString()},
                                   {"notices", notices},
                                   {"items", items}});
}

net::Response BorgerService::SharedCase(net::Request& req) { return SharedItem(req, "case"); }
net::Response BorgerService::SharedBenefit(net::Request& req) { return SharedItem(req, "grant"); }

// One item of a share: 404 unless the share names it (whatever exists beyond it).
net::Response BorgerService::SharedItem(net::Request& req, const std::string& kind) {
  const store::ShareRow s = OpenShare(req);
  const std::string& code = req.Param("code");
  const std::string& id = req.Param("id");
  if (code.size() != 3 || code.find_first_not_of("0123456789") != std::string::npos || !IsSafeId(id))
    throw net::HttpError(kind + ".not_found", "not part of this share");
  const int m = std::stoi(code);
  if (!InScope(nlohmann::json::parse(s.scope), kind, m, id))
    throw net::HttpError(kind + ".not_found", "not part of this share");
  const Subject subject = ShareSubject(s);
  auto item = LoadItem(subject, kind, m, id);
  LogAccess(subject, req, kind == "case" ? "case" : "benefit", kind, id, m);
  return net::Response::Json(200, item);
}

}  // namespace adda::borger
