#include "net/client.h"

#include <istream>
#include <ostream>

#include <Poco/Exception.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/NetException.h>

namespace adda::net {

std::string ClientResponse::Header(const std::string& name) const {
  auto it = headers.find(name);
  return it == headers.end() ? std::string() : it->second;
}

nlohmann::json ClientResponse::Json() const {
  auto j = nlohmann::json::parse(body, nullptr, false);
  if (j.is_discarded()) throw std::runtime_error("answer is not JSON (status " + std::to_string(status) + ")");
  return j;
}

void ParseBaseUrl(const std::string& base, std::string* host, int* port) {
  const std::string prefix = "http://";
  if (base.rfind(prefix, 0) != 0) throw std::invalid_argument("URL must start with http://: " + base);
  std::string rest = base.substr(prefix.size());
  while (!rest.empty() && rest.back() == '/') rest.pop_back();
  const size_t colon = rest.rfind(':');
  if (colon == std::string::npos || colon == 0) throw std::invalid_argument("URL needs host:port: " + base);
  *host = rest.substr(0, colon);
  try {
    size_t used = 0;
    *port = std::stoi(rest.substr(colon + 1), &used);
    if (used != rest.size() - colon - 1 || *port <= 0 || *port > 65535) throw std::invalid_argument("");
  } catch (const std::exception&) {
    throw std::invalid_argument("bad port in URL: " + base);
  }
}

Client::Client(const std::string& base, ClientOptions options) : options_(std::move(options)) {
  ParseBaseUrl(base, &host_, &port_);
}

Client::~Client() = default;

void Client::Reset() {
  session_.reset();
  used_ = false;
}

ClientResponse Client::Send(const std::string& method, const std::string& target, const std::string& body,
                            const Headers& headers, const std::string& content_type) {
  for (int attempt = 0;; ++attempt) {
    const bool reused = used_ && session_;
    if (!session_) {
      session_ = std::make_unique<Poco::Net::HTTPClientSession>(host_, static_cast<Poco::UInt16>(port_));
      session_->setKeepAlive(true);
      const auto us = std::chrono::duration_cast<std::chrono::microseconds>(options_.timeout).count();
      session_->setTimeout(Poco::Timespan(us));
    }
    try {
      Poco::Net::HTTPRequest req(method, target, Poco::Net::HTTPMessage::HTTP_1_1);
      req.setKeepAlive(true);
      for (const auto& [k, v] : options_.default_headers) req.set(k, v);
      for (const auto& [k, v] : headers) req.set(k, v);
      if (!body.empty() || method == "POST" || method == "PUT" || method == "PATCH") {
        if (!content_type.empty()) req.setContentType(content_type);
        req.setContentLength64(static_cast<Poco::Int64>(body.size()));
      }
      std::ostream& os = session_->sendRequest(req);
      if (!body.empty()) os.write(body.data(), static_cast<std::streamsize>(body.size()));
      Poco::Net::HTTPResponse resp;
      std::istream& is = session_->receiveResponse(resp);
      ClientResponse out;
      out.status = static_cast<int>(resp.getStatus());
      for (const auto& [k, v] : resp) out.headers[k] = v;
      char buf[16384];
      while (is) {
        is.read(buf, sizeof buf);
        out.body.append(buf, static_cast<size_t>(is.gcount()));
      }
      used_ = true;
      if (!resp.getKeepAlive()) Reset();
      return out;
    } catch (const Poco::Exception& e) {
      Reset();
      // A kept-alive connection the server closed while idle: try once on a fresh one.
      if (reused && attempt == 0 && (dynamic_cast<const Poco::Net::NoMessageException*>(&e) ||
                                     dynamic_cast<const Poco::Net::ConnectionResetException*>(&e)))
        continue;
      throw TransportError(method + " " + target + ": " + e.displayText());
    } catch (const std::exception& e) {
      Reset();
      throw TransportError(method + " " + target + ": " + e.what());
    }
  }
}

ClientPool::Lease ClientPool::Borrow() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!idle_.empty()) {
      auto c = std::move(idle_.back());
      idle_.pop_back();
      return Lease(*this, std::move(c));
    }
  }
  return Lease(*this, std::make_unique<Client>(base_, options_));
}

void ClientPool::Return(std::unique_ptr<Client> c) {
  if (!c) return;
  std::lock_guard<std::mutex> lock(mu_);
  if (idle_.size() < max_idle_) idle_.push_back(std::move(c));
}

}  // namespace adda::net
