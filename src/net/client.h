// A small blocking HTTP/1.1 client with keep-alive, over Poco's HTTPClientSession: what
// borger.dk uses to ask KOMBIT, what `adda push` and `generate --via` use, and what the
// tests use to talk to real servers. A Client is one connection and not thread-safe; a
// ClientPool lends clients to threads.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "net/http.h"

namespace Poco::Net {
class HTTPClientSession;
}

namespace adda::net {

struct ClientResponse {
  int status = 0;
  Headers headers;
  std::string body;
  std::string Header(const std::string& name) const;
  nlohmann::json Json() const;  // throws std::runtime_error when the body is not JSON
};

// Connection refused, reset, timed out, or a malformed answer: no HTTP status to report.
class TransportError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct ClientOptions {
  std::chrono::milliseconds timeout{5000};
  Headers default_headers;  // e.g. Authorization
};

class Client {
 public:
  // base: "http://127.0.0.1:8181"
  explicit Client(const std::string& base, ClientOptions options = {});
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  ClientResponse Send(const std::string& method, const std::string& target, const std::string& body = "",
                      const Headers& headers = {}, const std::string& content_type = "application/json");
  ClientResponse Get(const std::string& target, const Headers& headers = {}) {
    return Send("GET", target, "", headers);
  }
  ClientResponse PutJson(const std::string& target, const nlohmann::json& body, const Headers& headers = {}) {
    return Send("PUT", target, body.dump(), headers);
  }
  ClientResponse PostJson(const std::string& target, const nlohmann::json& body, const Headers& headers = {}) {
    return Send("POST", target, body.dump(), headers);
  }
  void SetHeader(const std::string& name, const std::string& value) { options_.default_headers[name] = value; }
  void Reset();  // drop the connection

 private:
  std::string host_;
  int port_ = 0;
  ClientOptions options_;
  std::unique_ptr<Poco::Net::HTTPClientSession> session_;
  bool used_ = false;
};

// Parses "http://host:port"; throws std::invalid_argument otherwise.
void ParseBaseUrl(const std::string& base, std::string* host, int* port);

class ClientPool {
 public:
  ClientPool(std::string base, ClientOptions options, size_t max_idle = 64)
      : base_(std::move(base)), options_(std::move(options)), max_idle_(max_idle) {}

  class Lease {
   public:
    Lease(ClientPool& pool, std::unique_ptr<Client> c) : pool_(pool), client_(std::move(c)) {}
    ~Lease() { pool_.Return(std::move(client_)); }
    Lease(Lease&&) = default;
    Client* operator->() { return client_.get(); }
    Client& operator*() { return *client_; }
    void Discard() { client_.reset(); }  // after a transport error

   private:
    ClientPool& pool_;
    std::unique_ptr<Client> client_;
  };
  Lease Borrow();
  const std::string& base() const { return base_; }

 private:
  void Return(std::unique_ptr<Client> c);
  std::string base_;
  ClientOptions options_;
  size_t max_idle_;
  std::mutex mu_;
  std::vector<std::unique_ptr<Client>> idle_;
};

}  // namespace adda::net
