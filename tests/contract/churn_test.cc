// Copyright 2026 The net Authors.
//
// -----------------------------------------------------------------------------
// File: tests/contract/churn_test.cc
// -----------------------------------------------------------------------------
//
// Descriptor churn (RELIABILITY.md R3, after libevent's test-fdleak.c): many
// connect / accept / echo / close cycles, one after another, through
//
//   * a `Listener` on the loop and plain `Socket`s (the accepted side echoes
//     through a loop registration, the client is a blocking socket);
//   * `net::Connection` on both ends (`Listener` + `Connection::Create()`
//     for the server, `net::Connect()` for the client);
//   * TLS connections on both ends (`NewTlsConnection()`, `ConnectTls()`).
//
// Every cycle must succeed, and afterwards the process holds exactly the
// descriptors it held before (`OpenDescriptorCount()`: /proc/self/fd on
// Linux, the handle count on Windows). On POSIX the cycles run with
// RLIMIT_NOFILE lowered to 20, as test-fdleak.c does, so that a leak of one
// descriptor per cycle fails within a dozen cycles with "too many open
// files" even where the count could not be read. Windows has no such limit:
// there 1,000 cycles (test-fdleak.c's MAX_REQUESTS on Windows) and the
// handle count. Built into the per-backend event loop executables, so every
// case runs on epoll, poll and select (and iocp and wsapoll under wine).

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "net/connect.h"
#include "net/connection.h"
#include "net/listener.h"
#include "net/net.h"
#include "net/tls.h"
#include "tests/test_util.h"
#include "tests/tls/tls_test_util.h"

#ifndef _WIN32
#include <sys/resource.h>
#endif

namespace {

using net_test::NewLoop;
using net_test::OpenDescriptorCount;
using net_test::RunUntil;

#ifdef _WIN32
// test-fdleak.c's 1,000 cycles on Windows, which has no descriptor limit to
// lower. TLS: 100. Under wine a TLS cycle took 2.6-3 ms in the Debug build,
// but one run on the loaded 2-core machine took 80 ms a cycle (and 33 ms a
// plain connection cycle): 500 would then be 40 s per backend.
constexpr int kPlainCycles = 1000;
constexpr int kConnectionCycles = 1000;
constexpr int kTlsCycles = 100;
#else
constexpr int kPlainCycles = 4000;
constexpr int kConnectionCycles = 4000;
// 500 TLS cycles, not 4,000: each is an ECDSA P-256 handshake (plus
// resumption from the session cache) on both ends in one thread. Measured
// in the Debug build: ~2 ms per cycle on epoll, so 4,000 would be ~8 s per
// backend and far more under ASan; 500 take about a second and still show
// a leak of one descriptor per cycle many times over.
constexpr int kTlsCycles = 500;
#endif

// The bytes each cycle echoes.
constexpr char kMessage[] = "ping!";
constexpr std::size_t kMessageSize = sizeof(kMessage) - 1;

// The limit libevent's test-fdleak.c sets.
constexpr int kDescriptorLimit = 20;
// What a cycle needs above what the process already holds: the client, the
// accepted socket, the listener's reserve descriptor, and room for the OS's
// own (a wakeup descriptor, a TLS context's file) with a margin.
constexpr int kHeadroom = 12;

// ScopedDescriptorLimit
//
// Lowers the soft RLIMIT_NOFILE to `kDescriptorLimit` (or, when the process
// already holds too many descriptors for that to leave `kHeadroom` free, to
// its open count + `kHeadroom`: the doctest runner, the loop, and under a
// sanitizer its own files come first) and restores the old limit when
// destroyed. A no-op on Windows.
class ScopedDescriptorLimit {
 public:
  ScopedDescriptorLimit() = default;
  ScopedDescriptorLimit(const ScopedDescriptorLimit&) = delete;
  ScopedDescriptorLimit& operator=(const ScopedDescriptorLimit&) = delete;
  ~ScopedDescriptorLimit() {
#ifndef _WIN32
    if (lowered_) setrlimit(RLIMIT_NOFILE, &saved_);
#endif
  }

  // Lowers the limit; why not when it cannot be lowered (valgrind refuses
  // setrlimit(RLIMIT_NOFILE)).
  absl::Status Lower() {
#ifdef _WIN32
    return absl::OkStatus();
#else
    if (getrlimit(RLIMIT_NOFILE, &saved_) != 0) {
      return absl::UnavailableError("getrlimit(RLIMIT_NOFILE) failed");
    }
    const int open = OpenDescriptorCount();
    limit_ = kDescriptorLimit;
    if (open < 0 || open + kHeadroom > kDescriptorLimit) {
      limit_ = (open < 0 ? 64 : open) + kHeadroom;
    }
    rlimit lower = saved_;
    lower.rlim_cur = static_cast<rlim_t>(limit_);
    if (saved_.rlim_cur != RLIM_INFINITY && lower.rlim_cur > saved_.rlim_cur) {
      lower.rlim_cur = saved_.rlim_cur;
    }
    if (setrlimit(RLIMIT_NOFILE, &lower) != 0) {
      return absl::UnavailableError(
          "setrlimit(RLIMIT_NOFILE) is refused here (valgrind refuses it)");
    }
    lowered_ = true;
    return absl::OkStatus();
#endif
  }

