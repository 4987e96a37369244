#include "cli/commands.h"

namespace adda::cli {

const std::vector<Command>& Commands() {
  static const std::vector<Command> k = {
      {"generate", "synthetic population for the pilot municipalities into a KOMBIT database", RunGenerate},
      {"serve", "run a mock service: adda serve kombit | adda serve borger", RunServe},
      {"audit", "check the access log's hash chain: adda audit verify --db data/borger.db", RunAudit},
  };
  return k;
}

}  // namespace adda::cli
