#include "borger/gateway.h"

#include "core/date.h"
#include "net/http.h"

namespace adda::borger {
namespace {

net::ClientOptions ClientOptionsFor(const GatewayOptions& o) {
  net::ClientOptions c;
  c.timeout = o.timeout;
  c.default_headers["Authorization"] = "Bearer " + o.token;
  return c;
}

}  // namespace

KombitGateway::KombitGateway(GatewayOptions options)
    : options_(std::move(options)), pool_(options_.kombit, ClientOptionsFor(options_)), cache_(options_.cache_entries) {}

bool KombitGateway::BreakerAllows() {
  std::lock_guard<std::mutex> lock(breaker_mu_);
  if (consecutive_failures_ < options_.breaker_failures) return true;
  if (options_.clock->Ticks() < open_until_) return false;
  if (trial_in_flight_) return false;  // half open: one trial at a time
  trial_in_flight_ = true;
  return true;
}

void KombitGateway::RecordSuccess() {
  std::lock_guard<std::mutex> lock(breaker_mu_);
  consecutive_failures_ = 0;
  trial_in_flight_ = false;
}

void KombitGateway::RecordFailure() {
  ++failures_total_;
  std::lock_guard<std::mutex> lock(breaker_mu_);
  ++consecutive_failures_;
  trial_in_flight_ = false;
  if (consecutive_failures_ >= options_.breaker_failures)
    open_until_ = options_.clock->Ticks() + std::chrono::duration_cast<std::chrono::microseconds>(options_.breaker_open).count();
}

std::string KombitGateway::breaker_state() const {
  std::lock_guard<std::mutex> lock(breaker_mu_);
  if (consecutive_failures_ < options_.breaker_failures) return "closed";
  return options_.clock->Ticks() < open_until_ ? "open" : "half_open";
}

void KombitGateway::Remember(const std::string& path, const std::string& body, const std::string& fetched_at) {
  cache_.Put(path, std::make_shared<const CacheEntry>(CacheEntry{body, fetched_at, options_.clock->Ticks()}));
}

std::optional<Fetched> KombitGateway::Recall(const std::string& path) {
  auto e = cache_.Find(path);
  if (!e || options_.clock->Ticks() - e->at > std::chrono::duration_cast<std::chrono::microseconds>(options_.cache_ttl).count())
    return std::nullopt;
  return Fetched{200, e->body, true, e->fetched_at};
}

Fetched KombitGateway::Get(const std::string& path, bool allow_stale) {
  std::string why;
  if (BreakerAllows()) {
    auto lease = pool_.Borrow();
    try {
      net::ClientResponse r = lease->Get(path);
      if (r.status < 500) {
        RecordSuccess();
        std::string now = options_.clock->NowIso();
        if (r.status >= 200 && r.status < 300) Remember(path, r.body, now);
        return Fetched{r.status, std::move(r.body), false, std::move(now)};
      }
      why = "KOMBIT answered " + std::to_string(r.status);
    } catch (const net::TransportError& e) {
      lease.Discard();
      // Without the request ("GET /v1/cases/…: "): the cause reaches citizens, and must
      // read the same whichever item was asked for.
      const std::string what = e.what();
      const size_t colon = what.find(": ");
      why = "KOMBIT did not answer: " + (colon == std::string::npos ? what : what.substr(colon + 2));
    }
    RecordFailure();
  } else {
    why = "circuit breaker open";
  }
  if (allow_stale) {
    if (auto cached = Recall(path)) {
      ++stale_served_;
      cached->cause = why;
      return *cached;
    }
  }
  throw KombitUnavailable(why);
}

net::HttpError KombitUnavailable(const std::string& cause) {
  return net::HttpError("kombit.unavailable", "case data is not available right now; try again shortly",
                        {{"cause", cause}});
}

net::ClientResponse KombitGateway::Send(const std::string& method, const std::string& path, const std::string& body) {
  if (!BreakerAllows()) throw net::TransportError("circuit breaker open");
  auto lease = pool_.Borrow();
  try {
    net::ClientResponse r = lease->Send(method, path, body);
    if (r.status >= 500) RecordFailure();
    else RecordSuccess();
    return r;
  } catch (const net::TransportError&) {
    lease.Discard();
    RecordFailure();
    throw;
  }
}

namespace {

net::HttpError AsError(const Status& s) { return net::HttpError::From(s); }

net::HttpError Unexpected(int status) {
  return net::HttpError("kombit.error", "KOMBIT answered " + std::to_string(status));
}

}  // namespace

CitizenRecord KombitGateway::CitizenOf(const std::string& cpr) {
  auto c = FindCitizen(cpr);
  if (!c) throw net::HttpError("citizen.not_found", "no such citizen");
  return std::move(*c);
}

std::optional<CitizenRecord> KombitGateway::FindCitizen(const std::string& cpr, bool allow_stale) {
  const auto r = Get("/v1/citizens/" + cpr, allow_stale);
  if (r.status == 404) return std::nullopt;
  if (r.status != 200) throw Unexpected(r.status);
  auto c = DecodeCitizen(r.body);
  if (!c.ok()) throw AsError(c.status());
  return std::move(c).value();
}

Fetched KombitGateway::OverviewOf(const std::string& cpr) {
  auto r = Get("/v1/citizens/" + cpr + "/overview?limit=500");
  if (r.status != 200) throw Unexpected(r.status);
  return r;
}

std::optional<Typed<IndexItem>> KombitGateway::ItemOf(const std::string& kind, int municipality,
                                                      const std::string& id) {
  const auto r = Get(std::string(kind == "case" ? "/v1/cases/" : "/v1/grants/") + std::to_string(municipality) + "/" + id);
  if (r.status == 404) return std::nullopt;
  if (r.status != 200) throw Unexpected(r.status);
  auto item = DecodeItem(kind, r.body);
  if (!item.ok()) throw AsError(item.status());
  return Typed<IndexItem>{std::move(item).value(), r.stale, r.fetched_at, r.cause};
}

}  // namespace adda::borger