  // The limit in force, or -1 where there is none (Windows).
  int limit() const { return limit_; }

 private:
  int limit_ = -1;
#ifndef _WIN32
  bool lowered_ = false;
  rlimit saved_{};
#endif
};

// Lowers the limit for the case (skipping it where that is refused) and
// says what it is.
#define NET_LOWER_DESCRIPTOR_LIMIT(limit)                                 \
  do {                                                                    \
    absl::Status lowered = (limit).Lower();                               \
    if (!lowered.ok()) NET_SKIP(std::string(lowered.message()));          \
    MESSAGE("RLIMIT_NOFILE for the case: ", (limit).limit(),              \
            " (-1: none on this OS), open before: ", OpenDescriptorCount()); \
  } while (false)

// The process's descriptor (or handle) count, -1 where the OS does not
// tell (wine may not count handles: the cycles must still all succeed).
int Descriptors() {
  const int n = OpenDescriptorCount();
  if (n <= 0) MESSAGE("this OS does not count the process's descriptors");
  return n;
}

// `after` is `before`, where both could be counted.
void CheckSameCount(int before, int after) {
  if (before > 0 && after > 0) CHECK(after == before);
}

// Whether `s` becomes readable within 5 s.
bool Readable(const net::Socket& s) {
  absl::StatusOr<bool> ready = s.WaitReadable(absl::Seconds(5));
  NET_REQUIRE_OK(ready);
  return *ready;
}

net::SocketAddress Loopback() {
  return net::SocketAddress(net::IpAddress::Loopback(net::AddressFamily::kIPv4),
                            0);
}

// Runs `loop` until `done()`, REQUIREd within 10 s.
template <typename Done>
void Await(net::EventLoop& loop, Done done, int cycle) {
  CAPTURE(cycle);
  REQUIRE(RunUntil(loop, done, absl::Seconds(10)));
}

// What both echo servers below share: a listener on 127.0.0.1, port 0, of
// the loop under test, handing each accepted socket to Accept() (called
// from the loop only, so never before the derived server is built), and
// the count of sessions closed and the last error seen.
class EchoServerBase {
 public:
  EchoServerBase(const EchoServerBase&) = delete;
  EchoServerBase& operator=(const EchoServerBase&) = delete;

  const net::SocketAddress& address() const { return address_; }
  int closed() const { return closed_; }
  const absl::Status& error() const { return error_; }

 protected:
  explicit EchoServerBase(net::EventLoop& loop) : loop_(loop) {
    absl::StatusOr<std::unique_ptr<net::Listener>> listener =
        net::Listener::Bind(loop, Loopback(),
                            [this](net::Socket s, const net::SocketAddress&) {
                              Accept(std::move(s));
                            });
    NET_REQUIRE_OK(listener);
    listener_ = *std::move(listener);
    absl::StatusOr<net::SocketAddress> address = listener_->LocalAddress();
    NET_REQUIRE_OK(address);
    address_ = *address;
  }

  virtual ~EchoServerBase() = default;

  virtual void Accept(net::Socket s) = 0;

  net::EventLoop& loop_;
  int closed_ = 0;
  absl::Status error_;

 private:
  std::unique_ptr<net::Listener> listener_;
  net::SocketAddress address_;
};

// A plain echo on the loop: each accepted socket is watched for reading,
// echoes `kMessage` and is closed by the server first (the TIME_WAIT stays
// on the listener's port, not on the client's ephemeral one).
class PlainEchoServer : public EchoServerBase {
 public:
  explicit PlainEchoServer(net::EventLoop& loop) : EchoServerBase(loop) {}

  std::size_t open() const { return sessions_.size(); }

 private:
  struct Session {
    net::Socket socket;
    net::WatchId watch = 0;
    std::string received;
  };

  void Accept(net::Socket s) override {
    const std::uint64_t key = next_++;
    Session& session = sessions_[key];
    session.socket = std::move(s);
    absl::StatusOr<net::WatchId> watch = loop_.Watch(
        session.socket.native_handle(), net::Interest::kReadable,
        [this, key](net::Readiness) { OnReadable(key); });
    if (!watch.ok()) {
      error_ = watch.status();
      sessions_.erase(key);
      return;
    }
    session.watch = *watch;
  }

