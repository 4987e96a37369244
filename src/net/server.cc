#include "net/server.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <istream>
#include <mutex>
#include <optional>
#include <ostream>
#include <set>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

#include <Poco/String.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerResponseImpl.h>
#include <Poco/Net/HTTPServerSession.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/Net/StreamSocketImpl.h>
#include <Poco/Net/TCPServerConnection.h>
#include <Poco/Net/TCPServerConnectionFactory.h>
#include <Poco/Net/TCPServerDispatcher.h>
#include <Poco/ThreadPool.h>
#include <Poco/Timestamp.h>

namespace adda::net {
namespace {

// Socket deadlines are real time (core/clock.h); the Date header is the service's clock.
using Clock = RealTime;

void Send(Poco::Net::HTTPServerResponse& out, const Response& r) {
  out.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(r.status), StatusReason(r.status));
  for (const auto& [k, v] : r.headers) out.set(k, v);
  if (!r.content_type.empty()) out.setContentType(r.content_type);
  out.setContentLength64(static_cast<Poco::Int64>(r.body.size()));
  std::ostream& os = out.send();
  if (!r.body.empty()) os.write(r.body.data(), static_cast<std::streamsize>(r.body.size()));
  os.flush();
}

// Why the request's framing cannot be trusted, or nothing.
std::optional<HttpError> FramingRefused(const Poco::Net::HTTPServerRequest& in) {
  std::string length;
  bool lengths_differ = false;
  int codings = 0;
  bool plain_chunked = true;
  for (const auto& [k, v] : in) {
    // No whitespace between a field's name and its colon (RFC 9112 5.1: reject it).
    if (k.find_first_of(" \t") != std::string::npos)
      return HttpError("request.malformed_header", "a header's name is followed by whitespace before its colon");
    if (Poco::icompare(k, "Content-Length") == 0) {
      lengths_differ = lengths_differ || (!length.empty() && v != length);
      length = v;
    }
    if (Poco::icompare(k, "Transfer-Encoding") == 0) {
      ++codings;
      plain_chunked = plain_chunked && Poco::icompare(Poco::trim(v), "chunked") == 0;
    }
  }
  if (lengths_differ) return HttpError("request.ambiguous_length", "the request has two different Content-Length headers");
  if (codings > 0 && !length.empty())
    return HttpError("request.ambiguous_length", "the request has both Content-Length and Transfer-Encoding");
  if (codings > 1) return HttpError("request.ambiguous_length", "the request has Transfer-Encoding twice");
  if (codings == 1 && !plain_chunked)
    return HttpError("request.transfer_coding_unsupported", "the only transfer coding taken is a plain \"chunked\"");
  return std::nullopt;
}

// One request, read and answered: body limits, then the service's pipeline.
void Serve(HttpService& service, Poco::Net::HTTPServerRequest& in, Poco::Net::HTTPServerResponse& out) {
  Request req;
  req.method = in.getMethod();
  req.target = in.getURI();
  const size_t q = req.target.find('?');
  req.path = req.target.substr(0, q);
  if (q != std::string::npos) req.query = ParseQuery(std::string_view(req.target).substr(q + 1));
  for (const auto& [k, v] : in) req.headers[k] = v;
  req.remote = in.clientAddress().toString();

  // Ambiguous framing is refused, never guessed at: two different Content-Length values,
  // a Content-Length beside Transfer-Encoding, Transfer-Encoding twice, or a coding other
  // than a plain "chunked" (RFC 9112 6.1, 6.3). Behind a proxy that reads the framing
  // another way, each lets one request hide inside another (smuggling). The connection
  // closes after the answer: where this request ends is not known.
  if (auto refused = FramingRefused(in)) {
    out.setKeepAlive(false);
    Send(out, service.Refuse(req, *refused));
    return;
  }

  const size_t limit = service.BodyLimit(req.method, req.path);
  // 413 at once, then read and discard (briefly, boundedly) whatever body follows, so
  // that a client which sends its body before reading (most do) gets the answer
  // rather than a reset, and one that waits is not kept waiting. At most 8 MiB and 1 s
  // in all: a client trickling its body does not keep the worker.
  auto too_large = [&] {
    out.setKeepAlive(false);
    Send(out, service.Refuse(req, HttpError("request.too_large", "the request body is larger than the limit",
                                            {{"limit_bytes", limit}})));
    try {
      // Straight from the socket (the connection closes after): each receive returns what
      // has come, so the deadline holds however the body trickles.
      Poco::Net::StreamSocket& socket = static_cast<Poco::Net::HTTPServerRequestImpl&>(in).socket();
      char buf[16384];
      size_t drained = 0;
      const auto give_up = Clock::now() + std::chrono::seconds(1);
      for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::microseconds>(give_up - Clock::now()).count();
        if (drained >= (8u << 20) || left <= 0) break;
        socket.setReceiveTimeout(Poco::Timespan(std::min<Poco::Timespan::TimeDiff>(left, 300000)));
        const int n = socket.receiveBytes(buf, sizeof buf);
        if (n <= 0) break;
        drained += static_cast<size_t>(n);
      }
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
  Response r = service.Handle(req);
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

// What a client has sent of its next request, looked at without taking it.
struct Head {
  enum State { kNone, kPartial, kComplete, kClosed } state = kNone;
};

// A request is ready for a worker at its head's blank line and, when the head announces
// a body of at most kGateBody bytes (Content-Length), once that body has arrived too: so
// a client that trickles its body holds a descriptor, never a worker. Larger bodies
// (they would not fit the socket's receive buffer unread), chunked ones and a client
// that asks for 100-continue go to a worker with the head; past kMaxHead bytes a head is
// handed to the parser, which refuses what is too long. Never blocks.
constexpr size_t kMaxHead = 16384;
constexpr size_t kGateBody = 32768;

// The value of header `name` (lower case, with its colon) in `head`, or empty.
std::string_view HeaderIn(std::string_view head, std::string_view name) {
  size_t at = head.find('\n');
  while (at != std::string_view::npos && at + 1 < head.size()) {
    const size_t line = at + 1;
    at = head.find('\n', line);
    const std::string_view l = head.substr(line, (at == std::string_view::npos ? head.size() : at) - line);
    if (l.size() < name.size()) continue;
    bool same = true;
    for (size_t i = 0; i < name.size() && same; ++i)
      same = static_cast<char>(std::tolower(static_cast<unsigned char>(l[i]))) == name[i];
    if (!same) continue;
    std::string_view v = l.substr(name.size());
    while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
    while (!v.empty() && (v.back() == '\r' || v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
    return v;
  }
  return {};
}

// Whether the gate should wait for more of the body `head` announces before a worker
// takes the request.
bool BodyToCome(int fd, std::string_view head) {
  const std::string_view length = HeaderIn(head, "content-length:");
  if (length.empty() || length.size() > 9) return false;  // none, or too large to wait for
  size_t n = 0;
  for (char c : length) {
    if (c < '0' || c > '9') return false;  // the parser answers 400
    n = n * 10 + static_cast<size_t>(c - '0');
  }
  if (n == 0 || n > kGateBody) return false;
  if (!HeaderIn(head, "expect:").empty()) return false;  // the client waits for "100 Continue" first
  int queued = 0;
  if (::ioctl(fd, FIONREAD, &queued) != 0) return false;
  return static_cast<size_t>(queued) < head.size() + n;
}

Head PeekHead(int fd) {
  char buf[kMaxHead];
  const ssize_t n = ::recv(fd, buf, sizeof buf, MSG_PEEK | MSG_DONTWAIT);
  if (n == 0) return {Head::kClosed};
  if (n < 0) return {errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ? Head::kNone : Head::kClosed};
  const std::string_view seen(buf, static_cast<size_t>(n));
  size_t end = seen.find("\r\n\r\n");
  end = end == std::string_view::npos ? seen.find("\n\n") : end;
  if (end == std::string_view::npos) return {static_cast<size_t>(n) == sizeof buf ? Head::kComplete : Head::kPartial};
  const size_t head_len = end + (seen[end] == '\r' ? 4 : 2);
  return {BodyToCome(fd, seen.substr(0, head_len)) ? Head::kPartial : Head::kComplete};
}

// Waits up to `hold` for the next request's head to be complete.
Head AwaitHead(int fd, std::chrono::milliseconds hold) {
  const auto deadline = Clock::now() + hold;
  for (;;) {
    const Head h = PeekHead(fd);
    if (h.state == Head::kComplete || h.state == Head::kClosed) return h;
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) return h;
    if (h.state == Head::kPartial) {
      // poll() would return at once while the part sits unread: look again shortly.
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    } else {
      pollfd p{fd, POLLIN, 0};
      ::poll(&p, 1, static_cast<int>(left.count()));
    }
  }
}

}  // namespace

namespace internal {

// Connections waiting for a complete request head, without a thread each: new ones
// from the listening socket, and kept-alive ones between requests. One thread watches
// them all (epoll, edge-triggered: each arrival wakes it once) and hands a connection to
// the worker pool only when its head is complete, so a client that sends its head a
// byte at a time, or keeps an idle connection open, costs a descriptor but never a
// worker. A connection that does not complete its head in time is closed.
class Gate {
 public:
  Gate(Poco::Net::ServerSocket listen, Poco::Net::TCPServerDispatcher& dispatcher, const ServerOptions& o)
      : listen_(std::move(listen)), dispatcher_(dispatcher), options_(o) {
    listen_.setBlocking(false);
    epoll_ = ::epoll_create1(EPOLL_CLOEXEC);
    wake_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (epoll_ < 0 || wake_ < 0) throw std::runtime_error("cannot create the connection gate");
    Watch(listen_.impl()->sockfd(), EPOLLIN);
    Watch(wake_, EPOLLIN);
  }
  void Start() { thread_ = std::thread([this] { Run(); }); }
  ~Gate() {
    stop_ = true;
    Wake();
    if (thread_.joinable()) thread_.join();
    for (auto& [fd, w] : waiting_) CloseQuietly(w.socket);
    waiting_.clear();
    for (auto& s : returned_) CloseQuietly(s);
    ::close(wake_);
    ::close(epoll_);
  }

  // A kept-alive connection between requests. Thread-safe.
  void Park(const Poco::Net::StreamSocket& s) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (stop_) return;
      returned_.push_back(s);
    }
    Wake();
  }
  int waiting() const { return waiting_count_.load(); }

 private:
  struct Waiting {
    Poco::Net::StreamSocket socket;
    Clock::time_point since, deadline;
  };

  void Watch(int fd, uint32_t events) {
    epoll_event ev{};
    ev.events = events;
    ev.data.fd = fd;
    ::epoll_ctl(epoll_, EPOLL_CTL_ADD, fd, &ev);
  }
  void Wake() {
    const uint64_t one = 1;
    [[maybe_unused]] const ssize_t n = ::write(wake_, &one, sizeof one);
  }

  void Run() {
    epoll_event events[64];
    auto next_sweep = Clock::now();
    while (!stop_) {
      const int n = ::epoll_wait(epoll_, events, 64, 100);
      const auto now = Clock::now();
      for (int i = 0; i < n; ++i) {
        const int fd = events[i].data.fd;
        if (fd == listen_.impl()->sockfd()) {
          Accept(now);
        } else if (fd == wake_) {
          uint64_t count;
          [[maybe_unused]] const ssize_t r = ::read(wake_, &count, sizeof count);
          std::vector<Poco::Net::StreamSocket> back;
          {
            std::lock_guard<std::mutex> lock(mu_);
            back.swap(returned_);
          }
          for (auto& s : back) Add(s, now, now + std::chrono::seconds(options_.keep_alive_s));
        } else {
          const Head h = PeekHead(fd);
          if (h.state == Head::kComplete) Ready(fd);
          else if (h.state == Head::kClosed || (events[i].events & (EPOLLRDHUP | EPOLLHUP | EPOLLERR))) Drop(fd);
        }
      }
      if (now >= next_sweep) {  // heads not completed in time
        std::vector<int> late;
        for (const auto& [fd, w] : waiting_)
          if (now >= w.deadline) late.push_back(fd);
        for (int fd : late) Drop(fd);
        next_sweep = now + std::chrono::milliseconds(100);
      }
      waiting_count_ = static_cast<int>(waiting_.size());
    }
  }

  void Accept(Clock::time_point now) {
    for (int i = 0; i < 256; ++i) {
      const int fd = ::accept4(listen_.impl()->sockfd(), nullptr, nullptr, SOCK_CLOEXEC);
      if (fd < 0) {
        const int err = errno;
        if (err == EMFILE || err == ENFILE) {
          // Out of descriptors: the connection waiting longest gives way.
          if (DropOldest()) continue;
          std::this_thread::sleep_for(std::chrono::milliseconds(10));
          return;
        }
        if (err == EINTR || err == ECONNABORTED) continue;
        return;  // EAGAIN: all taken
      }
      Poco::Net::StreamSocket s(new Poco::Net::StreamSocketImpl(fd));
      try {
        s.setNoDelay(true);
      } catch (...) {
      }
      Add(s, now, now + std::chrono::seconds(options_.timeout_s));
    }
  }

  void Add(const Poco::Net::StreamSocket& s, Clock::time_point now, Clock::time_point deadline) {
    if (static_cast<int>(waiting_.size()) >= options_.max_waiting) DropOldest();
    const int fd = s.impl()->sockfd();
    waiting_[fd] = Waiting{s, now, deadline};
    Watch(fd, EPOLLIN | EPOLLRDHUP | EPOLLET);
  }

  void Ready(int fd) {
    auto it = waiting_.find(fd);
    if (it == waiting_.end()) return;
    ::epoll_ctl(epoll_, EPOLL_CTL_DEL, fd, nullptr);
    Poco::Net::StreamSocket s = it->second.socket;
    waiting_.erase(it);
    dispatcher_.enqueue(s);  // a full queue refuses it: the last copy goes, the socket closes
  }

  void Drop(int fd) {
    auto it = waiting_.find(fd);
    if (it == waiting_.end()) return;
    ::epoll_ctl(epoll_, EPOLL_CTL_DEL, fd, nullptr);
    // Closed here, not by whichever thread lets go of the last copy: a worker that parked
    // the connection may still hold one, and the gate is the thread that reads it.
    CloseQuietly(it->second.socket);
    waiting_.erase(it);
  }
  static void CloseQuietly(Poco::Net::StreamSocket& s) {
    try {
      s.close();
    } catch (...) {
    }
  }

  bool DropOldest() {
    if (waiting_.empty()) return false;
    auto oldest = std::min_element(waiting_.begin(), waiting_.end(),
                                   [](const auto& a, const auto& b) { return a.second.since < b.second.since; });
    Drop(oldest->first);
    return true;
  }

  Poco::Net::ServerSocket listen_;
  Poco::Net::TCPServerDispatcher& dispatcher_;
  const ServerOptions options_;
  int epoll_ = -1, wake_ = -1;
  std::unordered_map<int, Waiting> waiting_;  // gate thread only
  std::atomic<int> waiting_count_{0};
  std::mutex mu_;
  std::vector<Poco::Net::StreamSocket> returned_;  // guarded by mu_
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

class Connection;

// What the server shares with its connections.
struct ServerShared {
  explicit ServerShared(HttpService& s) : service(s) {}
  HttpService& service;
  Poco::Net::HTTPServerParams::Ptr params;
  std::chrono::milliseconds hold{10};
  std::atomic<bool> stopping{false};
  std::mutex mu;
  Gate* gate = nullptr;           // guarded by mu
  std::set<Connection*> active;  // guarded by mu: ended by Stop()
  Poco::Net::TCPServerDispatcher* dispatcher = nullptr;  // set before the first connection

  // Whether complete requests are waiting for a worker.
  bool OthersWaiting() const { return dispatcher->queuedConnections() > 0; }

  // Gives a kept-alive connection back to the gate (closed when the server is stopping).
  void Park(const Poco::Net::StreamSocket& s) {
    std::lock_guard<std::mutex> lock(mu);
    if (gate && !stopping) gate->Park(s);
  }
};

// Serves a connection's requests while each next head arrives within the hold and no
// other connection's request waits for a worker, then gives the connection back to the
// gate. Requests are parsed and answered as Poco's HTTPServerConnection does, except
// that a head Poco cannot parse gets the JSON error envelope.
class Connection : public Poco::Net::TCPServerConnection {
 public:
  Connection(const Poco::Net::StreamSocket& s, ServerShared& shared)
      : TCPServerConnection(s), shared_(shared) {
    std::lock_guard<std::mutex> lock(shared_.mu);
    shared_.active.insert(this);
  }
  ~Connection() override {
    std::lock_guard<std::mutex> lock(shared_.mu);
    shared_.active.erase(this);
  }
  // Server::Stop: ends what this connection is waiting for (a read, a write).
  void Abort() {
    try {
      socket().shutdown();
    } catch (...) {
    }
  }

  void run() override {
    Session session(socket(), shared_.params);
    const std::string server = shared_.params->getSoftwareVersion();
    while (!shared_.stopping && session.hasMoreRequests()) {
      if (!ServeOne(session, server) || shared_.stopping || !session.getKeepAlive()) return;
      if (session.buffered() > 0) continue;  // pipelined: the next request is already read in part
      if (shared_.OthersWaiting()) {
        // Fair turns: with other connections' requests queued, this one's next request
        // goes to the back of the line rather than keeping this worker.
        shared_.Park(session.detachSocket());
        return;
      }
      const Head h = AwaitHead(socket().impl()->sockfd(), shared_.hold);
      if (h.state == Head::kClosed) return;
      if (h.state != Head::kComplete) {
        shared_.Park(session.detachSocket());  // the session no longer closes it
        return;
      }
    }
  }

 private:
  class Session : public Poco::Net::HTTPServerSession {
   public:
    using HTTPServerSession::HTTPServerSession;
    using HTTPServerSession::buffered;
  };

  static void SendError(Session& session, Poco::Net::HTTPResponse::HTTPStatus status) {
    Poco::Net::HTTPServerResponseImpl response(session);
    response.setVersion(Poco::Net::HTTPMessage::HTTP_1_1);
    response.setKeepAlive(false);
    const int code = static_cast<int>(status);
    Send(response, ErrorResponse(code, code == 400 ? "request.malformed_http" : "server.error",
                                 code == 400 ? "the request is not valid HTTP" : "the request could not be served"));
    session.setKeepAlive(false);
  }

  // False when the connection must close.
  bool ServeOne(Session& session, const std::string& server) {
    try {
      Poco::Net::HTTPServerResponseImpl response(session);
      Poco::Net::HTTPServerRequestImpl request(response, session, shared_.params);
      response.setDate(Poco::Timestamp(shared_.service.clock().Now().millis() * 1000));
      response.setVersion(request.getVersion());
      response.setKeepAlive(shared_.params->getKeepAlive() && request.getKeepAlive() && session.canKeepAlive());
      if (!server.empty()) response.set("Server", server);
      try {
        if (request.getExpectContinue() && response.getStatus() == Poco::Net::HTTPResponse::HTTP_OK)
          response.sendContinue();
        Serve(shared_.service, request, response);
        session.setKeepAlive(shared_.params->getKeepAlive() && response.getKeepAlive() && session.canKeepAlive());
      } catch (const Poco::Exception&) {
        if (!response.sent()) {
          try {
            SendError(session, Poco::Net::HTTPResponse::HTTP_INTERNAL_SERVER_ERROR);
          } catch (...) {
          }
        }
        return false;
      }
      return true;
    } catch (const Poco::Net::NoMessageException&) {
      return false;
    } catch (const Poco::Net::MessageException&) {  // a head Poco cannot parse, or past its limits
      try {
        SendError(session, Poco::Net::HTTPResponse::HTTP_BAD_REQUEST);
      } catch (...) {
      }
      return false;
    } catch (const Poco::DataException&) {  // e.g. a Content-Length that is not a 64-bit number
      try {
        SendError(session, Poco::Net::HTTPResponse::HTTP_BAD_REQUEST);
      } catch (...) {
      }
      return false;
    } catch (const Poco::Exception&) {  // the connection failed: nothing to answer on
      return false;
    } catch (const std::exception&) {
      return false;
    }
  }

  ServerShared& shared_;
};

class Factory : public Poco::Net::TCPServerConnectionFactory {
 public:
  explicit Factory(ServerShared& shared) : shared_(shared) {}
  Poco::Net::TCPServerConnection* createConnection(const Poco::Net::StreamSocket& s) override {
    return new Connection(s, shared_);
  }

 private:
  ServerShared& shared_;
};

}  // namespace internal

Server::Server(HttpService& service, ServerOptions options)
    : service_(service), options_(std::move(options)), shared_(std::make_unique<internal::ServerShared>(service)) {}

Server::~Server() { Stop(); }

void Server::Start() {
  Poco::Net::ServerSocket socket;
  socket.bind(Poco::Net::SocketAddress(options_.host, static_cast<Poco::UInt16>(options_.port)), true);
  socket.listen(options_.queue);
  port_ = socket.address().port();
  Poco::Net::HTTPServerParams::Ptr params = new Poco::Net::HTTPServerParams;
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
  shared_->params = params;
  shared_->hold = std::chrono::milliseconds(options_.hold_ms);
  shared_->stopping = false;
  pool_ = std::make_unique<Poco::ThreadPool>(2, options_.threads + 2, 60);
  dispatcher_ = new Poco::Net::TCPServerDispatcher(new internal::Factory(*shared_), *pool_,
                                                   Poco::Net::TCPServerParams::Ptr(params.get(), true));
  shared_->dispatcher = dispatcher_;
  gate_ = std::make_unique<internal::Gate>(socket, *dispatcher_, options_);
  {
    std::lock_guard<std::mutex> lock(shared_->mu);
    shared_->gate = gate_.get();  // before the first connection can be parked
  }
  gate_->Start();
}

void Server::Stop() {
  if (!dispatcher_) return;
  {
    std::lock_guard<std::mutex> lock(shared_->mu);
    shared_->stopping = true;
    shared_->gate = nullptr;
  }
  gate_.reset();  // no new connections; those waiting are closed
  {
    std::lock_guard<std::mutex> lock(shared_->mu);
    for (auto* c : shared_->active) c->Abort();
  }
  dispatcher_->stop();
  pool_->joinAll();
  dispatcher_->release();
  dispatcher_ = nullptr;
  pool_.reset();
}

std::string Server::url() const { return "http://" + options_.host + ":" + std::to_string(port_); }

int Server::busy_threads() const { return dispatcher_ ? dispatcher_->currentThreads() : 0; }

int Server::open_connections() const {
  return (dispatcher_ ? dispatcher_->currentConnections() : 0) + (gate_ ? gate_->waiting() : 0);
}

}  // namespace adda::net
