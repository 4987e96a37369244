// The runner's side of one keep-alive HTTP/1.1 connection to borger.dk, as a browser
// holds one: connects when needed, writes a request, reads the whole answer, and sends
// a request again on a fresh connection when the server had closed the idle one. Built
// on Boost.Beast over Asio (see docs/architecture.md for why not Poco): nothing blocks,
// every handler runs on the io_context the transport was made with.
//
// Not thread-safe: one transport belongs to one virtual user on one io_context, and has
// at most one exchange under way.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace adda::sim {

// What goes out: the transport adds Host, User-Agent, Content-Type (with a body),
// Content-Length and keep-alive.
struct HttpRequest {
  boost::beast::http::verb method = boost::beast::http::verb::get;
  std::string target, body;
  std::optional<std::string> bearer;  // Authorization: Bearer …
};

class HttpTransport {
 public:
  using Clock = boost::asio::steady_timer::clock_type;
  // Called once per exchange: no error and the answer in response(), or the error that
  // ended it (beast::error::timeout when the deadline passed).
  using Done = std::function<void(const boost::beast::error_code&)>;

  // `host` is the Host header's value (host:port).
  HttpTransport(boost::asio::io_context& ioc, boost::asio::ip::tcp::endpoint endpoint, std::string host);

  // Sends `request` and reads the answer; `timeout` bounds the whole exchange, a resend
  // included. The connection is closed after an error or an answer that does not keep
  // it alive, before `done` runs. Whoever `done` holds keeps the transport alive.
  void Exchange(HttpRequest request, std::chrono::milliseconds timeout, Done done);

  // The last answer; valid after a `done` without error, until the next Exchange.
  const boost::beast::http::response<boost::beast::http::string_body>& response() const { return parser_->get(); }
  // When the last request actually went out (the resend's time when it was resent): the
  // raw latency counts from here.
  Clock::time_point sent() const { return sent_; }

  // Closes the connection (the next exchange opens a new one). Idempotent.
  void Disconnect();

 private:
  void Transmit(Done done);
  void Write(Done done);
  void Finish(const boost::beast::error_code& ec, Done done);
  // Whether the error means the server had closed the idle connection.
  static bool ClosedWhileIdle(const boost::beast::error_code& ec, bool idempotent);

  const boost::asio::ip::tcp::endpoint endpoint_;
  const std::string host_;
  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
  boost::beast::http::request<boost::beast::http::string_body> req_;
  std::optional<boost::beast::http::response_parser<boost::beast::http::string_body>> parser_;
  Clock::time_point sent_;
  bool connected_ = false;
  bool reused_ = false;   // the request went out on a kept-alive connection
  bool retried_ = false;  // and was sent again on a fresh one
};

}  // namespace adda::sim
