// Copyright 2026 The net Authors.
//
// TLS against real peers (POSIX): net's client against `openssl s_server`
// and net's server against `openssl s_client`, child processes from
// tests/tls/openssl_peer.h (whose header says what the tools do), with the
// test PKI of tests/tls/test_ca.h. The same ground net against net is
// tests/contract/tls_test.cc; this file checks that what net does is what a
// foreign TLS stack sees and accepts: verification failures, SNI on the wire,
// client certificates, renegotiation refused, KeyUpdates, resumption,
// truncation, 1-byte TCP segments, and 64 MiB exact.
//
// Every test is bounded (waits of a few seconds at most) and skips with
// "[net-skip]" when there is no `openssl` command. Plaintext or garbage on
// net's TLS port needs no foreign TLS stack: tests/contract/tls_test.cc has
// it.
//
// What the real peers do that the assertions below rely on (OpenSSL 3.0.19):
//   * s_server -servername X -cert2 ... -key2 ... prints "Hostname in TLS
//     extension: "<name>"" for every SNI received, and nothing without one.
//   * A HelloRequest (s_server's R under TLS 1.2) to net's client is answered
//     with a no_renegotiation warning, which s_server 3.0 takes as fatal: it
//     ends the connection with handshake_failure (40). The same the other
//     way round: net's server refuses s_client's R with the warning, and
//     s_client ends with handshake_failure.
//   * TLS 1.1 works in OpenSSL 3.0 at security level 0 only
//     (-cipher DEFAULT:@SECLEVEL=0); s_server -tls1_1 answers a TLS 1.2+
//     hello with protocol_version (70) and prints "unsupported protocol".

#include <poll.h>

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "doctest/doctest.h"
#include "net/net.h"
#include "net/tls.h"
#include "tests/test_util.h"
#include "tests/tls/openssl_peer.h"
#include "tests/tls/test_ca.h"
#include "tests/tls/tls_test_util.h"

namespace {

using net_test::ClientContext;
using net_test::Collect;
using net_test::Collected;
using net_test::GetTestPki;
using net_test::StartServer;
using net_test::VerifyingClient;
using net_test::OpensslClient;
using net_test::OpensslProcess;
using net_test::OpensslServer;
using net_test::ProcessResult;
using net_test::ServerContext;
using net_test::Soon;
using net_test::TestCert;

constexpr absl::Duration kWait = absl::Seconds(5);

bool Contains(const std::string& text, absl::string_view needle,
              std::size_t from = 0) {
  return text.find(needle.data(), from, needle.size()) != std::string::npos;
}

// --- Contexts and peers
// -------------------------------------------------------

std::vector<std::string> ClientCertificate() {
  return {"-cert", GetTestPki().client.cert_file, "-key",
          GetTestPki().client.key_file};
}

net::SocketAddress Loopback(int port, const std::string& host = "127.0.0.1") {
  absl::StatusOr<net::IpAddress> ip = net::IpAddress::Parse(host);
  REQUIRE(ip.ok());
  return net::SocketAddress(*ip, static_cast<std::uint16_t>(port));
}

// A blocking TCP socket connected to `host`:`port`.
net::Socket ConnectTo(int port, const std::string& host = "127.0.0.1") {
  net::Socket s = net_test::OpenSocket(
      host == "::1" ? net::AddressFamily::kIPv6 : net::AddressFamily::kIPv4);
  NET_REQUIRE_OK(s.Connect(Loopback(port, host), kWait));
  return s;
}

// net's blocking client: TCP to `host`:`port`, then the TLS handshake,
// verifying (and sending as SNI, unless an IP literal) `name`.
absl::StatusOr<net::TlsSocket> TlsClient(
    int port, const std::string& name,
    std::shared_ptr<const net::TlsContext> context = ClientContext(),
    net::TlsStreamOptions options = {}, const std::string& host = "127.0.0.1") {
  options.server_name = name;
  return net::TlsSocket::Client(ConnectTo(port, host), std::move(context),
                                options, Soon());
}

// Reads from `s` until `want` has arrived (or an error, EOF or the
// deadline); returns what was read.
std::string ReadUntil(net::TlsSocket& s, absl::string_view want,
                      absl::Status* error = nullptr) {
  std::string got;
  char buffer[4096];
  const absl::Time deadline = Soon();
  while (!Contains(got, want)) {
    absl::StatusOr<net::IoResult> r = s.Read(absl::MakeSpan(buffer), deadline);
    if (!r.ok()) {
      if (error != nullptr) *error = r.status();
      break;
    }
    if (r->end_of_stream()) break;
    got.append(buffer, r->bytes());
  }
  return got;
}

// --- net's client on a loop
// -----------------------------------------------------

class LoopClient {
 public:
  LoopClient() : loop_(net_test::NewLoop()) {}
  LoopClient(const LoopClient&) = delete;
  LoopClient& operator=(const LoopClient&) = delete;
  ~LoopClient() {
    connection.reset();
    pending_.reset();
  }

  // Connects to `host`:`port` and runs the loop until the handshake's
  // outcome. On success the connection collects into `got` (unless
  // `callbacks` are given) and `then` runs.
  absl::Status Connect(const std::string& host, int port,
                       std::shared_ptr<const net::TlsContext> context,
                       net::TlsStreamOptions options = {},
                       std::function<void(net::Connection&)> then = nullptr,
                       std::optional<net::ConnectionCallbacks> callbacks = {}) {
    std::optional<absl::Status> result;
    net::ConnectOptions co;
    co.timeout = kWait;
    options.handshake_timeout = kWait;
    pending_ = net::ConnectTls(
        *loop_, host, static_cast<std::uint16_t>(port), std::move(context), co,
        options, [&](absl::StatusOr<net::ConnectionPtr> c) {
          result = c.status();
          if (!c.ok()) return;
          connection = *std::move(c);
          connection->SetCallbacks(callbacks.has_value() ? std::move(*callbacks)
                                                         : Collect(got));
          if (then) then(*connection);
        });
    if (!RunUntil([&] { return result.has_value(); }, absl::Seconds(10))) {
      pending_.reset();  // no callback into this frame later
      return absl::DeadlineExceededError("ConnectTls never called back");
    }
    return *result;
  }

