#include "sim/plan.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/random.h"
#include "net/http.h"

namespace adda::sim {

Population::Population(std::vector<TestUser> users, Date today) : users_(std::move(users)) {
  std::sort(users_.begin(), users_.end(), [](const TestUser& a, const TestUser& b) {
    return a.municipality != b.municipality ? a.municipality < b.municipality : a.cpr < b.cpr;
  });
  bands_.reserve(users_.size());
  for (uint32_t i = 0; i < users_.size(); ++i) {
    const auto& u = users_[i];
    bands_.push_back(AgeBand(u.birth, today));
    by_band_[u.municipality][bands_.back()].push_back(i);
    all_[u.municipality].push_back(i);
    if (bands_.back() != "0-17") adults_[u.municipality].push_back(i);
  }
}

size_t Population::CountIn(int municipality) const {
  auto it = all_.find(municipality);
  return it == all_.end() ? 0 : it->second.size();
}

uint32_t Population::Pick(int municipality, const std::string& age_band, uint64_t pick) const {
  auto m = by_band_.find(municipality);
  if (m != by_band_.end()) {
    auto b = m->second.find(age_band);
    if (b != m->second.end() && !b->second.empty()) return b->second[pick % b->second.size()];
  }
  auto a = adults_.find(municipality);
  if (a != adults_.end() && !a->second.empty()) return a->second[pick % a->second.size()];
  const auto& all = all_.at(municipality);
  return all[pick % all.size()];
}

Plan::Plan(const Scenario& scenario, const Population& population) : scenario_(scenario), population_(population) {
  for (const auto& p : scenario.personas) persona_weights_.push_back(p.weight);
  for (const auto& j : scenario.journeys) journey_weights_.push_back(j.weight);
  for (int m : scenario.municipalities) municipality_weights_.push_back(static_cast<double>(population.CountIn(m)));

  const auto& load = scenario.load;
  uint64_t cap = std::numeric_limits<uint64_t>::max();
  if (load.journeys) cap = *load.journeys;
  if (load.each_citizen) cap = population.size();
  if (load.kind == LoadModel::Kind::kOpen) {
    // Thinning: candidates at the peak rate, each kept with rate(t) / peak.
    const double duration = load.duration_s();
    auto rate = [&](double t) {
      double r = load.TargetAt(t);
      if (load.calendar.enabled) {
        const double sim_ms = t / duration * load.calendar.simulated_hours * 3600e3;
        r *= CalendarFactor(scenario.clock_start.AddMillis(static_cast<int64_t>(sim_ms)));
      }
      return r;
    };
    double peak = 0;
    for (int i = 0; i <= 4000; ++i) peak = std::max(peak, rate(duration * i / 4000.0));
    peak *= 1.05;
    Rng rng(DeriveSeed(scenario.seed, "arrivals"));
    double t = 0;
    while (peak > 0 && arrivals_.size() < cap) {
      t += rng.Exponential(1.0 / peak);
      if (t >= duration) break;
      if (rng.Uniform() * peak <= rate(t)) arrivals_.push_back(t);
    }
    total_ = arrivals_.size();
  } else {
    total_ = cap;
  }
}

PlannedJourney Plan::At(uint64_t index) const {
  PlannedJourney p;
  p.index = index;
  p.seed = DeriveSeed(scenario_.seed, "journey", index);
  Rng rng(p.seed);
  if (index < arrivals_.size()) p.at_s = arrivals_[index];
  p.persona = static_cast<int>(rng.Pick(persona_weights_));
  p.journey = static_cast<int>(rng.Pick(journey_weights_));
  if (scenario_.load.each_citizen) {
    p.user = static_cast<uint32_t>(index % population_.size());
    p.municipality = population_.users()[p.user].municipality;
  } else {
    p.municipality = scenario_.municipalities[rng.Pick(municipality_weights_)];
    p.user = population_.Pick(p.municipality, scenario_.personas[p.persona].age_group, rng.Next());
  }
  const auto& persona = scenario_.personas[p.persona];
  for (const auto& step : scenario_.journeys[p.journey].steps) {
    const double mean = step.think_s * persona.think_factor;
    // Exponential, cut at five means: nobody stares at a page for an hour in a replay.
    p.think_s.push_back(mean > 0 ? std::min(rng.Exponential(mean), 5 * mean) : 0);
  }
  return p;
}

std::string Plan::Digest() const {
  std::string text;
  const uint64_t n = std::min<uint64_t>(total_, 2000);
  for (uint64_t i = 0; i < n; ++i) {
    const auto p = At(i);
    text += std::to_string(p.index) + " " + std::to_string(p.persona) + " " + std::to_string(p.journey) + " " +
            population_.users()[p.user].cpr + " " + std::to_string(p.seed);
    for (double t : p.think_s) text += " " + std::to_string(std::llround(t * 1000));
    text += "\n";
  }
  text += "arrivals " + std::to_string(arrivals_.size()) + "\n";
  for (double a : arrivals_) text += std::to_string(std::llround(a * 1000)) + "\n";
  return "sha256:" + net::Sha256Hex(text);
}

}  // namespace adda::sim
