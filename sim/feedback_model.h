// How a simulated persona answers after a journey: a 1–5 rating, the ten System
// Usability Scale items and a short free text, driven by what the persona actually met
// (latency against its patience, errors, stale-data notices, explanations present or
// missing, data defects it noticed) and by its traits. The model is documented in
// docs/feedback-model.md. Pure functions: the answer is a deterministic function of the
// persona, the experience and the seed. Thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "core/random.h"
#include "sim/scenario.h"

namespace adda::sim {

// What one virtual citizen met in one journey.
struct Experience {
  int steps_planned = 0;
  int steps_done = 0;
  std::vector<double> latencies_ms;     // per request, from the scheduled send time
  std::vector<std::string> step_names;  // in the same order
  int errors = 0;
  bool failed = false;                  // an error ended the journey
  bool abandoned = false;               // a step took longer than the persona's patience
  double slowest_ms = 0;
  int stale_seen = 0;                   // answers marked stale (KOMBIT unreachable)
  int explanations_read = 0;            // explanations opened that had text for status, next, you can
  int explanations_missing = 0;         // items met whose explanation was missing
  int jargon_seen = 0;                  // titles in internal jargon
  std::vector<std::string> defects_noticed;  // notice kinds the persona noticed
  std::string fault_window;             // the fault window the journey overlapped, or empty
};

struct Answer {
  int rating = 3;
  std::array<int, 10> sus{};
  std::string text;
  std::string theme;  // errors | slow | stale | wrong_data | confusing | good
  double satisfaction = 0;  // the latent score the answers were drawn from (for the docs' plots)
};

// The answer `persona` gives after `met`, drawn with `seed`.
Answer SimulateAnswer(const Persona& persona, const Experience& met, uint64_t seed);

// Whether the persona notices one data-quality notice it is shown (reading level and
// digital habit raise the chance).
bool NoticesDefect(const Persona& persona, Rng& rng);

// The notice kinds that are data-quality defects (from core/explain), as opposed to
// notices about the service (stale, acting on behalf, no items).
bool IsDefectNotice(const std::string& kind);

}  // namespace adda::sim
