#include "cli/options.h"

#include <cstdio>
#include <iostream>

namespace adda::cli {

namespace po = boost::program_options;

int ParseOptions(const std::string& command, const std::vector<std::string>& args, const po::options_description& visible,
                 po::variables_map* vm, const po::options_description* hidden,
                 const po::positional_options_description* positional) {
  po::options_description all;
  all.add(visible);
  if (hidden) all.add(*hidden);
  try {
    auto parser = po::command_line_parser(args).options(all);
    if (positional) parser.positional(*positional);
    po::store(parser.run(), *vm);
    po::notify(*vm);
  } catch (const po::error& e) {
    std::fprintf(stderr, "%s: %s (see %s --help)\n", command.c_str(), e.what(), command.c_str());
    return 2;
  }
  if (vm->count("help")) {
    std::cout << visible << "\n";
    return 0;
  }
  return -1;
}

}  // namespace adda::cli
