// Copyright 2026 The net Authors.
//
// A single-threaded TLS echo server on net::Listener + a TLS
// net::Connection.
//
//   tls_echo_server --listen ADDR:PORT --cert FILE --key FILE
//                   [--verify none|peer|require|once] [--ca FILE]
//                   [--backend NAME] [--max-seconds N]
//                   [--trigger edge|level] [--key-password TEXT]
//
// Prints the address it listens on as its first line of standard output
// (port 0 picks a free port), then echoes every byte back over TLS until
// killed, or until --max-seconds pass. A failed handshake is said on
// stderr with its reason (an unknown CA, no client certificate, ...).
//
// --verify is cp_socket's server mode: none (the default; no client
// certificate asked for), peer (asked for, verified if sent), require
// (asked for and required), once (as peer, not asked again on resumption).
// Every mode but none verifies against --ca (or the system store).
//
// The echo is examples/echo_handler.h, the same as the plain echo_server's:
// a TLS connection is a `net::Connection`. A peer's close_notify ends its
// connection: the server sends its echo, then its own close_notify, then
// closes.

#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "examples/echo_handler.h"
#include "examples/flags.h"
#include "net/net.h"

namespace {

constexpr const char kUsage[] =
    "usage: tls_echo_server --listen ADDR:PORT --cert FILE --key FILE\n"
    "                       [--verify none|peer|require|once] [--ca FILE]\n"
    "                       [--backend NAME] [--max-seconds N]\n"
    "                       [--trigger edge|level] [--key-password TEXT]\n"
    "  --cert         certificate chain (PEM, leaf first)\n"
    "  --key          its private key (PEM)\n"
    "  --verify       client certificates: none (default), peer, require, once\n"
    "  --ca           CA file (PEM) client certificates are verified against\n"
    "  --backend      event loop backend: default, epoll, kqueue, poll, "
    "select, iocp, wsapoll\n"
    "  --max-seconds  stop after N seconds (default: run until killed)\n"
    "  --trigger      edge (default; where the backend has it) or level\n"
    "  --key-password the password of an encrypted --key\n";

class TlsEchoServer {
 public:
  TlsEchoServer(net::EventLoop& loop,
                std::shared_ptr<const net::TlsContext> context,
                const net::ConnectionOptions& options)
      : loop_(loop), context_(std::move(context)), options_(options) {}

  void Accept(net::Socket socket) {
    absl::StatusOr<net::ConnectionPtr> c = net::NewTlsConnection(
        loop_, std::move(socket), context_, {}, options_);
    if (!c.ok()) {
      std::fprintf(stderr, "tls_echo_server: %s\n",
                   std::string(c.status().message()).c_str());
      return;
    }
    echo_.Adopt(*std::move(c));  // the handshake starts
  }

 private:
  net::EventLoop& loop_;
  std::shared_ptr<const net::TlsContext> context_;
  const net::ConnectionOptions options_;
  net_examples::EchoHandler echo_{"tls_echo_server", /*report_errors=*/true};
};

absl::StatusOr<net::TlsVerifyMode> ParseVerify(absl::string_view text) {
  if (text == "none") return net::TlsVerifyMode::kNone;
  if (text == "peer") return net::TlsVerifyMode::kPeer;
  if (text == "require") return net::TlsVerifyMode::kRequirePeer;
  if (text == "once") return net::TlsVerifyMode::kPeerOnce;
  return absl::InvalidArgumentError(
      "--verify wants none, peer, require or once");
}

}  // namespace

int main(int argc, char** argv) {
  net_examples::ServerFlags flags;
  net::TlsServerOptions tls;
  const std::optional<int> stop = net_examples::ParseFlags(
      argc, argv, "tls_echo_server", kUsage,
      [&](const std::string& name, const std::string& value) -> absl::Status {
        if (name == "--cert") {
          tls.certificate_chain_file = value;
        } else if (name == "--key") {
          tls.private_key_file = value;
        } else if (name == "--key-password") {
          tls.private_key_password = value;
        } else if (name == "--ca") {
          tls.ca_file = value;
        } else if (name == "--verify") {
          absl::StatusOr<net::TlsVerifyMode> mode = ParseVerify(value);
          if (!mode.ok()) return mode.status();
          tls.verify = *mode;
        } else {
          return net_examples::TakeServerFlag(name, value, flags);
        }
        return absl::OkStatus();
      });
  if (stop.has_value()) return *stop;
  if (tls.certificate_chain_file.empty() || tls.private_key_file.empty()) {
    std::fprintf(stderr, "tls_echo_server: --cert and --key are required\n%s",
                 kUsage);
    return 2;
  }
  absl::StatusOr<std::shared_ptr<const net::TlsContext>> context =
      net::TlsContext::NewServer(tls);
  if (!context.ok()) {
    std::fprintf(stderr, "tls_echo_server: %s\n",
                 std::string(context.status().message()).c_str());
    return 1;
  }
  net::ConnectionOptions options;
  options.write_low_water = options.write_high_water / 2;
  options.edge_triggered = !flags.level_triggered;
  return net_examples::RunServer(
      "tls_echo_server", flags, [&](net::EventLoop& loop) {
        return std::make_unique<TlsEchoServer>(loop, *context, options);
      });
}
