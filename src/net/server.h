// Serves an HttpService over HTTP/1.1 on host:port (port 0: an ephemeral port, read back
// with port()), parsing and answering with Poco's HTTP classes.
//
// Connections are not given a thread for their whole life (Poco's HTTPServer does that,
// see ../shared/PERFORMANCE.md): one gate thread watches every connection that is
// waiting for a request — new ones, and kept-alive ones between requests — and hands a
// connection to the worker pool only once its request head has fully arrived, and the
// body it announces too when that is at most 32 KB (Content-Length). A worker
// answers it, keeps the connection while the next head follows within `hold_ms` and no
// other connection's request is queued, and otherwise gives it back to the gate (so with
// more busy connections than workers, they take turns). So a client that sends its head
// or a small body a byte at a time (slowloris, slow POST) or keeps an idle connection
// open costs a descriptor, never a worker, and `threads` bounds the requests served at
// once, not the connections open.
//
// Start() and Stop() from one thread; the rest is thread-safe.
#pragma once

#include <memory>
#include <string>

#include "net/service.h"

namespace Poco {
class ThreadPool;
namespace Net {
class TCPServerDispatcher;
}
}  // namespace Poco

namespace adda::net {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 0;
  int threads = 64;         // requests served at once
  int queue = 512;          // complete requests waiting for a thread
  int timeout_s = 15;       // a new connection's first head, and each read/write within a request
  int keep_alive_s = 10;    // a kept-alive connection's next head must arrive within this
  int hold_ms = 10;         // a worker waits this long for the next head before giving the connection back
  int max_waiting = 4096;   // connections waiting for a head; past this the longest-waiting is closed
};

namespace internal {
class Gate;
struct ServerShared;
}  // namespace internal

class Server {
 public:
  Server(HttpService& service, ServerOptions options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  void Start();
  void Stop();  // stops accepting, closes waiting connections, ends requests in flight
  int port() const { return port_; }
  std::string url() const;
  int busy_threads() const;
  int open_connections() const;  // being served or waiting for a request

 private:
  HttpService& service_;
  ServerOptions options_;
  std::unique_ptr<internal::ServerShared> shared_;
  std::unique_ptr<Poco::ThreadPool> pool_;
  Poco::Net::TCPServerDispatcher* dispatcher_ = nullptr;  // reference-counted by Poco
  std::unique_ptr<internal::Gate> gate_;
  int port_ = 0;
};

}  // namespace adda::net
