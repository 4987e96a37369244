// Generator throughput against its baseline, measured in the same invocation.
//
//   generator_bench PILOTS_DIR OUT_DIR [SCALE] [ROUNDS]
//
// Baseline: the exact rows the generator produces, captured in memory first, then
// written by a bare loop — same schema, same pragmas, one transaction, prepared
// statements, no indexes, no generation. Candidate: `GenerateDatabase` end to end
// (generation, digest, insert, indexes, ANALYZE, rename). Rounds interleave the two
// and the medians are compared. Prints one JSON object on stdout.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/generator.h"
#include "store/schema.h"
#include "store/sqlite.h"

namespace {

using namespace adda;
using Stopwatch = std::chrono::steady_clock;

class CaptureSink : public sim::PopulationSink {
 public:
  std::vector<adda::Municipality> municipalities;
  std::vector<adda::Citizen> citizens;
  std::vector<store::CaseRow> cases;
  std::vector<store::GrantRow> grants;
  struct DefectRow {
    int municipality;
    std::string item_kind, item_id, kind;
  };
  std::vector<DefectRow> defects;

  void Municipality(const adda::Municipality& m) override { municipalities.push_back(m); }
  void Citizen(const adda::Citizen& c) override { citizens.push_back(c); }
  void Case(const store::CaseRow& row) override { cases.push_back(row); }
  void Grant(const store::GrantRow& row) override { grants.push_back(row); }
  void Defect(int m, const std::string& k, const std::string& id, const std::string& kind) override {
    defects.push_back({m, k, id, kind});
  }
  int64_t Rows() const {
    return static_cast<int64_t>(municipalities.size() + citizens.size() + cases.size() + grants.size() +
                                defects.size());
  }
};

void Remove(const std::string& path) {
  std::error_code ec;
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) std::filesystem::remove(path + suffix, ec);
}

double BareInsertSeconds(const CaptureSink& rows, const std::string& path) {
  Remove(path);
  const auto t0 = Stopwatch::now();
  {
    store::Db db(path, store::OpenMode::kCreate);
    store::ApplyBulkLoadPragmas(db);
    db.Exec(store::KombitMigrations().front().tables);
    store::Transaction tx(db);
    store::KombitBulkWriter w(db);
    for (const auto& m : rows.municipalities) w.Municipality(m);
    for (const auto& c : rows.citizens) w.Citizen(c);
    for (const auto& c : rows.cases) w.Case(c);
    for (const auto& g : rows.grants) w.Grant(g);
    for (const auto& d : rows.defects) w.Defect(d.municipality, d.item_kind, d.item_id, d.kind);
    tx.Commit();
  }
  const double s = std::chrono::duration<double>(Stopwatch::now() - t0).count();
  Remove(path);
  return s;
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: generator_bench PILOTS_DIR OUT_DIR [SCALE] [ROUNDS]\n";
    return 2;
  }
  const std::string pilots = argv[1], out_dir = argv[2];
  sim::GenerateOptions opt;
  opt.scale = argc > 3 ? std::stod(argv[3]) : 0.25;
  const int rounds = argc > 4 ? std::stoi(argv[4]) : 3;
  std::filesystem::create_directories(out_dir);

  auto inputs = sim::LoadGeneratorInputs(pilots);
  if (!inputs.ok()) {
    std::cerr << inputs.status().message() << "\n";
    return 1;
  }
  CaptureSink rows;
  const auto g0 = Stopwatch::now();
  auto captured = sim::GeneratePopulation(*inputs, opt, rows, nullptr, nullptr);
  const double generate_only = std::chrono::duration<double>(Stopwatch::now() - g0).count();
  if (!captured.ok()) {
    std::cerr << captured.status().message() << "\n";
    return 1;
  }

  std::vector<double> bare, generator;
  const std::string bare_path = out_dir + "/bench-bare.db", gen_path = out_dir + "/bench-gen.db";
  for (int r = 0; r < rounds; ++r) {
    bare.push_back(BareInsertSeconds(rows, bare_path));
    const auto t0 = Stopwatch::now();
    auto result = sim::GenerateDatabase(*inputs, opt, gen_path, nullptr, nullptr);
    generator.push_back(std::chrono::duration<double>(Stopwatch::now() - t0).count());
    if (!result.ok() || result->digest != captured->digest) {
      std::cerr << "generator run differs from the captured rows\n";
      return 1;
    }
    Remove(gen_path);
  }
  const double rows_n = static_cast<double>(rows.Rows());
  const double bare_rps = rows_n / Median(bare), gen_rps = rows_n / Median(generator);
  nlohmann::json j = {
      {"bench", "generator"},
      {"scale", opt.scale},
      {"rows", rows.Rows()},
      {"rounds", rounds},
      {"bare_insert_seconds", bare},
      {"generator_seconds", generator},
      {"generation_without_sqlite_seconds", generate_only},
      {"bare_insert_rows_per_s", std::llround(bare_rps)},
      {"generator_rows_per_s", std::llround(gen_rps)},
      {"ratio", std::round(gen_rps / bare_rps * 1000) / 1000},
      {"goal", 0.5},
  };
  std::cout << j.dump() << "\n";
  return 0;
}
