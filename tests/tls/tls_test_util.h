// Copyright 2026 The net Authors.
//
// -----------------------------------------------------------------------------
// File: tests/tls/tls_test_util.h
// -----------------------------------------------------------------------------
//
// What the TLS tests share: contexts from the test PKI (tests/tls/test_ca.h),
// a handshake between two blocking `TlsSocket`s, and a TLS server on an
// event loop. Uses doctest (REQUIREs), so only for test executables.

#ifndef NET_TESTS_TLS_TLS_TEST_UTIL_H_
#define NET_TESTS_TLS_TLS_TEST_UTIL_H_

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "net/net.h"
#include "net/tls.h"
#include "tests/tls/test_ca.h"

#ifndef _WIN32
#include "tests/tls/openssl_peer.h"
#endif

namespace net_test {

// A deadline `d` from now.
inline absl::Time Soon(absl::Duration d = absl::Seconds(10)) {
  return absl::Now() + d;
}

// A server context with `cert`, and `o`'s other options.
std::shared_ptr<const net::TlsContext> ServerContext(
    const TestCert& cert, net::TlsServerOptions o = {});

// A client context that trusts the test CA only (unless `o` names trust).
std::shared_ptr<const net::TlsContext> ClientContext(
    net::TlsClientOptions o = {});

// Stream options with `server_name` set.
net::TlsStreamOptions Named(std::string name);

// Both ends of one handshake over a loopback pair (the server on a thread).
struct Handshaken {
  absl::StatusOr<net::TlsSocket> client;
  absl::StatusOr<net::TlsSocket> server;
};
Handshaken Handshake(std::shared_ptr<const net::TlsContext> client_context,
                     std::shared_ptr<const net::TlsContext> server_context,
                     const net::TlsStreamOptions& client_options);

// Everything `s` reads until its end of stream (REQUIREs no error).
std::string ReadAllTls(net::TlsSocket& s);

// `n` bytes of a pattern that differs with `seed`.
std::string Pattern(std::size_t n, unsigned seed = 1);

// What a connection told: its data, end of stream, error.
struct Collected {
  std::string data;
  bool eof = false;
  absl::Status error;
  bool failed = false;
};
net::ConnectionCallbacks Collect(Collected& c);

// A TLS server on `loop`: each accepted socket becomes a TLS connection
// handed to `adopt` (which sets its callbacks), kept in `connections`.
struct LoopServer {
  LoopServer(net::EventLoop& loop, std::shared_ptr<const net::TlsContext> ctx,
             std::function<void(net::Connection&)> adopt,
             net::TlsStreamOptions options = {});

  std::unique_ptr<net::Listener> listener;
  std::vector<net::ConnectionPtr> connections;
  net::SocketAddress address;
};

// An echo that closes (close_notify, then close) after the peer's
// close_notify, with backpressure as examples/echo_handler.h. `closed`
// counts the connections it ended, by end of stream or error.
void Echo(net::Connection& c, std::size_t* closed = nullptr);

#ifndef _WIN32
// In a test that needs the openssl command: skips (with the reason) where
// there is none.
#define NET_REQUIRE_OPENSSL_CLI()                                    \
  do {                                                               \
    absl::Status available = net_test::OpensslAvailable();           \
    if (!available.ok()) NET_SKIP(std::string(available.message())); \
  } while (false)

// `openssl s_server` with `cert` and more options, listening on `host`.
std::unique_ptr<OpensslServer> StartServer(
    const TestCert& cert, std::vector<std::string> more = {},
    const std::string& host = "127.0.0.1");

// `s_client` options: verify against the test CA (failing the handshake if
// it does not verify), SNI "localhost".
std::vector<std::string> VerifyingClient(std::vector<std::string> more = {});
#endif

}  // namespace net_test

#endif  // NET_TESTS_TLS_TLS_TEST_UTIL_H_
