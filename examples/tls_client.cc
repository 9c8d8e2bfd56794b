// Copyright 2026 The net Authors.
//
// A TLS client on one net::EventLoop: sends its standard input, half-closes,
// and prints what comes back.
//
//   tls_client --connect HOST:PORT [--ca FILE] [--cert FILE --key FILE]
//              [--servername NAME] [--insecure] [--timeout SECONDS]
//
// HOST is a name (resolved, Happy Eyeballs) or an IP literal ([::1] for
// IPv6). The server's certificate is verified against --ca (or the system
// store) and its name against --servername (default HOST; an IP literal is
// checked against the certificate's IP addresses and not sent as SNI).
// --insecure turns verification off (tests only). --cert and --key present
// a client certificate.
//
// Standard input is read to its end first, then sent; then close_notify and
// the FIN (a TLS half-close); everything the server sends until its own
// close_notify goes to standard output. Exits 0 after that clean close;
// otherwise 1, with the error on stderr (a verification failure says its
// X.509 reason: "certificate verify failed: certificate has expired"); 2
// for a bad command line. --timeout (default 30) bounds the whole run.

#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "examples/flags.h"
#include "net/net.h"

namespace {

constexpr const char kUsage[] =
    "usage: tls_client --connect HOST:PORT [--ca FILE] [--cert FILE --key "
    "FILE]\n"
    "                  [--servername NAME] [--insecure] [--timeout SECONDS]\n"
    "  --connect     the server (HOST a name or an IP literal, [::1]:443)\n"
    "  --ca          CA file (PEM) to verify the server against (default: "
    "the system store)\n"
    "  --cert/--key  a client certificate and its key (PEM)\n"
    "  --servername  the name to verify and send as SNI (default: HOST)\n"
    "  --insecure    do not verify the server (tests only)\n"
    "  --timeout     give up after this many seconds (default 30)\n";

// "host:port", "[v6]:port" -> host, port.
absl::Status SplitHostPort(absl::string_view text, std::string* host,
                           std::uint16_t* port) {
  std::size_t colon = text.rfind(':');
  if (colon == absl::string_view::npos || colon == 0) {
    return absl::InvalidArgumentError("--connect wants HOST:PORT");
  }
  absl::string_view h = text.substr(0, colon);
  if (h.size() >= 2 && h.front() == '[' && h.back() == ']') {
    h = h.substr(1, h.size() - 2);
  }
  std::uint32_t p = 0;
  if (h.empty() || !absl::SimpleAtoi(text.substr(colon + 1), &p) || p == 0 ||
      p > 65535) {
    return absl::InvalidArgumentError("--connect wants HOST:PORT, port 1-65535");
  }
  *host = std::string(h);
  *port = static_cast<std::uint16_t>(p);
  return absl::OkStatus();
}

std::string ReadAll(std::FILE* in) {
  std::string data;
  char buffer[64 * 1024];
  std::size_t n;
  while ((n = std::fread(buffer, 1, sizeof(buffer), in)) > 0) {
    data.append(buffer, n);
  }
  return data;
}

}  // namespace

int main(int argc, char** argv) {
  // --insecure takes no value: taken out before the name-value pairs.
  std::vector<char*> args;
  bool insecure = false;
  for (int i = 0; i < argc; ++i) {
    if (i > 0 && absl::string_view(argv[i]) == "--insecure") {
      insecure = true;
    } else {
      args.push_back(argv[i]);
    }
  }
  std::string connect;
  int timeout_seconds = 30;
  net::TlsClientOptions tls;
  net::TlsStreamOptions stream;
  const std::optional<int> stop = net_examples::ParseFlags(
      static_cast<int>(args.size()), args.data(), "tls_client", kUsage,
      [&](const std::string& name, const std::string& value) -> absl::Status {
        if (name == "--connect") {
          connect = value;
        } else if (name == "--ca") {
          tls.ca_file = value;
        } else if (name == "--cert") {
          tls.certificate_chain_file = value;
        } else if (name == "--key") {
          tls.private_key_file = value;
        } else if (name == "--servername") {
          stream.server_name = value;
        } else if (name == "--timeout") {
          if (!absl::SimpleAtoi(value, &timeout_seconds) || timeout_seconds < 1) {
            return absl::InvalidArgumentError("--timeout wants seconds >= 1");
          }
        } else {
          return absl::NotFoundError(name);
        }
        return absl::OkStatus();
      });
  if (stop.has_value()) return *stop;
  std::string host;
  std::uint16_t port = 0;
  if (absl::Status s = SplitHostPort(connect, &host, &port); !s.ok()) {
    std::fprintf(stderr, "tls_client: %s\n%s", std::string(s.message()).c_str(),
                 kUsage);
    return 2;
  }
  tls.insecure_skip_verification = insecure;

  int exit_code = 1;
  auto fail = [&exit_code](const absl::Status& s) {
    std::fprintf(stderr, "tls_client: %s\n", std::string(s.message()).c_str());
    exit_code = 1;
  };
  absl::StatusOr<std::shared_ptr<const net::TlsContext>> context =
      net::TlsContext::NewClient(tls);
  if (!context.ok()) {
    fail(context.status());
    return 1;
  }
  const std::string input = ReadAll(stdin);
  absl::StatusOr<std::unique_ptr<net::EventLoop>> loop =
      net::EventLoop::Create();
  if (!loop.ok()) {
    fail(loop.status());
    return 1;
  }
  net::EventLoop& l = **loop;
  net::ConnectionPtr connection;
  net::ConnectOptions options;
  options.timeout = absl::Seconds(timeout_seconds);
  std::unique_ptr<net::PendingConnect> pending = net::ConnectTls(
      l, host, port, *context, options, stream,
      [&](absl::StatusOr<net::ConnectionPtr> c) {
        if (!c.ok()) {
          fail(c.status());
          l.Stop();
          return;
        }
        connection = *std::move(c);
        net::ConnectionCallbacks callbacks;
        callbacks.on_data = [](net::Connection&, absl::string_view data) {
          std::fwrite(data.data(), 1, data.size(), stdout);
          return data.size();
        };
        callbacks.on_end_of_stream = [&](net::Connection&) {
          std::fflush(stdout);
          exit_code = 0;  // the server's close_notify: a clean close
          l.Stop();
        };
        callbacks.on_error = [&](net::Connection&, const absl::Status& s) {
          fail(s);
          l.Stop();
        };
        connection->SetCallbacks(std::move(callbacks));
        connection->Write(input);
        connection->ShutdownWrite();  // close_notify, then the FIN
      });
  l.AddTimer(absl::Seconds(timeout_seconds), [&] {
    fail(absl::DeadlineExceededError(
        absl::StrCat("no clean close within ", timeout_seconds, " s")));
    l.Stop();
  });
  absl::Status run = l.Run();
  if (!run.ok()) fail(run);
  connection.reset();
  pending.reset();
  return run.ok() ? exit_code : 1;
}
