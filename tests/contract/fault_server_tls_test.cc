// Copyright 2026 The net Authors.
//
// Backend errors injected under TLS (core/tls_socket.cc, tls_connection.cc,
// tls_engine.cc) and under `net::Server` (core/server.cc, server_loop.cc,
// server_pool.cc), on every event loop backend (built into the per-backend
// executables: epoll/poll/select here, iocp/wsapoll under wine with the WSA
// codes). platform/fault.h is the hook (issue 17); each case narrows its
// rule to the socket under test where the point has a handle, and checks
// that the injection really fired. It proves (shared/RELIABILITY.md):
//
//   C6/T11  a reset (ECONNRESET) or broken pipe (EPIPE) from the socket,
//       during the handshake and after it, is the status a `TlsSocket` call
//       returns (its SocketError, not a TLS error) and the one OnError() of
//       a TLS connection on the loop.
//   T5  a run of 50 would-blocks during a handshake (send and receive; a
//       blocking TlsSocket, and a level-triggered TLS connection on the
//       loop) still ends in a completed handshake; a failing TCP_NODELAY
//       (best effort) does not stop one.
//   R1/R2  accept failing with EMFILE or ENOMEM (WSAEMFILE, WSAENOBUFS) on a
//       running server, callback and thread-pool strategy: the server backs
//       off (the accept calls stay few), reports once through on_error, and
//       serves the waiting client once the failure ends.
//   C6  in the thread pool, a worker's Read failing with ECONNRESET and its
//       Write failing with EPIPE return that error to the handler; on the
//       loops, a connection's receive error reaches OnClose with it; the
//       server goes on serving other clients.

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "net/connection.h"
#include "net/server.h"
#include "net/tls.h"
#include "tests/contract/fault_util.h"
#include "tests/test_util.h"
#include "tests/tls/test_ca.h"
#include "tests/tls/tls_test_util.h"

#if NET_HAS_FAULT_INJECTION

