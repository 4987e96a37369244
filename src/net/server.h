// Serves an HttpService over Poco's HTTPServer on host:port (port 0: an ephemeral port,
// read back with port()). Poco gives each keep-alive connection a thread for its whole
// life (see ../shared/PERFORMANCE.md), so the server owns a thread pool sized to the
// connections it should serve at once.
#pragma once

#include <memory>
#include <string>

#include "net/service.h"

namespace Poco {
class ThreadPool;
namespace Net {
class HTTPServer;
}
}  // namespace Poco

namespace adda::net {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 0;
  int threads = 64;         // connections served at once
  int queue = 512;          // accepted connections waiting for a thread
  int timeout_s = 15;       // a request (or slow client) may take this long per read/write
  int keep_alive_s = 10;    // idle keep-alive connections close after this
};

class Server {
 public:
  Server(HttpService& service, ServerOptions options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  void Start();
  void Stop();  // stops accepting, waits for requests in flight
  int port() const { return port_; }
  std::string url() const;
  int busy_threads() const;
  int open_connections() const;

 private:
  HttpService& service_;
  ServerOptions options_;
  std::unique_ptr<Poco::ThreadPool> pool_;
  std::unique_ptr<Poco::Net::HTTPServer> server_;
  int port_ = 0;
};

}  // namespace adda::net
