// Copyright 2026 The net Authors.

#include "tests/tls/tls_test_util.h"

#include <optional>
#include <string>
#include <thread>
#include <utility>

#include "doctest/doctest.h"
#include "tests/test_util.h"

namespace net_test {


std::shared_ptr<const net::TlsContext> ServerContext(
    const TestCert& cert, net::TlsServerOptions o) {
  o.certificate_chain_pem = cert.cert_pem;
  o.private_key_pem = cert.key_pem;
  absl::StatusOr<std::shared_ptr<const net::TlsContext>> c =
      net::TlsContext::NewServer(o);
  NET_REQUIRE_OK(c);
  return *c;
}

// A client that trusts the test CA only.
std::shared_ptr<const net::TlsContext> ClientContext(
    net::TlsClientOptions o) {
  if (o.ca_pem.empty() && o.ca_file.empty() && o.ca_directory.empty()) {
    o.ca_pem = GetTestPki().ca.cert_pem;
  }
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

std::string Pattern(std::size_t n, unsigned seed) {
  std::string s(n, '\0');
  for (std::size_t i = 0; i < n; ++i) {
    s[i] = static_cast<char>((i * 131 + seed * 7 + (i >> 12)) & 0xff);
  }
  return s;
}

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

LoopServer::LoopServer(net::EventLoop& loop,
                       std::shared_ptr<const net::TlsContext> ctx,
                       std::function<void(net::Connection&)> adopt,
                       net::TlsStreamOptions options) {
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

void Echo(net::Connection& c, std::size_t* closed) {
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

#ifndef _WIN32
std::unique_ptr<OpensslServer> StartServer(const TestCert& cert,
                                           std::vector<std::string> more,
                                           const std::string& host) {
  std::vector<std::string> args = {"-cert", cert.cert_file, "-key",
                                   cert.key_file};
  args.insert(args.end(), more.begin(), more.end());
  absl::StatusOr<std::unique_ptr<OpensslServer>> server =
      OpensslServer::Start(args, host);
  NET_REQUIRE_OK(server);
  return std::move(*server);
}

std::vector<std::string> VerifyingClient(std::vector<std::string> more) {
  std::vector<std::string> args = {"-CAfile", GetTestPki().ca_file,
                                   "-verify_return_error", "-servername",
                                   "localhost"};
  args.insert(args.end(), more.begin(), more.end());
  return args;
}
#endif

}  // namespace net_test
