// Index queries for borger.dk (system key): citizens, their cases and grants, one item
// by id. Bodies come from the store as stored JSON and are concatenated, not re-encoded.
#include <algorithm>
#include <cctype>
#include <chrono>
#include <thread>

#include "kombit/helpers.h"
#include "kombit/service.h"

namespace adda::kombit {
namespace {

nlohmann::json CitizenJson(const Citizen& c) {
  nlohmann::json j{{"cpr", c.cpr},
                   {"municipality", c.municipality},
                   {"first_name", c.first_name},
                   {"last_name", c.last_name},
                   {"birth_date", c.birth_date.ToString()},
                   {"sex", c.sex == Sex::kMale ? "M" : "K"}};
  j["mother"] = c.mother ? nlohmann::json(*c.mother) : nlohmann::json(nullptr);
  j["father"] = c.father ? nlohmann::json(*c.father) : nlohmann::json(nullptr);
  return j;
}

std::optional<int> MunicipalityFilter(const net::Request& req) {
  auto m = net::QueryInt(req, "municipality");
  if (m && (*m < 100 || *m > 999))
    throw net::HttpError("request.bad_query", "municipality must be a three-digit code", {{"parameter", "municipality"}});
  return m;
}

// The change feed's query: after (absent: start from now), limit 1-5000 (500), and
// wait_ms 0-5000 (0), how long to wait for a change when there is none yet.
struct ChangesQuery {
  std::optional<int64_t> after;
  int limit = 500;
  int wait_ms = 0;
};

ChangesQuery DecodeChangesQuery(const net::Request& req) {
  ChangesQuery q;
  if (const auto raw_after = req.Query("after")) {
    if (raw_after->empty() || raw_after->size() > 18 ||
        !std::all_of(raw_after->begin(), raw_after->end(), ::isdigit))
      throw net::HttpError("request.bad_query", "after must be a seq from this feed (a whole number >= 0)",
                           {{"parameter", "after"}});
    q.after = std::stoll(*raw_after);
  }
  q.limit = net::QueryInt(req, "limit").value_or(500);
  if (q.limit < 1 || q.limit > 5000)
    throw net::HttpError("request.bad_query", "limit must be 1-5000", {{"parameter", "limit"}});
  q.wait_ms = net::QueryInt(req, "wait_ms").value_or(0);
  if (q.wait_ms < 0 || q.wait_ms > 5000)
    throw net::HttpError("request.bad_query", "wait_ms must be 0-5000", {{"parameter", "wait_ms"}});
  return q;
}

// The feed's items, one per change row, in the rows' order.
nlohmann::json ChangesJson(const std::vector<store::ChangeRow>& rows) {
  nlohmann::json items = nlohmann::json::array();
  for (const auto& c : rows)
    items.push_back({{"seq", c.seq}, {"cpr", c.cpr}, {"item_kind", c.item_kind},
                     {"municipality", c.municipality}, {"item_id", c.item_id}, {"at", c.at}});
  return items;
}

}  // namespace

net::Response KombitService::Municipalities(net::Request&) {
  nlohmann::json items = nlohmann::json::array();
  for (const auto& m : conn().store.Municipalities())
    items.push_back({{"code", m.code}, {"name", m.name}, {"population", m.population},
                     {"show_document_titles", m.show_document_titles}});
  return net::Response::Json(200, {{"items", items}});
}

net::Response KombitService::Citizens(net::Request& req) {
  auto m = MunicipalityFilter(req);
  if (!m) throw net::HttpError("request.bad_query", "municipality is required", {{"parameter", "municipality"}});
  const auto page = net::ParsePage(req, 50, 500);
  auto& s = conn().store;
  const auto after = req.Query("after");
  if (after && (after->size() != 10 || !std::all_of(after->begin(), after->end(), ::isdigit)))
    throw net::HttpError("request.bad_query", "after must be a CPR number (ten digits)", {{"parameter", "after"}});
  if (after) {
    auto list = s.ListCitizensAfter(*m, *after, page.limit + 1);
    const bool more = static_cast<int64_t>(list.size()) > page.limit;
    if (more) list.resize(static_cast<size_t>(page.limit));
    nlohmann::json items = nlohmann::json::array();
    for (const auto& c : list) items.push_back(CitizenJson(c));
    return net::Response::Json(200, {{"items", items}, {"limit", page.limit},
                                     {"next_after", more ? nlohmann::json(list.back().cpr) : nlohmann::json()}});
  }
  std::vector<std::string> bodies;
  for (const auto& c : s.ListCitizens(*m, {page.limit + 1, page.offset})) bodies.push_back(CitizenJson(c).dump());
  return net::Response::Raw(200, ListJson(std::move(bodies), {page.limit, page.offset}));
}

net::Response KombitService::CitizenRecord(net::Request& req) {
  const std::string cpr = PathCpr(req);
  auto& s = conn().store;
  auto c = s.GetCitizen(cpr);
  if (!c) throw net::HttpError("citizen.not_found", "no citizen with this CPR in the index");
  nlohmann::json j = CitizenJson(*c);
  j["children"] = nlohmann::json::array();
  for (const auto& child : s.Children(cpr)) j["children"].push_back(CitizenJson(child));
  return net::Response::Json(200, j);
}

net::Response KombitService::CitizenCases(net::Request& req) {
  return CitizenItems(req, &store::KombitStore::CaseBodiesByCpr);
}

net::Response KombitService::CitizenGrants(net::Request& req) {
  return CitizenItems(req, &store::KombitStore::GrantBodiesByCpr);
}

// A page of the citizen's cases or grants (`query`), maybe of one municipality only.
net::Response KombitService::CitizenItems(net::Request& req, BodiesByCpr query) {
  const std::string cpr = PathCpr(req);
  const auto m = MunicipalityFilter(req);
  const auto page = net::ParsePage(req, 50, 500);
  auto bodies = (conn().store.*query)(cpr, m, {page.limit + 1, page.offset});
  return net::Response::Raw(200, ListJson(std::move(bodies), {page.limit, page.offset}));
}

net::Response KombitService::CitizenOverview(net::Request& req) {
  const std::string cpr = PathCpr(req);
  const auto page = net::ParsePage(req, 100, 500);
  auto& s = conn().store;
  auto cases = s.CaseBodiesByCpr(cpr, std::nullopt, {page.limit + 1, page.offset});
  auto grants = s.GrantBodiesByCpr(cpr, std::nullopt, {page.limit + 1, page.offset});
  std::string out = "{\"cpr\":\"" + cpr + "\",\"cases\":" + ListJson(std::move(cases), {page.limit, page.offset}) +
                    ",\"grants\":" + ListJson(std::move(grants), {page.limit, page.offset}) + "}";
  return net::Response::Raw(200, std::move(out));
}

net::Response KombitService::Changes(net::Request& req) {
  auto& s = conn().store;
  const ChangesQuery q = DecodeChangesQuery(req);
  // Without `after` the feed starts now: no items, and the seq to follow from.
  // Changes after `after` that are no longer kept: the follower cannot know
  // what it missed, so it must start again from now.
  if (q.after) {
    const int64_t first = s.FirstChangeSeq();
    if (first > 0 && *q.after < first - 1)
      throw net::HttpError("changes.pruned",
                           "changes after that seq are no longer kept; start again from last_seq "
                           "(whatever was learnt before is void)",
                           {{"feed", feed_id_}, {"oldest_after", first - 1}, {"last_seq", s.LastChangeSeq()}});
  }
  std::vector<store::ChangeRow> rows;
  const int64_t deadline = clock().Ticks() + int64_t{q.wait_ms} * 1000;
  while (q.after) {
    rows = s.ChangesAfter(*q.after, q.limit);
    if (!rows.empty() || clock().Ticks() >= deadline) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  const int64_t last = s.LastChangeSeq();
  return net::Response::Json(200, {{"feed", feed_id_},
                                   {"items", ChangesJson(rows)},
                                   {"next_after", rows.empty() ? q.after.value_or(last) : rows.back().seq},
                                   {"last_seq", last}});
}

net::Response KombitService::CaseItem(net::Request& req) {
  const int m = PathMunicipality(req);
  auto body = conn().store.CaseBody(m, PathId(req, "id"));
  if (!body) throw net::HttpError("case.not_found", "no such case in the index");
  return net::Response::Raw(200, std::move(*body));
}

net::Response KombitService::GrantItem(net::Request& req) {
  const int m = PathMunicipality(req);
  auto body = conn().store.GrantBody(m, PathId(req, "id"));
  if (!body) throw net::HttpError("grant.not_found", "no such grant in the index");
  return net::Response::Raw(200, std::move(*body));
}


}  // namespace adda::kombit
