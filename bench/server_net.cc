// Copyright 2026 The net Authors.
//
// The net::Server echo server of bench/ (issue 14), in either strategy:
//
//   server_net [--listen ADDR:PORT] [--max-seconds N]
//              --strategy callback [--threads N]
//   server_net [--listen ADDR:PORT] [--max-seconds N]
//              --strategy threadpool --workers W [--min-workers M]
//
// Same output as the other servers of bench/: the bound address as the
// first line of standard output, then it echoes until SIGTERM (or SIGINT)
// or until --max-seconds pass; either calls net::StopAllServers() from the
// signal handler (SIGALRM for the deadline), Serve() drains for at most
// 0.5 s, and the process exits.
//
//   * callback: a net::ServerHandler on N loops (`ServerOptions::threads`),
//     the echo of examples/echo_handler.h: OnData() writes what arrived
//     and consumes it; when the write queue reaches its high-water mark
//     reading pauses until OnDrain() (backpressure). The peer's end of
//     stream closes the connection (the default).
//   * threadpool: a net::WorkerHandler on a fixed pool of W workers
//     (`pool_min = pool_max = W`, as bench/server_pool and POCO's pool),
//     each echoing with blocking ServerStream::Read() into a 64 KiB buffer
//     on its stack (bench::kBufferSize, what every server of bench/ reads
//     with) and ServerStream::Write() of all of it, until end of stream or
//     an error. --min-workers M sets `pool_min = M` (the pool grows on
//     demand to W): the idle RSS case, so that each held connection's
//     thread is counted.
//
// Both listen with the server's defaults otherwise (backlog SOMAXCONN,
// SO_REUSEADDR); TCP_NODELAY and the like are whatever net::Server does.

#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/numbers.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "bench/common.h"
#include "examples/echo_handler.h"
#include "examples/flags.h"
#include "net/net.h"
#include "net/server.h"

namespace {

constexpr const char kUsage[] =
    "usage: server_net [--listen ADDR:PORT] [--max-seconds N]\n"
    "                  --strategy callback|threadpool [--threads N]\n"
    "                  [--workers W] [--min-workers M]\n"
    "  --listen       address to listen on (default 127.0.0.1:0)\n"
    "  --max-seconds  stop after N seconds (default: run until killed)\n"
    "  --strategy     callback (loops, ServerHandler) or threadpool\n"
    "                 (workers, WorkerHandler)\n"
    "  --threads      callback: loop threads (default 1)\n"
    "  --workers      threadpool: pool_max (required for threadpool)\n"
    "  --min-workers  threadpool: pool_min (default: --workers, a fixed "
    "pool)\n";

void OnSignal(int) { net::StopAllServers(); }

absl::Status TakeCount(const std::string& name, const std::string& value,
                       int* out) {
  if (!absl::SimpleAtoi(value, out) || *out < 1 || *out > 100000) {
    return absl::InvalidArgumentError(name + " wants a whole number from 1");
  }
  return absl::OkStatus();
}

}  // namespace

int main(int argc, char** argv) {
  std::string listen = "127.0.0.1:0";
  std::string strategy;
  int max_seconds = 0;
  int threads = 1;
  int workers = 0;
  int min_workers = 0;  // 0: --workers
  const std::optional<int> stop = net_examples::ParseFlags(
      argc, argv, "server_net", kUsage,
      [&](const std::string& name, const std::string& value) {
        if (name == "--listen") {
          listen = value;
        } else if (name == "--max-seconds") {
          if (!absl::SimpleAtoi(value, &max_seconds) || max_seconds < 0) {
            return absl::InvalidArgumentError(
                "--max-seconds wants a whole number >= 0");
          }
        } else if (name == "--strategy") {
          if (value != "callback" && value != "threadpool") {
            return absl::InvalidArgumentError(
                "--strategy wants callback or threadpool");
          }
          strategy = value;
        } else if (name == "--threads") {
          return TakeCount(name, value, &threads);
        } else if (name == "--workers") {
          return TakeCount(name, value, &workers);
        } else if (name == "--min-workers") {
          return TakeCount(name, value, &min_workers);
        } else {
          return absl::NotFoundError(name);
        }
        return absl::OkStatus();
      });
  if (stop.has_value()) return *stop;
  if (strategy.empty() || (strategy == "threadpool" && workers == 0)) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  absl::StatusOr<net::SocketAddress> address =
      net::SocketAddress::Parse(listen);
  if (!address.ok()) {
    std::fprintf(stderr, "server_net: %s\n",
                 std::string(address.status().message()).c_str());
    return 2;
  }

  net::ServerOptions options;
  options.address = *address;
  options.drain_timeout = absl::Milliseconds(500);
  net_examples::ServerEcho echo;
  absl::StatusOr<std::unique_ptr<net::Server>> server;
  if (strategy == "callback") {
    options.threads = threads;
    server = net::Server::Create(options, &echo);
  } else {
    options.pool_max = workers;
    options.pool_min = min_workers == 0 || min_workers > workers
                           ? workers
                           : min_workers;
    server = net::Server::Create(options, net_examples::EchoStream);
  }
  absl::Status status = server.status();
  if (status.ok()) status = (*server)->Listen();
  absl::StatusOr<net::SocketAddress> bound =
      absl::UnknownError("not listening");
  if (status.ok()) bound = (*server)->LocalAddress();
  if (!status.ok() || !bound.ok()) {
    std::fprintf(stderr, "server_net: %s\n",
                 std::string((status.ok() ? bound.status() : status).message())
                     .c_str());
    return 1;
  }
  std::printf("%s\n", bound->ToString().c_str());
  std::fflush(stdout);

  std::signal(SIGTERM, OnSignal);
  std::signal(SIGINT, OnSignal);
  std::signal(SIGALRM, OnSignal);
  if (max_seconds > 0) alarm(static_cast<unsigned>(max_seconds));
  status = (*server)->Serve();
  server->reset();
  net::ShutdownServers();
  if (!status.ok()) {
    std::fprintf(stderr, "server_net: %s\n",
                 std::string(status.message()).c_str());
    return 1;
  }
  return 0;
}
