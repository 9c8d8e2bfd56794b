// Copyright 2026 The net Authors.
//
// -----------------------------------------------------------------------------
// File: examples/echo_handler.h
// -----------------------------------------------------------------------------
//
// The echo of examples/echo_server and examples/tls_echo_server: one
// `ConnectionHandler` for every connection, plain or TLS (a TLS connection
// is a `net::Connection` too).
//
// Backpressure: a peer that sends without reading its echo would otherwise
// make the server buffer without bound. Once a connection's write queue
// reaches its high-water mark, `Write()` returns false and the handler stops
// reading from that connection (`PauseReading()`); the peer's sends then
// fill the socket buffers and TCP holds it back. `OnDrain()`, at the
// low-water mark, resumes reading.
//
// A peer's end of stream (or an error) ends its connection: it is closed
// once its echo has left (bounded by the connection's linger time).

#ifndef NET_EXAMPLES_ECHO_HANDLER_H_
#define NET_EXAMPLES_ECHO_HANDLER_H_

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "net/net.h"

namespace net_examples {

// One handler for every connection: it keeps nothing per connection but
// the connection's place in `connections_` (in its context pointer).
class EchoHandler final : public net::ConnectionHandler {
 public:
  // `program` prefixes what is said on stderr; `report_errors`: say each
  // connection's error there (a TLS server's failed handshakes).
  EchoHandler(const char* program, bool report_errors)
      : program_(program), report_errors_(report_errors) {}

  // Serves `c` from now on (its handler is set: reading starts).
  void Adopt(net::ConnectionPtr c) {
    SetPosition(*c, connections_.size());
    c->SetHandler(this);
    connections_.push_back(std::move(c));
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
    // A peer that resets is no news for an echo server; a TLS server says
    // why a handshake failed.
    if (report_errors_) {
      std::fprintf(stderr, "%s: %s\n", program_,
                   std::string(error.message()).c_str());
    }
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

  const char* program_;
  bool report_errors_;
  std::vector<net::ConnectionPtr> connections_;  // every open one
};

// ServerEcho
//
// The same echo for `net::Server`'s callback strategy (examples/server_echo,
// bench/server_net), with the same backpressure. A stop closes the
// connections with nothing in flight at once; one still echoing finishes,
// or is cut at the drain deadline.
class ServerEcho final : public net::ServerHandler {
 public:
  std::size_t OnData(net::Server&, net::Connection& c,
                     absl::string_view data) override {
    if (!c.Write(data) && c.can_write()) c.PauseReading();
    return data.size();
  }
  void OnDrain(net::Server&, net::Connection& c) override {
    c.ResumeReading();
  }
  void OnClosing(net::Server&, net::Connection& c) override {
    if (c.buffered_bytes() == 0 && c.queued_bytes() == 0) c.Close();
  }
};

// EchoStream()
//
// The echo for the thread-pool strategy: one connection, on a worker, until
// the end of the stream, an error, or the server closing while the client
// is silent (a read that would wait then ends with kCancelled).
inline void EchoStream(net::ServerStream& stream) {
  char buffer[64 * 1024];
  while (true) {
    absl::StatusOr<net::IoResult> r = stream.Read(absl::MakeSpan(buffer));
    if (!r.ok() || r->end_of_stream()) return;
    if (!stream.Write(absl::string_view(buffer, r->bytes())).ok()) return;
  }
}

}  // namespace net_examples

#endif  // NET_EXAMPLES_ECHO_HANDLER_H_
