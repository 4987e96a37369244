#include "cli/commands.h"

namespace adda::cli {

const std::vector<Command>& Commands() {
  static const std::vector<Command> k = {
      {"generate", "synthetic population for the pilot municipalities into a KOMBIT database", RunGenerate},
      {"serve", "run a mock service: adda serve kombit", RunServe},
  };
  return k;
}

}  // namespace adda::cli
