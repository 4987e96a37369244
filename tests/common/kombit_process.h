// `adda serve kombit` (or borger) as a child process for CLI tests: the real binary over a given
// database on 127.0.0.1 and an ephemeral port, its URL read from its first line, and
// stopped (SIGTERM, then SIGKILL) when the object goes. The child dies with the test
// process (PR_SET_PDEATHSIG), so a crashed test never leaves a server behind.
// Not thread-safe; one object per server.
#pragma once

#include <algorithm>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <regex>
#include <string>
#include <vector>
#include <thread>

namespace adda::testing {

class KombitProcess {
 public:
  KombitProcess() = default;
  KombitProcess(const KombitProcess&) = delete;
  KombitProcess& operator=(const KombitProcess&) = delete;
  ~KombitProcess() { Stop(); }

  // Starts the server over `db` (credentials beside it), logging its stdout into
  // `dir`/serve.out. Returns false (with the output in *why) when it has not said where
  // it listens within 30 s.
  bool Start(const std::string& db, const std::string& dir, const std::string& today,
             std::string* why) {
    return StartServe({"kombit", "--db", db, "--today", today, "--threads", "8"}, dir, why);
  }

  // Any `adda serve …` (kombit or borger): `args` follow "serve"; host, port 0 and (unless
  // `args` name one) an empty log are added.
  bool StartServe(std::vector<std::string> args, const std::string& dir, std::string* why) {
    const std::string out = dir + "/serve.out";
    for (const char* extra : {"--port", "0", "--host", "127.0.0.1"}) args.push_back(extra);
    if (std::find(args.begin(), args.end(), "--log") == args.end()) {
      args.push_back("--log");
      args.push_back("");
    }
    args.insert(args.begin(), "serve");
    pid_ = fork();
    if (pid_ == 0) {
      ::prctl(PR_SET_PDEATHSIG, SIGTERM);
      if (!freopen(out.c_str(), "w", stdout)) _exit(126);
      if (!freopen((dir + "/serve.err").c_str(), "w", stderr)) _exit(126);
      std::vector<char*> argv{const_cast<char*>(ADDA_BINARY)};
      for (auto& s : args) argv.push_back(s.data());
      argv.push_back(nullptr);
      execv(ADDA_BINARY, argv.data());
      _exit(127);
    }
    const std::regex listening("listening on (http://127\\.0\\.0\\.1:([0-9]+))");
    for (int i = 0; i < 600; ++i) {
      std::smatch m;
      const std::string text = Read(out);
      if (std::regex_search(text, m, listening)) {
        url_ = m[1];
        port_ = std::stoi(m[2]);
        return true;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    if (why) *why = Read(out) + Read(dir + "/serve.err");
    return false;
  }

  void Stop() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    int status = 0;
    for (int i = 0; i < 100 && ::waitpid(pid_, &status, WNOHANG) == 0; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    if (::waitpid(pid_, &status, WNOHANG) == 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, &status, 0);
    }
    pid_ = -1;
  }

  // SIGKILL, as a crash would: no shutdown code runs. Waits for the process to go.
  void Kill() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
  }

  const std::string& url() const { return url_; }
  int port() const { return port_; }
  pid_t pid() const { return pid_; }

 private:
  static std::string Read(const std::string& path) {
    std::ifstream in(path);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }

  pid_t pid_ = -1;
  std::string url_;
  int port_ = 0;
};

}  // namespace adda::testing
