// The integration API, for municipalities (one key each, only their own code): first
// import and replacement of cases and grants, status changes, documents, granted
// benefits and payments, bulk NDJSON loads, and reading back what they pushed.
#include "core/json_reader.h"
#include "core/lifecycle.h"
#include "kombit/helpers.h"
#include "kombit/schemas.h"
#include "kombit/service.h"

namespace adda::kombit {

net::Response KombitService::IntegratePutCase(net::Request& req) {
  const std::string id = PathId(req, "id");
  return Integrate(req, "case", id, [&](store::KombitStore& s, int m) {
    return PutCase(s, m, id, req.Json(), &req);
  });
}

net::Response KombitService::OwnCase(net::Request& req) {
  const int m = PathMunicipality(req);
  auto item = conn().store.CaseForOwner(m, PathId(req, "id"));
  if (!item) throw net::HttpError("case.not_found", "no such case");
  auto r = net::Response::Raw(200, std::move(item->json));
  r.headers["ETag"] = ETag(item->version);
  return r;
}

net::Response KombitService::OwnCases(net::Request& req) {
  const int m = PathMunicipality(req);
  const auto page = net::ParsePage(req, 50, 500);
  return net::Response::Raw(
      200, ListJson(conn().store.CasesForOwner(m, {page.limit + 1, page.offset}), {page.limit, page.offset}));
}

net::Response KombitService::IntegrateStatus(net::Request& req) {
  const std::string id = PathId(req, "id");
  return Integrate(req, "case", id, [&](store::KombitStore& s, int m) {
    const auto body = req.Json();
    std::vector<Violation> v;
    JsonReader r(body, "", &v);
    r.ExpectOnly({"status", "from", "reopened", "local_status"});
    const StatusPeriod next = DecodeStatusPeriod(body, "", &v);
    std::optional<std::string> local = r.String("local_status", false, kMaxStatusChangeLocalStatus);
    if (!v.empty()) ThrowUnprocessable(v, {});
    auto item = s.CaseForOwner(m, id);
    CheckPreconditions(req, item);
    if (!item) throw net::HttpError("case.not_found", "no such case; create it with PUT first");
    Case c = nlohmann::json::parse(item->json).get<Case>();
    Status appended = AppendStatus(&c.status_history, next, today());
    if (!appended.ok()) ThrowUnprocessable(appended.violations(), {}, appended.message());
    if (local) c.local_status = *local;
    nlohmann::json full = c;
    return PutCase(s, m, id, full, nullptr);
  });
}

net::Response KombitService::IntegrateDocument(net::Request& req) {
  const std::string id = PathId(req, "id");
  const std::string doc = PathId(req, "doc");
  return Integrate(req, "case", id, [&](store::KombitStore& s, int m) {
    std::vector<Violation> v;
    Document d = DecodeDocument(req.Json(), "", &v);
    if (!v.empty()) ThrowUnprocessable(v, {});
    if (d.id != doc) ThrowUnprocessable({{"field.id", "id", "must equal the document id in the path"}}, {});
    auto item = s.CaseForOwner(m, id);
    CheckPreconditions(req, item);
    if (!item) throw net::HttpError("case.not_found", "no such case; create it with PUT first");
    Case c = nlohmann::json::parse(item->json).get<Case>();
    bool replaced = false;
    for (auto& existing : c.documents)
      if (existing.id == doc) existing = d, replaced = true;
    if (!replaced) c.documents.push_back(d);
    nlohmann::json full = c;
    return PutCase(s, m, id, full, nullptr);
  });
}

net::Response KombitService::IntegratePutGrant(net::Request& req) {
  const std::string id = PathId(req, "id");
  return Integrate(req, "grant", id, [&](store::KombitStore& s, int m) {
    return PutGrant(s, m, id, req.Json(), &req);
  });
}

net::Response KombitService::OwnGrant(net::Request& req) {
  const int m = PathMunicipality(req);
  auto item = conn().store.GrantForOwner(m, PathId(req, "id"));
  if (!item) throw net::HttpError("grant.not_found", "no such grant");
  auto r = net::Response::Raw(200, std::move(item->json));
  r.headers["ETag"] = ETag(item->version);
  return r;
}

net::Response KombitService::OwnGrants(net::Request& req) {
  const int m = PathMunicipality(req);
  const auto page = net::ParsePage(req, 50, 500);
  return net::Response::Raw(
      200, ListJson(conn().store.GrantsForOwner(m, {page.limit + 1, page.offset}), {page.limit, page.offset}));
}


net::Response KombitService::IntegrationLog(net::Request& req) {
  const int m = PathMunicipality(req);
  auto after = net::QueryInt(req, "after").value_or(0);
  auto limit = net::QueryInt(req, "limit").value_or(500);
  if (limit < 1 || limit > 5000)
    throw net::HttpError("request.bad_query", "limit must be between 1 and 5000", {{"parameter", "limit"}});
  nlohmann::json items = nlohmann::json::array();
  int64_t last = after;
  for (const auto& e : conn().store.ListLog(m, after, limit)) {
    nlohmann::json j{{"id", e.id}, {"ts", e.ts}, {"request_id", e.request_id}, {"method", e.method},
                     {"path", e.path}, {"status", e.status}, {"replayed", e.replayed}};
    j["item_kind"] = e.item_kind ? nlohmann::json(*e.item_kind) : nlohmann::json(nullptr);
    j["item_id"] = e.item_id ? nlohmann::json(*e.item_id) : nlohmann::json(nullptr);
    j["idempotency_key"] = e.idempotency_key ? nlohmann::json(*e.idempotency_key) : nlohmann::json(nullptr);
    j["errors"] = nlohmann::json::parse(e.errors, nullptr, false);
    j["warnings"] = nlohmann::json::parse(e.warnings, nullptr, false);
    items.push_back(j);
    last = e.id;
  }
  return net::Response::Json(200, {{"items", items}, {"next_after", last}});
}


net::Response KombitService::IntegrateGrantBenefit(net::Request& req) { return PutGrantPart(req, "benefits"); }
net::Response KombitService::IntegrateGrantPayment(net::Request& req) { return PutGrantPart(req, "payments"); }

// One granted benefit or one payment of a grant, replaced or added: the grant is read,
// changed and written whole, through the same checks as a PUT of the grant.
net::Response KombitService::PutGrantPart(net::Request& req, const std::string& part) {
  const std::string id = PathId(req, "id");
  const std::string sub = PathId(req, "sub");
  return Integrate(req, "grant", id, [&](store::KombitStore& s, int m) {
    const auto body = req.Json();
    std::vector<Violation> v;
    auto item = s.GrantForOwner(m, id);
    CheckPreconditions(req, item);
    if (!item) throw net::HttpError("grant.not_found", "no such grant; create it with PUT first");
    Grant g = nlohmann::json::parse(item->json).get<Grant>();
    if (part == "benefits") {
      GrantedBenefit b = DecodeGrantedBenefit(body, "", &v);
      if (!v.empty()) ThrowUnprocessable(v, {});
      if (b.id != sub) ThrowUnprocessable({{"field.id", "id", "must equal the benefit id in the path"}}, {});
      bool replaced = false;
      for (auto& x : g.benefits)
        if (x.id == sub) x = b, replaced = true;
      if (!replaced) g.benefits.push_back(b);
    } else {
      Payment p = DecodePayment(body, "", &v);
      if (!v.empty()) ThrowUnprocessable(v, {});
      if (p.id != sub) ThrowUnprocessable({{"field.id", "id", "must equal the payment id in the path"}}, {});
      bool replaced = false;
      for (auto& x : g.payments)
        if (x.id == sub) x = p, replaced = true;
      if (!replaced) g.payments.push_back(p);
    }
    nlohmann::json full = g;
    return PutGrant(s, m, id, full, nullptr);
  });
}

}  // namespace adda::kombit
