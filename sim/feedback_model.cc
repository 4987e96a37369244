#include "sim/feedback_model.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace adda::sim {
namespace {

// Free texts by theme and digital habit (low, medium, high), as citizens write them.
const std::map<std::string, std::array<std::vector<const char*>, 3>>& Phrases() {
  static const std::map<std::string, std::array<std::vector<const char*>, 3>> kPhrases = {
      {"errors",
       {{{"Der kom en fejl, og jeg ved ikke, om mine oplysninger er gemt.", "Siden virkede ikke. Jeg ringer hellere til kommunen."},
         {"Jeg fik en fejlbesked midt i det hele.", "Det gik galt undervejs, og jeg måtte give op."},
         {"Fejl fra serveren – prøv at se på stabiliteten.", "Fik en fejl, så jeg kunne ikke gøre det færdigt."}}}},
      {"slow",
       {{{"Det tog alt for lang tid. Jeg troede, computeren var gået i stå.", "Jeg ventede og ventede."},
         {"Siden var meget langsom i dag.", "Det tog lang tid at få mine sager frem."},
         {"Alt for langsomt – flere sekunder om at vise oversigten.", "Svartiden er ikke god nok."}}}},
      {"stale",
       {{{"Der stod, at oplysningerne måske ikke var de nyeste. Hvad betyder det?", "Jeg er usikker på, om det, jeg så, er rigtigt."},
         {"Der stod, at oplysningerne kunne være forældede.", "Godt at der stod, at data ikke var helt nye."},
         {"Fik vist gamle data med en advarsel – fint at det blev sagt.", "Data var ikke opdaterede i dag."}}}},
      {"wrong_data",
       {{{"Der står noget forkert om min sag.", "Der mangler noget på min sag, og jeg ved ikke, hvem jeg skal spørge."},
         {"Der mangler oplysninger på en af mine sager.", "Jeg fandt en fejl i mine oplysninger og har skrevet til kommunen."},
         {"Afdelingen mangler på min sag, og en periode passer ikke.", "Data er ufuldstændige – har meldt det ind."}}}},
      {"confusing",
       {{{"Jeg forstod ikke, hvad der stod om min sag.", "Der er for mange mærkelige ord."},
         {"Nogle af forklaringerne var svære at forstå.", "Jeg er ikke sikker på, hvad der sker nu i min sag."},
         {"Der er intern fagsprog i titlerne.", "Forklaringen manglede på en af sagerne."}}}},
      {"good",
       {{{"Det var nemt nok, da jeg først var logget ind.", "Godt at kunne se det hele ét sted."},
         {"Fint overblik over mine sager og ydelser.", "Nu ved jeg, hvad der sker i min sag."},
         {"Hurtigt og overskueligt.", "Godt overblik – og rart at kunne se, hvem der har set mine data."}}}},
  };
  return kPhrases;
}

int HabitIndex(const std::string& habit) { return habit == "low" ? 0 : habit == "high" ? 2 : 1; }

int Clamp5(double x) { return std::clamp(static_cast<int>(std::lround(x)), 1, 5); }

}  // namespace

bool IsDefectNotice(const std::string& kind) {
  return kind == "missing_unit" || kind == "status_gap" || kind == "stale_status" || kind == "unknown_kle" ||
         kind == "jargon_title" || kind == "payment_without_grant_period" || kind == "no_explanation";
}

bool NoticesDefect(const Persona& persona, Rng& rng) {
  double p = persona.reading_level == "easy" ? 0.3 : persona.reading_level == "expert" ? 0.7 : 0.5;
  if (persona.digital_habit == "high") p += 0.1;
  if (persona.digital_habit == "low") p -= 0.1;
  return rng.Chance(p);
}

Answer SimulateAnswer(const Persona& persona, const Experience& met, uint64_t seed) {
  Rng rng(seed);
  // The latent satisfaction: a trait baseline, minus what went wrong, plus a little noise.
  double s = persona.digital_habit == "high" ? 0.8 : persona.digital_habit == "low" ? 0.1 : 0.5;
  const double confusion_weight =
      persona.reading_level == "easy" ? 1.5 : persona.reading_level == "expert" ? 0.5 : 1.0;
  double slow = 0;
  if (met.slowest_ms > 0.25 * persona.patience_s * 1000)
    slow = std::min(1.0, met.slowest_ms / (persona.patience_s * 1000));
  const double errors = std::min(1.5, 0.6 * met.errors);
  const double stale = met.stale_seen > 0 ? 0.4 : 0;
  const double confusing =
      confusion_weight * std::min(0.9, 0.3 * met.explanations_missing + 0.2 * met.jargon_seen);
  const double wrong = std::min(0.9, 0.3 * static_cast<double>(met.defects_noticed.size()));
  s -= errors + (met.failed ? 1.0 : 0) + (met.abandoned ? 1.2 : 0) + 1.2 * slow + stale + confusing + wrong;
  if (met.explanations_read > 0) s += 0.2;
  s += 0.4 * rng.Normal();

  Answer a;
  a.satisfaction = s;
  a.rating = Clamp5(3.2 + s);
  for (int i = 0; i < 10; ++i) {
    const double noise = 0.6 * rng.Normal();
    // Odd-numbered items are worded positively, even-numbered negatively.
    a.sus[i] = Clamp5(i % 2 == 0 ? 3.3 + s + noise : 2.7 - s + noise);
  }
  // The theme is what weighed most.
  const std::vector<std::pair<std::string, double>> weights = {
      {"errors", errors + (met.failed ? 1.0 : 0)}, {"slow", 1.2 * slow + (met.abandoned ? 1.2 : 0)},
      {"stale", stale}, {"wrong_data", wrong}, {"confusing", confusing}};
  a.theme = "good";
  double top = 0.15;
  for (const auto& [theme, w] : weights)
    if (w > top) top = w, a.theme = theme;
  const auto& options = Phrases().at(a.theme)[HabitIndex(persona.digital_habit)];
  a.text = options[rng.Next() % options.size()];
  return a;
}

}  // namespace adda::sim
