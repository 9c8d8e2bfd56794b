// Copyright 2026 The net Authors.
//
// TLS on the event loop (NewTlsConnection, ConnectTls), run on every loop
// backend: net's client against net's server over real loopback sockets,
// with the test PKI that tests/tls/test_ca.h generates.
// The same checks against `openssl s_server` / `s_client` processes are
// tests/posix/tls_peer_test.cc.

#include <atomic>
#include <functional>
#include <optional>
#include <string>
#include <thread>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "doctest/doctest.h"
#include "net/net.h"
#include "net/tls.h"
#include "net/tls_openssl.h"
#include "tests/test_util.h"
#include "tests/tls/test_ca.h"
#include "tests/tls/tls_test_util.h"

namespace {

// The TLS test helpers (tests/tls/tls_test_util.h, test_ca.h).
using namespace net_test;  // NOLINT(build/namespaces)

TEST_CASE("TLS connections on the loop echo 64 MiB byte-exact both ways") {
  const auto& pki = GetTestPki();
  auto loop = net_test::NewLoop();
  LoopServer server(*loop, ServerContext(pki.leaf),
                    [](net::Connection& c) { Echo(c); });
  const std::string data = Pattern(64 << 20, 5);
  Collected got;
  net::ConnectionPtr client;
  absl::Status connect_error;
  net::ConnectOptions co;
  auto pending = net::ConnectTls(
      *loop, "127.0.0.1", server.address.port(), ClientContext(), co, {},
      [&](absl::StatusOr<net::ConnectionPtr> c) {
        if (!c.ok()) {
          connect_error = c.status();
          return;
        }
        client = *std::move(c);
        CHECK(net::IsTls(*client));
        client->SetCallbacks(Collect(got));
        client->Write(std::string(data));
        client->ShutdownWrite();
      });
  REQUIRE(net_test::RunUntil(
      *loop, [&] { return got.eof || got.failed || !connect_error.ok(); },
      absl::Seconds(60)));
  NET_REQUIRE_OK(connect_error);
  NET_REQUIRE_OK(got.error);
  CHECK_EQ(got.data.size(), data.size());
  CHECK(got.data == data);
  absl::StatusOr<net::TlsSessionInfo> info = net::GetTlsInfo(*client);
  NET_REQUIRE_OK(info);
  CHECK(info->peer_verified);
  CHECK_EQ(info->version, "TLSv1.3");
}

TEST_CASE("records buffered inside OpenSSL reach a reader that paused and resumed") {
  const auto& pki = GetTestPki();
  auto loop = net_test::NewLoop();
  const std::string data = Pattern(4 << 20, 7);
  LoopServer server(*loop, ServerContext(pki.leaf), [&](net::Connection& c) {
    c.SetCallbacks({});
    // Then silence with the connection open: nothing new makes the
    // client's socket readable (a FIN would).
    c.Write(std::string(data));
  });
  std::string got;
  bool eof = false;
  net::ConnectionPtr client;
  int pauses = 0;
  auto pending = net::ConnectTls(
      *loop, "localhost", server.address.port(), ClientContext(), {}, {},
      [&](absl::StatusOr<net::ConnectionPtr> c) {
        NET_REQUIRE_OK(c);
        client = *std::move(c);
        net::ConnectionCallbacks cb;
        // Pauses after each piece and resumes from the loop: what read
        // ahead brought sits inside OpenSSL while the socket may show
        // nothing to read (libevent #690's stall).
        cb.on_data = [&](net::Connection& conn, absl::string_view d) {
          got.append(d.data(), d.size());
          conn.PauseReading();
          ++pauses;
          loop->AddTimer(absl::ZeroDuration(),
                         [&conn] { conn.ResumeReading(); });
          return d.size();
        };
        cb.on_end_of_stream = [&](net::Connection&) { eof = true; };
        client->SetCallbacks(std::move(cb));
      });
  REQUIRE(net_test::RunUntil(*loop, [&] { return got.size() >= data.size(); },
                             absl::Seconds(20)));
  CHECK(got == data);
  CHECK_FALSE(eof);
  CHECK_GE(pauses, 256);  // at least one per 16 KiB record
}

TEST_CASE("half-close on the loop: the peer's close_notify is an end of stream and both still talk") {
  const auto& pki = GetTestPki();
  auto loop = net_test::NewLoop();
  Collected at_server;
  net::Connection* server_side = nullptr;
  LoopServer server(*loop, ServerContext(pki.leaf), [&](net::Connection& c) {
    server_side = &c;
    c.SetCallbacks(Collect(at_server));
  });
  Collected at_client;
  net::ConnectionPtr client;
  auto pending = net::ConnectTls(
      *loop, "localhost", server.address.port(), ClientContext(), {}, {},
      [&](absl::StatusOr<net::ConnectionPtr> c) {
        NET_REQUIRE_OK(c);
        client = *std::move(c);
        client->SetCallbacks(Collect(at_client));
        client->Write("question");
        client->ShutdownWrite();
      });
  REQUIRE(net_test::RunUntil(*loop, [&] { return at_server.eof; }));
  CHECK_EQ(at_server.data, "question");
  CHECK(server_side->can_write());
  server_side->Write("answer after your FIN");
  server_side->ShutdownWrite();
  REQUIRE(net_test::RunUntil(*loop, [&] { return at_client.eof; }));
  CHECK_EQ(at_client.data, "answer after your FIN");
  CHECK_FALSE(at_client.failed);
  CHECK_FALSE(at_server.failed);
}

TEST_CASE("an EOF without close_notify is truncation unless the user takes it as an end") {
  const auto& pki = GetTestPki();
  for (bool as_eof : {false, true}) {
    CAPTURE(as_eof);
    auto loop = net_test::NewLoop();
    net::TlsStreamOptions so;
    so.truncation_is_end_of_stream = as_eof;
    Collected at_server;
    LoopServer server(
        *loop, ServerContext(pki.leaf),
        [&](net::Connection& c) { c.SetCallbacks(Collect(at_server)); }, so);
    // A blocking client that writes, then closes the socket without
    // close_notify (its TlsSocket is released from under it).
    std::thread t([&] {
      net::Socket s = net_test::OpenSocket();
      NET_REQUIRE_OK(s.Connect(server.address));
      absl::StatusOr<net::TlsSocket> tls =
          net::TlsSocket::Client(std::move(s), ClientContext(), Named("localhost"),
                                 Soon());
      NET_REQUIRE_OK(tls);
      NET_REQUIRE_OK(tls->Write("last words", Soon()));
      // Shut the socket under the TLS stream: a FIN without close_notify.
      NET_REQUIRE_OK(const_cast<net::Socket&>(tls->socket())
                         .Shutdown(net::ShutdownMode::kWrite));
      absl::SleepFor(absl::Milliseconds(200));
    });
    REQUIRE(net_test::RunUntil(
        *loop, [&] { return at_server.eof || at_server.failed; }));
    t.join();
    CHECK_EQ(at_server.data, "last words");
    if (as_eof) {
      CHECK(at_server.eof);
    } else {
      REQUIRE(at_server.failed);
      CHECK_EQ(at_server.error.code(), absl::StatusCode::kDataLoss);
      CHECK_EQ(net::GetTlsError(at_server.error), net::TlsError::kTruncated);
    }
  }
}

TEST_CASE("a silent client is closed at the handshake deadline, garbage at once") {
  const auto& pki = GetTestPki();
  auto loop = net_test::NewLoop();
  net::TlsStreamOptions so;
  so.handshake_timeout = absl::Milliseconds(300);
  std::vector<absl::Status> errors;
  LoopServer server(
      *loop, ServerContext(pki.leaf),
      [&](net::Connection& c) {
        net::ConnectionCallbacks cb;
        cb.on_error = [&](net::Connection&, const absl::Status& s) {
          errors.push_back(s);
        };
        c.SetCallbacks(std::move(cb));
      },
      so);
  // Silent.
  net::Socket silent = net_test::OpenSocket();
  NET_REQUIRE_OK(silent.Connect(server.address));
  const absl::Time start = absl::Now();
  REQUIRE(net_test::RunUntil(*loop, [&] { return errors.size() == 1; }));
  const absl::Duration took = absl::Now() - start;
  CHECK_GE(took, absl::Milliseconds(250));
  CHECK_LT(took, absl::Seconds(5));
  CHECK_EQ(net::GetTlsError(errors[0]), net::TlsError::kHandshakeTimeout);
  CHECK_EQ(net::GetSocketError(errors[0]), net::SocketError::kTimedOut);
  CHECK_EQ(errors[0].code(), absl::StatusCode::kDeadlineExceeded);
  char buffer[16];
  absl::StatusOr<net::IoResult> closed = silent.Receive(absl::MakeSpan(buffer));
  NET_REQUIRE_OK(closed);
  CHECK(closed->end_of_stream());  // the descriptor was closed
  // Plain text on the TLS port.
  net::Socket plain = net_test::OpenSocket();
  NET_REQUIRE_OK(plain.Connect(server.address));
  NET_REQUIRE_OK(plain.Send(absl::MakeConstSpan(
      absl::string_view("GET / HTTP/1.1\r\nHost: x\r\n\r\n"))));
  REQUIRE(net_test::RunUntil(*loop, [&] { return errors.size() == 2; }));
  // Its own error, not the deadline's: it ended at once.
  CHECK_EQ(net::GetTlsError(errors[1]), net::TlsError::kProtocolError);
  // And its descriptor is closed: the client reads the end (an alert may
  // come first) or a reset, never nothing.
  bool ended = false;
  for (int i = 0; i < 10 && !ended; ++i) {
    absl::StatusOr<net::IoResult> r = plain.Receive(absl::MakeSpan(buffer));
    ended = !r.ok() || r->end_of_stream();
  }
  CHECK(ended);
}

TEST_CASE("a client that writes and closes at once still has its data read") {
  const auto& pki = GetTestPki();
  auto loop = net_test::NewLoop();
  Collected at_server;
  LoopServer server(*loop, ServerContext(pki.leaf), [&](net::Connection& c) {
    c.SetCallbacks(Collect(at_server));
  });
  std::thread t([&] {
    net::Socket s = net_test::OpenSocket();
    NET_REQUIRE_OK(s.Connect(server.address));
    absl::StatusOr<net::TlsSocket> tls = net::TlsSocket::Client(
        std::move(s), ClientContext(), Named("localhost"), Soon());
    NET_REQUIRE_OK(tls);
    NET_REQUIRE_OK(tls->Write("written, then gone", Soon()));
    NET_REQUIRE_OK(tls->Close(absl::Now()));  // no wait for the server
  });
  REQUIRE(net_test::RunUntil(
      *loop, [&] { return at_server.eof || at_server.failed; }));
  t.join();
  CHECK_EQ(at_server.data, "written, then gone");
  CHECK(at_server.eof);
}

TEST_CASE("a second connection from the same client context resumes the session") {
  const auto& pki = GetTestPki();
  auto loop = net_test::NewLoop();
  LoopServer server(*loop, ServerContext(pki.leaf),
                    [](net::Connection& c) { Echo(c); });
  auto client_context = ClientContext();
  std::vector<bool> resumed;
  for (int i = 0; i < 3; ++i) {
    Collected got;
    net::ConnectionPtr client;
    auto pending = net::ConnectTls(
        *loop, "localhost", server.address.port(), client_context, {}, {},
        [&](absl::StatusOr<net::ConnectionPtr> c) {
          NET_REQUIRE_OK(c);
          client = *std::move(c);
          resumed.push_back(net::GetTlsInfo(*client)->resumed);
          client->SetCallbacks(Collect(got));
          client->Write("ping");  // the echo brings the session ticket
          client->ShutdownWrite();
        });
    REQUIRE(net_test::RunUntil(*loop, [&] { return got.eof || got.failed; }));
    CHECK_EQ(got.data, "ping");
  }
  CHECK_EQ(resumed, (std::vector<bool>{false, true, true}));
}

TEST_CASE("ConnectTls reports connect and verification failures through its callback") {
  const auto& pki = GetTestPki();
  auto loop = net_test::NewLoop();
  LoopServer server(*loop, ServerContext(pki.expired),
                    [](net::Connection& c) { c.SetCallbacks({}); });
  std::optional<absl::Status> result;
  auto pending = net::ConnectTls(
      *loop, "localhost", server.address.port(), ClientContext(), {}, {},
      [&](absl::StatusOr<net::ConnectionPtr> c) { result = c.status(); });
  REQUIRE(net_test::RunUntil(*loop, [&] { return result.has_value(); }));
  CHECK_EQ(net::GetTlsError(*result), net::TlsError::kCertificateVerifyFailed);
  CHECK_NE(result->message().find("certificate has expired"), std::string::npos);
  result.reset();
  pending = net::ConnectTls(
      *loop, "127.0.0.1", net_test::ClosedPort().port(), ClientContext(), {}, {},
      [&](absl::StatusOr<net::ConnectionPtr> c) { result = c.status(); });
  REQUIRE(net_test::RunUntil(*loop, [&] { return result.has_value(); }));
  CHECK_EQ(net::GetSocketError(*result), net::SocketError::kConnectionRefused);
  // A server context is refused, from the loop.
  result.reset();
  pending = net::ConnectTls(
      *loop, "localhost", 443, ServerContext(pki.leaf), {}, {},
      [&](absl::StatusOr<net::ConnectionPtr> c) { result = c.status(); });
  CHECK_FALSE(result.has_value());
  REQUIRE(net_test::RunUntil(*loop, [&] { return result.has_value(); }));
  CHECK_EQ(result->code(), absl::StatusCode::kInvalidArgument);
  // Cancelled during the handshake: no callback, nothing leaks.
  result.reset();
  net::Socket silent_server = net_test::Listen();
  pending = net::ConnectTls(
      *loop, "127.0.0.1", net_test::LocalAddressOf(silent_server).port(),
      ClientContext(), {}, {},
      [&](absl::StatusOr<net::ConnectionPtr> c) { result = c.status(); });
  loop->RunOnce(absl::Milliseconds(100)).IgnoreError();
  pending.reset();
  loop->RunOnce(absl::Milliseconds(50)).IgnoreError();
  CHECK_FALSE(result.has_value());
}

// 2,000 handshakes, each with a byte each way and a clean close on both
// sides: under ASan/LSan nothing leaks; the descriptors all come back (the
// next socket gets a number no higher than before, POSIX's lowest-free rule).
TEST_CASE("2,000 handshakes on the loop leak no descriptor and no memory") {
  const auto& pki = GetTestPki();
  auto loop = net_test::NewLoop();
  std::size_t server_closed = 0;
  LoopServer server(*loop, ServerContext(pki.leaf),
                    [&](net::Connection& c) { Echo(c, &server_closed); });
  auto client_context = ClientContext();
  struct Client {
    std::unique_ptr<net::PendingConnect> pending;
    net::ConnectionPtr connection;
  };
  // `total` handshakes, `at_once` under way at a time; returns the failures.
  auto run = [&](int total, int at_once) {
    int started = 0, finished = 0, failed = 0;
    server_closed = 0;
    std::vector<std::unique_ptr<Client>> clients;
    std::function<void()> start_one = [&] {
      auto client = std::make_unique<Client>();
      Client* c = client.get();
      clients.push_back(std::move(client));
      ++started;
      auto done = [&, c](bool ok) {
        c->connection.reset();  // closes, inside its own callback
        if (!ok) ++failed;
        ++finished;
        if (started < total) start_one();
      };
      c->pending = net::ConnectTls(
          *loop, "localhost", server.address.port(), client_context, {}, {},
          [&, c, done](absl::StatusOr<net::ConnectionPtr> r) {
            if (!r.ok()) return done(false);
            c->connection = *std::move(r);
            net::ConnectionCallbacks cb;
            cb.on_data = [](net::Connection&, absl::string_view d) {
              return d.size();
            };
            cb.on_end_of_stream = [done](net::Connection&) { done(true); };
            cb.on_error = [done](net::Connection&, const absl::Status&) {
              done(false);
            };
            c->connection->SetCallbacks(std::move(cb));
            c->connection->Write("x");
            c->connection->ShutdownWrite();
          });
    };
    for (int i = 0; i < at_once; ++i) start_one();
    REQUIRE(net_test::RunUntil(*loop, [&] { return finished == total; },
                               absl::Seconds(50)));
    clients.clear();
    server.connections.clear();
    REQUIRE(net_test::RunUntil(
        *loop, [&] { return server_closed == static_cast<std::size_t>(total); }));
    loop->RunOnce(absl::Milliseconds(10)).IgnoreError();
    return failed;
  };
  // One first, so that what lives as long as the process (the resolver's
  // threads, the loop's own descriptors) exists before counting.
  CHECK_EQ(run(1, 1), 0);
  const net::NativeHandle before = net_test::OpenSocket().native_handle();
  CHECK_EQ(run(2000, 8), 0);
#ifndef _WIN32
  CHECK_LE(net_test::OpenSocket().native_handle(), before);
#else
  (void)before;  // Windows hands out SOCKET values in no such order
#endif
}

}  // namespace