  template <typename Done>
  bool RunUntil(Done done, absl::Duration limit = kWait) {
    return net_test::RunUntil(*loop_, done, limit);
  }

  net::EventLoop& loop() { return *loop_; }

  net::ConnectionPtr connection;
  Collected got;

 private:
  std::unique_ptr<net::EventLoop> loop_;
  std::unique_ptr<net::PendingConnect> pending_;
};

// --- net's server on a thread
// ----------------------------------------------------

// A TLS echo server (`NewTlsConnection()` on a `Listener`) whose loop runs
// on a thread of its own, so that the test's thread can drive s_client.
// It records, per connection, what it received, what the handshake
// settled (at the first data) and how the connection ended.
class NetEchoServer {
 public:
  struct Record {
    std::string received;
    std::optional<net::TlsSessionInfo> info;  // at the first data
    bool end_of_stream = false;               // the peer's close_notify
    bool failed = false;
    absl::Status error;
    bool ended() const { return end_of_stream || failed; }
  };

  explicit NetEchoServer(std::shared_ptr<const net::TlsContext> context,
                         net::TlsStreamOptions options = {})
      : loop_(net_test::NewLoop()),
        context_(std::move(context)),
        options_(options) {
    absl::StatusOr<std::unique_ptr<net::Listener>> l = net::Listener::Bind(
        *loop_, Loopback(0), [this](net::Socket s, const net::SocketAddress&) {
          Accept(std::move(s));
        });
    NET_REQUIRE_OK(l);
    listener_ = *std::move(l);
    absl::StatusOr<net::SocketAddress> address = listener_->LocalAddress();
    NET_REQUIRE_OK(address);
    port_ = address->port();
    thread_ = std::thread([this] { run_status_ = loop_->Run(); });
  }

  NetEchoServer(const NetEchoServer&) = delete;
  NetEchoServer& operator=(const NetEchoServer&) = delete;

  ~NetEchoServer() {
    loop_->Post([this] {
      connections_.clear();
      listener_.reset();
      loop_->Stop();
    });
    thread_.join();
    NET_CHECK_OK(run_status_);
  }

  int port() const { return port_; }

  std::vector<Record> Records() const {
    absl::MutexLock lock(&mu_);
    return records_;
  }

  // Waits until `done(records)` (called under the lock) or `timeout`.
  template <typename Done>
  bool WaitFor(Done done, absl::Duration timeout = kWait) const {
    const absl::Time deadline = absl::Now() + timeout;
    while (true) {
      {
        absl::MutexLock lock(&mu_);
        if (done(records_)) return true;
      }
      if (absl::Now() >= deadline) return false;
      absl::SleepFor(absl::Milliseconds(2));
    }
  }

  // Waits until connection `i` (0-based, in accept order) has ended.
  bool WaitEnded(std::size_t i, absl::Duration timeout = kWait) const {
    return WaitFor(
        [i](const std::vector<Record>& r) {
          return r.size() > i && r[i].ended();
        },
        timeout);
  }

 private:
  // On the loop's thread. No doctest REQUIRE here (it would throw on the
  // wrong thread): failures are recorded.
  void Accept(net::Socket s) {
    std::size_t index;
    {
      absl::MutexLock lock(&mu_);
      index = records_.size();
      records_.emplace_back();
    }
    absl::StatusOr<net::ConnectionPtr> c =
        net::NewTlsConnection(*loop_, std::move(s), context_, options_);
    if (!c.ok()) {
      absl::MutexLock lock(&mu_);
      records_[index].failed = true;
      records_[index].error = c.status();
      return;
    }
    net::ConnectionCallbacks cb;
    cb.on_data = [this, index](net::Connection& conn, absl::string_view d) {
      {
        absl::MutexLock lock(&mu_);
        Record& r = records_[index];
        if (!r.info.has_value()) {
          absl::StatusOr<net::TlsSessionInfo> info = net::GetTlsInfo(conn);
          if (info.ok()) r.info = *std::move(info);
        }
        r.received.append(d.data(), d.size());
      }
      if (!conn.Write(d) && conn.can_write()) conn.PauseReading();
      return d.size();
    };
    cb.on_drain = [](net::Connection& conn) { conn.ResumeReading(); };
    cb.on_end_of_stream = [this, index](net::Connection& conn) {
      {
        absl::MutexLock lock(&mu_);
        records_[index].end_of_stream = true;
      }
      conn.Close();  // the echo, then close_notify
    };
    cb.on_error = [this, index](net::Connection&, const absl::Status& error) {
      absl::MutexLock lock(&mu_);
      records_[index].failed = true;
      records_[index].error = error;
    };
    (*c)->SetCallbacks(std::move(cb));
    connections_.push_back(*std::move(c));
  }

  std::unique_ptr<net::EventLoop> loop_;
  std::shared_ptr<const net::TlsContext> context_;
  net::TlsStreamOptions options_;
  std::unique_ptr<net::Listener> listener_;
  std::vector<net::ConnectionPtr> connections_;  // loop thread only
  int port_ = 0;
  std::thread thread_;
  absl::Status run_status_;

