// Copyright 2026 The net Authors.
//
// net::Server's TLS variant against `openssl s_client` (a real peer, as a
// child process; skipped without the openssl command): cp_socket's four
// verification modes, in both strategies, with and without a client
// certificate.

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "net/server.h"
#include "net/tls.h"
#include "tests/test_util.h"
#include "tests/tls/openssl_peer.h"
#include "tests/tls/test_ca.h"
#include "tests/tls/tls_test_util.h"

namespace {

using net::Server;
using net::TlsVerifyMode;
using net_test::GetTestPki;

constexpr absl::Duration kWait = absl::Seconds(20);

// Answers the first line with "v1 <line>" when the client's certificate was
// verified, "v0 <line>" otherwise, then closes.
std::string Answer(bool verified, absl::string_view line) {
  return absl::StrCat(verified ? "v1 " : "v0 ", line);
}

void PoolAnswer(net::ServerStream& s) {
  std::string line;
  char buffer[256];
  while (!absl::StrContains(line, "\n")) {
    absl::StatusOr<net::IoResult> r = s.Read(absl::MakeSpan(buffer));
    if (!r.ok() || r->end_of_stream()) return;
    line.append(buffer, r->bytes());
  }
  absl::StatusOr<net::TlsSessionInfo> info = s.TlsInfo();
  s.Write(Answer(info.ok() && info->peer_verified, line)).IgnoreError();
}

class LoopAnswer : public net::ServerHandler {
 public:
  std::size_t OnData(Server&, net::Connection& c,
                     absl::string_view data) override {
    if (!absl::StrContains(data, "\n")) return 0;  // wait for the line
    absl::StatusOr<net::TlsSessionInfo> info = net::GetTlsInfo(c);
    c.Write(Answer(info.ok() && info->peer_verified, data));
    c.Close();
    return data.size();
  }
  void OnClose(Server&, net::Connection&, const absl::Status& s) override {
    if (!s.ok()) ++failures;
  }
  std::atomic<int> failures{0};
};

TEST_CASE("the TLS server's four verification modes, both strategies, with "
          "s_client as the peer") {
  NET_REQUIRE_OPENSSL_CLI();
  const net_test::TestPki& pki = GetTestPki();
  struct Mode {
    TlsVerifyMode mode;
    const char* name;
    const char* with_cert;     // the answer to a client with a certificate
    const char* without_cert;  // ... without one ("" : handshake refused)
  };
  const Mode modes[] = {
      {TlsVerifyMode::kNone, "none", "v0 hello\n", "v0 hello\n"},
      {TlsVerifyMode::kPeer, "peer", "v1 hello\n", "v0 hello\n"},
      {TlsVerifyMode::kRequirePeer, "require", "v1 hello\n", ""},
      {TlsVerifyMode::kPeerOnce, "once", "v1 hello\n", "v0 hello\n"},
  };
  for (const Mode& m : modes) {
    for (const bool pool : {true, false}) {
      CAPTURE(std::string(m.name));
      CAPTURE(pool);
      net::ServerOptions o;
      o.address = *net::SocketAddress::Parse("127.0.0.1:0");
      o.tls.emplace();
      o.tls->certificate_chain_file = pki.leaf.cert_file;
      o.tls->private_key_file = pki.leaf.key_file;
      o.tls->ca_file = pki.ca_file;
      o.tls->verify = m.mode;
      std::atomic<int> handshake_errors{0};
      o.on_error = [&](const absl::Status&) { ++handshake_errors; };
      LoopAnswer loop_answer;
      absl::StatusOr<std::unique_ptr<Server>> server =
          pool ? Server::Create(o, PoolAnswer) : Server::Create(o, &loop_answer);
      NET_REQUIRE_OK(server);
      NET_REQUIRE_OK((*server)->Start());
      const int port = (*server)->LocalAddress()->port();
      for (const bool cert : {true, false}) {
        CAPTURE(cert);
        std::vector<std::string> args = net_test::VerifyingClient({"-ign_eof"});
        if (cert) {
          args.insert(args.end(), {"-cert", pki.client.cert_file, "-key",
                                   pki.client.key_file});
        }
        absl::StatusOr<net_test::ProcessResult> r =
            net_test::OpensslClient::Run(port, args, "hello\n", kWait);
        NET_REQUIRE_OK(r);
        INFO(r->output);
        const std::string expected = cert ? m.with_cert : m.without_cert;
        if (!expected.empty()) {
          CHECK(absl::StrContains(r->out, expected));
        } else {
          CHECK_FALSE(absl::StrContains(r->out, "hello"));
          // The server heard of the refused handshake.
          const absl::Time deadline = absl::Now() + kWait;
          while ((pool ? handshake_errors.load() : loop_answer.failures.load()) ==
                     0 &&
                 absl::Now() < deadline) {
            absl::SleepFor(absl::Milliseconds(5));
          }
          CHECK((pool ? handshake_errors.load() : loop_answer.failures.load()) ==
                1);
        }
      }
      NET_CHECK_OK((*server)->Drain(absl::Now() + absl::Seconds(5)));
    }
  }
}

}  // namespace
