// Copyright 2026 The net Authors.
//
// TLS in process, on every OS: net's client against net's server over real
// loopback sockets, with the test PKI that tests/tls/test_ca.h generates.
// Contexts, blocking streams, errors, options. The TLS connection on the
// event loop is tests/contract/tls_connection_test.cc (every backend).
// The same checks against `openssl s_server` / `s_client` processes are
// tests/posix/tls_peer_test.cc.

#include <openssl/pem.h>
#include <openssl/x509.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
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

TEST_CASE("a blocking handshake with a silent peer ends at its deadline") {
  const auto& pki = GetTestPki();
  auto [c, quiet] = net_test::TcpPair();
  const absl::Time start = absl::Now();
  absl::StatusOr<net::TlsSocket> server = net::TlsSocket::Server(
      std::move(quiet), ServerContext(pki.leaf), {},
      absl::Now() + absl::Milliseconds(200));
  REQUIRE_FALSE(server.ok());
  CHECK_GE(absl::Now() - start, absl::Milliseconds(150));
  CHECK_EQ(net::GetTlsError(server.status()), net::TlsError::kHandshakeTimeout);
  CHECK_EQ(net::GetSocketError(server.status()), net::SocketError::kTimedOut);
  // The socket was closed: the silent peer reads the end.
  char byte;
  absl::StatusOr<net::IoResult> r = c.Receive(absl::MakeSpan(&byte, 1));
  NET_REQUIRE_OK(r);
  CHECK(r->end_of_stream());
}

TEST_CASE("closing waits for the peer's close_notify no longer than close_notify_timeout") {
  const auto& pki = GetTestPki();
  net::TlsStreamOptions o = Named("localhost");
  o.close_notify_timeout = absl::Milliseconds(200);
  Handshaken h = Handshake(ClientContext(), ServerContext(pki.leaf), o);
  NET_REQUIRE_OK(h.client);
  NET_REQUIRE_OK(h.server);
  // The server never answers our close_notify (it neither reads nor closes).
  const absl::Time start = absl::Now();
  NET_CHECK_OK(h.client->Close(absl::InfiniteFuture()));
  const absl::Duration took = absl::Now() - start;
  CHECK_GE(took, absl::Milliseconds(150));
  CHECK_LT(took, absl::Seconds(5));
  CHECK_FALSE(h.client->is_open());
  // The server reads our close_notify as the end of the stream.
  char byte;
  absl::StatusOr<net::IoResult> r = h.server->Read(absl::MakeSpan(&byte, 1), Soon());
  NET_REQUIRE_OK(r);
  CHECK(r->end_of_stream());
}

TEST_CASE("trust from a hashed CA directory, and a chosen TLS 1.3 suite") {
  const auto& pki = GetTestPki();
  // A c_rehash-style directory: the CA as <subject hash>.0.
  const std::string dir = pki.dir + "/hashed";
  BIO* in = BIO_new_mem_buf(pki.ca.cert_pem.data(),
                            static_cast<int>(pki.ca.cert_pem.size()));
  X509* ca = PEM_read_bio_X509(in, nullptr, nullptr, nullptr);
  BIO_free(in);
  REQUIRE(ca != nullptr);
  char name[32];
  std::snprintf(name, sizeof(name), "/%08lx.0", X509_subject_name_hash(ca));
  X509_free(ca);
  std::filesystem::create_directories(dir);
  std::ofstream(dir + name, std::ios::binary) << pki.ca.cert_pem;
  net::TlsClientOptions o;
  o.ca_directory = dir;
  o.cipher_suites = "TLS_AES_256_GCM_SHA384";
  Handshaken h = Handshake(ClientContext(o), ServerContext(pki.leaf),
                           Named("localhost"));
  NET_REQUIRE_OK(h.client);
  CHECK_EQ(h.client->Info()->cipher, "TLS_AES_256_GCM_SHA384");
  CHECK(h.client->Info()->peer_verified);
  // The same directory without the CA in it: unknown issuer.
  net::TlsClientOptions empty;
  empty.ca_directory = pki.dir + "/no-such-directory";
  h = Handshake(ClientContext(empty), ServerContext(pki.leaf), Named("localhost"));
  CHECK_EQ(net::GetTlsVerifyResult(h.client.status()), std::optional<int>(20));
}

}  // namespace