  mutable absl::Mutex mu_;
  std::vector<Record> records_;  // guarded by mu_
};

// Lines of text that s_client / s_server take as data, not commands (none
// starts with one of their command letters), ending with `trailer`.
std::string TextLines(std::size_t bytes, absl::string_view trailer) {
  std::string out;
  for (std::size_t i = 0; out.size() + trailer.size() < bytes; ++i) {
    absl::StrAppend(&out, absl::StrFormat("%06d ", i % 1000000));
    for (std::size_t j = 0; j < 63; ++j) {
      out.push_back(static_cast<char>('a' + (i * 7 + j * 3) % 26));
    }
    out.push_back('\n');
  }
  out.resize(bytes - trailer.size(), '-');
  out.append(trailer.data(), trailer.size());
  return out;
}

// ============================================================================
// a. net's default client against s_server.

TEST_CASE(
    "net's client refuses s_server's bad certificates, each with its TLS "
    "error") {
  NET_REQUIRE_OPENSSL_CLI();
  const auto& pki = GetTestPki();
  struct Case {
    const char* what;
    const TestCert* cert;
    net::TlsError error;
    int verify;
    const char* reason;  // X509_verify_cert_error_string()
    const char* alert;   // what s_server hears from net's client
  };
  const Case cases[] = {
      {"self-signed", &pki.self_signed, net::TlsError::kCertificateVerifyFailed,
       18, "self-signed certificate", "SSL alert number 48"},
      {"expired", &pki.expired, net::TlsError::kCertificateVerifyFailed, 10,
       "certificate has expired", "SSL alert number 45"},
      {"unknown CA", &pki.unknown_ca, net::TlsError::kCertificateVerifyFailed,
       20, "unable to get local issuer certificate", "SSL alert number 48"},
      {"wrong host", &pki.wrong_host, net::TlsError::kHostnameMismatch, 62,
       "hostname mismatch", "SSL alert number 42"},
  };
  auto client = ClientContext();
  for (const Case& c : cases) {
    CAPTURE(std::string(c.what));
    std::unique_ptr<OpensslServer> server = StartServer(*c.cert);
    auto check = [&](const absl::Status& s) {
      CAPTURE(s);
      CHECK_EQ(s.code(), absl::StatusCode::kUnauthenticated);
      CHECK_EQ(net::GetTlsError(s), c.error);
      CHECK_EQ(net::GetTlsVerifyResult(s), std::optional<int>(c.verify));
      CHECK(Contains(std::string(s.message()), c.reason));
    };
    // Blocking, over a connected socket.
    std::size_t mark = server->output().size();
    absl::StatusOr<net::TlsSocket> s =
        TlsClient(server->port(), "localhost", client);
    REQUIRE_FALSE(s.ok());
    check(s.status());
    // s_server heard why, as a fatal alert from net's client.
    CHECK(server->WaitForOutput(c.alert, kWait, mark));
    // On a loop: ConnectTls verifies the host it connects to.
    mark = server->output().size();
    LoopClient lc;
    absl::Status connected = lc.Connect("localhost", server->port(), client);
    REQUIRE_FALSE(connected.ok());
    check(connected);
    CHECK(server->WaitForOutput(c.alert, kWait, mark));
  }
}

TEST_CASE(
    "net's client refuses a TLS 1.1-only s_server with a protocol version "
    "error") {
  NET_REQUIRE_OPENSSL_CLI();
  // OpenSSL 3.0 allows TLS 1.1 at security level 0 only.
  std::unique_ptr<OpensslServer> server = StartServer(
      GetTestPki().leaf, {"-tls1_1", "-cipher", "DEFAULT:@SECLEVEL=0"});
  // The server does speak TLS 1.1 to a client that offers it.
  absl::StatusOr<ProcessResult> old = OpensslClient::Run(
      server->port(), {"-tls1_1", "-cipher", "DEFAULT:@SECLEVEL=0"}, "", kWait);
  NET_REQUIRE_OK(old);
  CHECK(Contains(old->out, "Protocol  : TLSv1.1"));
  CHECK(Contains(old->out, "Cipher is ECDHE-ECDSA-"));

  auto check = [](const absl::Status& s) {
    CAPTURE(s);
    CHECK_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
    CHECK_EQ(net::GetTlsError(s), net::TlsError::kProtocolVersion);
    // s_server answered the TLS 1.2-1.3 hello with protocol_version.
    CHECK_EQ(net::GetTlsAlert(s), std::optional<int>(70));
  };
  std::size_t mark = server->output().size();
  absl::StatusOr<net::TlsSocket> s = TlsClient(server->port(), "localhost");
  REQUIRE_FALSE(s.ok());
  check(s.status());
  CHECK(server->WaitForOutput("unsupported protocol", kWait, mark));
  LoopClient lc;
  absl::Status connected =
      lc.Connect("127.0.0.1", server->port(), ClientContext());
  REQUIRE_FALSE(connected.ok());
  check(connected);
}

TEST_CASE(
    "net verifies s_server by IP SAN for an IP literal and sends SNI for names "
    "only") {
  NET_REQUIRE_OPENSSL_CLI();
  const auto& pki = GetTestPki();
  // -servername with a second certificate makes s_server print each SNI it
  // receives ("Hostname in TLS extension: "..."") during the handshake,
  // before the data that follows.
  std::unique_ptr<OpensslServer> server =
      StartServer(pki.leaf, {"-servername", "localhost", "-cert2",
                             pki.leaf.cert_file, "-key2", pki.leaf.key_file});
  if (!server->line_buffered()) {
    NET_SKIP("no stdbuf: s_server's SNI line is not seen in order");
  }
  auto client = ClientContext();
  constexpr absl::string_view kSni = "Hostname in TLS extension";
  // Sends `line` and returns what s_server printed for this connection up
  // to it.
  auto printed_up_to = [&](const std::string& line, std::size_t mark) {
    REQUIRE(server->WaitForOutput(line, kWait, mark));
    const std::string out = server->output();
    return out.substr(mark, out.find(line, mark) - mark);
  };
  {
    std::size_t mark = server->output().size();
    absl::StatusOr<net::TlsSocket> s =
        TlsClient(server->port(), "127.0.0.1", client);
    NET_REQUIRE_OK(s);
    absl::StatusOr<net::TlsSessionInfo> info = s->Info();
    NET_REQUIRE_OK(info);
    CHECK(info->peer_verified);
    CHECK_EQ(info->server_name, "");
    NET_REQUIRE_OK(s->Write("by address, blocking\n", Soon()));
    const std::string seen = printed_up_to("by address, blocking\n", mark);
    CHECK_FALSE(Contains(seen, kSni));
    CHECK(Contains(seen, "CIPHER is"));  // the handshake is in what we saw
  }
  {
    std::size_t mark = server->output().size();
    absl::StatusOr<net::TlsSocket> s =
        TlsClient(server->port(), "localhost", client);
    NET_REQUIRE_OK(s);
    CHECK_EQ(s->Info()->server_name, "localhost");
    NET_REQUIRE_OK(s->Write("by name, blocking\n", Soon()));
    const std::string seen = printed_up_to("by name, blocking\n", mark);
    CHECK(Contains(seen, absl::StrCat(kSni, ": \"localhost\"")));
  }
  // ConnectTls: the host connected to is what is verified and sent.
  for (const char* host : {"127.0.0.1", "localhost"}) {
    CAPTURE(std::string(host));
    std::size_t mark = server->output().size();
    LoopClient lc;
    const std::string line = absl::StrCat("on a loop to ", host, "\n");
    NET_REQUIRE_OK(lc.Connect(host, server->port(), client, {},
                              [&](net::Connection& c) { c.Write(line); }));
    absl::StatusOr<net::TlsSessionInfo> info = net::GetTlsInfo(*lc.connection);
    NET_REQUIRE_OK(info);
    CHECK(info->peer_verified);
    const bool literal = std::string(host) == "127.0.0.1";
    CHECK_EQ(info->server_name, literal ? "" : host);
    REQUIRE(
        lc.RunUntil([&] { return Contains(server->output(), line, mark); }));
    const std::string seen = printed_up_to(line, mark);
    CHECK_EQ(Contains(seen, kSni), !literal);
  }
  // IPv6: ::1 against the IP SAN ::1.
  if (net_test::HaveIPv6()) {
    std::unique_ptr<OpensslServer> v6 = StartServer(pki.leaf, {}, "::1");
    absl::StatusOr<net::TlsSocket> s =
        TlsClient(v6->port(), "::1", client, {}, "::1");
    NET_REQUIRE_OK(s);
    CHECK(s->Info()->peer_verified);
    CHECK_EQ(s->Info()->server_name, "");
  }
}

// ============================================================================
// b. net's server's four verify modes against s_client.

TEST_CASE(
    "net's server verify modes accept and reject s_client as cp_socket's") {
  NET_REQUIRE_OPENSSL_CLI();
  const auto& pki = GetTestPki();
  struct Case {
    net::TlsVerifyMode mode;
    const char* name;
    bool without, with;  // accepted?
  };
  const Case cases[] = {
      {net::TlsVerifyMode::kNone, "none", true, true},
      {net::TlsVerifyMode::kPeer, "peer", true, true},
      {net::TlsVerifyMode::kRequirePeer, "require", false, true},
      {net::TlsVerifyMode::kPeerOnce, "once", true, true},
  };
  const std::string line = "echo me, net\n";
  for (const char* version : {"-tls1_3", "-tls1_2"}) {
    for (const Case& c : cases) {
      CAPTURE(std::string(version));
      CAPTURE(std::string(c.name));
      net::TlsServerOptions so;
      so.verify = c.mode;
      // A CA file: its names are sent in the certificate request (not so
      // for `ca_pem`: s_client then says "No client certificate CA names
      // sent").
      so.ca_file = pki.ca_file;
      NetEchoServer server(ServerContext(pki.leaf, so));
      std::size_t index = 0;
      for (bool has_cert : {false, true}) {
        CAPTURE(has_cert);
        const bool accepted = has_cert ? c.with : c.without;
        std::vector<std::string> args = VerifyingClient({version});
        if (has_cert) {
          for (const std::string& a : ClientCertificate()) args.push_back(a);
        }
        absl::StatusOr<std::unique_ptr<OpensslProcess>> client =
            OpensslClient::Start(server.port(), args);
        NET_REQUIRE_OK(client);
        OpensslProcess& sc = **client;
        // Refused, s_client may be gone before it reads its stdin (TLS 1.3:
        // the alert can come first): then the write fails.
        const absl::Status wrote = sc.Write(line);
        if (accepted) {
          NET_REQUIRE_OK(wrote);
          // The echo came back through net's server.
          CHECK(sc.WaitForOutput(line, kWait));
          REQUIRE(server.WaitFor([&](const auto& r) {
            return r.size() > index && r[index].received == line;
          }));
          sc.CloseStdin();
          ProcessResult result = sc.Wait(kWait);
          INFO(result.output);
          CHECK_EQ(result.Describe(), "exited with 0");
          CHECK(Contains(result.out, "Verify return code: 0 (ok)"));
          REQUIRE(server.WaitEnded(index));
          const NetEchoServer::Record r = server.Records()[index];
          CHECK(r.end_of_stream);
          REQUIRE(r.info.has_value());
          const bool asked = c.mode != net::TlsVerifyMode::kNone;
          CHECK_EQ(r.info->peer_verified, asked && has_cert);
          CHECK_EQ(r.info->peer_certificate.has_value(), asked && has_cert);
          if (asked && has_cert) {
            CHECK_EQ(r.info->peer_certificate->subject, "CN=net test client");
          }
          // s_client was asked for a certificate exactly when the mode asks.
          CHECK_EQ(
              Contains(result.out, "Acceptable client certificate CA names"),
              asked);
        } else {
          // Refused: net says why and sends an alert; s_client fails.
          REQUIRE(server.WaitEnded(index));
          const NetEchoServer::Record r = server.Records()[index];
          CHECK(r.received.empty());
          CHECK(r.failed);
          CHECK_EQ(net::GetTlsError(r.error),
                   net::TlsError::kNoPeerCertificate);
          ProcessResult result = sc.Wait(kWait);
          INFO(result.output);
          CHECK_EQ(result.Describe(), "exited with 1");
          CHECK_FALSE(Contains(result.out, line));
          // TLS 1.3: after its handshake, from the alert certificate_required
          // (116); TLS 1.2: in the handshake, handshake_failure (40).
          CHECK(Contains(result.err, std::string(version) == "-tls1_3"
                                         ? "alert certificate required"
                                         : "alert handshake failure"));
        }
        ++index;
      }
    }
  }
}

// ============================================================================
// c. Renegotiation.

TEST_CASE("s_server's renegotiation request is refused by net's client") {
  NET_REQUIRE_OPENSSL_CLI();
  std::unique_ptr<OpensslServer> server =
      StartServer(GetTestPki().leaf, {"-tls1_2"});
  auto client = ClientContext();
  // What net's client does with a HelloRequest: it answers with a
  // no_renegotiation warning and reads on; s_server 3.0 takes that warning as
  // fatal (SSL_R_NO_RENEGOTIATION) and ends the connection with a
  // handshake_failure alert, which net reports as such.
  auto check = [](const absl::Status& s) {
    CAPTURE(s);
    CHECK_EQ(net::GetTlsError(s), net::TlsError::kPeerAlert);
    CHECK_EQ(net::GetTlsAlert(s), std::optional<int>(40));
    CHECK_EQ(s.code(), absl::StatusCode::kUnavailable);
  };
  {
    std::size_t mark = server->output().size();
    absl::StatusOr<net::TlsSocket> s =
        TlsClient(server->port(), "localhost", client);
    NET_REQUIRE_OK(s);
    CHECK_EQ(s->Info()->version, "TLSv1.2");
    NET_REQUIRE_OK(s->Write("ready\n", Soon()));
    REQUIRE(server->WaitForOutput("ready\n", kWait, mark));
    NET_REQUIRE_OK(server->Write("R\n"));
    absl::Status error;
    const std::string got = ReadUntil(*s, "never sent", &error);
    CHECK_EQ(got, "");
    check(error);
    CHECK(server->WaitForOutput("no renegotiation", kWait, mark));
  }
  {
    std::size_t mark = server->output().size();
    LoopClient lc;
    NET_REQUIRE_OK(lc.Connect("localhost", server->port(), client, {},
                              [](net::Connection& c) { c.Write("ready\n"); }));
    REQUIRE(lc.RunUntil(
        [&] { return Contains(server->output(), "ready\n", mark); }));
    NET_REQUIRE_OK(server->Write("R\n"));
    REQUIRE(lc.RunUntil([&] { return lc.got.failed || lc.got.eof; }));
    CHECK(lc.got.failed);
    check(lc.got.error);
    CHECK(server->WaitForOutput("no renegotiation", kWait, mark));
  }
  // Nothing is left broken: the same server serves net again.
  absl::StatusOr<net::TlsSocket> again =
      TlsClient(server->port(), "localhost", client);
  NET_REQUIRE_OK(again);
  NET_REQUIRE_OK(server->Write("still here\n"));
  CHECK(Contains(ReadUntil(*again, "still here\n"), "still here\n"));
}

TEST_CASE(
    "s_client's renegotiation is refused by net's server, which serves on") {
  NET_REQUIRE_OPENSSL_CLI();
  NetEchoServer server(ServerContext(GetTestPki().leaf));
  absl::StatusOr<std::unique_ptr<OpensslProcess>> client =
      OpensslClient::Start(server.port(), VerifyingClient({"-tls1_2"}));
  NET_REQUIRE_OK(client);
  OpensslProcess& sc = **client;
  NET_REQUIRE_OK(sc.Write("before\n"));
  REQUIRE(sc.WaitForOutput("before\n", kWait));
  NET_REQUIRE_OK(sc.Write("R\n"));
  // net's server answers the new ClientHello with a no_renegotiation
  // warning; s_client 3.0 takes it as fatal, says so, and sends a
  // handshake_failure alert.
  ProcessResult result = sc.Wait(kWait);
  INFO(result.output);
  CHECK(Contains(result.err, "RENEGOTIATING"));
  CHECK(Contains(result.err, "no renegotiation"));
  CHECK_EQ(result.Describe(), "exited with 1");
  REQUIRE(server.WaitEnded(0));
  NetEchoServer::Record r = server.Records()[0];
  CHECK_EQ(r.received, "before\n");
  CHECK(r.failed);
  CHECK_EQ(net::GetTlsError(r.error), net::TlsError::kPeerAlert);
  CHECK_EQ(net::GetTlsAlert(r.error), std::optional<int>(40));
  // The server goes on serving.
  absl::StatusOr<std::unique_ptr<OpensslProcess>> next =
      OpensslClient::Start(server.port(), VerifyingClient({"-tls1_2"}));
  NET_REQUIRE_OK(next);
  NET_REQUIRE_OK((*next)->Write("next one\n"));
  CHECK((*next)->WaitForOutput("next one\n", kWait));
  (*next)->CloseStdin();
  CHECK_EQ((*next)->Wait(kWait).Describe(), "exited with 0");
  REQUIRE(server.WaitEnded(1));
  CHECK_EQ(server.Records()[1].received, "next one\n");
  CHECK(server.Records()[1].end_of_stream);
}

// ============================================================================
// d. KeyUpdate.

TEST_CASE("s_client's KeyUpdates reach net's server and the echo goes on") {
  NET_REQUIRE_OPENSSL_CLI();
  NetEchoServer server(ServerContext(GetTestPki().leaf));
  // -msg: s_client prints each handshake message it sends (>>>) and
  // receives (<<<).
  absl::StatusOr<std::unique_ptr<OpensslProcess>> client =
      OpensslClient::Start(server.port(), VerifyingClient({"-msg"}));
  NET_REQUIRE_OK(client);
  OpensslProcess& sc = **client;
  NET_REQUIRE_OK(sc.Write("before the updates\n"));
  REQUIRE(sc.WaitForOutput("before the updates\n", kWait));
  constexpr absl::string_view kReceivedUpdate =
      "<<< TLS 1.3, Handshake [length 0005], KeyUpdate";
  std::string expected = "before the updates\n";
  // K: update_requested (net's server must update its own keys too);
  // k: update_not_requested.
  for (const char* command : {"K\n", "k\n", "K\n"}) {
    CAPTURE(std::string(command));
    const std::size_t mark = sc.output().size();
    NET_REQUIRE_OK(sc.Write(command));
    REQUIRE(sc.WaitForOutput("KEYUPDATE", kWait, mark));
    const std::string line =
        absl::StrCat("after ", std::string(1, command[0]), "\n");
    NET_REQUIRE_OK(sc.Write(line));
    expected += line;
    REQUIRE(sc.WaitForOutput(line, kWait, mark));
    // Asked to, net's server sent a KeyUpdate of its own before the echo
    // (seen in order only when s_client's stdout is line-buffered).
    if (sc.line_buffered()) {
      CHECK_EQ(Contains(sc.output(), kReceivedUpdate, mark), command[0] == 'K');
    }
  }
  sc.CloseStdin();
  CHECK_EQ(sc.Wait(kWait).Describe(), "exited with 0");
  REQUIRE(server.WaitEnded(0));
  NetEchoServer::Record r = server.Records()[0];
  CHECK_EQ(r.received, expected);  // the commands were not data
  CHECK(r.end_of_stream);
}

TEST_CASE("s_server's KeyUpdate mid-stream is followed by net's client") {
  NET_REQUIRE_OPENSSL_CLI();
  std::unique_ptr<OpensslServer> server =
      StartServer(GetTestPki().leaf, {"-msg"});
  auto client = ClientContext();
  constexpr absl::string_view kReceivedUpdate =
      "<<< TLS 1.3, Handshake [length 0005], KeyUpdate";
  // Blocking.
  {
    std::size_t mark = server->output().size();
    absl::StatusOr<net::TlsSocket> s =
        TlsClient(server->port(), "localhost", client);
    NET_REQUIRE_OK(s);
    NET_REQUIRE_OK(s->Write("ready\n", Soon()));
    REQUIRE(server->WaitForOutput("ready\n", kWait, mark));
    mark = server->output().size();
    NET_REQUIRE_OK(server->Write("K\n"));  // update_requested
    if (server->line_buffered()) {
      REQUIRE(server->WaitForOutput("SSL_do_handshake -> 1", kWait, mark));
    }
    NET_REQUIRE_OK(server->Write("after the key update\n"));
    CHECK(Contains(ReadUntil(*s, "after the key update\n"),
                   "after the key update\n"));
    NET_REQUIRE_OK(s->Write("and back\n", Soon()));
    CHECK(server->WaitForOutput("and back\n", kWait, mark));
    // net's client updated its keys in answer, before its next record.
    if (server->line_buffered()) {
      CHECK(Contains(server->output(), kReceivedUpdate, mark));
    }
    NET_CHECK_OK(s->Close(Soon()));
  }
  // On a loop.
  {
    std::size_t mark = server->output().size();
    LoopClient lc;
    NET_REQUIRE_OK(lc.Connect("localhost", server->port(), client, {},
                              [](net::Connection& c) { c.Write("ready\n"); }));
    REQUIRE(lc.RunUntil(
        [&] { return Contains(server->output(), "ready\n", mark); }));
    mark = server->output().size();
    NET_REQUIRE_OK(server->Write("K\n"));
    if (server->line_buffered()) {
      REQUIRE(lc.RunUntil([&] {
        return Contains(server->output(), "SSL_do_handshake -> 1", mark);
      }));
    }
    NET_REQUIRE_OK(server->Write("after the key update\n"));
    REQUIRE(lc.RunUntil([&] {
      return Contains(lc.got.data, "after the key update\n") || lc.got.failed;
    }));
    CHECK_FALSE(lc.got.failed);
    lc.connection->Write("and back\n");
    REQUIRE(lc.RunUntil(
        [&] { return Contains(server->output(), "and back\n", mark); }));
    if (server->line_buffered()) {
      CHECK(Contains(server->output(), kReceivedUpdate, mark));
    }
  }
}

// ============================================================================
// e. Session resumption.

TEST_CASE(
    "s_client resumes a session with net's server (\"Reused\"), TLS 1.3 and "
    "1.2") {
  NET_REQUIRE_OPENSSL_CLI();
  for (const char* version : {"-tls1_3", "-tls1_2"}) {
    CAPTURE(std::string(version));
    const bool v13 = std::string(version) == "-tls1_3";
    NetEchoServer server(ServerContext(GetTestPki().leaf));
    const std::string session =
        absl::StrCat(GetTestPki().dir, "/net-server-session", version, ".pem");
    std::error_code ignored;
    std::filesystem::remove(session, ignored);
    absl::StatusOr<std::unique_ptr<OpensslProcess>> first =
        OpensslClient::Start(server.port(),
                             VerifyingClient({version, "-sess_out", session}));
    NET_REQUIRE_OK(first);
    // TLS 1.3: net's server sends the ticket with its first write (the
    // echo), so the session file appears once the echo came back.
    NET_REQUIRE_OK((*first)->Write("ticket, please\n"));
    REQUIRE((*first)->WaitForOutput("ticket, please\n", kWait));
    const absl::Time deadline = Soon();
    std::error_code error;
    while (std::filesystem::file_size(session, error) == 0 || error) {
      REQUIRE(absl::Now() < deadline);
      absl::SleepFor(absl::Milliseconds(5));
    }
    (*first)->CloseStdin();
    ProcessResult r1 = (*first)->Wait(kWait);
    CHECK_EQ(r1.Describe(), "exited with 0");
    CHECK(Contains(r1.out, v13 ? "New, TLSv1.3" : "New, TLSv1.2"));

    absl::StatusOr<ProcessResult> second = OpensslClient::Run(
        server.port(), VerifyingClient({version, "-sess_in", session}),
        "resumed?\n", kWait);
    NET_REQUIRE_OK(second);
    INFO(second->output);
    CHECK_EQ(second->Describe(), "exited with 0");
    CHECK(Contains(second->out, v13 ? "Reused, TLSv1.3" : "Reused, TLSv1.2"));
    REQUIRE(server.WaitFor([](const auto& rs) {
      return rs.size() == 2 && rs[1].info.has_value();
    }));
    std::vector<NetEchoServer::Record> rs = server.Records();
    CHECK_FALSE(rs[0].info->resumed);
    CHECK(rs[1].info->resumed);
    CHECK_EQ(rs[1].info->version, v13 ? "TLSv1.3" : "TLSv1.2");
  }
}

// ============================================================================
// f. A client that writes and closes at once.

TEST_CASE("net's server reads what s_client wrote just before it closed") {
  NET_REQUIRE_OPENSSL_CLI();
  NetEchoServer server(ServerContext(GetTestPki().leaf));
  std::size_t index = 0;
  for (const char* version : {"-tls1_3", "-tls1_2"}) {
    CAPTURE(std::string(version));
    // stdin: the data, then its end at once: s_client sends the data and
    // close_notify right after the handshake, and exits.
    absl::StatusOr<ProcessResult> r =
        OpensslClient::Run(server.port(), VerifyingClient({version}),
                           "written, then gone\n", kWait);
    NET_REQUIRE_OK(r);
    INFO(r->output);
    CHECK_EQ(r->Describe(), "exited with 0");
    REQUIRE(server.WaitEnded(index));
    NetEchoServer::Record rec = server.Records()[index];
    CAPTURE(rec.error);
    CHECK_EQ(rec.received, "written, then gone\n");
    // The close_notify was read after the data (the echo and, under TLS
    // 1.3, the ticket were sent after both were read).
    CHECK(rec.end_of_stream);
    ++index;
  }
}

// ============================================================================
// g. Truncation.

TEST_CASE(
    "s_server's close without close_notify is truncation for net's client "
    "unless taken as an end") {
  NET_REQUIRE_OPENSSL_CLI();
  std::unique_ptr<OpensslServer> server = StartServer(GetTestPki().leaf);
  auto client = ClientContext();
  for (bool as_eof : {false, true}) {
    CAPTURE(as_eof);
    net::TlsStreamOptions options;
    options.truncation_is_end_of_stream = as_eof;
    {
      std::size_t mark = server->output().size();
      absl::StatusOr<net::TlsSocket> s =
          TlsClient(server->port(), "localhost", client, options);
      NET_REQUIRE_OK(s);
      NET_REQUIRE_OK(s->Write("ready\n", Soon()));
      REQUIRE(server->WaitForOutput("ready\n", kWait, mark));
      NET_REQUIRE_OK(server->Write("last words\n"));
      REQUIRE_EQ(ReadUntil(*s, "last words\n"), "last words\n");
      NET_REQUIRE_OK(server->Write("q\n"));  // close(), no close_notify
      char buffer[64];
      absl::StatusOr<net::IoResult> r = s->Read(absl::MakeSpan(buffer), Soon());
      if (as_eof) {
        NET_REQUIRE_OK(r);
        CHECK(r->end_of_stream());
      } else {
        REQUIRE_FALSE(r.ok());
        CHECK_EQ(r.status().code(), absl::StatusCode::kDataLoss);
        CHECK_EQ(net::GetTlsError(r.status()), net::TlsError::kTruncated);
      }
    }
    {
      std::size_t mark = server->output().size();
      LoopClient lc;
      NET_REQUIRE_OK(
          lc.Connect("localhost", server->port(), client, options,
                     [](net::Connection& c) { c.Write("ready\n"); }));
      REQUIRE(lc.RunUntil(
          [&] { return Contains(server->output(), "ready\n", mark); }));
      NET_REQUIRE_OK(server->Write("last words\n"));
      REQUIRE(lc.RunUntil([&] { return lc.got.data == "last words\n"; }));
      NET_REQUIRE_OK(server->Write("q\n"));
      REQUIRE(lc.RunUntil([&] { return lc.got.eof || lc.got.failed; }));
      if (as_eof) {
        CHECK(lc.got.eof);
        CHECK_FALSE(lc.got.failed);
      } else {
        REQUIRE(lc.got.failed);
        CHECK_EQ(lc.got.error.code(), absl::StatusCode::kDataLoss);
        CHECK_EQ(net::GetTlsError(lc.got.error), net::TlsError::kTruncated);
      }
    }
  }
}

// ============================================================================
// h. 1-byte TCP segments.

// Relays one connection to 127.0.0.1:`target`, forwarding what it reads one
// byte per send() in both directions, with TCP_NODELAY on both sockets: every
// TLS record crosses as many 1-byte segments. A half-close is passed on.
class ByteRelay {
 public:
  explicit ByteRelay(int target)
      : listener_(net_test::Listen()), target_(target) {
    port_ = net_test::LocalAddressOf(listener_).port();
    thread_ = std::thread([this] { status_ = Run(); });
  }
  ByteRelay(const ByteRelay&) = delete;
  ByteRelay& operator=(const ByteRelay&) = delete;
  ~ByteRelay() { Stop().IgnoreError(); }

