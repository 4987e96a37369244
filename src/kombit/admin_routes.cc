// Admin (admin key): fault injection switchable at run time, and counters.
#include "kombit/helpers.h"
#include "kombit/service.h"

namespace adda::kombit {
namespace {

[[noreturn]] void ThrowFaultInvalid(const Status& s) {
  throw net::HttpError("fault.invalid", s.message(), {{"violations", ViolationsJson(s.violations())}});
}

}  // namespace

net::Response KombitService::Faults(net::Request&) {
  return net::Response::Json(200, {{"rules", faults().Describe()}});
}

net::Response KombitService::AddFault(net::Request& req) {
  auto added = faults().Add(req.Json());
  if (!added.ok()) ThrowFaultInvalid(added.status());
  Log({{"level", "info"}, {"event", "fault.added"}, {"rule", added->id}, {"route", added->route}});
  return net::Response::Json(201, {{"id", added->id}, {"rules", faults().Describe()}});
}

net::Response KombitService::ReplaceFaults(net::Request& req) {
  Status s = faults().ReplaceAll(req.Json());
  if (!s.ok()) ThrowFaultInvalid(s);
  return net::Response::Json(200, {{"rules", faults().Describe()}});
}

net::Response KombitService::ClearFaults(net::Request&) {
  faults().Clear();
  Log({{"level", "info"}, {"event", "fault.reset"}});
  return net::Response::NoContent();
}

net::Response KombitService::RemoveFault(net::Request& req) {
  if (!faults().Remove(PathId(req, "id")))
    throw net::HttpError("fault.not_found", "no fault rule with this id");
  return net::Response::NoContent();
}

net::Response KombitService::Stats(net::Request&) {
  auto& s = conn().store;
  return net::Response::Json(200, {{"citizens", s.Count("citizens")},
                                   {"cases", s.Count("cases")},
                                   {"grants", s.Count("grants")},
                                   {"contributions", s.Count("contributions")},
                                   {"integration_log", s.Count("integration_log")},
                                   {"defects", s.Count("defects")},
                                   {"requests", metrics().Requests()}});
}


}  // namespace adda::kombit
