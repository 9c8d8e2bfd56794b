// Copyright 2026 The net Authors.
//
// What only the io_uring backend can get wrong (issue 19): receives that
// find the loop's buffer ring empty, operations in flight when a connection
// or listener goes away (cancellation races), and the ring's hold on a
// socket delaying a close. Runs in the event-loop suite; on the other
// backends each case skips with its reason. RELIABILITY.md C6 (reset while
// writing), C10 (peer sends while reading is paused), R3 (nothing left
// behind), and the use-after-free cases of libevent's #157 and #1774 (a
// handle freed while the kernel still works for it).

#include <algorithm>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "core/loop_internal.h"
#include "net/connection.h"
#include "net/listener.h"
#include "net/options.h"
#include "platform/sys.h"
#include "tests/contract/echo_clients.h"
#include "tests/test_util.h"

namespace {

using net::Connection;
using net::ConnectionPtr;
using net_test::NewLoop;
using net_test::RunUntil;

bool OnIoUring(net::EventLoop& loop) {
  return loop.backend() == net::EventLoopBackend::kIoUring;
}

#define NET_REQUIRE_IO_URING(loop)                                        \
  do {                                                                    \
    if (!OnIoUring(loop)) {                                               \
      NET_SKIP(std::string("io_uring only (this loop runs on ") +         \
               std::string(net::EventLoopBackendName((loop).backend())) + \
               ")");                                                      \
    }                                                                     \
  } while (false)

// Whether `peer` sees the end of the stream or a reset within `limit`,
// without the loop running: the close took effect by itself.
bool PeerSeesEnd(net::Socket& peer, absl::Duration limit) {
  NET_CHECK_OK(peer.SetOption(net::ReceiveTimeout(limit)));
  char buffer[65536];
  for (;;) {
    absl::StatusOr<net::IoResult> r = peer.Receive(absl::MakeSpan(buffer));
    if (!r.ok()) {
      return net::GetSocketError(r.status()) ==
             net::SocketError::kConnectionReset;
    }
    if (r->end_of_stream()) return true;
  }
}

// A connection on an io_uring loop and its peer, a plain socket; `calls`
// counts the connection's callbacks. Skips off io_uring.
struct RingPair {
  RingPair() {
    if (!OnIoUring(*loop)) return;
    auto [a, b] = net_test::TcpPair();
    peer = std::move(b);
    absl::StatusOr<ConnectionPtr> c = Connection::Create(*loop, std::move(a));
    NET_REQUIRE_OK(c);
    connection = *std::move(c);
  }
  // Callbacks that count; `on_data` consumes everything unless given.
  void Count(std::function<std::size_t(Connection&, absl::string_view)>
                 on_data = nullptr) {
    net::ConnectionCallbacks cb;
    cb.on_data = [this, on_data](Connection& c, absl::string_view d) {
      ++calls;
      return on_data ? on_data(c, d) : d.size();
    };
    cb.on_error = [this](Connection&, const absl::Status&) { ++calls; };
    connection->SetCallbacks(std::move(cb));
  }
  std::unique_ptr<net::EventLoop> loop = NewLoop();
  net::Socket peer;
  ConnectionPtr connection;
  int calls = 0;
};

// Runs a few iterations; then nothing was called and nothing is left.
void CheckQuietAfter(net::EventLoop& loop, const int& calls) {
  for (int i = 0; i < 5; ++i) NET_REQUIRE_OK(loop.RunOnce(absl::Milliseconds(5)));
  CHECK(calls == 0);
  CHECK(loop.watch_count() == 0);
}

TEST_CASE("receives that find the buffer ring empty start again and lose no "
          "byte") {
  auto loop = NewLoop();
  NET_REQUIRE_IO_URING(*loop);
  // More than the ring's buffers hold (8 x 64 KiB) arrives in one wait:
  // 64 connections with up to 512 KiB each waiting before reading starts.
  constexpr int kConnections = 64;
  constexpr std::size_t kBytes = 512 * 1024;
  struct Side {
    net::Socket peer;
    ConnectionPtr connection;
    std::string got;
    std::string sent;
  };
  std::vector<Side> sides(kConnections);
  for (int i = 0; i < kConnections; ++i) {
    auto [a, b] = net_test::TcpPair();
    sides[i].peer = std::move(b);
    absl::StatusOr<ConnectionPtr> c = Connection::Create(*loop, std::move(a));
    NET_REQUIRE_OK(c);
    sides[i].connection = *std::move(c);
    sides[i].sent = net_test::StreamPattern(i, 0, kBytes);
    NET_REQUIRE_OK(sides[i].peer.SetNonBlocking(true));
  }
  std::size_t offered = 0;
  std::vector<std::size_t> at(kConnections, 0);
  for (int i = 0; i < kConnections; ++i) {
    absl::StatusOr<net::IoResult> w =
        sides[i].peer.Send(absl::string_view(sides[i].sent));
    NET_REQUIRE_OK(w);
    at[i] = w->bytes();
    offered += w->bytes();
  }
  MESSAGE("waiting before reading starts: ", offered, " bytes");
  for (Side& side : sides) {
    net::ConnectionCallbacks cb;
    cb.on_data = [&side](Connection&, absl::string_view data) {
      side.got.append(data.data(), data.size());
      return data.size();
    };
    side.connection->SetCallbacks(std::move(cb));
  }
  auto done = [&] {
    bool all = true;
    for (int i = 0; i < kConnections; ++i) {
      Side& side = sides[i];
      if (at[i] < kBytes) {
        absl::StatusOr<net::IoResult> w =
            side.peer.Send(absl::string_view(side.sent).substr(at[i]));
        if (w.ok()) at[i] += w->bytes();
      }
      all = all && side.got.size() == kBytes;
    }
    return all;
  };
  REQUIRE(RunUntil(*loop, done, absl::Seconds(30)));
  for (int i = 0; i < kConnections; ++i) {
    CHECK(sides[i].got == sides[i].sent);
  }
  net::sys::CompletionIo* io = net::internal::LoopCompletions(*loop);
  REQUIRE(io != nullptr);
  MESSAGE("receives started again after the ring ran dry: ",
          io->buffer_exhaustions());
  CHECK(io->buffer_exhaustions() > 0);
}

TEST_CASE("a connection destroyed while its receive is in flight sends its "
          "FIN at once, and nothing is called after") {
  RingPair p;
  NET_REQUIRE_IO_URING(*p.loop);
  p.Count();
  NET_REQUIRE_OK(p.loop->RunOnce(absl::Milliseconds(10)));  // receive armed
  p.connection.reset();
  // The ring held the socket while its receive was in flight: the FIN must
  // not wait for the loop to run again.
  CHECK(PeerSeesEnd(p.peer, absl::Seconds(2)));
  (void)p.peer.SendAll(std::string("late"));  // may fail: the peer is gone
  CheckQuietAfter(*p.loop, p.calls);
}

TEST_CASE("a connection destroyed inside a receive completion gets none of "
          "the completions already collected for it") {
  RingPair p;
  NET_REQUIRE_IO_URING(*p.loop);
  p.Count([&](Connection&, absl::string_view) -> std::size_t {
    p.connection.reset();  // destroyed inside its own completion
    return 0;
  });
  // Several receives' worth waits before the first wait: the kernel's
  // multishot receive collects them in one batch.
  NET_REQUIRE_OK(p.peer.SetNonBlocking(true));
  const std::string chunk(256 * 1024, 'x');
  NET_REQUIRE_OK(p.peer.Send(chunk).status());
  for (int i = 0; i < 5; ++i) {
    NET_REQUIRE_OK(p.loop->RunOnce(absl::Milliseconds(5)));
  }
  CHECK(p.calls == 1);
  CHECK(p.connection == nullptr);
  CHECK(p.loop->watch_count() == 0);
}

TEST_CASE("aborting a connection with a send in flight resets it at once") {
  RingPair p;
  NET_REQUIRE_IO_URING(*p.loop);
  p.Count();
  // From a callback (a timer), so the write waits for the ring: the peer
  // does not read, so the send stays in flight.
  p.loop->AddTimer(absl::ZeroDuration(), [&] {
    p.connection->Write(std::string(16 << 20, 'y'));
  });
  for (int i = 0; i < 5; ++i) {
    NET_REQUIRE_OK(p.loop->RunOnce(absl::Milliseconds(5)));
  }
  REQUIRE(p.connection->queued_bytes() > 0);
  p.connection->Abort();
  CHECK(PeerSeesEnd(p.peer, absl::Seconds(2)));
  p.connection.reset();
  CheckQuietAfter(*p.loop, p.calls);
}

// An echo handler: writes back what it gets, and records how many ring
// buffers are held right after each write.
struct Echo {
  explicit Echo(net::EventLoop& loop) : io(net::internal::LoopCompletions(loop)) {}
  void Attach(Connection& c) {
    net::ConnectionCallbacks cb;
    cb.on_data = [this](Connection& conn, absl::string_view d) {
      conn.Write(d);
      max_held = std::max(max_held, io->held_buffers());
      return d.size();
    };
    cb.on_error = [this](Connection&, const absl::Status& s) { error = s; };
    c.SetCallbacks(std::move(cb));
  }
  net::sys::CompletionIo* io;
  std::size_t max_held = 0;
  absl::Status error;
};

// A RingPair whose connection echoes; its peer is non-blocking.
struct EchoPair : RingPair {
  EchoPair() : echo(*loop) {
    if (connection == nullptr) return;  // not on io_uring
    echo.Attach(*connection);
    NET_CHECK_OK(peer.SetNonBlocking(true));
  }
  Echo echo;
};

// One peer's side of a stream through an echo: `sent` offered on a
// non-blocking `peer` as the socket takes it, and the echo collected.
struct PeerStream {
  PeerStream(net::Socket& socket, std::uint64_t id, std::size_t bytes)
      : peer(&socket), sent(net_test::StreamPattern(id, 0, bytes)) {}
  // Sends more of `sent` if the socket takes it.
  void Offer() {
    if (at == sent.size()) return;
    absl::StatusOr<net::IoResult> w =
        peer->Send(absl::string_view(sent).substr(at));
    if (w.ok()) at += w->bytes();
  }
  // Reads whatever has come back.
  void Collect() {
    char buffer[65536];
    for (;;) {
      absl::StatusOr<net::IoResult> r = peer->Receive(absl::MakeSpan(buffer));
      if (!r.ok() || r->bytes() == 0) return;
      got.append(buffer, r->bytes());
    }
  }
  bool all_back() const { return got.size() >= sent.size(); }

