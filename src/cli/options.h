// Parsing a subcommand's command line the same way everywhere: Boost.Program_options into
// the command's plain options struct (bound by `opts`), `--help` printing the options,
// and a parse error as one line "adda <command>: <what> (see adda <command> --help)".
#pragma once

#include <string>
#include <vector>

#include <boost/program_options.hpp>

namespace adda::cli {

// Returns -1 when the command should go on, 0 after printing --help (which `visible`
// must offer as "help"), 2 after printing a parse error. `hidden` options and
// `positional` ones are parsed too, but not shown in the help.
int ParseOptions(const std::string& command, const std::vector<std::string>& args,
                 const boost::program_options::options_description& visible,
                 boost::program_options::variables_map* vm,
                 const boost::program_options::options_description* hidden = nullptr,
                 const boost::program_options::positional_options_description* positional = nullptr);

}  // namespace adda::cli