// In namespace net_test: the helpers (test_util.h, fault_util.h) and the
// fault hook's names need no using-declarations.
namespace net_test {
namespace {

using net::Connection;
using net::SocketError;

// Disarms every point at scope exit (rules armed by Arm() inside callbacks).
struct DisarmAtExit {
  ~DisarmAtExit() { net::sys::fault::DisarmAll(); }
};

int Reset() { return NativeCode("ECONNRESET", "WSAECONNRESET"); }
// A send on a stream that can no longer send: EPIPE; Winsock's
// WSAESHUTDOWN. Both are kBrokenPipe.
int BrokenPipe() { return NativeCode("EPIPE", "WSAESHUTDOWN"); }

// The two ways a peer's end breaks a handshake: a reset on receive and a
// broken pipe on send, each with the SocketError it must be reported as.
struct PeerFault {
  Point point;
  int code;
  SocketError want;
};
std::vector<PeerFault> PeerFaults() {
  return {{Point::kReceive, Reset(), SocketError::kConnectionReset},
          {Point::kSend, BrokenPipe(), SocketError::kBrokenPipe}};
}

// ---------------------------------------------------------------------------
// TlsSocket (blocking)

// A blocking handshake with a server TlsSocket on a thread; the rule
// (`point`, `code`, `times`) applies to the client's socket during its
// handshake. Returns the client's result; `*injected` says how many calls
// failed.
absl::Status ClientHandshake(Point point, int code, int times, int* injected) {
  const auto& pki = net_test::GetTestPki();
  auto [c, s] = net_test::TcpPair();
  std::thread server([s = std::move(s), &pki]() mutable {
    absl::StatusOr<net::TlsSocket> t = net::TlsSocket::Server(
        std::move(s), net_test::ServerContext(pki.leaf), {},
        Soon(absl::Seconds(8)));
    if (!t.ok()) return;
    // Until the client's close_notify (or an error), then ours.
    char buffer[64];
    (void)t->Read(absl::MakeSpan(buffer), Soon(absl::Seconds(5)));
    (void)t->Close(Soon(absl::Seconds(1)));
  });
  absl::StatusOr<net::TlsSocket> client;
  {
    ScopedFault fault(point, {.native_error = code, .times = times,
                              .handle = c.native_handle()});
    client = net::TlsSocket::Client(std::move(c), net_test::ClientContext(),
                                    net_test::Named("localhost"),
                                    Soon(absl::Seconds(8)));
    *injected = fault.injected();
  }
  if (client.ok()) (void)client->Close(Soon(absl::Seconds(2)));
  server.join();
  return client.status();
}

TEST_CASE("a reset or broken pipe during a blocking TLS handshake is the "
          "status of the handshake, as its SocketError") {
  for (const PeerFault& c : PeerFaults()) {
    CAPTURE(net::sys::fault::PointName(c.point));
    int injected = 0;
    const absl::Status client = ClientHandshake(c.point, c.code, 1, &injected);
    CHECK(injected == 1);
    INFO(client.ToString());
    REQUIRE_FALSE(client.ok());
    CHECK(net::GetSocketError(client) == c.want);
    CHECK(net::GetTlsError(client) == net::TlsError::kNone);
  }
}

TEST_CASE("a reset on a TLS read and a broken pipe on a TLS write after the "
          "handshake are the status of the call, as its SocketError") {
  const auto& pki = net_test::GetTestPki();
  net_test::Handshaken h = net_test::Handshake(
      net_test::ClientContext(), net_test::ServerContext(pki.leaf),
      net_test::Named("localhost"));
  NET_REQUIRE_OK(h.client);
  NET_REQUIRE_OK(h.server);
  const net::NativeHandle handle = h.client->socket().native_handle();
  {
    ScopedFault fault(Point::kReceive,
                      {.native_error = Reset(), .handle = handle});
    char buffer[64];
    absl::StatusOr<net::IoResult> r =
        h.client->Read(absl::MakeSpan(buffer), Soon(absl::Seconds(5)));
    CHECK(fault.injected() == 1);
    INFO(r.status().ToString());
    REQUIRE_FALSE(r.ok());
    CHECK(net::GetSocketError(r.status()) == SocketError::kConnectionReset);
  }
  // A second stream for the write (a failed read leaves the first fatal).
  h = net_test::Handshake(net_test::ClientContext(),
                          net_test::ServerContext(pki.leaf),
                          net_test::Named("localhost"));
  NET_REQUIRE_OK(h.client);
  {
    ScopedFault fault(Point::kSend,
                      {.native_error = BrokenPipe(),
                       .handle = h.client->socket().native_handle()});
    absl::Status w = h.client->Write("hello", Soon(absl::Seconds(5)));
    CHECK(fault.injected() == 1);
    INFO(w.ToString());
    CHECK(net::GetSocketError(w) == SocketError::kBrokenPipe);
  }
}

// OpenSSL ignores a TLS 1.3 server's failed ticket write when the error
// says the peer is gone (EPIPE, ECONNRESET: see above): the write that
// carried the ticket succeeds. The socket error the BIO kept for it must not
// come back later as the error of another call: here the peer's FIN without
// close_notify, which is truncation (kDataLoss, kTruncated).
TEST_CASE("a socket error OpenSSL ignored on a TLS 1.3 ticket write does not "
          "come back as the error of a later call") {
  const auto& pki = net_test::GetTestPki();
  auto [c, s] = net_test::TcpPair();
  const net::NativeHandle server_handle = s.native_handle();
  absl::Notification written;
  std::thread client([c = std::move(c), &written]() mutable {
    absl::StatusOr<net::TlsSocket> t = net::TlsSocket::Client(
        std::move(c), net_test::ClientContext(), net_test::Named("localhost"),
        Soon(absl::Seconds(8)));
    if (!t.ok()) return;
    written.WaitForNotificationWithTimeout(absl::Seconds(10));
    // A FIN without close_notify.
    (void)const_cast<net::Socket&>(t->socket()).Shutdown(
        net::ShutdownMode::kWrite);
    absl::SleepFor(absl::Milliseconds(300));
  });
  absl::StatusOr<net::TlsSocket> server = net::TlsSocket::Server(
      std::move(s), net_test::ServerContext(pki.leaf), {},
      Soon(absl::Seconds(8)));
  NET_REQUIRE_OK(server);
  REQUIRE(server->Info()->version == "TLSv1.3");
  absl::Status wrote;
  {
    // The first write carries the ticket the server owes: that send fails.
    ScopedFault fault(Point::kSend,
                      {.native_error = BrokenPipe(), .handle = server_handle});
    wrote = server->Write("reply", Soon());
    CHECK(fault.injected() == 1);
  }
  written.Notify();
  if (!wrote.ok()) {
    // OpenSSL ignores only errno's EPIPE and ECONNRESET (conn_is_closed());
    // Winsock's codes are not those, so on Windows the write fails, as any.
    client.join();
    CHECK(net::GetSocketError(wrote) == SocketError::kBrokenPipe);
    NET_SKIP("OpenSSL does not ignore a failed ticket write on this OS");
  }
  char buffer[64];
  absl::StatusOr<net::IoResult> r =
      server->Read(absl::MakeSpan(buffer), Soon(absl::Seconds(5)));
  client.join();
  INFO(r.status().ToString());
  REQUIRE_FALSE(r.ok());
  CHECK(net::GetSocketError(r.status()) != SocketError::kBrokenPipe);
  CHECK(net::GetTlsError(r.status()) == net::TlsError::kTruncated);
}

TEST_CASE("a run of 50 would-blocks on send and on receive during a blocking "
          "TLS handshake still completes it") {
  const int again = NativeCode("EAGAIN", "WSAEWOULDBLOCK");
  for (Point point : {Point::kSend, Point::kReceive}) {
    CAPTURE(net::sys::fault::PointName(point));
    int injected = 0;
    NET_CHECK_OK(ClientHandshake(point, again, 50, &injected));
    CHECK(injected == 50);
  }
}

TEST_CASE("a TLS stream whose TCP_NODELAY setsockopt fails still completes "
          "its handshake (the option is best effort)") {
  int injected = 0;
  NET_CHECK_OK(ClientHandshake(Point::kSetOption,
                               NativeCode("ENOBUFS", "WSAENOBUFS"), kForever,
                               &injected));
  CHECK(injected >= 1);
}

// ---------------------------------------------------------------------------
// TLS connections on the loop

// A TLS server connection on a loop of the backend under test over one end
// of a loopback pair; the other end is a blocking TlsSocket client on a
// thread, driven by `client`.
struct TlsLoopPair {
  explicit TlsLoopPair(
      std::function<void(absl::StatusOr<net::TlsSocket>&)> body,
      const net::ConnectionOptions& options = {}) {
    const auto& pki = net_test::GetTestPki();
    auto [a, b] = net_test::TcpPair();
    handle = b.native_handle();
    absl::StatusOr<net::ConnectionPtr> c = net::NewTlsConnection(
        *loop, std::move(b), net_test::ServerContext(pki.leaf), {}, options);
    NET_REQUIRE_OK(c);
    connection = *std::move(c);
    client = std::thread([a = std::move(a), body]() mutable {
      absl::StatusOr<net::TlsSocket> t = net::TlsSocket::Client(
          std::move(a), net_test::ClientContext(), net_test::Named("localhost"),
          Soon(absl::Seconds(8)));
      body(t);
    });
  }
  ~TlsLoopPair() {
    if (client.joinable()) client.join();
  }
  void Start() {
    net::ConnectionCallbacks cb;
    cb.on_data = [this](Connection&, absl::string_view d) {
      data.append(d.data(), d.size());
      return d.size();
    };
    cb.on_error = [this](Connection&, const absl::Status& s) {
      ++errors;
      error = s;
    };
    connection->SetCallbacks(std::move(cb));
  }
  void CheckFailedOnce(SocketError want) {
    INFO("error: ", error.ToString());
    CHECK(errors == 1);
    CHECK(net::GetSocketError(error) == want);
    CHECK_FALSE(connection->is_open());
    CHECK(loop->watch_count() == 0);
    for (int i = 0; i < 4; ++i) {
      NET_REQUIRE_OK(loop->RunOnce(absl::Milliseconds(25)));
    }
    CHECK(errors == 1);
  }

