#include "sim/http_transport.h"

#include <utility>

namespace adda::sim {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

HttpTransport::HttpTransport(asio::io_context& ioc, asio::ip::tcp::endpoint endpoint, std::string host)
    : endpoint_(std::move(endpoint)), host_(std::move(host)), stream_(ioc) {}

void HttpTransport::Exchange(HttpRequest request, std::chrono::milliseconds timeout, Done done) {
  req_ = {};
  req_.method(request.method);
  req_.target(request.target);
  req_.version(11);
  req_.set(http::field::host, host_);
  req_.set(http::field::user_agent, "adda-runner");
  if (request.bearer) req_.set(http::field::authorization, "Bearer " + *request.bearer);
  if (!request.body.empty()) {
    req_.set(http::field::content_type, "application/json");
    req_.body() = std::move(request.body);
  }
  req_.keep_alive(true);
  req_.prepare_payload();
  sent_ = Clock::now();
  retried_ = false;
  stream_.expires_after(timeout);
  Transmit(std::move(done));
}

// Connects when needed, then writes the request and reads the answer.
void HttpTransport::Transmit(Done done) {
  reused_ = connected_;
  if (!connected_) {
    stream_.async_connect(endpoint_, [this, done = std::move(done)](const beast::error_code& ec) mutable {
      if (ec) return Finish(ec, std::move(done));
      connected_ = true;
      Write(std::move(done));
    });
  } else {
    Write(std::move(done));
  }
}

void HttpTransport::Write(Done done) {
  http::async_write(stream_, req_, [this, done = std::move(done)](const beast::error_code& ec, size_t) mutable {
    if (ec) return Finish(ec, std::move(done));
    parser_.emplace();
    parser_->body_limit(512u << 20);
    http::async_read(stream_, buffer_, *parser_,
                     [this, done = std::move(done)](const beast::error_code& ec2, size_t) mutable {
                       Finish(ec2, std::move(done));
                     });
  });
}

void HttpTransport::Finish(const beast::error_code& ec, Done done) {
  if (ec && reused_ && !retried_ && ClosedWhileIdle(ec, req_.method() == http::verb::get)) {
    // The server closed the kept-alive connection while the citizen was thinking:
    // like a browser, open a new one and send again (the scheduled clock keeps running).
    retried_ = true;
    Disconnect();
    sent_ = Clock::now();
    return Transmit(std::move(done));
  }
  if (ec || !parser_->get().keep_alive()) Disconnect();
  done(ec);
}

// A GET may be sent again after any of these; a write only after a clean close with no
// answer begun, since after a reset it may already have been processed.
bool HttpTransport::ClosedWhileIdle(const beast::error_code& ec, bool idempotent) {
  if (ec == http::error::end_of_stream || ec == asio::error::eof) return true;
  return idempotent && (ec == asio::error::connection_reset || ec == asio::error::broken_pipe ||
                        ec == http::error::partial_message);
}

void HttpTransport::Disconnect() {
  beast::error_code ignored;
  stream_.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  stream_.close();
  connected_ = false;
  buffer_.clear();
}

}  // namespace adda::sim