  void OnReadable(std::uint64_t key) {
    Session& session = sessions_.at(key);
    char buffer[64];
    absl::StatusOr<net::IoResult> got =
        session.socket.Receive(absl::MakeSpan(buffer));
    if (!got.ok()) {
      error_ = got.status();
      Finish(key);
      return;
    }
    if (got->would_block()) return;
    if (got->end_of_stream()) {
      error_ = absl::InternalError("end of stream before the message");
      Finish(key);
      return;
    }
    session.received.append(buffer, got->bytes());
    if (session.received.size() < kMessageSize) return;
    absl::Status sent = session.socket.SendAll(session.received);
    if (!sent.ok()) error_ = sent;
    Finish(key);
  }

  void Finish(std::uint64_t key) {
    Session& session = sessions_.at(key);
    absl::Status unwatched =
        loop_.Unwatch(session.watch, net::UnwatchMode::kClosing);
    if (!unwatched.ok()) error_ = unwatched;
    absl::Status closed = session.socket.Close();
    if (!closed.ok()) error_ = closed;
    sessions_.erase(key);
    ++closed_;
  }

  std::map<std::uint64_t, Session> sessions_;
  std::uint64_t next_ = 0;
};

// The server side of the connection cases: each accepted socket becomes a
// connection (plain, or TLS with `tls`) that echoes `kMessage` and closes
// first; a connection is destroyed once it has closed.
class ConnectionEchoServer : public EchoServerBase {
 public:
  ConnectionEchoServer(net::EventLoop& loop,
                       std::shared_ptr<const net::TlsContext> tls = nullptr)
      : EchoServerBase(loop), tls_(std::move(tls)) {}

  std::size_t open() const { return connections_.size(); }

 private:
  void Accept(net::Socket s) override {
    absl::StatusOr<net::ConnectionPtr> c =
        tls_ ? net::NewTlsConnection(loop_, std::move(s), tls_)
             : net::Connection::Create(loop_, std::move(s));
    if (!c.ok()) {
      error_ = c.status();
      return;
    }
    net::Connection* raw = c->get();
    connections_[raw] = *std::move(c);
    net::ConnectionCallbacks cb;
    cb.on_data = [this](net::Connection& conn, absl::string_view data) {
      conn.Write(data);
      received_[&conn] += data.size();
      if (received_[&conn] >= kMessageSize) conn.Close();  // after the flush
      return data.size();
    };
    cb.on_error = [this](net::Connection& conn, const absl::Status& status) {
      error_ = status;
      Forget(conn);  // destroys it inside its own callback
    };
    raw->SetCallbacks(std::move(cb));
  }

  void Forget(net::Connection& conn) {
    received_.erase(&conn);
    connections_.erase(&conn);
    ++closed_;
  }

 public:
  // Lets go of every connection that has closed (`Close()` was called: the
  // loop finishes its flush and close, or its close_notify exchange).
  void Reap() {
    for (auto it = connections_.begin(); it != connections_.end();) {
      if (it->first->is_open()) {
        ++it;
        continue;
      }
      received_.erase(it->first);
      it = connections_.erase(it);
      ++closed_;
    }
  }

 private:
  std::shared_ptr<const net::TlsContext> tls_;
  std::map<net::Connection*, net::ConnectionPtr> connections_;
  std::map<net::Connection*, std::size_t> received_;
};

// One client connection's cycle: connects (`start` makes the pending
// connect), writes `kMessage`, reads the echo and the server's end of
// stream, and is destroyed; then the loop runs until the server has let go
// of its side and every registration of the cycle is gone.
template <typename Start>
void ConnectionCycle(net::EventLoop& loop, ConnectionEchoServer& server,
                     std::size_t idle_watches, int cycle, const Start& start) {
  CAPTURE(cycle);
  absl::Status status;
  net::ConnectionPtr client;
  std::string echoed;
  bool eof = false;
  bool called = false;
  std::unique_ptr<net::PendingConnect> pending =
      start([&](absl::StatusOr<net::ConnectionPtr> c) {
        called = true;
        if (!c.ok()) {
          status = c.status();
          return;
        }
        client = *std::move(c);
        net::ConnectionCallbacks cb;
        cb.on_data = [&](net::Connection&, absl::string_view data) {
          echoed.append(data.data(), data.size());
          return data.size();
        };
        cb.on_end_of_stream = [&](net::Connection&) { eof = true; };
        cb.on_error = [&](net::Connection&, const absl::Status& e) {
          status = e;
        };
        client->SetCallbacks(std::move(cb));
        client->Write(absl::string_view(kMessage, kMessageSize));
      });
  Await(loop, [&] { return !status.ok() || eof; }, cycle);
  NET_REQUIRE_OK(status);
  REQUIRE(echoed == kMessage);
  client.reset();
  pending.reset();
  Await(
      loop,
      [&] {
        server.Reap();
        return server.open() == 0 && loop.watch_count() == idle_watches;
      },
      cycle);
  NET_REQUIRE_OK(server.error());
}

}  // namespace

