// The synthetic population generator: citizens of the pilot municipalities with
// households, cases and benefits drawn by age and situation, and a configurable share
// of data-quality defects recorded as ground truth.
//
// Deterministic: the same inputs (configs, fixtures, scale, seed, clock) give the same
// rows in the same order, proven by a SHA-256 digest over every row written (hashed
// per chunk of 4,000 people, then the chunk hashes in order). Each
// municipality, person and case draws from its own seeded stream, so the order of work
// never changes the data. Generation runs on one thread and writing on the caller's,
// connected by a bounded queue, so the two cores are both busy on a full-scale run.
// Every CPR is a substitute number (day + 60). See docs/generator.md.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/citizen.h"
#include "core/kle.h"
#include "core/municipality.h"
#include "core/status.h"
#include "sim/case_mix.h"
#include "sim/names.h"
#include "store/kombit_store.h"

namespace adda::sim {

struct GeneratorInputs {
  std::vector<Municipality> municipalities;  // every config in the pilots folder, by code
  KleCatalogue kle;
  NameTables names;
  std::vector<CaseRule> rules;
  std::vector<std::string> jargon_titles;  // titles planted as "jargon_title" defects
  std::vector<std::string> jargon_terms;
  std::vector<std::string> unknown_kle_codes;  // well-formed codes not in the catalogue
};

// Reads every *.json in `pilots_dir` (sorted by file name) and the embedded fixtures.
// Failure: "config.invalid" / "fixture.invalid" naming file, field and reason.
Result<GeneratorInputs> LoadGeneratorInputs(const std::string& pilots_dir);

struct GenerateOptions {
  double scale = 0.01;
  uint64_t seed = 2018;
  std::optional<int> only_municipality;
  Date today = GoLiveDate();
  // Write only municipalities and citizens (the "CPR register" part) to the database,
  // leaving cases and grants to be pushed through the integration API (--via).
  bool citizens_only = false;
  const Clock* clock = &SystemClock();  // times the generation (summary.seconds)
};

struct MunicipalityTotals {
  int code = 0;
  std::string name;
  int64_t target_population = 0;
  int64_t citizens = 0;
  int64_t minors = 0;
  int64_t children_with_parent = 0;
  int64_t cases = 0;
  int64_t open_cases = 0;
  int64_t grants = 0;
  int64_t payments = 0;
  std::map<std::string, int64_t> defects;          // kind -> planted
  std::map<std::string, int64_t> defect_eligible;  // kind -> items that could carry it
};

struct GenerateSummary {
  std::vector<MunicipalityTotals> municipalities;
  int64_t rows = 0;  // rows written, all tables
  std::string digest;  // sha256 hex over the SHA-256 of each chunk of rows, in order
  double seconds = 0;
  MunicipalityTotals Total() const;
};

// Where generated rows go: a SQLite bulk writer, an HTTP pusher, or a capture for
// benchmarks. Called on one thread, in a deterministic order.
class PopulationSink {
 public:
  virtual ~PopulationSink() = default;
  virtual void Municipality(const adda::Municipality& m) = 0;
  virtual void Citizen(const adda::Citizen& c) = 0;
  virtual void Case(const store::CaseRow& row) = 0;
  virtual void Grant(const store::GrantRow& row) = 0;
  virtual void Defect(int municipality, const std::string& item_kind, const std::string& item_id,
                      const std::string& kind) = 0;
};

// (citizens done, citizens total), called on the caller's thread as rows are written.
using ProgressFn = std::function<void(int64_t, int64_t)>;

// Generates into `sink`. Failure: "generate.cancelled" when `cancel` became true,
// "config.invalid" for a bad scale or an unknown --municipality.
Result<GenerateSummary> GeneratePopulation(const GeneratorInputs& in, const GenerateOptions& opt,
                                           PopulationSink& sink, const ProgressFn& progress,
                                           const std::atomic<bool>* cancel);

// Generates a complete KOMBIT database at `out`: written to a temporary file beside it
// and renamed at the end, so a failed or interrupted run leaves no half database.
// Failure: "generate.output" when `out` cannot be written, plus the above.
Result<GenerateSummary> GenerateDatabase(const GeneratorInputs& in, const GenerateOptions& opt,
                                         const std::string& out, const ProgressFn& progress,
                                         const std::atomic<bool>* cancel);

}  // namespace adda::sim
