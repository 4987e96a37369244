// Durability of acknowledged writes: the KOMBIT mock as its own process, killed with
// SIGKILL in the middle of a bulk load through the integration API, restarted on the
// same database, and the load resent with the same idempotency keys. Every record sent
// must be present exactly once (version 1, none written twice), none lost, and the
// database must pass SQLite's integrity check.
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "net/client.h"
#include "store/sqlite.h"

namespace adda::testing {
namespace {

namespace fs = std::filesystem;

pid_t Spawn(const std::vector<std::string>& args, const std::string& out_file) {
  const pid_t pid = fork();
  if (pid == 0) {
    freopen(out_file.c_str(), "w", stdout);
    freopen((out_file + ".err").c_str(), "w", stderr);
    std::vector<char*> argv;
    argv.push_back(const_cast<char*>(ADDA_BINARY));
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(ADDA_BINARY, argv.data());
    _exit(127);
  }
  return pid;
}

int Wait(pid_t pid) {
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

// Polls /health: the server is another process, and listening is all it can say.
bool WaitHealthy(int port) {
  for (int i = 0; i < 100; ++i) {
    try {
      net::Client c("http://127.0.0.1:" + std::to_string(port));
      if (c.Get("/health").status == 200) return true;
    } catch (const std::exception&) {
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

// A port below the kernel's ephemeral range (32768+, where other tests' connections
// live) that nothing listens on now; the server is restarted on the same port after the
// kill, so it cannot be an ephemeral one. Regression: a fixed pid-derived port in the
// ephemeral range collided with a parallel test's socket ("Net Exception").
int FreePort() {
  for (int i = 0; i < 2000; ++i) {
    const int port = 20000 + static_cast<int>((::getpid() + i * 7919) % 12000);
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(static_cast<uint16_t>(port));
    const bool free = ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    ::close(fd);
    if (free) return port;
  }
  return 20000 + static_cast<int>(::getpid() % 12000);
}

TEST(KombitCrash, KillDuringBulkLoadLosesNothingAndWritesNothingTwice) {
  const std::string dir = std::string(ADDA_TEST_TMP) + "/kombit-crash-" + std::to_string(::getpid());
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string db = dir + "/kombit.db";
  const std::string pilots = std::string(ADDA_SOURCE_DIR) + "/pilots/municipalities";
  const std::string scale = "0.05";
  ASSERT_EQ(Wait(Spawn({"generate", "--pilots", pilots, "--scale", scale, "--citizens-only", "--out", db}, dir + "/gen.out")), 0);
  const int port = FreePort();
  const std::vector<std::string> serve = {"serve", "kombit", "--db", db, "--port", std::to_string(port), "--log", ""};
  pid_t server = Spawn(serve, dir + "/serve1.out");
  ASSERT_TRUE(WaitHealthy(port));
  const std::vector<std::string> push = {"generate", "--pilots", pilots, "--scale", scale, "--via",
                                         "http://127.0.0.1:" + std::to_string(port), "--credentials",
                                         db + ".credentials.json", "--json"};
  pid_t pusher = Spawn(push, dir + "/push1.out");
  // Kill the server once some batches have been committed, mid-load (polled: only the
  // database shows how far the other processes have got).
  store::Db probe(db, store::OpenMode::kReadOnly);
  int64_t seen = 0;
  for (int i = 0; i < 400 && seen < 3000; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    seen = probe.QueryInt("SELECT count(*) FROM cases").value_or(0);
  }
  kill(server, SIGKILL);
  Wait(server);
  const int64_t at_kill = probe.QueryInt("SELECT count(*) FROM cases").value_or(0) +
                          probe.QueryInt("SELECT count(*) FROM grants").value_or(0);
  ASSERT_GT(at_kill, 0) << "the kill should come after the first committed batch";
  // The first pusher either gives up (server gone) or finishes if the load was quick.
  kill(pusher, SIGKILL);
  Wait(pusher);

  server = Spawn(serve, dir + "/serve2.out");
  ASSERT_TRUE(WaitHealthy(port));
  const int rc = Wait(Spawn(push, dir + "/push2.out"));
  ASSERT_EQ(rc, 0) << "second push failed";
  std::ifstream out(dir + "/push2.out");
  const auto summary = nlohmann::json::parse(out);
  const int64_t lines = summary["lines"];
  EXPECT_EQ(summary["rejected"], 0);
  EXPECT_GT(summary["replayed"].get<int64_t>(), 0) << "records committed before the kill come back as replays";
  EXPECT_EQ(summary["accepted"].get<int64_t>() + summary["replayed"].get<int64_t>(), lines);
  kill(server, SIGTERM);
  EXPECT_EQ(Wait(server), 0);

  store::Db check(db, store::OpenMode::kReadOnly);
  EXPECT_EQ(check.QueryInt("SELECT count(*) FROM cases").value_or(0) + check.QueryInt("SELECT count(*) FROM grants").value_or(0),
            lines);
  EXPECT_EQ(check.QueryInt("SELECT count(*) FROM cases WHERE version <> 1").value_or(-1), 0);
  EXPECT_EQ(check.QueryInt("SELECT count(*) FROM grants WHERE version <> 1").value_or(-1), 0);
  EXPECT_EQ(check.QueryText("PRAGMA integrity_check").value_or(""), "ok");
  fs::remove_all(dir);
}

}  // namespace
}  // namespace adda::testing
