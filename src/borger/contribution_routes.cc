// Contributions: a citizen points out wrong or missing data on an item (or one field of
// it). Stored here first and committed before the answer, then forwarded to the owning
// municipality's inbox in KOMBIT; a failed forward is retried by the outbox with
// backoff, so nothing the citizen submitted is lost.
#include "borger/service.h"
#include "core/ids.h"
#include "core/json_reader.h"

namespace adda::borger {
namespace {

const std::vector<std::string> kKinds = {"note", "correction"};
const std::vector<std::string> kItemKinds = {"case", "grant"};

// What the citizen sends: the item, the field, the kind and text, and their own id;
// every problem in `v`.
store::BorgerContribution DecodeContribution(const nlohmann::json& body, std::vector<Violation>* out) {
  std::vector<Violation>& v = *out;
  JsonReader r(body, "", &v);
  r.ExpectOnly({"municipality", "item_kind", "item_id", "field", "kind", "text", "id"});
  store::BorgerContribution c;
  c.municipality = static_cast<int>(r.Int("municipality", true, 100, 999).value_or(0));
  c.item_kind = r.OneOf("item_kind", true, kItemKinds).value_or("");
  c.item_id = r.String("item_id", true, 64).value_or("");
  c.field = r.String("field", false, 64);
  c.kind = r.OneOf("kind", true, kKinds).value_or("");
  c.text = r.String("text", true, 2000).value_or("");
  c.client_id = r.String("id", false, 64);
  if (r.Has("text") && c.text.find_first_not_of(" \t\r\n") == std::string::npos)
    v.push_back({"field.required", "text", "write what is wrong or missing"});
  if (!c.item_id.empty() && !IsSafeId(c.item_id)) v.push_back({"field.id", "item_id", "is not an id"});
  if (c.client_id && !IsSafeId(*c.client_id)) v.push_back({"field.id", "id", "is not an id"});
  return c;
}

nlohmann::json ContributionView(const store::BorgerContribution& c) {
  return {{"id", c.id},
          {"municipality", c.municipality},
          {"item_kind", c.item_kind},
          {"item_id", c.item_id},
          {"field", c.field ? nlohmann::json(*c.field) : nlohmann::json(nullptr)},
          {"kind", c.kind},
          {"text", c.text},
          {"status", c.status},
          {"forwarded", c.forwarded},
          {"reply", c.reply ? nlohmann::json(*c.reply) : nlohmann::json(nullptr)},
          {"created", c.created},
          {"updated", c.updated},
          {"client_id", c.client_id ? nlohmann::json(*c.client_id) : nlohmann::json(nullptr)}};
}

}  // namespace

int BorgerService::ForwardDue() {
  auto& st = conn().store;
  int forwarded = 0;
  for (auto c : st.DueContributions(clock().UnixSeconds(), 100)) {
    nlohmann::json body{{"id", c.id},           {"municipality", c.municipality}, {"cpr", c.citizen},
                        {"item_kind", c.item_kind}, {"item_id", c.item_id},       {"kind", c.kind},
                        {"text", c.text}};
    if (c.field) body["field"] = *c.field;
    ++c.attempts;
    try {
      auto r = gateway().Send("POST", "/v1/contributions", body.dump());
      if (r.status == 200 || r.status == 201) {
        c.forwarded = true;
        c.status = nlohmann::json::parse(r.body).value("status", "received");
        c.last_error.reset();
        ++forwarded;
      } else if (r.status >= 400 && r.status < 500 && r.status != 429) {
        // KOMBIT refuses it for good (e.g. the item is gone): stop retrying, show why.
        c.forwarded = true;
        c.status = "not_delivered";
        c.last_error = "KOMBIT answered " + std::to_string(r.status);
      } else {
        c.last_error = "KOMBIT answered " + std::to_string(r.status);
      }
    } catch (const std::exception& e) {
      c.last_error = e.what();
    }
    if (!c.forwarded) c.next_attempt = clock().UnixSeconds() + std::min<int64_t>(300, int64_t{1} << std::min(c.attempts, 8));
    c.updated = clock().NowIso();
    st.UpdateContribution(c);
  }
  if (forwarded) metrics().Count("borger_contributions_forwarded_total", forwarded);
  return forwarded;
}

net::Response BorgerService::Contribute(net::Request& req) {
  const Subject s = ResolveSubject(req);
  std::vector<Violation> v;
  store::BorgerContribution c = DecodeContribution(req.Json(), &v);
  if (!v.empty()) throw net::HttpError("contribution.invalid", "the contribution is not valid", {{"violations", v}});
  // The item must be the subject's own (404 as for a missing one otherwise).
  LoadItem(s, c.item_kind, c.municipality, c.item_id);
  auto& st = conn().store;
  // borger.dk chooses the id it stores and forwards; an id the client
  // chose is the citizen's own (another citizen's is neither seen nor
  // blocked) and makes a resend safe.
  c.id = RandomHex(16);
  c.citizen = s.cpr;
  c.actor = s.actor;
  c.created = c.updated = clock().NowIso();
  c.status = "pending";
  auto resent = [&]() -> std::optional<net::Response> {
    auto existing = c.client_id ? st.ContributionByClientId(s.cpr, *c.client_id) : std::nullopt;
    if (!existing) return std::nullopt;
    if (existing->text != c.text || existing->item_id != c.item_id || existing->municipality != c.municipality ||
        existing->item_kind != c.item_kind || existing->field != c.field || existing->kind != c.kind)
      throw net::HttpError("contribution.id_conflict", "you sent a different contribution with this id");
    return net::Response::Json(200, ContributionView(*existing));  // a retried submit
  };
  if (auto replay = resent()) return *replay;
  // Committed (autocommit) before anything else; not inserted when a
  // concurrent resend under the same client id came first.
  if (!st.InsertContribution(c)) {
    if (auto replay = resent()) return *replay;
    throw std::runtime_error("contribution neither stored nor found");
  }
  metrics().Count("borger_contributions_total");
  ForwardDue();  // try now; the outbox retries what fails
  auto stored = st.GetContribution(c.id);
  return net::Response::Json(201, ContributionView(*stored));
}

net::Response BorgerService::MyContributions(net::Request& req) {
  const Subject s = ResolveSubject(req);
  auto& st = conn().store;
  nlohmann::json items = nlohmann::json::array();
  for (auto c : st.ContributionsFor(s.cpr)) {
    // A power of attorney covers some areas only: its holder sees what they wrote.
    if (s.actor_kind == "proxy" && c.actor != s.actor) continue;
    if (c.forwarded && c.status != "not_delivered") {
      // Refresh from the municipality's inbox; keep what we know if KOMBIT is away.
      try {
        auto r = gateway().Get("/v1/contributions/" + c.id, false);
        if (r.status == 200) {
          auto j = nlohmann::json::parse(r.body);
          c.status = j.value("status", c.status);
          if (j.contains("reply") && j["reply"].is_string()) c.reply = j["reply"].get<std::string>();
          c.updated = j.value("updated", c.updated);
          st.UpdateContribution(c);
        }
      } catch (const std::exception&) {
      }
    }
    items.push_back(ContributionView(c));
  }
  LogAccess(s, req, "contributions");
  return net::Response::Json(200, {{"items", items}});
}


}  // namespace adda::borger
