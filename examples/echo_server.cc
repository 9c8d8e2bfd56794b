// Copyright 2026 The net Authors.
//
// A single-threaded echo server on net::Listener + net::Connection.
//
//   echo_server [--listen ADDR:PORT] [--backend NAME] [--max-seconds N]
//               [--trigger edge|level] [--high-water BYTES]
//
// Prints the address it listens on as its first line of standard output
// (port 0 picks a free port), then echoes every byte back until killed, or
// until --max-seconds pass.
//
// Every accepted socket becomes a `net::Connection`, and one
// `ConnectionHandler` (examples/echo_handler.h) serves them all: `OnData()`
// writes what arrived and consumes it. The connection does the rest: reads
// and writes until would-block, keeps only what the peer has not taken yet
// (an idle connection holds no buffer), and flushes that before it closes.
//
// Backpressure: a peer that sends without reading its echo would otherwise
// make the server buffer without bound. Once a connection's write queue
// reaches --high-water bytes, `Write()` returns false and the server stops
// reading from that connection (`PauseReading()`); the peer's sends then
// fill the socket buffers and TCP holds it back. `OnDrain()`, when the queue
// is down to half the mark, resumes reading.
//
// A peer's end of stream (or an error) ends its connection: it is closed
// once its echo has left (bounded by the connection's linger time).
//
// --trigger edge (the default, where the backend has it) or level sets
// `ConnectionOptions::edge_triggered`; the connection reads and writes
// until would-block either way.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/string_view.h"
#include "examples/echo_handler.h"
#include "examples/flags.h"
#include "net/net.h"

namespace {

constexpr const char kUsage[] =
    "usage: echo_server [--listen ADDR:PORT] [--backend NAME] "
    "[--max-seconds N] [--trigger edge|level] [--high-water BYTES]\n"
    "  --listen       address to listen on (default 127.0.0.1:0)\n"
    "  --backend      event loop backend: default, epoll, kqueue, poll, "
    "select, iocp, wsapoll\n"
    "  --max-seconds  stop after N seconds (default: run until killed)\n"
    "  --trigger      edge (default; where the backend has it) or level: "
    "how connections are watched\n"
    "  --high-water   stop reading from a connection while this many bytes\n"
    "                 or more wait to be echoed to it; read again when half\n"
    "                 of them have left (2..4294967295, default 4194304)\n";

// Makes each accepted socket a connection served by the shared echo.
class EchoServer {
 public:
  EchoServer(net::EventLoop& loop, const net::ConnectionOptions& options)
      : loop_(loop), options_(options) {}

  void Accept(net::Socket socket) {
    absl::StatusOr<net::ConnectionPtr> c =
        net::Connection::Create(loop_, std::move(socket), options_);
    if (!c.ok()) {
      std::fprintf(stderr, "echo_server: %s\n",
                   std::string(c.status().message()).c_str());
      return;
    }
    echo_.Adopt(*std::move(c));
  }

 private:
  net::EventLoop& loop_;
  const net::ConnectionOptions options_;
  net_examples::EchoHandler echo_{"echo_server", /*report_errors=*/false};
};

}  // namespace

int main(int argc, char** argv) {
  net_examples::ServerFlags flags;
  net::ConnectionOptions options;
  const std::optional<int> stop = net_examples::ParseFlags(
      argc, argv, "echo_server", kUsage,
      [&](const std::string& name, const std::string& value) {
        if (name != "--high-water") {
          return net_examples::TakeServerFlag(name, value, flags);
        }
        std::uint32_t mark = 0;
        if (!absl::SimpleAtoi(value, &mark) || mark < 2) {
          return absl::InvalidArgumentError(
              "--high-water wants a whole number from 2 to 4294967295");
        }
        options.write_high_water = mark;
        return absl::OkStatus();
      });
  if (stop.has_value()) return *stop;
  options.write_low_water = options.write_high_water / 2;
  options.edge_triggered = !flags.level_triggered;
  return net_examples::RunServer(
      "echo_server", flags, [&](net::EventLoop& loop) {
        return std::make_unique<EchoServer>(loop, options);
      });
}