  int port() const { return port_; }
  // The relay's result (after Stop()).
  absl::Status Stop() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
    return status_;
  }
  std::size_t sends(int direction) const { return sends_[direction].load(); }

 private:
  bool WaitReadable(const net::Socket& s) {
    pollfd p{static_cast<int>(s.native_handle()), POLLIN, 0};
    while (!stop_) {
      if (::poll(&p, 1, 20) > 0) return true;
    }
    return false;
  }

  absl::Status Run() {
    if (!WaitReadable(listener_)) return absl::OkStatus();
    absl::StatusOr<net::Accepted> accepted = listener_.Accept();
    if (!accepted.ok()) return accepted.status();
    absl::StatusOr<net::Socket> out =
        net::Socket::Open(net::AddressFamily::kIPv4, net::SocketType::kStream);
    if (!out.ok()) return out.status();
    net::Socket ends[2] = {std::move(accepted->socket), *std::move(out)};
    if (absl::Status s = ends[1].Connect(Loopback(target_), kWait); !s.ok()) {
      return s;
    }
    for (net::Socket& s : ends) {
      if (absl::Status st = s.SetOption(net::NoDelay(true)); !st.ok())
        return st;
    }
    bool open[2] = {true, true};
    char buffer[4096];
    while (!stop_ && (open[0] || open[1])) {
      pollfd p[2];
      for (int i = 0; i < 2; ++i) {
        p[i] = {open[i] ? static_cast<int>(ends[i].native_handle()) : -1,
                POLLIN, 0};
      }
      if (::poll(p, 2, 20) <= 0) continue;
      for (int i = 0; i < 2; ++i) {
        if (!open[i] || p[i].revents == 0) continue;
        net::Socket& from = ends[i];
        net::Socket& to = ends[1 - i];
        absl::StatusOr<net::IoResult> r = from.Receive(absl::MakeSpan(buffer));
        if (!r.ok() || r->end_of_stream()) {
          open[i] = false;
          to.Shutdown(net::ShutdownMode::kWrite).IgnoreError();
          if (!r.ok()) return absl::OkStatus();  // a reset ends the relay
          continue;
        }
        for (std::size_t k = 0; k < r->bytes(); ++k) {
          absl::StatusOr<net::IoResult> w =
              to.Send(absl::MakeConstSpan(buffer + k, 1));
          if (!w.ok()) return absl::OkStatus();  // the other end went away
          if (w->bytes() != 1) return absl::InternalError("short 1-byte send");
          ++sends_[i];
        }
      }
    }
    return absl::OkStatus();
  }