  std::unique_ptr<net::EventLoop> loop = NewLoop();
  net::NativeHandle handle = net::kInvalidHandle;
  net::ConnectionPtr connection;
  std::thread client;
  std::string data;
  int errors = 0;
  absl::Status error;
};

TEST_CASE("a reset or broken pipe during the handshake of a TLS connection "
          "on the loop is its one OnError, with that SocketError") {
  for (const PeerFault& c : PeerFaults()) {
    CAPTURE(net::sys::fault::PointName(c.point));
    TlsLoopPair p([](absl::StatusOr<net::TlsSocket>& t) {
      (void)t;  // fails once the server side is gone
    });
    ScopedFault fault(c.point, {.native_error = c.code, .handle = p.handle});
    p.Start();
    REQUIRE(RunUntil(*p.loop, [&] { return p.errors > 0; }, absl::Seconds(10)));
    CHECK(fault.injected() == 1);
    p.CheckFailedOnce(c.want);
  }
}

TEST_CASE("a reset on read and a broken pipe on write after the handshake "
          "of a TLS connection on the loop are its one OnError") {
  for (bool on_write : {false, true}) {
    CAPTURE(on_write);
    absl::Notification armed, done;
    TlsLoopPair p([&](absl::StatusOr<net::TlsSocket>& t) {
      if (!t.ok()) return;
      (void)t->Write("hello", Soon());
      armed.WaitForNotificationWithTimeout(absl::Seconds(10));
      (void)t->Write("more", Soon());  // the read that fails (read case)
      done.WaitForNotificationWithTimeout(absl::Seconds(10));
    });
    p.Start();
    REQUIRE(RunUntil(*p.loop, [&] { return p.data == "hello" || p.errors > 0; },
                     absl::Seconds(10)));
    REQUIRE(p.errors == 0);
    std::optional<ScopedFault> fault;
    if (on_write) {
      fault.emplace(Point::kSend, Rule{.native_error = BrokenPipe(),
                                       .times = kForever, .handle = p.handle});
      // Every send fails (a broken pipe stays broken): a TLS 1.3 server may
      // still owe its session ticket here, and OpenSSL ignores EPIPE and
      // ECONNRESET on that write on purpose (statem_srvr.c, "We ignore
      // connection closed errors in TLSv1.3 when sending a
      // NewSessionTicket"); the application data's send fails then.
      CHECK_FALSE(p.connection->Write(std::string("reply")));
      CHECK(p.errors == 0);  // reported from the loop, not inside Write()
    } else {
      fault.emplace(Point::kReceive,
                    Rule{.native_error = Reset(), .handle = p.handle});
    }
    armed.Notify();
    REQUIRE(RunUntil(*p.loop, [&] { return p.errors > 0; }, absl::Seconds(10)));
    CHECK(fault->injected() >= 1);
    p.CheckFailedOnce(on_write ? SocketError::kBrokenPipe
                               : SocketError::kConnectionReset);
    done.Notify();
  }
}

// Level-triggered (edge_triggered off, so on epoll too): each would-block
// is followed by a new report of the readiness that is still there. With an
// edge-triggered watch an injected would-block eats the only edge (Linux
// makes a new one only for new data, or for room after a send of its own
// hit the limit), which no real would-block can do: see the report of
// issue 17.
TEST_CASE("a run of 50 would-blocks on send and on receive during the "
          "handshake of a level-triggered TLS connection on the loop still "
          "completes it") {
  const int again = NativeCode("EAGAIN", "WSAEWOULDBLOCK");
  net::ConnectionOptions options;
  options.edge_triggered = false;
  for (Point point : {Point::kSend, Point::kReceive}) {
    CAPTURE(net::sys::fault::PointName(point));
    absl::Notification done;
    bool client_ok = false;
    TlsLoopPair p(
        [&](absl::StatusOr<net::TlsSocket>& t) {
          client_ok = t.ok();
          if (t.ok()) (void)t->Write("hello", Soon());
          done.WaitForNotificationWithTimeout(absl::Seconds(10));
        },
        options);
    ScopedFault fault(point, {.native_error = again, .times = 50,
                              .handle = p.handle});
    p.Start();
    const bool got = RunUntil(
        *p.loop, [&] { return p.data == "hello" || p.errors > 0; },
        absl::Seconds(10));
    done.Notify();
    INFO("error: ", p.error.ToString(), "; injected ", fault.injected());
    CHECK(got);
    CHECK(p.errors == 0);
    CHECK(p.data == "hello");
    CHECK(fault.injected() == 50);
    if (p.client.joinable()) p.client.join();
    CHECK(client_ok);
  }
}

// ---------------------------------------------------------------------------
// Server: accept failures

// Whether `client` gets `text` echoed (RoundTrip(), test_util.h).
bool Echoes(net::Socket& client, const std::string& text) {
  return RoundTrip(client, text) == text;
}

class EchoHandler : public net::ServerHandler {
 public:
  std::size_t OnData(net::Server&, Connection& c,
                     absl::string_view data) override {
    c.Write(data);
    return data.size();
  }
  void OnOpen(net::Server&, Connection& c) override {
    if (on_open) on_open(c);
  }
  void OnClose(net::Server&, Connection&, const absl::Status& s) override {
    absl::MutexLock lock(&mu);
    closes.push_back(s);
  }
  std::function<void(Connection&)> on_open;
  absl::Mutex mu;
  std::vector<absl::Status> closes;
};

TEST_CASE("accept failing with EMFILE or ENOMEM on a running server backs "
          "off, reports once through on_error, and serves the waiting client "
          "when it ends") {
  struct Code {
    const char* posix;
    const char* windows;
    SocketError want;
  };
  for (const Code& code :
       {Code{"EMFILE", "WSAEMFILE", SocketError::kTooManyOpenFiles},
        Code{"ENOMEM", "WSAENOBUFS", SocketError::kNoBufferSpace}}) {
    for (bool pool : {false, true}) {
      CAPTURE(code.posix);
      CAPTURE(pool);
      EchoHandler echo;
      net::ServerOptions o;
      o.address = *net::SocketAddress::Parse("127.0.0.1:0");
      absl::Mutex mu;
      std::vector<absl::Status> errors;
      o.on_error = [&](const absl::Status& s) {
        absl::MutexLock lock(&mu);
        errors.push_back(s);
      };
      auto server = pool ? net::Server::Create(o, EchoWorker)
                         : net::Server::Create(o, &echo);
      NET_REQUIRE_OK(server);
      NET_REQUIRE_OK((*server)->Start());
      absl::StatusOr<net::SocketAddress> where = (*server)->LocalAddress();
      NET_REQUIRE_OK(where);
      {
        // The server's listening socket is not ours to name: every accept
        // of the process fails (the test itself accepts nothing).
        ScopedFault fault(Point::kAccept,
                          {.native_error = NativeCode(code.posix, code.windows),
                           .times = kForever});
        net::Socket client = net_test::OpenSocket();
        NET_REQUIRE_OK(client.Connect(*where, absl::Seconds(5)));
        REQUIRE(WaitFor([&] {
          absl::MutexLock lock(&mu);
          return !errors.empty();
        }));
        // Backing off: the accept calls in 300 ms stay few (10 ms doubling:
        // 5 or 6 pauses), never thousands.
        absl::SleepFor(absl::Milliseconds(300));
        const int calls = fault.calls();
        CHECK(fault.injected() >= 1);
        CHECK(calls <= 40);
        {
          absl::MutexLock lock(&mu);
          INFO("first error: ", errors.front().ToString());
          CHECK(errors.size() == 1);  // once per episode
          CHECK(net::GetSocketError(errors.front()) == code.want);
        }
        CHECK((*server)->stats().accepted == 0);
        // The failure ends: the next back-off accepts the waiting client.
        net::sys::fault::Disarm(Point::kAccept);
        CHECK(Echoes(client, "after the storm"));
      }
      CHECK((*server)->stats().accepted == 1);
      net::Socket another = net_test::OpenSocket();
      NET_REQUIRE_OK(another.Connect(*where, absl::Seconds(5)));
      CHECK(Echoes(another, "and the next"));
      (void)(*server)->Drain(absl::Now());  // clients still open: cut
    }
  }
}

// ---------------------------------------------------------------------------
// Server: a failing connection among others

TEST_CASE("thread pool: a worker's Read failing with ECONNRESET and its "
          "Write failing with EPIPE return that error, and the server serves "
          "the next client") {
  // The codes are looked up here: NativeCode() uses doctest, which must not
  // run on a server thread (winpthreads crashes at thread exit, see
  // tests/test_util.h).
  const int reset = Reset();
  const int broken_pipe = BrokenPipe();
  std::atomic<int> n{0};
  absl::Mutex mu;
  std::vector<std::pair<absl::Status, int>> seen;  // status, injected
  net::ServerOptions o;
  o.address = *net::SocketAddress::Parse("127.0.0.1:0");
  auto server = net::Server::Create(o, [&](net::ServerStream& s) {
    const int which = n.fetch_add(1);
    if (which == 0) {
      // This stream's reads fail.
      ScopedFault fault(Point::kReceive,
                        {.native_error = reset, .handle = s.native_handle()});
      char buffer[64];
      absl::StatusOr<net::IoResult> r = s.Read(absl::MakeSpan(buffer));
      absl::MutexLock lock(&mu);
      seen.emplace_back(r.status(), fault.injected());
      return;
    }
    if (which == 1) {
      ScopedFault fault(Point::kSend, {.native_error = broken_pipe,
                                       .handle = s.native_handle()});
      absl::Status w = s.Write("response");
      absl::MutexLock lock(&mu);
      seen.emplace_back(w, fault.injected());
      return;
    }
    EchoWorker(s);
  });
  NET_REQUIRE_OK(server);
  NET_REQUIRE_OK((*server)->Start());
  absl::StatusOr<net::SocketAddress> where = (*server)->LocalAddress();
  NET_REQUIRE_OK(where);
  for (int i = 0; i < 2; ++i) {
    net::Socket failing = net_test::OpenSocket();
    NET_REQUIRE_OK(failing.Connect(*where, absl::Seconds(5)));
    // A byte to read: on Windows the read waits for readability before its
    // recv() (POSIX calls a blocking recv() at once).
    NET_REQUIRE_OK(failing.SendAll(std::string("x"), absl::Seconds(5)));
    REQUIRE(WaitFor([&] {
      absl::MutexLock lock(&mu);
      return static_cast<int>(seen.size()) > i;
    }));
    // The worker returned: the stream was closed, the client sees the end.
    NET_REQUIRE_OK(failing.SetOption(net::ReceiveTimeout(absl::Seconds(5))));
    char buffer[64];
    absl::StatusOr<net::IoResult> r = failing.Receive(absl::MakeSpan(buffer));
    CHECK((!r.ok() || r->end_of_stream()));
  }
  {
    absl::MutexLock lock(&mu);
    INFO("read: ", seen[0].first.ToString(), "; write: ",
         seen[1].first.ToString());
    CHECK(seen[0].second == 1);
    CHECK(net::GetSocketError(seen[0].first) == SocketError::kConnectionReset);
    CHECK(seen[1].second == 1);
    CHECK(net::GetSocketError(seen[1].first) == SocketError::kBrokenPipe);
  }
  net::Socket next = net_test::OpenSocket();
  NET_REQUIRE_OK(next.Connect(*where, absl::Seconds(5)));
  CHECK(Echoes(next, "still serving"));
  (void)(*server)->Drain(absl::Now());  // clients still open: cut
}

TEST_CASE("callback strategy: a connection's receive error reaches OnClose "
          "with it, and the server serves the next client") {
  DisarmAtExit disarm;
  EchoHandler echo;
  std::atomic<int> opened{0};
  const int reset = Reset();  // here: no doctest on the loop thread
  echo.on_open = [&](Connection& c) {
    // The first connection's receives fail (armed on the loop thread).
    if (opened.fetch_add(1) == 0) {
      net::sys::fault::Arm(Point::kReceive,
                           {.native_error = reset, .handle = c.native_handle()});
    }
  };
  net::ServerOptions o;
  o.address = *net::SocketAddress::Parse("127.0.0.1:0");
  auto server = net::Server::Create(o, &echo);
  NET_REQUIRE_OK(server);
  NET_REQUIRE_OK((*server)->Start());
  absl::StatusOr<net::SocketAddress> where = (*server)->LocalAddress();
  NET_REQUIRE_OK(where);
  net::Socket failing = net_test::OpenSocket();
  NET_REQUIRE_OK(failing.Connect(*where, absl::Seconds(5)));
  NET_REQUIRE_OK(failing.SendAll(std::string("ping"), absl::Seconds(5)));
  REQUIRE(WaitFor([&] {
    absl::MutexLock lock(&echo.mu);
    return !echo.closes.empty();
  }));
  CHECK(net::sys::fault::Injected(Point::kReceive) == 1);
  net::sys::fault::Disarm(Point::kReceive);
  {
    absl::MutexLock lock(&echo.mu);
    INFO(echo.closes.front().ToString());
    CHECK(echo.closes.size() == 1);
    CHECK(net::GetSocketError(echo.closes.front()) ==
          SocketError::kConnectionReset);
  }
  net::Socket next = net_test::OpenSocket();
  NET_REQUIRE_OK(next.Connect(*where, absl::Seconds(5)));
  CHECK(Echoes(next, "still serving"));
  (void)(*server)->Drain(absl::Now());  // clients still open: cut
}

}  // namespace
}  // namespace net_test

#else  // !NET_HAS_FAULT_INJECTION

NET_FAULT_CASES_SKIPPED("fault_server_tls_test.cc")

#endif  // NET_HAS_FAULT_INJECTION
