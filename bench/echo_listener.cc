// Copyright 2026 The net Authors.
//
// The `net` server of bench/ (issue 5): a single-threaded echo server written
// by hand on net::Listener + net::EventLoop, one IoHandler per connection.
// It was examples/echo_server until issue 12 rewrote that example on
// net::Connection (the `net-conn` server of bench/); it stays here, as it
// was, so that the `net` rows of docs/bench.md keep measuring the same code.
//
//   echo_listener [--listen ADDR:PORT] [--backend NAME] [--max-seconds N]
//                 [--trigger edge|level]
//
// Prints the address it listens on as its first line of standard output
// (port 0 picks a free port), then echoes every byte back until killed, or
// until --max-seconds pass. Idle connections hold no buffer: reads go into
// one loop-wide buffer, and only bytes the peer did not take yet are kept.
//
// Connections are watched edge-triggered (Interest::kEdgeTriggered, where
// the backend has it): every callback reads until would-block or a short
// read, and writes until done or would-block, which is also correct
// level-triggered (--trigger level, and the backends without edge
// triggering). A callback reads at most 1 MiB, then yields to the other
// connections (level-triggered until it drains). A connection is closed
// with Unwatch(kClosing): no EPOLL_CTL_DEL before the close.

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "examples/flags.h"
#include "net/net.h"

namespace {

constexpr const char kUsage[] =
    "usage: echo_listener [--listen ADDR:PORT] [--backend NAME] "
    "[--max-seconds N] [--trigger edge|level]\n"
    "  --listen       address to listen on (default 127.0.0.1:0)\n"
    "  --backend      event loop backend: default, epoll, kqueue, poll, "
    "select, iocp, wsapoll\n"
    "  --max-seconds  stop after N seconds (default: run until killed)\n"
    "  --trigger      edge (default; where the backend has it) or level: "
    "how connections are watched\n";

class EchoServer {
 public:
  EchoServer(net::EventLoop& loop, bool level_triggered)
      : loop_(loop),
        trigger_(level_triggered ? net::Interest::kNone
                                 : net::Interest::kEdgeTriggered) {}
  ~EchoServer() {
    for (Connection* c : connections_) {
      loop_.Unwatch(c->id).IgnoreError();
      delete c;
    }
  }

  void Accept(net::Socket socket) {
    auto* c = new Connection(*this, std::move(socket));
    absl::StatusOr<net::WatchId> id = loop_.Watch(
        c->socket.native_handle(), net::Interest::kReadable | trigger_, c);
    if (!id.ok()) {
      delete c;
      return;
    }
    c->id = *id;
    c->position = static_cast<std::uint32_t>(connections_.size());
    connections_.push_back(c);
  }

 private:
  // The connection is its own handler (net::IoHandler): the loop calls
  // OnReady() through the pointer it keeps, and loads this object ahead of
  // time while the event before it runs. 56 bytes: a 64-byte malloc chunk.
  struct Connection final : net::IoHandler {
    Connection(EchoServer& s, net::Socket so)
        : server(s), socket(std::move(so)) {}
    void OnReady(net::Readiness) override { server.OnReady(this); }

    EchoServer& server;
    net::Socket socket;
    net::WatchId id = 0;
    // Echo bytes the peer has not taken yet; set only while it is not
    // reading, so an idle connection holds no buffer.
    std::unique_ptr<std::string> pending;
    std::uint32_t position = 0;  // in `connections_`
    // Watched level-triggered for now, after a burst of reads was cut short
    // (see Yield()).
    bool yielded = false;
  };
  static_assert(sizeof(Connection) <= 56, "one 64-byte malloc chunk");

  // At most this many reads per event (1 MiB): a peer that sends and reads
  // as fast as we echo would otherwise keep its callback running for as
  // long as it likes, with every other connection, and timers, waiting
  // behind it (measured: 14 ms per round trip for the others).
  static constexpr int kMaxReadsPerEvent = 16;

  void Close(Connection* c) {
    loop_.Unwatch(c->id, net::UnwatchMode::kClosing).IgnoreError();
    // Swap-remove: O(1), no hashing per connection.
    connections_[c->position] = connections_.back();
    connections_[c->position]->position = c->position;
    connections_.pop_back();
    delete c;  // the loop does not touch a handler after OnReady() returns
  }

  // Writes what is pending; returns false if the connection failed.
  static bool Flush(Connection* c) {
    std::string& pending = *c->pending;
    while (!pending.empty()) {
      absl::StatusOr<net::IoResult> w = c->socket.Send(pending);
      if (!w.ok()) return false;
      if (w->would_block()) return true;
      pending.erase(0, w->bytes());
    }
    return true;
  }

  void OnReady(Connection* c) {
    if (c->pending != nullptr) {
      if (!Flush(c)) return Close(c);
      if (!c->pending->empty()) return;  // still blocked: keep waiting
      c->pending.reset();
      c->yielded = false;
      loop_.Modify(c->id, net::Interest::kReadable | trigger_).IgnoreError();
    }
    for (int reads = 0;; ++reads) {
      if (reads == kMaxReadsPerEvent) return Yield(c);
      absl::StatusOr<net::IoResult> r =
          c->socket.Receive(absl::MakeSpan(buffer_, sizeof(buffer_)));
      if (!r.ok() || r->end_of_stream()) return Close(c);
      if (r->would_block()) return Drained(c);
      const std::size_t n = r->bytes();
      std::size_t sent = 0;
      while (sent < n) {
        absl::StatusOr<net::IoResult> w =
            c->socket.Send(absl::MakeConstSpan(buffer_ + sent, n - sent));
        if (!w.ok()) return Close(c);
        if (w->would_block()) break;
        sent += w->bytes();
      }
      if (sent < n) {
        // The peer is not reading: keep the rest and stop reading until it
        // drains (backpressure), instead of buffering without bound.
        c->pending = std::make_unique<std::string>(buffer_ + sent, n - sent);
        c->yielded = false;
        loop_.Modify(c->id, net::Interest::kWritable | trigger_).IgnoreError();
        return;
      }
      if (n < sizeof(buffer_)) return Drained(c);
    }
  }

  // Leaves the rest of a burst for the next iteration. Level-triggered, the
  // loop reports the socket again on its next wait. Edge-triggered, no new
  // edge comes for bytes already there: watch it level-triggered until it
  // is drained (EPOLL_CTL_MOD reports a socket that is ready at once).
  void Yield(Connection* c) {
    if (trigger_ == net::Interest::kNone || c->yielded) return;
    c->yielded = true;
    loop_.Modify(c->id, net::Interest::kReadable).IgnoreError();
  }

  // The socket has no more to read: back to edge-triggered if Yield() left.
  void Drained(Connection* c) {
    if (!c->yielded) return;
    c->yielded = false;
    loop_.Modify(c->id, net::Interest::kReadable | trigger_).IgnoreError();
  }

  net::EventLoop& loop_;
  const net::Interest trigger_;  // kEdgeTriggered or nothing
  std::vector<Connection*> connections_;  // every open one, for shutdown
  char buffer_[64 * 1024];
};

}  // namespace

int main(int argc, char** argv) {
  net_examples::ServerFlags flags;
  const std::optional<int> stop = net_examples::ParseFlags(
      argc, argv, "echo_listener", kUsage,
      [&](const std::string& name, const std::string& value) {
        return net_examples::TakeServerFlag(name, value, flags);
      });
  if (stop.has_value()) return *stop;
  return net_examples::RunServer(
      "echo_listener", flags, [&](net::EventLoop& loop) {
        return std::make_unique<EchoServer>(loop, flags.level_triggered);
      });
}
