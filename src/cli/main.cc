// adda: the pilot harness for "Borgerens adgang til egne data". main only picks the
// subcommand; each subcommand parses its own options (see commands.h).
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "cli/commands.h"

namespace {

void PrintUsage() {
  std::printf(
      "adda %s — pilot harness for Borgerens adgang til egne data\n\n"
      "usage: adda <command> [options]   (adda <command> --help for details)\n\ncommands:\n",
      ADDA_VERSION);
  for (const auto& c : adda::cli::Commands()) std::printf("  %-10s %s\n", c.name, c.summary);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || !std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h") ||
      !std::strcmp(argv[1], "help")) {
    PrintUsage();
    return argc < 2 ? 2 : 0;
  }
  if (!std::strcmp(argv[1], "--version")) {
    std::printf("adda %s\n", ADDA_VERSION);
    return 0;
  }
  std::vector<std::string> args(argv + 2, argv + argc);
  for (const auto& c : adda::cli::Commands())
    if (argv[1] == std::string(c.name)) return c.run(args);
  std::fprintf(stderr, "adda: unknown command '%s' (try adda --help)\n", argv[1]);
  return 2;
}