TEST_CASE("connect, accept, echo and close cycles through a listener under a "
          "20-descriptor limit all succeed and leave no descriptor behind") {
  ScopedDescriptorLimit limit;
  NET_LOWER_DESCRIPTOR_LIMIT(limit);
  const int at_start = Descriptors();
  {
    std::unique_ptr<net::EventLoop> loop = NewLoop();
    PlainEchoServer server(*loop);
    const int before = Descriptors();
    const absl::Time begin = absl::Now();
    for (int i = 0; i < kPlainCycles; ++i) {
      CAPTURE(i);
      absl::StatusOr<net::Socket> client =
          net::Socket::Open(net::AddressFamily::kIPv4, net::SocketType::kStream);
      NET_REQUIRE_OK(client);
      NET_REQUIRE_OK(client->Connect(server.address(), absl::Seconds(5)));
      NET_REQUIRE_OK(client->SendAll(absl::string_view(kMessage, kMessageSize)));
      Await(*loop, [&] { return server.closed() == i + 1; }, i);
      NET_REQUIRE_OK(server.error());
      // Bounded waits: a server that never answers (or never closes) fails
      // the case instead of hanging it.
      REQUIRE(Readable(*client));
      REQUIRE(net_test::ReceiveExactly(*client, kMessageSize) == kMessage);
      REQUIRE(Readable(*client));
      char byte;
      absl::StatusOr<net::IoResult> eof = client->Receive(absl::MakeSpan(&byte, 1));
      NET_REQUIRE_OK(eof);
      REQUIRE(eof->end_of_stream());
      NET_REQUIRE_OK(client->Close());
    }
    MESSAGE(kPlainCycles, " cycles on ", net::EventLoopBackendName(loop->backend()),
            " in ", absl::Now() - begin);
    CHECK(server.open() == 0);
    CheckSameCount(before, Descriptors());
  }
  CheckSameCount(at_start, Descriptors());
}

TEST_CASE("connection-to-connection echo cycles under a 20-descriptor limit "
          "all succeed and leave no descriptor behind") {
  ScopedDescriptorLimit limit;
  NET_LOWER_DESCRIPTOR_LIMIT(limit);
  const int at_start = Descriptors();
  {
    std::unique_ptr<net::EventLoop> loop = NewLoop();
    ConnectionEchoServer server(*loop);
    const std::size_t idle_watches = loop->watch_count();
    const int before = Descriptors();
    const absl::Time begin = absl::Now();
    for (int i = 0; i < kConnectionCycles; ++i) {
      ConnectionCycle(*loop, server, idle_watches, i,
                      [&](net::ConnectCallback callback) {
                        return net::Connect(*loop, server.address(), {},
                                            std::move(callback));
                      });
    }
    MESSAGE(kConnectionCycles, " cycles on ",
            net::EventLoopBackendName(loop->backend()), " in ",
            absl::Now() - begin);
    CHECK(server.closed() == kConnectionCycles);
    CheckSameCount(before, Descriptors());
  }
  CheckSameCount(at_start, Descriptors());
}

TEST_CASE("TLS connection echo cycles under a 20-descriptor limit all "
          "succeed and leave no descriptor behind") {
  // The contexts (and the test PKI) first: they are made once and kept.
  std::shared_ptr<const net::TlsContext> server_context =
      net_test::ServerContext(net_test::GetTestPki().leaf);
  std::shared_ptr<const net::TlsContext> client_context =
      net_test::ClientContext();
  ScopedDescriptorLimit limit;
  NET_LOWER_DESCRIPTOR_LIMIT(limit);
  const int at_start = Descriptors();
  {
    std::unique_ptr<net::EventLoop> loop = NewLoop();
    ConnectionEchoServer server(*loop, server_context);
    const std::size_t idle_watches = loop->watch_count();
    const int before = Descriptors();
    const absl::Time begin = absl::Now();
    for (int i = 0; i < kTlsCycles; ++i) {
      ConnectionCycle(
          *loop, server, idle_watches, i, [&](net::ConnectCallback callback) {
            // An IP literal: connected to directly (no resolver thread),
            // verified against the leaf's IP:127.0.0.1.
            return net::ConnectTls(*loop, "127.0.0.1", server.address().port(),
                                   client_context, {}, {}, std::move(callback));
          });
    }
    MESSAGE(kTlsCycles, " TLS cycles on ",
            net::EventLoopBackendName(loop->backend()), " in ",
            absl::Now() - begin);
    CHECK(server.closed() == kTlsCycles);
    CheckSameCount(before, Descriptors());
  }
  CheckSameCount(at_start, Descriptors());
}
