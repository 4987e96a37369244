// adda's subcommands. Each takes its own arguments (argv after the subcommand name),
// parses them with Boost.Program_options into a plain options struct, and returns the
// process exit code: 0 success, 1 failure of the work, 2 bad usage.
#pragma once

#include <string>
#include <vector>

namespace adda::cli {

struct Command {
  const char* name;
  const char* summary;
  int (*run)(const std::vector<std::string>& args);
};

const std::vector<Command>& Commands();

int RunGenerate(const std::vector<std::string>& args);
int RunServe(const std::vector<std::string>& args);
int RunAudit(const std::vector<std::string>& args);
int RunPilot(const std::vector<std::string>& args);
int RunRun(const std::vector<std::string>& args);
int RunReport(const std::vector<std::string>& args);
int RunPush(const std::vector<std::string>& args);
int RunPreview(const std::vector<std::string>& args);
int RunConform(const std::vector<std::string>& args);

}  // namespace adda::cli
