#include "net/server.h"

#include <istream>
#include <ostream>

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/ThreadPool.h>

namespace adda::net {
namespace {

void Send(Poco::Net::HTTPServerResponse& out, const Response& r) {
  out.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(r.status), StatusReason(r.status));
  for (const auto& [k, v] : r.headers) out.set(k, v);
  if (!r.content_type.empty()) out.setContentType(r.content_type);
  out.setContentLength64(static_cast<Poco::Int64>(r.body.size()));
  std::ostream& os = out.send();
  if (!r.body.empty()) os.write(r.body.data(), static_cast<std::streamsize>(r.body.size()));
  os.flush();
}

class Handler : public Poco::Net::HTTPRequestHandler {
 public:
  explicit Handler(HttpService& s) : service_(s) {}

  void handleRequest(Poco::Net::HTTPServerRequest& in, Poco::Net::HTTPServerResponse& out) override {
    Request req;
    req.method = in.getMethod();
    req.target = in.getURI();
    const size_t q = req.target.find('?');
    req.path = req.target.substr(0, q);
    if (q != std::string::npos) req.query = ParseQuery(std::string_view(req.target).substr(q + 1));
    for (const auto& [k, v] : in) req.headers[k] = v;
    req.remote = in.clientAddress().toString();

    const size_t limit = service_.BodyLimit(req.method, req.path);
    // 413 at once, then read and discard (briefly, boundedly) whatever body follows, so
    // that a client which sends its body before reading (most do) gets the answer
    // rather than a reset, and one that waits is not kept waiting.
    auto too_large = [&] {
      out.setKeepAlive(false);
      service_.metrics().Observe(req.method, "unmatched", 413, 0);
      Send(out, ErrorResponse(413, "request.too_large", "the request body is larger than the limit",
                              {{"limit_bytes", limit}}));
      try {
        auto& impl = static_cast<Poco::Net::HTTPServerRequestImpl&>(in);
        impl.socket().setReceiveTimeout(Poco::Timespan(0, 300000));
        std::istream& drain = in.stream();
        char buf[16384];
        size_t drained = 0;
        while (drained < (8u << 20) && (drain.read(buf, sizeof buf) || drain.gcount() > 0))
          drained += static_cast<size_t>(drain.gcount());
      } catch (...) {
      }
    };
    // Without a length or chunked framing a request has no body (RFC 9112 6.3); reading
    // "until close" would hold the thread until the client gives up.
    const bool has_body = in.hasContentLength() || in.getChunkedTransferEncoding();
    if (in.hasContentLength() && in.getContentLength64() > static_cast<Poco::Int64>(limit)) {
      too_large();
      return;
    }
    if (has_body) {
      std::istream& body = in.stream();
      char buf[16384];
      while (body) {
        body.read(buf, sizeof buf);
        req.body.append(buf, static_cast<size_t>(body.gcount()));
        if (req.body.size() > limit) {
          too_large();
          return;
        }
      }
    }
    Response r = service_.Handle(req);
    if (r.drop_connection) {
      auto& impl = static_cast<Poco::Net::HTTPServerRequestImpl&>(in);
      out.setKeepAlive(false);
      try {
        impl.socket().shutdown();
      } catch (...) {
      }
      return;
    }
    Send(out, r);
  }

 private:
  HttpService& service_;
};

class Factory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit Factory(HttpService& s) : service_(s) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
    return new Handler(service_);
  }

 private:
  HttpService& service_;
};

}  // namespace

Server::Server(HttpService& service, ServerOptions options) : service_(service), options_(std::move(options)) {}

Server::~Server() { Stop(); }

void Server::Start() {
  Poco::Net::ServerSocket socket;
  socket.bind(Poco::Net::SocketAddress(options_.host, static_cast<Poco::UInt16>(options_.port)), true);
  socket.listen(options_.queue);
  port_ = socket.address().port();
  auto* params = new Poco::Net::HTTPServerParams;
  params->setMaxThreads(options_.threads);
  params->setMaxQueued(options_.queue);
  params->setKeepAlive(true);
  params->setMaxKeepAliveRequests(0);
  params->setKeepAliveTimeout(Poco::Timespan(options_.keep_alive_s, 0));
  params->setTimeout(Poco::Timespan(options_.timeout_s, 0));
  // An idle dispatcher thread waits this long for work before it ends; Stop() joins them,
  // so Poco's default (10 s) would make every shutdown take ten seconds.
  params->setThreadIdleTime(Poco::Timespan(1, 0));
  params->setServerName("adda-" + service_.options().name);
  pool_ = std::make_unique<Poco::ThreadPool>(2, options_.threads + 2, 60);
  server_ = std::make_unique<Poco::Net::HTTPServer>(new Factory(service_), *pool_, socket, params);
  server_->start();
}

void Server::Stop() {
  if (server_) {
    server_->stopAll(true);
    server_.reset();
  }
  if (pool_) {
    pool_->joinAll();
    pool_.reset();
  }
}

std::string Server::url() const { return "http://" + options_.host + ":" + std::to_string(port_); }

int Server::busy_threads() const { return server_ ? server_->currentThreads() : 0; }

int Server::open_connections() const { return server_ ? server_->currentConnections() : 0; }

}  // namespace adda::net
