#include "sim/service_admin.h"

#include <chrono>
#include <stdexcept>

#include <nlohmann/json.hpp>

namespace adda::sim {

Population LoadPopulation(const RunTargets& targets, const std::vector<int>& municipalities, Date today) {
  net::ClientOptions o;
  o.timeout = std::chrono::milliseconds(30000);
  o.default_headers["Authorization"] = "Bearer " + targets.borger_admin;
  net::Client client(targets.borger, o);
  std::vector<TestUser> users;
  for (int m : municipalities) {
    std::string after = "0000000000";
    for (;;) {
      const std::string target = "/idp/users?municipality=" + std::to_string(m) + "&limit=500&after=" + after;
      auto r = client.Get(target);
      if (r.status != 200)
        throw std::runtime_error(targets.borger + target + " answered " + std::to_string(r.status) + ": " +
                                 r.body.substr(0, 200));
      const auto j = r.Json();
      if (!j.is_object() || !j.contains("items") || !j["items"].is_array())
        throw std::runtime_error(targets.borger + target + " answered without an items list");
      for (const auto& u : j["items"]) {
        auto birth = Date::Parse(u.value("birth_date", ""));
        const auto cpr = u.value("cpr", std::string());
        if (cpr.empty()) throw std::runtime_error(targets.borger + target + " answered a user without a CPR");
        users.push_back({cpr, m, birth.value_or(Date())});
      }
      const auto next = j.value("next_after", nlohmann::json());
      if (!next.is_string() || j["items"].empty()) break;
      after = next.get<std::string>();
    }
  }
  return Population(std::move(users), today);
}

FaultDriver::FaultDriver(const Scenario& s, const RunTargets& t) : scenario_(s), targets_(t), ids_(s.faults.size()) {
  applied_.assign(s.faults.size(), false);
  errors_.assign(s.faults.size(), "");
}

std::string FaultDriver::Tick(double elapsed) {
  std::string active;
  for (size_t k = 0; k < scenario_.faults.size(); ++k) {
    const auto& f = scenario_.faults[k];
    if (elapsed >= f.start_s && elapsed < f.end_s && !ids_[k] && errors_[k].empty()) Apply(k);
    if (elapsed >= f.end_s && ids_[k]) Lift(k);
    if (ids_[k]) active = f.name;
  }
  return active;
}

void FaultDriver::LiftAll() {
  for (size_t k = 0; k < ids_.size(); ++k)
    if (ids_[k]) Lift(k);
}

net::Client& FaultDriver::client() {
  if (!client_) {
    net::ClientOptions o;
    o.timeout = std::chrono::milliseconds(3000);
    o.default_headers["Authorization"] = "Bearer " + targets_.kombit_admin;
    client_ = std::make_unique<net::Client>(targets_.kombit, o);
  }
  return *client_;
}

void FaultDriver::Apply(size_t k) {
  try {
    auto r = client().PostJson("/admin/faults", scenario_.faults[k].rule);
    if (r.status != 201) {
      errors_[k] = "KOMBIT answered " + std::to_string(r.status) + ": " + r.body.substr(0, 300);
      return;
    }
    const auto j = r.Json();
    if (!j.contains("id") || j["id"].is_null()) {
      errors_[k] = "KOMBIT added the rule but named no id: " + r.body.substr(0, 300);
      return;
    }
    ids_[k] = j["id"].is_string() ? j["id"].get<std::string>() : j["id"].dump();
    applied_[k] = true;
  } catch (const std::exception& e) {
    errors_[k] = e.what();
  }
}

// Removes the rule; when KOMBIT cannot be told, the id is kept so the next Tick or
// LiftAll tries again, and the window's error says so.
void FaultDriver::Lift(size_t k) {
  try {
    const auto r = client().Send("DELETE", "/admin/faults/" + *ids_[k]);
    if (r.status == 204 || r.status == 200 || r.status == 404) {
      ids_[k].reset();
      return;
    }
    errors_[k] = "KOMBIT did not remove the fault rule: " + std::to_string(r.status);
  } catch (const std::exception& e) {
    client_.reset();
    errors_[k] = std::string("KOMBIT could not be told to remove the fault rule: ") + e.what();
  }
}

}  // namespace adda::sim
