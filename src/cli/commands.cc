#include "cli/commands.h"

namespace adda::cli {

const std::vector<Command>& Commands() {
  static const std::vector<Command> k = {
      {"generate", "synthetic population for the pilot municipalities into a KOMBIT database", RunGenerate},
      {"serve", "run a mock service: adda serve kombit | adda serve borger", RunServe},
      {"pilot", "the main job: generate if needed, start both services, run a scenario, write the report", RunPilot},
      {"run", "run a scenario against services already running: adda run --borger URL --kombit URL", RunRun},
      {"report", "compare two runs: adda report compare RUN_A RUN_B", RunReport},
      {"push", "the reference municipal client: push an NDJSON file through the integration API", RunPush},
      {"conform", "a municipality's conformance report: what in its pushed data and calls is wrong (HTML, JSON, JUnit)", RunConform},
      {"preview", "what borger.dk would show a municipality's citizens: adda preview --municipality CODE --borger URL", RunPreview},
      {"audit", "check the access log's hash chain: adda audit verify --db data/borger.db", RunAudit},
  };
  return k;
}

}  // namespace adda::cli
