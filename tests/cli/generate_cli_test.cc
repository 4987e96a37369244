// adda generate as a user meets it: the real binary, real files. Bad input gives one
// clear line and a non-zero exit, and never leaves a partial file behind.
#include <gtest/gtest.h>

#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#include "common/cli_testing.h"

namespace {
namespace fs = std::filesystem;

using Run = adda::testing::CliRun;
using adda::testing::Adda;
std::string Dir(const std::string& name) { return adda::testing::ScratchDir(name); }

int Lines(const std::string& s) { return static_cast<int>(std::count(s.begin(), s.end(), '\n')); }

bool NoDbFiles(const std::string& dir) {
  for (const auto& e : fs::directory_iterator(dir)) {
    const auto name = e.path().filename().string();
    if (name.find(".db") != std::string::npos) return false;
  }
  return true;
}

TEST(GenerateCli, HelpDescribesOptions) {
  auto d = Dir("help");
  auto r = Adda("generate --help", d);
  EXPECT_EQ(r.exit_code, 0);
  for (const char* opt : {"--pilots", "--scale", "--seed", "--out", "--municipality", "--today"})
    EXPECT_NE(r.out.find(opt), std::string::npos) << opt;
}

TEST(GenerateCli, BadInputIsOneClearLineAndNoFile) {
  auto d = Dir("bad");
  fs::create_directories(d + "/broken");
  std::ofstream(d + "/broken/1-x.json") << "{\"code\": 751, \"name\": ";
  fs::create_directories(d + "/invalid");
  std::ofstream(d + "/invalid/1-x.json") << R"({"code": 75, "name": "X", "population": 10, "age_structure": [], "units": {}})";
  std::ofstream(d + "/afile") << "x";
  const std::string pilots = std::string(ADDA_SOURCE_DIR) + "/pilots/municipalities";
  struct Case {
    std::string args, expect;
  };
  const Case cases[] = {
      {"--scale 0", "--scale"},
      {"--scale -1", "--scale"},
      {"--scale abc", "scale"},
      {"--today 2018-02-30", "--today"},
      {"--pilots " + d + "/missing", "missing"},
      {"--pilots " + d + "/broken", "not valid JSON"},
      {"--pilots " + d + "/invalid", "code"},
      {"--municipality 999", "999"},
      {"--out " + d + "/afile/x.db", "afile"},
      {"--out /proc/adda-test.db", "/proc"},
      {"--no-such-flag", "no-such-flag"},
  };
  for (const auto& c : cases) {
    std::string args = "generate --scale 0.001 " + c.args;
    if (c.args.find("--pilots") == std::string::npos) args += " --pilots " + pilots;
    if (c.args.find("--out") == std::string::npos) args += " --out " + d + "/out.db";
    auto r = Adda(args, d);
    EXPECT_NE(r.exit_code, 0) << c.args;
    EXPECT_EQ(Lines(r.err), 1) << c.args << ": " << r.err;
    EXPECT_NE(r.err.find(c.expect), std::string::npos) << c.args << ": " << r.err;
    EXPECT_TRUE(r.out.empty()) << c.args;
    EXPECT_FALSE(fs::exists(d + "/out.db")) << c.args;
  }
  EXPECT_TRUE(NoDbFiles(d));
}

TEST(GenerateCli, PrintsSummaryAndTheSameDigestTwice) {
  auto d = Dir("ok");
  const std::string base = "generate --scale 0.001 --seed 3 --pilots " + std::string(ADDA_SOURCE_DIR) +
                           "/pilots/municipalities --out " + d + "/";
  auto a = Adda(base + "a.db", d);
  auto b = Adda(base + "b.db", d);
  ASSERT_EQ(a.exit_code, 0) << a.err;
  ASSERT_EQ(b.exit_code, 0) << b.err;
  for (const char* name : {"Esbjerg", "Aarhus", "Faaborg-Midtfyn", "Favrskov", "Vejle", "digest: sha256:"})
    EXPECT_NE(a.out.find(name), std::string::npos) << name;
  auto digest = [](const std::string& out) { return out.substr(out.find("digest:")); };
  EXPECT_EQ(digest(a.out), digest(b.out));
  EXPECT_TRUE(fs::exists(d + "/a.db"));
  auto j = Adda(base + "c.db --json", d);
  ASSERT_EQ(j.exit_code, 0);
  EXPECT_NE(j.out.find("\"digest\""), std::string::npos);
}

TEST(GenerateCli, InterruptLeavesNoHalfDatabase) {
  auto d = Dir("interrupt");
  const std::string out = d + "/big.db";
  const pid_t pid = fork();
  if (pid == 0) {
    const std::string pilots = std::string(ADDA_SOURCE_DIR) + "/pilots/municipalities";
    freopen("/dev/null", "w", stdout);
    execl(ADDA_BINARY, ADDA_BINARY, "generate", "--scale", "0.5", "--pilots", pilots.c_str(), "--out",
          out.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  // Wait until the temporary file exists, i.e. generation is under way. Polled: the
  // generator is another process, with no way to tell this test.
  for (int i = 0; i < 200; ++i) {
    bool started = false;
    for (const auto& e : fs::directory_iterator(d))
      started = started || e.path().filename().string().find(".tmp-") != std::string::npos;
    if (started) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  // A real wait, so the interrupt lands while rows are being written, not before.
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  kill(pid, SIGINT);
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 130);
  EXPECT_TRUE(NoDbFiles(d));
}

}  // namespace