  net::Socket listener_;
  int target_;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<std::size_t> sends_[2] = {{0}, {0}};
  absl::Status status_;
  std::thread thread_;
};

TEST_CASE(
    "s_client and net's server through 1-byte TCP segments: the echo is "
    "exact") {
  NET_REQUIRE_OPENSSL_CLI();
  for (const char* version : {"-tls1_3", "-tls1_2"}) {
    CAPTURE(std::string(version));
    NetEchoServer server(ServerContext(GetTestPki().leaf));
    ByteRelay relay(server.port());
    const std::string data = TextLines(20 << 10, "<<the end>>\n");
    // -quiet: stdout is the echo only (and no command letters, no close at
    // the end of stdin: the client is ended by its destructor).
    absl::StatusOr<std::unique_ptr<OpensslProcess>> client =
        OpensslClient::Start(relay.port(),
                             VerifyingClient({version, "-quiet"}));
    NET_REQUIRE_OK(client);
    NET_REQUIRE_OK((*client)->Write(data));
    REQUIRE((*client)->WaitForOutput("<<the end>>\n", absl::Seconds(10)));
    CHECK((*client)->stdout_text() == data);
    std::vector<NetEchoServer::Record> rs = server.Records();
    REQUIRE_EQ(rs.size(), 1u);
    CHECK(rs[0].received == data);
    REQUIRE(rs[0].info.has_value());
    CHECK_EQ(rs[0].info->version,
             std::string(version) == "-tls1_3" ? "TLSv1.3" : "TLSv1.2");
    // Every byte of ciphertext, both ways, was a send of its own.
    CHECK_GT(relay.sends(0), data.size());
    CHECK_GT(relay.sends(1), data.size());
    client->reset();
    NET_CHECK_OK(relay.Stop());
  }
}