  net::Socket* peer;
  std::string sent;
  std::size_t at = 0;
  std::string got;
};

// Sends `bytes` of the stream pattern on `peer` (non-blocking) and reads the
// echo back, running the loop in between; true when all came back equal.
bool EchoThrough(net::EventLoop& loop, net::Socket& peer, std::uint64_t id,
                 std::size_t bytes) {
  PeerStream stream(peer, id, bytes);
  auto done = [&] {
    stream.Offer();
    stream.Collect();
    return stream.all_back();
  };
  return RunUntil(loop, done, absl::Seconds(20)) && stream.got == stream.sent;
}

TEST_CASE("bytes a callback writes back leave from the ring's buffer, and the "
          "buffer returns after the send") {
  EchoPair p;
  NET_REQUIRE_IO_URING(*p.loop);
  Echo& echo = p.echo;
  // 4 MiB in pieces of whatever size the peer's sends make, byte-exact.
  CHECK(EchoThrough(*p.loop, p.peer, 1, 4 << 20));
  CHECK(echo.error.ok());
  // The writes held ring memory instead of copying it ...
  CHECK(echo.max_held >= 1);
  // ... and gave it back once sent.
  REQUIRE(RunUntil(*p.loop, [&] { return echo.io->held_buffers() == 0; },
                   absl::Seconds(5)));
  CHECK(p.connection->queued_bytes() == 0);
}

TEST_CASE("peers that do not read hold at most half of the ring's buffers: "
          "other connections still echo, and every byte comes back") {
  auto loop = NewLoop();
  NET_REQUIRE_IO_URING(*loop);
  Echo echo(*loop);
  const std::size_t half = echo.io->buffer_count() / 2;
  // Each peer offers more than its socket buffers and ours take, and does
  // not read: the echoes queue up behind sends that cannot finish.
  constexpr int kPeers = 8;
  constexpr std::size_t kBytes = 8 << 20;
  std::vector<net::Socket> peers(kPeers);
  std::vector<ConnectionPtr> connections;
  std::vector<PeerStream> streams;
  for (int i = 0; i < kPeers; ++i) {
    auto [a, b] = net_test::TcpPair();
    NET_REQUIRE_OK(b.SetNonBlocking(true));
    absl::StatusOr<ConnectionPtr> c = Connection::Create(*loop, std::move(a));
    NET_REQUIRE_OK(c);
    echo.Attach(**c);
    connections.push_back(*std::move(c));
    peers[i] = std::move(b);
    streams.emplace_back(peers[i], i, kBytes);
  }
  std::size_t stalled_rounds = 0;
  std::size_t last_total = 0;
  auto offer = [&] {
    std::size_t total = 0;
    for (PeerStream& stream : streams) {
      stream.Offer();
      total += stream.at;
    }
    stalled_rounds = total == last_total ? stalled_rounds + 1 : 0;
    last_total = total;
    return stalled_rounds >= 20;  // nothing more goes in
  };
  REQUIRE(RunUntil(*loop, offer, absl::Seconds(30)));
  MESSAGE("offered before the peers stalled: ", last_total, " bytes; ring "
          "buffers held at most: ", echo.max_held, " of ",
          echo.io->buffer_count());
  // The cap was reached, and held.
  CHECK(echo.max_held == half);
  CHECK(echo.io->held_buffers() <= half);
  // Receives still have buffers: a new connection echoes.
  {
    auto [a, b] = net_test::TcpPair();
    NET_REQUIRE_OK(b.SetNonBlocking(true));
    absl::StatusOr<ConnectionPtr> c = Connection::Create(*loop, std::move(a));
    NET_REQUIRE_OK(c);
    Echo fresh(*loop);
    fresh.Attach(**c);
    CHECK(EchoThrough(*loop, b, 99, 256 * 1024));
  }
  // Now the peers read: every byte comes back in order (held and copied
  // chunks alike), and every buffer returns.
  auto drained = [&] {
    bool all = true;
    for (PeerStream& stream : streams) {
      stream.Offer();
      stream.Collect();
      all = all && stream.got.size() == kBytes;
    }
    return all;
  };
  REQUIRE(RunUntil(*loop, drained, absl::Seconds(60)));
  for (const PeerStream& stream : streams) CHECK(stream.got == stream.sent);
  CHECK(echo.error.ok());
  REQUIRE(RunUntil(*loop, [&] { return echo.io->held_buffers() == 0; },
                   absl::Seconds(5)));
}

TEST_CASE("a loop destroyed while a closing connection's queue holds ring "
          "buffers frees everything and touches nothing") {
  EchoPair p;
  NET_REQUIRE_IO_URING(*p.loop);
  Echo& echo = p.echo;
  // The peer sends and never reads, until echoes wait in the queue with
  // ring buffers held.
  PeerStream stream(p.peer, 7, 8 << 20);
  REQUIRE(RunUntil(*p.loop, [&] {
    stream.Offer();
    return echo.io->held_buffers() > 0 && p.connection->queued_bytes() > 0;
  }, absl::Seconds(20)));
  SUBCASE("closing (lingering with its queue) when the loop goes") {
    p.connection->Close();
    p.connection.reset();
  }
  SUBCASE("closing, and destroyed only after the loop went") {
    p.connection->Close();
    p.loop.reset();
  }
  SUBCASE("aborted (its send cancelled, still in flight) when the loop goes") {
    p.connection->Abort();
    p.connection.reset();
  }
  // ASan and valgrind tell whether anything touched the ring after it went.
  p.loop.reset();
  p.connection.reset();
}

TEST_CASE("a loop on io_uring run by a second thread says which thread runs "
          "it, and goes on working on the first") {
  auto loop = NewLoop();
  NET_REQUIRE_IO_URING(*loop);
  // The first thread to run it binds the ring (SINGLE_ISSUER).
  NET_REQUIRE_OK(loop->RunOnce(absl::ZeroDuration()));
  int ran = 0;
  loop->AddTimer(absl::ZeroDuration(), [&] { ++ran; });
  absl::Status other;
  std::thread([&] { other = loop->RunOnce(absl::ZeroDuration()).status(); })
      .join();
  CHECK(absl::IsFailedPrecondition(other));
  CHECK(other.message().find("first ran it") != absl::string_view::npos);
  MESSAGE(other.ToString());
  CHECK(ran == 0);  // nothing ran on the wrong thread
  // The loop's own thread goes on.
  RunUntil(*loop, [&] { return ran == 1; }, absl::Seconds(2));
  CHECK(ran == 1);
}

TEST_CASE("a listener destroyed with its accept in flight stops listening at "
          "once") {
  auto loop = NewLoop();
  NET_REQUIRE_IO_URING(*loop);
  int accepted = 0;
  absl::StatusOr<std::unique_ptr<net::Listener>> listener = net::Listener::Bind(
      *loop,
      net::SocketAddress(net::IpAddress::Loopback(net::AddressFamily::kIPv4), 0),
      [&](net::Socket, const net::SocketAddress&) { ++accepted; });
  NET_REQUIRE_OK(listener);
  absl::StatusOr<net::SocketAddress> where = (*listener)->LocalAddress();
  NET_REQUIRE_OK(where);
  NET_REQUIRE_OK(loop->RunOnce(absl::Milliseconds(10)));  // accept armed
  listener->reset();
  // Without the loop running: nobody listens on the port any more.
  absl::StatusOr<net::Socket> client =
      net::Socket::Open(net::AddressFamily::kIPv4, net::SocketType::kStream);
  NET_REQUIRE_OK(client);
  absl::Status connected = client->Connect(*where);
  CHECK(net::GetSocketError(connected) == net::SocketError::kConnectionRefused);
  for (int i = 0; i < 5; ++i) NET_REQUIRE_OK(loop->RunOnce(absl::Milliseconds(5)));
  CHECK(accepted == 0);
  CHECK(loop->watch_count() == 0);
}

}  // namespace
