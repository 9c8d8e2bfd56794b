// Copyright 2026 The net Authors.
//
// TLS in process, on every OS: net's client against net's server over real
// loopback sockets, with the test PKI that tests/tls/test_ca.h generates.
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

namespace {

using net_test::GetTestPki;
using net_test::TestCert;

absl::Time Soon(absl::Duration d = absl::Seconds(10)) { return absl::Now() + d; }

std::shared_ptr<const net::TlsContext> ServerContext(
    const TestCert& cert, net::TlsServerOptions o = {}) {
  o.certificate_chain_pem = cert.cert_pem;
  o.private_key_pem = cert.key_pem;
  absl::StatusOr<std::shared_ptr<const net::TlsContext>> c =
      net::TlsContext::NewServer(o);
  NET_REQUIRE_OK(c);
  return *c;
}

// A client that trusts the test CA only.
std::shared_ptr<const net::TlsContext> ClientContext(
    net::TlsClientOptions o = {}) {
  if (o.ca_pem.empty() && o.ca_file.empty()) o.ca_pem = GetTestPki().ca.cert_pem;
  absl::StatusOr<std::shared_ptr<const net::TlsContext>> c =
      net::TlsContext::NewClient(o);
  NET_REQUIRE_OK(c);
  return *c;
}

net::TlsStreamOptions Named(std::string name) {
  net::TlsStreamOptions o;
  o.server_name = std::move(name);
  return o;
}

struct Handshaken {
  absl::StatusOr<net::TlsSocket> client;
  absl::StatusOr<net::TlsSocket> server;
};

// Both ends of one handshake over a loopback pair (the server on a thread).
Handshaken Handshake(std::shared_ptr<const net::TlsContext> client_context,
                     std::shared_ptr<const net::TlsContext> server_context,
                     const net::TlsStreamOptions& client_options) {
  auto [c, s] = net_test::TcpPair();
  std::optional<absl::StatusOr<net::TlsSocket>> server;
  std::thread t([&, s = std::move(s)]() mutable {
    server = net::TlsSocket::Server(std::move(s), server_context, {}, Soon());
  });
  absl::StatusOr<net::TlsSocket> client = net::TlsSocket::Client(
      std::move(c), client_context, client_options, Soon());
  t.join();
  return {std::move(client), std::move(*server)};
}

std::string ReadAllTls(net::TlsSocket& s) {
  std::string out;
  char buffer[16384];
  while (true) {
    absl::StatusOr<net::IoResult> r = s.Read(absl::MakeSpan(buffer), Soon());
    NET_REQUIRE_OK(r);
    if (r->end_of_stream()) return out;
    out.append(buffer, r->bytes());
  }
}

std::string Pattern(std::size_t n, unsigned seed = 1) {
  std::string s(n, '\0');
  for (std::size_t i = 0; i < n; ++i) {
    s[i] = static_cast<char>((i * 131 + seed * 7 + (i >> 12)) & 0xff);
  }
  return s;
}

TEST_CASE("a default client verifies the server and both learn what was settled") {
  const auto& pki = GetTestPki();
  Handshaken h = Handshake(ClientContext(), ServerContext(pki.leaf),
                           Named("localhost"));
  NET_REQUIRE_OK(h.client);
  NET_REQUIRE_OK(h.server);
  absl::StatusOr<net::TlsSessionInfo> ci = h.client->Info();
  NET_REQUIRE_OK(ci);
  CHECK_EQ(ci->version, "TLSv1.3");
  CHECK_EQ(ci->cipher.rfind("TLS_", 0), 0u);
  CHECK(ci->peer_verified);
  REQUIRE(ci->peer_certificate.has_value());
  CHECK_EQ(ci->peer_certificate->subject, "CN=localhost");
  CHECK_EQ(ci->peer_certificate->dns_names, std::vector<std::string>{"localhost"});
  CHECK_EQ(ci->peer_certificate->ip_addresses,
           (std::vector<std::string>{"127.0.0.1", "::1"}));
  CHECK_EQ(ci->peer_certificate->sha256_fingerprint.size(), 64u);
  CHECK(ci->peer_certificate->not_after > absl::Now());
  CHECK_NE(ci->peer_certificate->pem.find("BEGIN CERTIFICATE"),
           std::string::npos);
  absl::StatusOr<net::TlsSessionInfo> si = h.server->Info();
  NET_REQUIRE_OK(si);
  CHECK_EQ(si->server_name, "localhost");  // SNI was sent
  CHECK_FALSE(si->peer_certificate.has_value());
}

TEST_CASE("an IP literal is checked against the IP SANs and sent as no SNI") {
  const auto& pki = GetTestPki();
  Handshaken h =
      Handshake(ClientContext(), ServerContext(pki.leaf), Named("127.0.0.1"));
  NET_REQUIRE_OK(h.client);
  NET_REQUIRE_OK(h.server);
  CHECK_EQ(h.server->Info()->server_name, "");
  // A certificate without that IP fails as a name mismatch.
  Handshaken wrong = Handshake(ClientContext(), ServerContext(pki.other),
                               Named("127.0.0.1"));
  REQUIRE_FALSE(wrong.client.ok());
  CHECK_EQ(net::GetTlsError(wrong.client.status()),
           net::TlsError::kHostnameMismatch);
  CHECK_EQ(net::GetTlsVerifyResult(wrong.client.status()),
           std::optional<int>(64));  // X509_V_ERR_IP_ADDRESS_MISMATCH
}

TEST_CASE("the default client refuses bad servers, each with its TLS error") {
  const auto& pki = GetTestPki();
  struct Case {
    const char* what;
    const TestCert* cert;
    net::TlsError error;
    int verify;
  };
  const Case cases[] = {
      {"self-signed", &pki.self_signed, net::TlsError::kCertificateVerifyFailed, 18},
      {"expired", &pki.expired, net::TlsError::kCertificateVerifyFailed, 10},
      {"unknown CA", &pki.unknown_ca, net::TlsError::kCertificateVerifyFailed, 20},
      {"wrong host", &pki.wrong_host, net::TlsError::kHostnameMismatch, 62},
  };
  for (const Case& c : cases) {
    CAPTURE(c.what);
    Handshaken h =
        Handshake(ClientContext(), ServerContext(*c.cert), Named("localhost"));
    REQUIRE_FALSE(h.client.ok());
    CHECK_EQ(h.client.status().code(), absl::StatusCode::kUnauthenticated);
    CHECK_EQ(net::GetTlsError(h.client.status()), c.error);
    CHECK_EQ(net::GetTlsVerifyResult(h.client.status()),
             std::optional<int>(c.verify));
    // The server hears why: an alert (bad_certificate 42, unknown_ca 48,
    // certificate_expired 45).
    REQUIRE_FALSE(h.server.ok());
    CHECK_EQ(net::GetTlsError(h.server.status()), net::TlsError::kPeerAlert);
    CHECK(net::GetTlsAlert(h.server.status()).has_value());
  }
  // Only the option named insecure turns it off.
  net::TlsClientOptions insecure;
  insecure.insecure_skip_verification = true;
  Handshaken h = Handshake(ClientContext(insecure),
                           ServerContext(pki.self_signed), Named("localhost"));
  NET_CHECK_OK(h.client);
  if (h.client.ok()) CHECK_FALSE(h.client->Info()->peer_verified);
  // Verification on and no name to verify: refused before any I/O.
  Handshaken unnamed =
      Handshake(ClientContext(), ServerContext(pki.leaf), Named(""));
  CHECK_EQ(unnamed.client.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_CASE("the server's four verification modes accept and reject as cp_socket's") {
  const auto& pki = GetTestPki();
  net::TlsClientOptions with_cert;
  with_cert.certificate_chain_pem = pki.client.cert_pem;
  with_cert.private_key_pem = pki.client.key_pem;
  net::TlsClientOptions foreign_cert;  // signed by a CA the server does not know
  foreign_cert.certificate_chain_pem = pki.unknown_ca.cert_pem;
  foreign_cert.private_key_pem = pki.unknown_ca.key_pem;
  struct Case {
    net::TlsVerifyMode mode;
    bool without, with, foreign;  // accepted?
  };
  const Case cases[] = {
      {net::TlsVerifyMode::kNone, true, true, true},
      {net::TlsVerifyMode::kPeer, true, true, false},
      {net::TlsVerifyMode::kRequirePeer, false, true, false},
      {net::TlsVerifyMode::kPeerOnce, true, true, false},
  };
  for (const Case& c : cases) {
    CAPTURE(static_cast<int>(c.mode));
    net::TlsServerOptions so;
    so.verify = c.mode;
    so.ca_pem = pki.ca.cert_pem;
    auto server = ServerContext(pki.leaf, so);
    for (auto [client_options, accepted, has_cert] :
         {std::tuple{net::TlsClientOptions{}, c.without, false},
          std::tuple{with_cert, c.with, true},
          std::tuple{foreign_cert, c.foreign, true}}) {
      CAPTURE(has_cert);
      CAPTURE(accepted);
      Handshaken h = Handshake(ClientContext(client_options), server,
                               Named("localhost"));
      // TLS 1.3: the client finishes before the server judges its
      // certificate; the server's verdict is the one that counts.
      CHECK_EQ(h.server.ok(), accepted);
      if (!h.server.ok() && !has_cert) {
        CHECK_EQ(net::GetTlsError(h.server.status()),
                 net::TlsError::kNoPeerCertificate);
      }
      if (!h.server.ok() && has_cert) {
        CHECK_EQ(net::GetTlsError(h.server.status()),
                 net::TlsError::kCertificateVerifyFailed);
      }
      if (h.server.ok()) {
        absl::StatusOr<net::TlsSessionInfo> si = h.server->Info();
        NET_REQUIRE_OK(si);
        const bool asked = c.mode != net::TlsVerifyMode::kNone;
        CHECK_EQ(si->peer_certificate.has_value(), asked && has_cert);
        CHECK_EQ(si->peer_verified, asked && has_cert);
        if (asked && has_cert) {
          CHECK_EQ(si->peer_certificate->subject, "CN=net test client");
        }
      }
    }
  }
}

TEST_CASE("a blocking TLS stream moves bytes exactly, half-closes, and times out usably") {
  const auto& pki = GetTestPki();
  Handshaken h =
      Handshake(ClientContext(), ServerContext(pki.leaf), Named("localhost"));
  NET_REQUIRE_OK(h.client);
  NET_REQUIRE_OK(h.server);
  net::TlsSocket& client = *h.client;
  net::TlsSocket& server = *h.server;
  // A read with nothing to read times out, and the stream still works.
  char byte;
  absl::StatusOr<net::IoResult> idle =
      server.Read(absl::MakeSpan(&byte, 1), absl::Now() + absl::Milliseconds(50));
  CHECK_EQ(net::GetSocketError(idle.status()), net::SocketError::kTimedOut);
  const std::string data = Pattern(4 << 20);
  std::thread writer([&] {
    NET_CHECK_OK(client.Write(data, Soon()));
    NET_CHECK_OK(client.ShutdownWrite(Soon()));  // close_notify, then FIN
  });
  CHECK(ReadAllTls(server) == data);
  writer.join();
  // Half-closed: the server can still answer, the client still reads.
  NET_REQUIRE_OK(server.Write("after your close_notify", Soon()));
  NET_REQUIRE_OK(server.Close(Soon()));
  CHECK_EQ(ReadAllTls(client), "after your close_notify");
  NET_CHECK_OK(client.Close(Soon()));
}

TEST_CASE("a write that times out can be finished later with the rest") {
  const auto& pki = GetTestPki();
  Handshaken h =
      Handshake(ClientContext(), ServerContext(pki.leaf), Named("localhost"));
  NET_REQUIRE_OK(h.client);
  NET_REQUIRE_OK(h.server);
  const std::string data = Pattern(32 << 20, 3);
  std::size_t written = 0;
  // Nobody reads: the socket buffers fill and the deadline passes.
  absl::Status s = h.client->Write(data, absl::Now() + absl::Milliseconds(200),
                                   &written);
  REQUIRE_EQ(net::GetSocketError(s), net::SocketError::kTimedOut);
  CHECK_GT(written, 0u);
  CHECK_LT(written, data.size());
  std::string got;
  std::thread reader([&] {
    got = ReadAllTls(*h.server);
    NET_CHECK_OK(h.server->Close(Soon()));
  });
  NET_CHECK_OK(h.client->Write(absl::string_view(data).substr(written), Soon()));
  NET_CHECK_OK(h.client->Close(Soon()));
  reader.join();
  CHECK(got == data);
}

TEST_CASE("context options that are wrong fail with a configuration error") {
  const auto& pki = GetTestPki();
  auto error_of = [](const net::TlsServerOptions& o) {
    return net::TlsContext::NewServer(o).status();
  };
  net::TlsServerOptions o;
  o.certificate_chain_pem = pki.leaf.cert_pem;
  o.private_key_pem = pki.other.key_pem;  // not the certificate's key
  CHECK_EQ(net::GetTlsError(error_of(o)), net::TlsError::kConfiguration);
  o.private_key_pem = pki.encrypted_key_pem;  // no password
  CHECK_EQ(net::GetTlsError(error_of(o)), net::TlsError::kConfiguration);
  o.private_key_password = "not it";
  CHECK_EQ(net::GetTlsError(error_of(o)), net::TlsError::kConfiguration);
  o.private_key_password = pki.key_password;
  NET_CHECK_OK(error_of(o));
  net::TlsServerOptions files;
  files.certificate_chain_file = pki.leaf.cert_file;
  files.private_key_file = pki.encrypted_key_file;
  files.private_key_password = pki.key_password;
  NET_CHECK_OK(error_of(files));
  files.certificate_chain_file = pki.dir + "/no such file.pem";
  absl::Status missing = error_of(files);
  CHECK_EQ(net::GetTlsError(missing), net::TlsError::kConfiguration);
  CHECK_NE(missing.message().find("no such file.pem"), absl::string_view::npos);
  CHECK_EQ(net::TlsContext::NewServer({}).status().code(),
           absl::StatusCode::kFailedPrecondition);
  net::TlsClientOptions c;
  c.ca_pem = "not PEM at all";
  CHECK_EQ(net::GetTlsError(net::TlsContext::NewClient(c).status()),
           net::TlsError::kConfiguration);
  c = {};
  c.cipher_suites = "NO_SUCH_SUITE";
  CHECK_EQ(net::GetTlsError(net::TlsContext::NewClient(c).status()),
           net::TlsError::kConfiguration);
  c = {};
  c.min_version = net::TlsVersion::kTls1_3;
  c.max_version = net::TlsVersion::kTls1_2;
  CHECK_EQ(net::GetTlsError(net::TlsContext::NewClient(c).status()),
           net::TlsError::kConfiguration);
  c = {};
  c.alpn = {std::string(256, 'x')};
  CHECK_EQ(net::GetTlsError(net::TlsContext::NewClient(c).status()),
           net::TlsError::kConfiguration);
}

TEST_CASE("versions, ALPN and SNI are negotiated as configured") {
  const auto& pki = GetTestPki();
  // TLS 1.2 when the client offers no more; no common version fails.
  net::TlsClientOptions tls12;
  tls12.max_version = net::TlsVersion::kTls1_2;
  Handshaken h = Handshake(ClientContext(tls12), ServerContext(pki.leaf),
                           Named("localhost"));
  NET_REQUIRE_OK(h.client);
  CHECK_EQ(h.client->Info()->version, "TLSv1.2");
  net::TlsServerOptions only13;
  only13.min_version = net::TlsVersion::kTls1_3;
  h = Handshake(ClientContext(tls12), ServerContext(pki.leaf, only13),
                Named("localhost"));
  REQUIRE_FALSE(h.client.ok());
  CHECK_EQ(net::GetTlsError(h.client.status()), net::TlsError::kProtocolVersion);
  CHECK_EQ(net::GetTlsError(h.server.status()), net::TlsError::kProtocolVersion);

  // ALPN: the server's preference among what the client offers.
  net::TlsClientOptions alpn;
  alpn.alpn = {"h2", "http/1.1"};
  net::TlsServerOptions server_alpn;
  server_alpn.alpn = {"http/1.1", "h2"};
  h = Handshake(ClientContext(alpn), ServerContext(pki.leaf, server_alpn),
                Named("localhost"));
  NET_REQUIRE_OK(h.client);
  CHECK_EQ(h.client->Info()->alpn, "http/1.1");
  CHECK_EQ(h.server->Info()->alpn, "http/1.1");
  server_alpn.alpn = {"imap"};
  h = Handshake(ClientContext(alpn), ServerContext(pki.leaf, server_alpn),
                Named("localhost"));
  REQUIRE_FALSE(h.server.ok());
  CHECK_EQ(net::GetTlsError(h.server.status()),
           net::TlsError::kNoApplicationProtocol);
  CHECK_EQ(net::GetTlsError(h.client.status()),
           net::TlsError::kNoApplicationProtocol);

  // SNI picks the certificate (and a wildcard matches one label).
  net::TlsServerOptions sni;
  sni.sni_contexts = {{"other.test", ServerContext(pki.other)},
                      {"*.wild.test", ServerContext(pki.other)}};
  auto server = ServerContext(pki.leaf, sni);
  for (const char* name : {"other.test", "a.wild.test", "localhost"}) {
    CAPTURE(name);
    h = Handshake(ClientContext(), server, Named(name));
    NET_REQUIRE_OK(h.client);
    const std::string subject = h.client->Info()->peer_certificate->subject;
    CHECK_EQ(subject, std::string(name) == "localhost" ? "CN=localhost"
                                                       : "CN=other.test");
  }
  h = Handshake(ClientContext(), server, Named("a.b.wild.test"));
  CHECK_EQ(net::GetTlsError(h.client.status()), net::TlsError::kHostnameMismatch);
}

TEST_CASE("a key log sees the secrets of both ends") {
  const auto& pki = GetTestPki();
  std::atomic<int> lines{0};
  net::TlsClientOptions o;
  o.key_log = [&](absl::string_view line) {
    if (line.find("TRAFFIC_SECRET") != absl::string_view::npos) ++lines;
  };
  Handshaken h =
      Handshake(ClientContext(o), ServerContext(pki.leaf), Named("localhost"));
  NET_REQUIRE_OK(h.client);
  CHECK_GE(lines.load(), 2);
}

// --- On the event loop ----------------------------------------------------------

struct Collected {
  std::string data;
  bool eof = false;
  absl::Status error;
  bool failed = false;
};

net::ConnectionCallbacks Collect(Collected& c) {
  net::ConnectionCallbacks cb;
  cb.on_data = [&c](net::Connection&, absl::string_view d) {
    c.data.append(d.data(), d.size());
    return d.size();
  };
  cb.on_end_of_stream = [&c](net::Connection&) { c.eof = true; };
  cb.on_error = [&c](net::Connection&, const absl::Status& s) {
    c.error = s;
    c.failed = true;
  };
  return cb;
}

// A TLS server on the loop: each accepted socket becomes a TLS connection
// given to `adopt`.
struct LoopServer {
  std::unique_ptr<net::Listener> listener;
  std::vector<net::ConnectionPtr> connections;
  net::SocketAddress address;

  LoopServer(net::EventLoop& loop, std::shared_ptr<const net::TlsContext> ctx,
             std::function<void(net::Connection&)> adopt,
             net::TlsStreamOptions options = {}) {
    absl::StatusOr<std::unique_ptr<net::Listener>> l = net::Listener::Bind(
        loop, *net::SocketAddress::Parse("127.0.0.1:0"),
        [this, &loop, ctx, adopt, options](net::Socket s,
                                           const net::SocketAddress&) {
          absl::StatusOr<net::ConnectionPtr> c =
              net::NewTlsConnection(loop, std::move(s), ctx, options);
          NET_REQUIRE_OK(c);
          adopt(**c);
          connections.push_back(*std::move(c));
        });
    NET_REQUIRE_OK(l);
    listener = *std::move(l);
    address = *listener->LocalAddress();
  }
};

// An echo that closes (close_notify, then close) after the peer's
// close_notify; backpressure as examples/echo_handler.h. `closed` counts
// the connections it ended, by end of stream or error.
void Echo(net::Connection& c, std::size_t* closed = nullptr) {
  net::ConnectionCallbacks cb;
  cb.on_data = [](net::Connection& conn, absl::string_view d) {
    if (!conn.Write(d)) conn.PauseReading();
    return d.size();
  };
  cb.on_drain = [](net::Connection& conn) { conn.ResumeReading(); };
  cb.on_end_of_stream = [closed](net::Connection& conn) {
    conn.Close();
    if (closed != nullptr) ++*closed;
  };
  cb.on_error = [closed](net::Connection&, const absl::Status&) {
    if (closed != nullptr) ++*closed;
  };
  c.SetCallbacks(std::move(cb));
}

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

TEST_CASE("a KeyUpdate mid-stream is answered and the stream goes on") {
  const auto& pki = GetTestPki();
  Handshaken h =
      Handshake(ClientContext(), ServerContext(pki.leaf), Named("localhost"));
  NET_REQUIRE_OK(h.client);
  NET_REQUIRE_OK(h.server);
  for (int round = 0; round < 3; ++round) {
    REQUIRE_EQ(SSL_key_update(net::NativeSsl(*h.client),
                              SSL_KEY_UPDATE_REQUESTED), 1);
    NET_REQUIRE_OK(h.client->Write("after update", Soon()));
    char buffer[64];
    absl::StatusOr<net::IoResult> r = h.server->Read(absl::MakeSpan(buffer), Soon());
    NET_REQUIRE_OK(r);
    CHECK_EQ(std::string(buffer, r->bytes()), "after update");
    NET_REQUIRE_OK(h.server->Write("reply", Soon()));
    r = h.client->Read(absl::MakeSpan(buffer), Soon());
    NET_REQUIRE_OK(r);
    CHECK_EQ(std::string(buffer, r->bytes()), "reply");
  }
}

TEST_CASE("one context serves handshakes on many threads at once") {
  const auto& pki = GetTestPki();
  auto server = ServerContext(pki.leaf);
  auto client = ClientContext();
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10; ++i) {
        Handshaken h = Handshake(client, server, Named("localhost"));
        if (h.client.ok() && h.server.ok()) ++ok;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  CHECK_EQ(ok.load(), 40);
}

}  // namespace

namespace {

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

namespace {

void SetEnv(const char* name, const char* value) {
#ifdef _WIN32
  _putenv_s(name, value == nullptr ? "" : value);
#else
  if (value == nullptr) {
    unsetenv(name);
  } else {
    setenv(name, value, 1);
  }
#endif
}

// "The system's trust" is OpenSSL's default verify paths (which honour
// SSL_CERT_FILE) on every OS, plus, on Windows, the ROOT store that net
// imports because OpenSSL does not read it by itself.
TEST_CASE("a client with no CA option uses the system's trust") {
  const auto& pki = GetTestPki();
  auto server = ServerContext(pki.leaf);
  // The test CA is not in the system's store: refused.
  absl::StatusOr<std::shared_ptr<const net::TlsContext>> plain =
      net::TlsContext::NewClient({});
  NET_REQUIRE_OK(plain);
  Handshaken h = Handshake(*plain, server, Named("localhost"));
  CHECK_EQ(net::GetTlsError(h.client.status()),
           net::TlsError::kCertificateVerifyFailed);
  // Made the default (SSL_CERT_FILE) it is trusted.
  SetEnv("SSL_CERT_FILE", pki.ca_file.c_str());
  absl::StatusOr<std::shared_ptr<const net::TlsContext>> with_env =
      net::TlsContext::NewClient({});
  SetEnv("SSL_CERT_FILE", nullptr);
  NET_REQUIRE_OK(with_env);
  h = Handshake(*with_env, server, Named("localhost"));
  NET_CHECK_OK(h.client);
#ifdef _WIN32
  X509_STORE* store = SSL_CTX_get_cert_store(net::NativeSslContext(**plain));
  const int roots = sk_X509_OBJECT_num(X509_STORE_get0_objects(store));
  if (roots == 0) {
    net_test::PrintSkip("the Windows ROOT store is empty here");
    return;
  }
  CHECK_GT(roots, 0);
#endif
}

}  // namespace
