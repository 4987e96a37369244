#include "sim/citizen_preview.h"

#include <algorithm>
#include <set>

#include "net/client.h"

namespace adda::sim {

std::vector<std::string> SampleCitizens(const conformance::Data& data, int n) {
  std::set<std::string> all;
  const std::string prefix = "urn:oio:cpr-nr:";
  for (const auto& c : data.cases)
    if (c.primary_party.rfind(prefix, 0) == 0) all.insert(c.primary_party.substr(prefix.size()));
  const std::vector<std::string> sorted(all.begin(), all.end());
  std::vector<std::string> out;
  if (sorted.empty() || n <= 0) return out;
  const size_t step = std::max<size_t>(1, sorted.size() / static_cast<size_t>(n));
  for (size_t i = 0; i < sorted.size() && out.size() < static_cast<size_t>(n); i += step) out.push_back(sorted[i]);
  return out;
}

std::string MaskCpr(const std::string& cpr) {
  return cpr.size() == 10 && std::all_of(cpr.begin(), cpr.end(), ::isdigit) ? cpr.substr(0, 4) + "xx-xxxx" : cpr;
}

PreviewResult FetchPreviews(const std::string& borger, const std::string& token, const std::vector<std::string>& cprs) {
  net::ClientOptions o;
  o.default_headers["Authorization"] = "Bearer " + token;
  net::Client client(borger, o);
  PreviewResult out;
  for (const auto& cpr : cprs) {
    auto r = client.Get("/v1/preview/" + cpr);
    auto j = r.status == 200 ? nlohmann::json::parse(r.body, nullptr, false) : nlohmann::json();
    if (!j.is_object()) {
      out.failures.push_back(MaskCpr(cpr) + ": borger.dk answered " + std::to_string(r.status) + " " + r.body.substr(0, 200));
      continue;
    }
    out.citizens.push_back(std::move(j));
  }
  return out;
}

}  // namespace adda::sim
