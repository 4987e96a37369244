// Contributions: citizens' notes and corrections that borger.dk forwards (system key),
// and each municipality's inbox where they are reviewed and answered.
#include "core/cpr.h"
#include "core/ids.h"
#include "core/json_reader.h"
#include "kombit/helpers.h"
#include "kombit/schemas.h"
#include "kombit/service.h"

namespace adda::kombit {
namespace {

bool LegalMove(const std::string& from, const std::string& to) {
  if (from == "received") return to != "received";
  if (from == "under_review") return to == "corrected" || to == "answered" || to == "rejected";
  return false;  // corrected, answered and rejected are final
}

// A contribution borger.dk forwards: its id, where it belongs and what it says (not yet
// its status or times); 422 with every problem otherwise.
store::Contribution DecodeReceivedContribution(const nlohmann::json& body) {
  std::vector<Violation> v;
  JsonReader r(body, "", &v);
  r.ExpectOnly({"id", "municipality", "cpr", "item_kind", "item_id", "field", "kind", "text"});
  store::Contribution c;
  c.id = r.String("id", true, 64).value_or("");
  if (!c.id.empty() && !IsSafeId(c.id)) v.push_back({"field.id", "id", "must be letters, digits, '.', '_' or '-'"});
  c.municipality = static_cast<int>(r.Int("municipality", true, 100, 999).value_or(0));
  const std::string cpr = r.String("cpr", true, 11).value_or("");
  auto parsed = Cpr::Parse(cpr);
  if (!cpr.empty() && !parsed.ok()) v.push_back({"party.cpr_format", "cpr", "must be a CPR number"});
  c.item_kind = r.OneOf("item_kind", true, ContributionItemKinds()).value_or("");
  c.item_id = r.String("item_id", true, 64).value_or("");
  c.field = r.String("field", false, 64);
  c.kind = r.OneOf("kind", true, ContributionKinds()).value_or("");
  c.text = r.String("text", true, kMaxContributionText).value_or("");
  if (r.Has("text") && c.text.find_first_not_of(" \t\r\n") == std::string::npos)
    v.push_back({"field.required", "text", "must not be blank"});
  if (!v.empty()) ThrowUnprocessable(v, {}, "the contribution is not valid");
  c.cpr = parsed->digits();
  return c;
}

// Whether a retry with an id already received says the same (else the id is reused).
bool SameContribution(const store::Contribution& a, const store::Contribution& b) {
  return a.cpr == b.cpr && a.text == b.text && a.item_id == b.item_id && a.municipality == b.municipality &&
         a.kind == b.kind && a.item_kind == b.item_kind && a.field == b.field;
}

}  // namespace

net::Response KombitService::ReceiveContribution(net::Request& req) {
  store::Contribution c = DecodeReceivedContribution(req.Json());
  auto& s = conn().store;
  auto& db = conn().db;
  store::Transaction tx(db);
  if (auto existing = s.GetContribution(c.id)) {
    if (!SameContribution(*existing, c))
      throw net::HttpError("contribution.id_conflict", "a different contribution has this id");
    return net::Response::Json(200, store::ContributionJson(*existing));
  }
  auto owner = c.item_kind == "case" ? s.CaseForOwner(c.municipality, c.item_id)
                                     : s.GrantForOwner(c.municipality, c.item_id);
  if (!owner || owner->cpr != c.cpr)
    throw net::HttpError("item.not_found", "the citizen has no such item at this municipality");
  c.status = "received";
  c.created = c.updated = clock().NowIso();
  c.history = nlohmann::json::array({{{"status", "received"}, {"at", c.created}}}).dump();
  s.InsertContribution(c);
  tx.Commit();
  metrics().Count("kombit_contributions_received_total");
  return net::Response::Json(201, store::ContributionJson(c));
}

net::Response KombitService::ContributionStatus(net::Request& req) {
  auto c = conn().store.GetContribution(PathId(req, "id"));
  if (!c) throw net::HttpError("contribution.not_found", "no such contribution");
  return net::Response::Json(200, store::ContributionJson(*c));
}

net::Response KombitService::CitizenContributions(net::Request& req) {
  const std::string cpr = PathCpr(req);
  const auto page = net::ParsePage(req, 50, 500);
  std::vector<std::string> bodies;
  for (const auto& c : conn().store.ContributionsByCpr(cpr, {page.limit + 1, page.offset}))
    bodies.push_back(store::ContributionJson(c).dump());
  return net::Response::Raw(200, ListJson(std::move(bodies), {page.limit, page.offset}));
}

net::Response KombitService::OwnContributions(net::Request& req) {
  const int m = PathMunicipality(req);
  auto status = req.Query("status");
  const auto& statuses = ContributionStatuses();
  if (status && std::find(statuses.begin(), statuses.end(), *status) == statuses.end())
    throw net::HttpError("request.bad_query", "status must be one of received, under_review, corrected, answered, rejected",
                         {{"parameter", "status"}});
  const auto page = net::ParsePage(req, 50, 500);
  std::vector<std::string> bodies;
  for (const auto& c : conn().store.ContributionsFor(m, status, {page.limit + 1, page.offset}))
    bodies.push_back(store::ContributionJson(c).dump());
  return net::Response::Raw(200, ListJson(std::move(bodies), {page.limit, page.offset}));
}

net::Response KombitService::AnswerContribution(net::Request& req) {
  const std::string id = PathId(req, "id");
  return Integrate(req, "contribution", id, [&](store::KombitStore& s, int m) {
    const auto body = req.Json();
    std::vector<Violation> v;
    JsonReader r(body, "", &v);
    r.ExpectOnly({"status", "reply"});
    auto status = r.OneOf("status", true, ContributionStatuses());
    auto reply = r.String("reply", false, kMaxContributionText);
    if (!v.empty()) ThrowUnprocessable(v, {}, "the change is not valid");
    auto c = s.GetContribution(id);
    if (!c || c->municipality != m)
      throw net::HttpError("contribution.not_found", "no such contribution in this inbox");
    CheckPreconditions(req, c->version);
    if (!LegalMove(c->status, *status))
      ThrowUnprocessable({{"contribution.transition", "status",
                           "cannot move from " + c->status + " to " + *status}},
                         {}, "the change is not allowed");
    if ((*status == "answered" || *status == "rejected") && !reply && !c->reply)
      ThrowUnprocessable({{"contribution.reply_required", "reply",
                           "an answer or a rejection needs a reply the citizen can read"}},
                         {}, "the change is not valid");
    c->status = *status;
    if (reply) c->reply = *reply;
    c->updated = clock().NowIso();
    ++c->version;
    auto history = nlohmann::json::parse(c->history, nullptr, false);
    if (!history.is_array()) history = nlohmann::json::array();
    nlohmann::json h{{"status", *status}, {"at", c->updated}};
    if (reply) h["reply"] = *reply;
    history.push_back(h);
    c->history = history.dump();
    s.UpdateContribution(*c);
    Outcome out;
    out.response = net::Response::Json(200, store::ContributionJson(*c));
    out.response.headers["ETag"] = ETag(c->version);
    return out;
  });
}


}  // namespace adda::kombit
