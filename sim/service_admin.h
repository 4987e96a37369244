// What the runner asks of the services' admin APIs, apart from the journeys themselves:
// the test users borger.dk's IdP knows, and the scenario's fault windows applied at and
// lifted from the KOMBIT mock. Over HTTP only, like every other part of the simulation.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "net/client.h"
#include "sim/plan.h"
#include "sim/scenario.h"

namespace adda::sim {

struct RunTargets {
  std::string borger;        // http://host:port
  std::string kombit;        // for fault windows; may be empty when the scenario has none
  std::string borger_admin;  // admin key: test users
  std::string kombit_admin;  // admin key: faults
};

// Fetches the test users of the scenario's municipalities from borger.dk's /idp/users.
// Throws std::runtime_error naming the URL when borger.dk does not answer as expected.
Population LoadPopulation(const RunTargets& targets, const std::vector<int>& municipalities, Date today);

// Applies and lifts the scenario's fault windows through the KOMBIT admin API. Not
// thread-safe: the runner's control loop owns it.
class FaultDriver {
 public:
  FaultDriver(const Scenario& s, const RunTargets& t);
  // Applies the windows that have begun by `elapsed` seconds and lifts those that have
  // ended; returns the name of the window in force, or "".
  std::string Tick(double elapsed);
  // Lifts every window still applied (the run is over).
  void LiftAll();
  std::vector<bool> applied() const { return applied_; }
  std::vector<std::string> errors() const { return errors_; }

 private:
  net::Client& client();
  void Apply(size_t k);
  void Lift(size_t k);

  const Scenario& scenario_;
  const RunTargets& targets_;
  std::vector<std::optional<std::string>> ids_;
  std::vector<bool> applied_;
  std::vector<std::string> errors_;
  std::unique_ptr<net::Client> client_;
};

}  // namespace adda::sim
