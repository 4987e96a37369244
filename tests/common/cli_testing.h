// Running the real adda binary from a test: its exit code, stdout and stderr, and a
// fresh scratch folder per test under the build's test-tmp.
#pragma once

#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

namespace adda::testing {

struct CliRun {
  int exit_code = 0;
  std::string out, err;
};

inline std::string ScratchDir(const std::string& name) {
  const std::string d = std::string(ADDA_TEST_TMP) + "/cli-" + name;
  std::filesystem::remove_all(d);
  std::filesystem::create_directories(d);
  return d;
}

// Runs `adda <args>` with stderr captured into `dir`/stderr.txt.
inline CliRun Adda(const std::string& args, const std::string& dir) {
  const std::string err_file = dir + "/stderr.txt";
  const std::string cmd = std::string(ADDA_BINARY) + " " + args + " 2>" + err_file;
  CliRun r;
  FILE* p = popen(cmd.c_str(), "r");
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  const int status = pclose(p);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  std::ifstream e(err_file);
  r.err.assign(std::istreambuf_iterator<char>(e), {});
  return r;
}

}  // namespace adda::testing
