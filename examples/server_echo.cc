// Copyright 2026 The net Authors.
//
// server_echo: an echo server on `net::Server`, in either of cp_socket's
// strategies, plain or TLS. The same program on Linux, macOS and Windows.
//
//   server_echo --listen ADDR:PORT --strategy callback|threadpool
//               [--threads N] [--workers N | --pool-min N --pool-max N]
//               [--cert FILE --key FILE --verify none|peer|require|once
//                [--ca FILE]]
//               [--backend NAME] [--max-seconds N] [--drain-seconds N]
//
// The first line on standard output is the bound address. SIGINT and
// SIGTERM call `net::StopAllServers()` from the signal handler (net installs
// none of its own); the server then drains for up to --drain-seconds (2 by
// default: connections with nothing in flight close at once, the others
// are cut at the deadline) and the program exits 0. --max-seconds N stops
// it the same way after N seconds. Exit status 1: the server could not
// start (the reason on standard error: address in use, permission denied,
// a missing certificate ...); 2: a bad command line.
//
// --workers N is --pool-min N --pool-max N (a fixed pool).

#include <csignal>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "examples/echo_handler.h"
#include "examples/flags.h"
#include "net/net.h"

namespace {

constexpr char kProgram[] = "server_echo";
constexpr char kUsage[] =
    "usage: server_echo --listen ADDR:PORT --strategy callback|threadpool\n"
    "         [--threads N] [--workers N | --pool-min N --pool-max N]\n"
    "         [--cert FILE --key FILE --verify none|peer|require|once "
    "[--ca FILE]]\n"
    "         [--backend NAME] [--max-seconds N] [--drain-seconds N]\n";

void OnSignal(int) { net::StopAllServers(); }

absl::Status Positive(const std::string& name, const std::string& value,
                      int* out) {
  if (!absl::SimpleAtoi(value, out) || *out < 1) {
    return absl::InvalidArgumentError(name + " wants a whole number >= 1");
  }
  return absl::OkStatus();
}

}  // namespace

int main(int argc, char** argv) {
  net_examples::ServerFlags flags;
  flags.listen.clear();
  std::string strategy, cert, key, verify, ca;
  int threads = 1, pool_min = 0, pool_max = 0, workers = 0, drain_seconds = 2;
  if (std::optional<int> done = net_examples::ParseFlags(
          argc, argv, kProgram, kUsage,
          [&](const std::string& name, const std::string& value) {
            if (name == "--strategy") {
              if (value != "callback" && value != "threadpool") {
                return absl::InvalidArgumentError(
                    "--strategy wants callback or threadpool");
              }
              strategy = value;
            } else if (name == "--threads") {
              return Positive(name, value, &threads);
            } else if (name == "--workers") {
              return Positive(name, value, &workers);
            } else if (name == "--pool-min") {
              return Positive(name, value, &pool_min);
            } else if (name == "--pool-max") {
              return Positive(name, value, &pool_max);
            } else if (name == "--drain-seconds") {
              if (!absl::SimpleAtoi(value, &drain_seconds) ||
                  drain_seconds < 0) {
                return absl::InvalidArgumentError(
                    "--drain-seconds wants a whole number >= 0");
              }
            } else if (name == "--cert") {
              cert = value;
            } else if (name == "--key") {
              key = value;
            } else if (name == "--ca") {
              ca = value;
            } else if (name == "--verify") {
              if (value != "none" && value != "peer" && value != "require" &&
                  value != "once") {
                return absl::InvalidArgumentError(
                    "--verify wants none, peer, require or once");
              }
              verify = value;
            } else {
              return net_examples::TakeServerFlag(name, value, flags);
            }
            return absl::OkStatus();
          })) {
    return *done;
  }
  auto usage = [](const char* what) {
    std::fprintf(stderr, "%s: %s\n%s", kProgram, what, kUsage);
    return 2;
  };
  if (flags.listen.empty()) return usage("--listen is required");
  if (strategy.empty()) return usage("--strategy is required");
  if (workers > 0 && (pool_min > 0 || pool_max > 0)) {
    return usage("--workers excludes --pool-min and --pool-max");
  }
  if (cert.empty() != key.empty()) return usage("--cert and --key go together");
  if (cert.empty() && (!verify.empty() || !ca.empty())) {
    return usage("--verify and --ca need --cert and --key");
  }
  absl::StatusOr<net::SocketAddress> address =
      net::SocketAddress::Parse(flags.listen);
  if (!address.ok()) return usage(std::string(address.status().message()).c_str());

  net::ServerOptions options;
  options.address = *address;
  options.threads = threads;
  options.loop = flags.loop;
  options.connection.edge_triggered = !flags.level_triggered;
  options.drain_timeout = absl::Seconds(drain_seconds);
  if (workers > 0) pool_min = pool_max = workers;
  if (pool_min > 0) options.pool_min = pool_min;
  if (pool_max > 0) options.pool_max = pool_max;
  if (pool_min > 0 && pool_max == 0 && options.pool_max < pool_min) {
    options.pool_max = pool_min;
  }
  if (!cert.empty()) {
    net::TlsServerOptions tls;
    tls.certificate_chain_file = cert;
    tls.private_key_file = key;
    tls.ca_file = ca;
    tls.verify = verify == "peer"      ? net::TlsVerifyMode::kPeer
                 : verify == "require" ? net::TlsVerifyMode::kRequirePeer
                 : verify == "once"    ? net::TlsVerifyMode::kPeerOnce
                                       : net::TlsVerifyMode::kNone;
    options.tls = tls;
  }
  options.on_error = [](const absl::Status& error) {
    std::fprintf(stderr, "%s: %s\n", kProgram,
                 std::string(error.message()).c_str());
  };
  net_examples::ServerEcho echo;
  absl::StatusOr<std::unique_ptr<net::Server>> server =
      strategy == "callback" ? net::Server::Create(options, &echo)
                             : net::Server::Create(options, net_examples::EchoStream);
  auto fail = [](const absl::Status& s) {
    std::fprintf(stderr, "%s: %s\n", kProgram, std::string(s.message()).c_str());
    return 1;
  };
  if (!server.ok()) return fail(server.status());
  if (absl::Status s = (*server)->Listen(); !s.ok()) return fail(s);
  absl::StatusOr<net::SocketAddress> bound = (*server)->LocalAddress();
  if (!bound.ok()) return fail(bound.status());
  std::printf("%s\n", bound->ToString().c_str());
  std::fflush(stdout);

  std::signal(SIGINT, OnSignal);
  std::signal(SIGTERM, OnSignal);
  absl::Notification served;
  std::thread timer;
  if (flags.max_seconds > 0) {
    timer = std::thread([&] {
      if (!served.WaitForNotificationWithTimeout(
              absl::Seconds(flags.max_seconds))) {
        (*server)->Stop();
      }
    });
  }
  const absl::Status result = (*server)->Serve();
  served.Notify();
  if (timer.joinable()) timer.join();
  const net::ServerStats stats = (*server)->stats();
  std::fprintf(stderr, "%s: stopped after %llu connections (%llu cut)\n",
               kProgram, static_cast<unsigned long long>(stats.accepted),
               static_cast<unsigned long long>(stats.cut));
  net::ShutdownServers();
  if (!result.ok()) return fail(result);
  return 0;
}
