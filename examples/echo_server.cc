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
// `ConnectionHandler` (the server itself) serves them all: `OnData()`
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

// One handler for every connection: it keeps nothing per connection but
// the connection's place in `connections_` (in its context pointer).
class EchoServer final : public net::ConnectionHandler {
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
    SetPosition(**c, connections_.size());
    (*c)->SetHandler(this);  // starts reading
    connections_.push_back(*std::move(c));
  }

  std::size_t OnData(net::Connection& c, absl::string_view data) override {
    // False: the queue is at the high-water mark (the bytes were taken all
    // the same), or the connection failed (OnError() follows).
    if (!c.Write(data) && c.can_write()) c.PauseReading();
    return data.size();
  }

  void OnDrain(net::Connection& c) override { c.ResumeReading(); }

  void OnEndOfStream(net::Connection& c) override { Remove(c); }

  void OnError(net::Connection& c, const absl::Status& error) override {
    (void)error;  // a peer that resets is no news for an echo server
    Remove(c);
  }

 private:
  static std::size_t Position(const net::Connection& c) {
    return reinterpret_cast<std::uintptr_t>(c.context());
  }
  static void SetPosition(net::Connection& c, std::size_t position) {
    c.set_context(reinterpret_cast<void*>(std::uintptr_t{position}));
  }

  // Lets the connection go: destroying its pointer closes it once its
  // queue has left (safe inside its own callback). Swap-remove: O(1).
  void Remove(net::Connection& c) {
    const std::size_t position = Position(c);
    net::ConnectionPtr gone = std::move(connections_[position]);
    if (position + 1 < connections_.size()) {
      connections_[position] = std::move(connections_.back());
      SetPosition(*connections_[position], position);
    }
    connections_.pop_back();
  }

  net::EventLoop& loop_;
  const net::ConnectionOptions options_;
  std::vector<net::ConnectionPtr> connections_;  // every open one
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