// ============================================================================
// j. 64 MiB byte-exact both ways.

TEST_CASE(
    "64 MiB cross byte-exact both ways between net's client and s_server "
    "-rev") {
  NET_REQUIRE_OPENSSL_CLI();
  // s_server -rev sends back each line it reads, reversed (without its end
  // of line), then "\n": every byte net sends is checked in what it reads.
  std::unique_ptr<OpensslServer> server =
      StartServer(GetTestPki().leaf, {"-rev"});
  constexpr std::size_t kLine = 4096;  // with its "\n"; -rev reads 16 KiB
  constexpr std::size_t kLines = (std::size_t{64} << 20) / kLine;
  // Line i: its number, then letters that depend on it; never "CLOSE".
  auto make_line = [](std::size_t i) {
    std::string line = absl::StrFormat("%08d:", i);
    line.reserve(kLine);
    for (std::size_t j = line.size(); j < kLine - 1; ++j) {
      line.push_back(static_cast<char>('!' + (i * 31 + j * 7 + (j >> 6)) % 90));
    }
    line.push_back('\n');
    return line;
  };
  std::size_t sent_lines = 0;
  std::size_t checked = 0;  // bytes of the answer checked
  std::string expected;     // the reversed line being checked
  bool mismatch = false;
  LoopClient lc;
  net::ConnectionCallbacks cb;
  auto fill = [&](net::Connection& c) {
    while (sent_lines < kLines) {
      if (!c.Write(make_line(sent_lines++))) return;  // until OnDrain()
    }
  };
  cb.on_drain = fill;
  cb.on_data = [&](net::Connection&, absl::string_view data) {
    absl::string_view d = data;
    while (!d.empty() && !mismatch) {
      const std::size_t at = checked % kLine;
      if (at == 0) {
        const std::string line = make_line(checked / kLine);
        expected.assign(line.rbegin() + 1, line.rend());
        expected.push_back('\n');
      }
      const std::size_t n = std::min(d.size(), kLine - at);
      if (d.substr(0, n) != absl::string_view(expected).substr(at, n)) {
        mismatch = true;
        MESSAGE("mismatch in answer line ", checked / kLine);
      }
      checked += n;
      d.remove_prefix(n);
    }
    return data.size();
  };
  cb.on_error = [&](net::Connection&, const absl::Status& s) {
    lc.got.failed = true;
    lc.got.error = s;
  };
  cb.on_end_of_stream = [&](net::Connection&) { lc.got.eof = true; };
  const absl::Time start = absl::Now();
  NET_REQUIRE_OK(lc.Connect("localhost", server->port(), ClientContext(), {},
                            fill, std::move(cb)));
  REQUIRE(lc.RunUntil(
      [&] {
        return checked >= kLines * kLine || mismatch || lc.got.failed ||
               lc.got.eof;
      },
      absl::Seconds(20)));
  MESSAGE("64 MiB each way through s_server -rev in ",
          absl::FormatDuration(absl::Now() - start));
  CAPTURE(lc.got.error);
  CHECK_FALSE(mismatch);
  CHECK_FALSE(lc.got.failed);
  CHECK_EQ(sent_lines, kLines);
  CHECK_EQ(checked, kLines * kLine);
}

}  // namespace
