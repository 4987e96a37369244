// The journey plan: which virtual citizen does what, decided before the run from the
// scenario and its seed alone. Journey i of a plan is a pure function of (scenario,
// population, i): its persona, journey, municipality, the test user who logs in, every
// think time, and the seed of its later choices. The same seed and scenario therefore
// give the same plan (and the same plan digest) however the run's threads interleave.
// In the open model the plan also holds every arrival time, drawn from the stage rates
// (times the calendar factor) by thinning a Poisson process.
// A Plan is immutable after construction; thread-safe to read.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/date.h"
#include "sim/scenario.h"

namespace adda::sim {

struct TestUser {
  std::string cpr;
  int municipality = 0;
  Date birth;
};

// The test users of the scenario's municipalities (from borger.dk's /idp/users),
// sorted by municipality and CPR, indexed by municipality and age band.
class Population {
 public:
  Population(std::vector<TestUser> users, Date today);
  const std::vector<TestUser>& users() const { return users_; }
  size_t size() const { return users_.size(); }
  size_t CountIn(int municipality) const;
  // A user of `municipality` in `age_band`, else any adult there, else anyone there;
  // `pick` is any 64-bit number (the caller's random draw). Precondition: CountIn > 0.
  uint32_t Pick(int municipality, const std::string& age_band, uint64_t pick) const;
  const std::string& AgeBandOf(uint32_t user) const { return bands_[user]; }

 private:
  std::vector<TestUser> users_;
  std::vector<std::string> bands_;
  std::map<int, std::map<std::string, std::vector<uint32_t>>> by_band_;
  std::map<int, std::vector<uint32_t>> adults_, all_;
};

struct PlannedJourney {
  uint64_t index = 0;
  double at_s = -1;              // open model: the scheduled arrival, seconds after the start
  int persona = 0;
  int journey = 0;
  int municipality = 0;
  uint32_t user = 0;             // index into Population::users()
  std::vector<double> think_s;   // before each step, persona factor applied, before --time-scale
  uint64_t seed = 0;             // the journey's own stream: item choices, feedback noise
};

class Plan {
 public:
  // Precondition: the scenario parsed; every scenario municipality has users.
  Plan(const Scenario& scenario, const Population& population);
  PlannedJourney At(uint64_t index) const;
  // Journeys the plan holds: the journey count, one per citizen, the number of arrivals,
  // or UINT64_MAX for a closed run bounded only by its duration.
  uint64_t total() const { return total_; }
  const std::vector<double>& arrivals() const { return arrivals_; }
  // SHA-256 over the first min(total, 2000) journeys and the arrival times.
  std::string Digest() const;

 private:
  const Scenario& scenario_;
  const Population& population_;
  std::vector<double> persona_weights_, journey_weights_, municipality_weights_;
  std::vector<double> arrivals_;
  uint64_t total_ = 0;
};

}  // namespace adda::sim
