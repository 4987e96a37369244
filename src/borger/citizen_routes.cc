// A citizen's own data: the overview, a case, a benefit, export, and who has read it.
#include <sstream>

#include "core/csv.h"
#include "borger/service.h"
#include "core/ids.h"
#include "core/json_writer.h"

namespace adda::borger {
namespace {

std::string Str(const nlohmann::json& j) {
  if (j.is_string()) return j.get<std::string>();
  if (j.is_null()) return "";
  return j.dump();
}

int PathCode(const net::Request& req) {
  const std::string& s = req.Param("code");
  if (s.size() != 3 || s.find_first_not_of("0123456789") != std::string::npos || s[0] == '0')
    throw net::HttpError("request.bad_municipality", "the municipality code must be three digits, 100-999");
  return std::stoi(s);
}

const std::string& PathId(const net::Request& req) {
  const std::string& s = req.Param("id");
  if (s.empty() || s.size() > 64 || !IsSafeId(s))
    throw net::HttpError("request.bad_id", "the id must be 1-64 characters of letters, digits, '.', '_' or '-'");
  return s;
}

}  // namespace

net::Response BorgerService::MyOverview(net::Request& req) {
  const Subject s = ResolveSubject(req);
  auto page = UnchangedOverview(s);
  bool stale = false;
  std::string fetched_at = page ? page->fetched_at : "";
  if (!page) {
    const auto stamp = feed_ ? feed_->Take() : ChangeFeed::Stamp{};
    const Fetched r = FetchOverview(s);
    page = ExplainedOverview(s, r, stamp);
    stale = r.stale;
    fetched_at = r.fetched_at;
  }
  LogAccess(s, req, "overview");
  const nlohmann::json notices = OverviewNotices(s, stale, fetched_at, page->items);
  return net::Response::Raw(200, OverviewJson(s, *page, fetched_at, stale, notices));
}

nlohmann::json BorgerService::OverviewNotices(const Subject& s, bool stale, const std::string& fetched_at,
                                              int items) {
  nlohmann::json notices = nlohmann::json::array();
  if (stale) notices.push_back(StaleNotice(fetched_at));
  if (items == 0)
    notices.push_back({{"kind", "no_items"}, {"text", Explanations::Embedded().Notice("no_items", {})}});
  if (s.actor_kind != "citizen") {
    const std::string name = gateway_.CitizenOf(s.cpr).person.full_name();
    notices.push_back({{"kind", "acting_on_behalf"},
                       {"text", Explanations::Embedded().Notice("acting_on_behalf", {{"name", name}})}});
  }
  return notices;
}

std::string BorgerService::OverviewJson(const Subject& s, const OverviewPage& page, const std::string& fetched_at,
                                        bool stale, const nlohmann::json& notices) {
  // Written straight out around the page's serialised items (keys in the
  // order nlohmann::json would give them).
  std::string out;
  out.reserve(page.items_json.size() + 512);
  JsonWriter w(out);
  w.BeginObject()
      .Field("acting_as", [&](JsonWriter& v) { v.String(s.actor_kind); })
      .Field("counts", [&](JsonWriter& v) {
        v.BeginObject().Field("items", [&](JsonWriter& n) { n.Int(page.items); })
            .Field("open", [&](JsonWriter& n) { n.Int(page.open); }).EndObject();
      })
      .Field("fetched_at", [&](JsonWriter& v) { v.String(fetched_at); })
      .Field("items", [&](JsonWriter& v) { v.Raw(page.items_json); })
      .Field("notices", [&](JsonWriter& v) { v.Raw(notices.dump()); })
      .Field("stale", [&](JsonWriter& v) { v.Bool(stale); })
      .Field("subject", [&](JsonWriter& v) { v.String(s.cpr); })
      .EndObject();
  return out;
}

net::Response BorgerService::CaseItem(net::Request& req) { return ItemPage(req, "case", "case"); }
net::Response BorgerService::BenefitItem(net::Request& req) { return ItemPage(req, "grant", "benefit"); }

// One of the subject's items, explained; the read is logged as `what`.
net::Response BorgerService::ItemPage(net::Request& req, const std::string& kind, const std::string& what) {
  const Subject s = ResolveSubject(req);
  const int m = PathCode(req);
  const std::string id = PathId(req);
  auto item = LoadItem(s, kind, m, id);
  LogAccess(s, req, what, kind, id, m);
  return net::Response::Json(200, item);
}

net::Response BorgerService::Export(net::Request& req) {
  const Subject s = ResolveSubject(req);
  const std::string format = req.Query("format").value_or("json");
  if (format != "json" && format != "csv")
    throw net::HttpError("request.bad_query", "format must be json or csv", {{"parameter", "format"}});
  Overview o = LoadOverview(s, Depth::kDetail);  // all my data: timelines, documents, payments
  auto& st = conn().store;
  LogAccess(s, req, "export");
  if (format == "csv") {
    std::ostringstream csv;
    csv << "kind,municipality,id,title,status,open,last_change,unit,deliverer,notices\n";
    for (const auto& i : o.items) {
      std::string notices;
      for (const auto& n : i["notices"]) notices += (notices.empty() ? "" : ";") + n["kind"].get<std::string>();
      const std::string status = i["kind"] == "case" ? Str(i["status"]["label"]) : (i.value("open", false) ? "Løbende" : "Afsluttet");
      csv << CsvField(Str(i["kind"])) << ',' << i["municipality"].get<int>() << ',' << CsvField(Str(i["id"])) << ','
          << CsvField(Str(i["title"])) << ',' << CsvField(status) << ',' << (i.value("open", false) ? "ja" : "nej") << ','
          << CsvField(Str(i["last_change"])) << ',' << CsvField(Str(i["unit"]["name"])) << ','
          << CsvField(Str(i["deliverer"]["code"])) << ',' << CsvField(notices) << "\n";
    }
    auto resp = net::Response::Raw(200, csv.str(), "text/csv; charset=utf-8");
    resp.headers["Content-Disposition"] = "attachment; filename=\"mine-data.csv\"";
    return resp;
  }
  nlohmann::json contributions = nlohmann::json::array();
  for (const auto& c : st.ContributionsFor(s.cpr))
    if (s.actor_kind != "proxy" || c.actor == s.actor) contributions.push_back({{"id", c.id}, {"municipality", c.municipality}, {"item_kind", c.item_kind},
                             {"item_id", c.item_id}, {"kind", c.kind}, {"text", c.text}, {"status", c.status},
                             {"reply", c.reply ? nlohmann::json(*c.reply) : nlohmann::json(nullptr)}, {"created", c.created}});
  nlohmann::json access = nlohmann::json::array();
  if (s.actor_kind == "citizen") {
    SettleAccessLog();
    for (const auto& e : st.AccessLogFor(s.cpr, 0, 100000)) access.push_back(store::AccessEntryJson(e));
  }
  nlohmann::json out{{"exported_at", clock().NowIso()}, {"subject", s.cpr}, {"stale", o.stale},
                     {"items", o.items}, {"contributions", contributions}, {"access_log", access}};
  auto resp = net::Response::Json(200, out);
  resp.headers["Content-Disposition"] = "attachment; filename=\"mine-data.json\"";
  return resp;
}

net::Response BorgerService::AccessLogPage(net::Request& req) {
  const std::string me = req.principal->subject;
  const int64_t after = net::QueryInt(req, "after").value_or(0);
  const int limit = net::QueryInt(req, "limit").value_or(200);
  if (limit < 1 || limit > 1000)
    throw net::HttpError("request.bad_query", "limit must be between 1 and 1000", {{"parameter", "limit"}});
  nlohmann::json items = nlohmann::json::array();
  int64_t last = after;
  SettleAccessLog();
  for (const auto& e : conn().store.AccessLogFor(me, after, limit)) {
    auto j = store::AccessEntryJson(e);
    j.erase("citizen");
    items.push_back(j);
    last = e.seq;
  }
  return net::Response::Json(200, {{"items", items}, {"next_after", last}});
}


}  // namespace adda::borger
