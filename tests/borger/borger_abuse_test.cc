// Abuse of the connection itself, against `adda serve borger` as a real process with a
// small thread count (16): clients that hold connections without finishing a request
// (slowloris: headers a byte at a time), idle keep-alive connections by the dozen, and
// header floods (thousands of headers, a huge header line, a huge request line). A normal
// client must still be answered promptly, a flood must get a clear 4xx or a closed
// connection, and the service must stay up. (The request bodies and ids themselves are
// swept by BorgerBadInput and KombitBadInput.)
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "borger_processes.h"
#include "common/http_testing.h"

namespace adda::testing {
namespace {

using Clock = std::chrono::steady_clock;

// A plain TCP connection to 127.0.0.1:`port`; -1 when it could not connect.
int Connect(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

// Sends `request` on a fresh connection and reads until the answer is complete, the
// server closes, or `timeout_ms` pass. Returns the HTTP status, 0 when the server closed
// without answering, -1 when nothing came in time (the server neither answered nor closed).
int SendRaw(int port, const std::string& request, int timeout_ms, std::string* answer = nullptr) {
  const int fd = Connect(port);
  if (fd < 0) return -2;
  ::fcntl(fd, F_SETFL, O_NONBLOCK);
  size_t sent = 0;
  std::string in;
  const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  bool closed = false;
  while (Clock::now() < deadline && !closed && !CompleteHttp(in)) {
    pollfd p{fd, static_cast<short>(POLLIN | (sent < request.size() ? POLLOUT : 0)), 0};
    ::poll(&p, 1, 20);
    if (sent < request.size() && (p.revents & POLLOUT)) {
      const ssize_t n = ::send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
      if (n > 0) sent += static_cast<size_t>(n);
      else if (n < 0 && errno != EAGAIN) sent = request.size();  // reset: read what came back
    }
    if (p.revents & (POLLIN | POLLHUP | POLLERR)) {
      char buf[16384];
      const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
      if (n > 0) in.append(buf, static_cast<size_t>(n));
      else if (n == 0 || errno != EAGAIN) closed = true;
    }
  }
  ::close(fd);
  if (answer) *answer = in;
  if (in.rfind("HTTP/1.", 0) == 0 && in.size() > 12) return std::atoi(in.c_str() + 9);
  return closed ? 0 : -1;
}

class BorgerAbuse : public BorgerProcesses {
 protected:
  BorgerAbuse() { borger_threads_ = 16; }

  int port() const { return std::stoi(borger_url().substr(borger_url().rfind(':') + 1)); }

  // A normal visitor on a fresh connection: the slowest of `n` health checks and
  // overviews, one every 50 ms (a failed one counts as 10 s).
  double SlowestNormalVisit(const net::Headers& auth, int n) {
    double slowest = 0;
    for (int i = 0; i < n; ++i) {
      const auto start = Clock::now();
      int status = 0;
      try {
        net::Client c(borger_url(), {std::chrono::milliseconds(10000), {}});
        status = c.Get(i % 2 ? "/v1/overview" : "/health", auth).status;
      } catch (const std::exception&) {
      }
      const double ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
      slowest = std::max(slowest, status == 200 ? ms : 10000.0);
      std::this_thread::sleep_for(std::chrono::milliseconds(50));  // visits spread over the slow ones' time
    }
    return slowest;
  }

  // Sends `bytes` to each of `fds` a byte at a time, one byte every 100 ms, from its own
  // thread until Stop(), which answers how many bytes went.
  class Drip {
   public:
    Drip(std::vector<int> fds, std::string bytes)
        : thread_([this, fds = std::move(fds), bytes = std::move(bytes)] {
            for (size_t at = 0; !stop_ && at < bytes.size(); ++at) {
              for (int fd : fds) sent_ += ::send(fd, bytes.data() + at, 1, MSG_NOSIGNAL) == 1;
              std::this_thread::sleep_for(std::chrono::milliseconds(100));
            }
          }) {}
    ~Drip() { Stop(); }
    int Stop() {
      stop_ = true;
      if (thread_.joinable()) thread_.join();
      return sent_;
    }

   private:
    std::atomic<bool> stop_{false};
    std::atomic<int> sent_{0};
    std::thread thread_;
  };
};

// Slowloris: four times as many connections as borger has threads, each sending a
// request head a byte at a time and never finishing it.
TEST_F(BorgerAbuse, SlowHeadersOnManyConnectionsDoNotStarveANormalClient) {
  const auto citizen = LogIn(1);
  ASSERT_EQ(citizen.size(), 1u);
  const int threads_before = Threads(borger_pid());
  const std::string head = "GET /v1/overview HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: slow" + std::string(200, 'w');
  std::vector<int> slow;
  for (int i = 0; i < 4 * borger_threads_; ++i) {
    const int fd = Connect(port());
    ASSERT_GE(fd, 0);
    slow.push_back(fd);
  }
  Drip drip(slow, head);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // every slow connection has begun its head
  const double slowest = SlowestNormalVisit(citizen[0].auth, 30);
  const int threads_during = Threads(borger_pid());
  const int dripped = drip.Stop();
  for (int fd : slow) ::close(fd);
  EXPECT_LT(slowest, 1000) << "a normal client waited behind " << slow.size() << " slow connections";
  EXPECT_GT(dripped, static_cast<int>(slow.size()) * 5) << "the slow connections were closed early";
  EXPECT_EQ(net::Client(borger_url()).Get("/health").status, 200);
  RecordProperty("slowest_normal_ms", std::to_string(slowest));
  RecordProperty("threads", std::to_string(threads_before) + " -> " + std::to_string(threads_during));
}

// Idle keep-alive connections: clients that asked once and keep the connection open
// without asking again (as a pool of clients, or a browser, does).
// The same with the body: a complete head announcing a small body, then the body a byte
// at a time (a "slow POST"). The gate hands a request to a worker only once a body of
// up to 32 KB has arrived, so these hold descriptors, not workers.
TEST_F(BorgerAbuse, SlowBodiesOnManyConnectionsDoNotStarveANormalClient) {
  const auto citizen = LogIn(1);
  ASSERT_EQ(citizen.size(), 1u);
  const std::string body = "{\"rating\": 4, \"origin\": \"observed\", \"text\": \"" + std::string(1900, 'x') + "\"}";
  const std::string head = "POST /v1/feedback HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                           "Authorization: " + citizen[0].auth.at("Authorization") +
                           "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n";
  const int64_t feedback_before = BorgerInt("SELECT count(*) FROM feedback");
  std::vector<int> slow;
  for (int i = 0; i < 4 * borger_threads_; ++i) {
    const int fd = Connect(port());
    ASSERT_GE(fd, 0);
    ASSERT_EQ(::send(fd, head.data(), head.size(), MSG_NOSIGNAL), static_cast<ssize_t>(head.size()));
    slow.push_back(fd);
  }
  Drip drip(slow, body.substr(0, body.size() - 1));  // never the last byte
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // every slow connection has begun its body
  const double slowest = SlowestNormalVisit(citizen[0].auth, 30);
  const int dripped = drip.Stop();
  for (int fd : slow) ::close(fd);
  EXPECT_LT(slowest, 1000) << "a normal client waited behind " << slow.size() << " slow bodies";
  EXPECT_GT(dripped, static_cast<int>(slow.size()) * 5) << "the slow connections were closed early";
  EXPECT_EQ(net::Client(borger_url()).Get("/health").status, 200);
  EXPECT_EQ(BorgerInt("SELECT count(*) FROM feedback"), feedback_before) << "a body never completed was stored";
  RecordProperty("slowest_normal_ms", std::to_string(slowest));
}

TEST_F(BorgerAbuse, ManyIdleKeepAliveConnectionsDoNotStarveANormalClient) {
  const auto citizen = LogIn(1);
  ASSERT_EQ(citizen.size(), 1u);
  std::vector<std::unique_ptr<net::Client>> idle;
  for (int i = 0; i < 4 * borger_threads_; ++i) {
    idle.push_back(std::make_unique<net::Client>(borger_url()));
    ASSERT_EQ(idle.back()->Get("/health").status, 200);
  }
  const double slowest = SlowestNormalVisit(citizen[0].auth, 20);
  EXPECT_LT(slowest, 1000) << "a normal client waited behind " << idle.size() << " idle keep-alive connections";
  // The idle connections still work.
  for (auto& c : idle) EXPECT_EQ(c->Get("/health").status, 200);
  RecordProperty("slowest_normal_ms", std::to_string(slowest));
}

// Header floods: refused with a 4xx or a closed connection, never a hang or a crash, and
// the service answers right after each.
TEST_F(BorgerAbuse, HeaderFloodsAreRefusedAndTheServiceStaysUp) {
  std::string many = "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  for (int i = 0; i < 5000; ++i) many += "X-Flood-" + std::to_string(i) + ": v\r\n";
  const std::vector<std::pair<std::string, std::string>> floods = {
      {"5000 headers", many + "\r\n"},
      {"a 1 MiB header value", "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + std::string(1 << 20, 'a') + "\r\n\r\n"},
      {"a 1 MiB header name", "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n" + std::string(1 << 20, 'A') + ": v\r\n\r\n"},
      {"a 1 MiB line without a colon", "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n" + std::string(1 << 20, 'b') + "\r\n\r\n"},
      {"a 256 KiB request target", "GET /health?" + std::string(256 << 10, 'q') + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"},
      {"a 1 MiB method", std::string(1 << 20, 'G') + " /health HTTP/1.1\r\n\r\n"},
      {"a flood of empty continuation lines", "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-a: b\r\n" +
                                                   Repeat(" \r\n", 100000) + "\r\n"},
      {"headers that never end", "GET /health HTTP/1.1\r\n" + Repeat("X-Loop: 1\r\n", 200000)},
  };
  for (const auto& [what, request] : floods) {
    const auto start = Clock::now();
    std::string answer;
    const int status = SendRaw(port(), request, 5000, &answer);
    const double ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
    EXPECT_TRUE(status == 0 || (status >= 400 && status < 500))
        << what << ": " << status << " " << answer.substr(0, 200);
    EXPECT_LT(ms, 5000) << what;
    const auto health = net::Client(borger_url()).Get("/health");
    ASSERT_EQ(health.status, 200) << "after " << what;
  }
  // A request within the limits is still served as usual.
  std::string fine = "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  for (int i = 0; i < 50; ++i) fine += "X-Fine-" + std::to_string(i) + ": " + std::string(100, 'v') + "\r\n";
  EXPECT_EQ(SendRaw(port(), fine + "\r\n", 5000), 200);
}

}  // namespace
}  // namespace adda::testing
