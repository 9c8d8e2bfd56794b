// Copyright 2026 The net Authors.
//
// `net::Connection` and `net::Connect()` on every backend (ctest runs this
// once per backend: NET_EVENT_LOOP=epoll/poll/select, iocp/wsapoll). Real
// sockets on loopback; peers that misbehave are plain sockets driven by the
// test (a peer that does not read, one that resets, one that half-closes).

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "net/connect.h"
#include "net/connection.h"
#include "net/listener.h"
#include "tests/contract/echo_clients.h"
#include "tests/test_util.h"

namespace {

using net::Connection;
using net::ConnectionPtr;
using net_test::NewLoop;
using net_test::RunUntil;

using net_test::PatternByte;

std::string Pattern(std::uint64_t id, std::uint64_t offset, std::size_t n) {
  return net_test::StreamPattern(id, offset, n);
}

// A loopback TCP pair whose first socket becomes a Connection on `loop`;
// the second stays a plain socket for the test to drive.
struct ConnectionPair {
  explicit ConnectionPair(const net::ConnectionOptions& options = {}) {
    auto [a, b] = net_test::TcpPair();
    peer = std::move(b);
    absl::StatusOr<ConnectionPtr> c =
        Connection::Create(*loop, std::move(a), options);
    NET_REQUIRE_OK(c);
    connection = *std::move(c);
  }

  // Reads from the peer (blocking, with a bound) until `n` bytes or EOF.
  std::string PeerRead(std::size_t n) {
    NET_REQUIRE_OK(peer.SetOption(net::ReceiveTimeout(absl::Seconds(10))));
    std::string out;
    char buffer[65536];
    while (out.size() < n) {
      absl::StatusOr<net::IoResult> r = peer.Receive(absl::MakeSpan(buffer));
      NET_REQUIRE_OK(r);
      if (r->end_of_stream()) break;
      out.append(buffer, r->bytes());
    }
    return out;
  }

  // Reads from the peer until the connection ends; true if it ended in a
  // reset rather than a FIN. wine reports a receive after a reset as the end
  // of the stream (docs/portability.md): there the reset shows in the send
  // that follows, which a FIN would let through.
  bool PeerSawReset() {
    NET_REQUIRE_OK(peer.SetOption(net::ReceiveTimeout(absl::Seconds(10))));
    std::vector<char> buffer(1 << 20);
    for (;;) {
      absl::StatusOr<net::IoResult> r = peer.Receive(absl::MakeSpan(buffer));
      if (!r.ok()) {
        INFO(r.status().ToString());
        return net::GetSocketError(r.status()) ==
               net::SocketError::kConnectionReset;
      }
      if (r->end_of_stream()) break;
    }
    absl::StatusOr<net::IoResult> w = peer.Send(absl::string_view("?"));
    INFO(w.status().ToString());
    return !w.ok() && net::IsPeerGone(w.status());
  }

  std::unique_ptr<net::EventLoop> loop = NewLoop();
  net::Socket peer;
  ConnectionPtr connection;
};

// Records what a connection says.
struct Recorder {
  net::ConnectionCallbacks Callbacks() {
    net::ConnectionCallbacks cb;
    cb.on_data = [this](Connection&, absl::string_view data) {
      received.append(data.data(), data.size());
      return data.size();
    };
    cb.on_end_of_stream = [this](Connection&) { ++eofs; };
    cb.on_drain = [this](Connection&) { ++drains; };
    cb.on_flushed = [this](Connection&) { ++flushes; };
    cb.on_error = [this](Connection&, const absl::Status& s) {
      ++errors;
      error = s;
    };
    return cb;
  }
  std::string received;
  int eofs = 0, drains = 0, flushes = 0, errors = 0;
  absl::Status error;
};

}  // namespace

TEST_CASE("a connection delivers bytes, writes back, and sees the peer's "
          "end of stream") {
  ConnectionPair p;
  Recorder rec;
  p.connection->SetCallbacks(rec.Callbacks());
  NET_REQUIRE_OK(p.peer.SendAll(absl::string_view("hello")));
  REQUIRE(RunUntil(*p.loop, [&] { return rec.received.size() == 5; }));
  CHECK(rec.received == "hello");
  CHECK(p.connection->Write(absl::string_view("world")));
  CHECK(p.PeerRead(5) == "world");
  NET_REQUIRE_OK(p.peer.Shutdown(net::ShutdownMode::kWrite));
  REQUIRE(RunUntil(*p.loop, [&] { return rec.eofs == 1; }));
  CHECK(p.connection->peer_closed());
  // Still writable after the peer's FIN.
  CHECK(p.connection->Write(std::string("after eof")));
  CHECK(p.PeerRead(9) == "after eof");
  CHECK(rec.errors == 0);
}

TEST_CASE("unconsumed bytes stay buffered and are shown again with the next") {
  ConnectionPair p;
  std::vector<std::string> seen;
  net::ConnectionCallbacks cb;
  cb.on_data = [&](Connection&, absl::string_view data) -> std::size_t {
    seen.emplace_back(data);
    // Consume whole lines only.
    const std::size_t end = data.rfind('\n');
    return end == absl::string_view::npos ? 0 : end + 1;
  };
  p.connection->SetCallbacks(std::move(cb));
  NET_REQUIRE_OK(p.peer.SendAll(absl::string_view("one\ntw")));
  REQUIRE(RunUntil(*p.loop, [&] { return !seen.empty(); }));
  CHECK(p.connection->input() == "tw");
  NET_REQUIRE_OK(p.peer.SendAll(absl::string_view("o\n")));
  REQUIRE(RunUntil(*p.loop, [&] { return seen.size() == 2; }));
  CHECK(seen[1] == "two\n");
  CHECK(p.connection->buffered_bytes() == 0);
}

TEST_CASE("the read high-water mark stops reading until Consume() frees room") {
  net::ConnectionOptions options;
  options.read_high_water = 4096;
  ConnectionPair p(options);
  std::size_t shown = 0;
  net::ConnectionCallbacks cb;
  cb.on_data = [&](Connection&, absl::string_view data) -> std::size_t {
    shown = data.size();
    return 0;  // keep everything
  };
  p.connection->SetCallbacks(std::move(cb));
  // More than the socket buffers and one wait's receives hold, so that
  // some is still to come after Consume().
  const std::string data = Pattern(1, 0, 8 << 20);
  NET_REQUIRE_OK(p.peer.SetNonBlocking(true));
  std::size_t offered = 0;
  for (int i = 0; i < 200 && offered < data.size(); ++i) {
    absl::StatusOr<net::IoResult> w =
        p.peer.Send(absl::string_view(data).substr(offered));
    NET_REQUIRE_OK(w);
    offered += w->bytes();
    NET_REQUIRE_OK(p.loop->RunOnce(absl::Milliseconds(5)));
  }
  // Reading stopped at the first read that crossed the mark. On io_uring
  // the kernel's multishot receive runs ahead of us: what it received in
  // the wait that crossed the mark is kept too (docs/io-uring.md), so the
  // bound there is the mark plus one wait's receives, not one read.
  CHECK(p.connection->buffered_bytes() >= 4096);
  if (p.loop->backend() != net::EventLoopBackend::kIoUring) {
    CHECK(p.connection->buffered_bytes() <= 4096 + 64 * 1024);
  }
  const std::size_t held = p.connection->buffered_bytes();
  NET_REQUIRE_OK(p.loop->RunOnce(absl::Milliseconds(20)));
  CHECK(p.connection->buffered_bytes() == held);
  CHECK(p.connection->input() == absl::string_view(data).substr(0, held));
  p.connection->Consume(held);
  REQUIRE(RunUntil(*p.loop, [&] { return p.connection->buffered_bytes() > 0; }));
  CHECK(shown > 0);
}

TEST_CASE("a paused connection does not spin while its peer keeps sending") {
  ConnectionPair p;
  Recorder rec;
  p.connection->SetCallbacks(rec.Callbacks());
  p.connection->PauseReading();
  NET_REQUIRE_OK(p.peer.SetNonBlocking(true));
  const std::string chunk(16 * 1024, 'x');
  int iterations = 0;
  const absl::Time end = absl::Now() + absl::Milliseconds(300);
  while (absl::Now() < end) {
    absl::StatusOr<net::IoResult> w = p.peer.Send(chunk);
    NET_REQUIRE_OK(w);
    absl::StatusOr<int> ran = p.loop->RunOnce(absl::Milliseconds(20));
    NET_REQUIRE_OK(ran);
    ++iterations;
    CHECK(*ran == 0);  // nothing to run: no read callback
  }
  CHECK(rec.received.empty());
  MESSAGE("iterations in 300 ms: ", iterations);
  CHECK(iterations < 100);  // waits of 20 ms: about 15; spinning is thousands
  p.connection->ResumeReading();
  REQUIRE(RunUntil(*p.loop, [&] { return !rec.received.empty(); }));
}

TEST_CASE("a slow reader holds the queue within the high-water mark plus one "
          "chunk, the drain callback fires, and every byte arrives in order") {
  constexpr std::size_t kTotal = 64 << 20;
  constexpr std::size_t kChunk = 64 * 1024;
  net::ConnectionOptions options;
  options.write_high_water = 1 << 20;
  options.write_low_water = 256 * 1024;
  ConnectionPair p(options);
  std::size_t written = 0;
  std::size_t max_queued = 0;
  int drains = 0;
  auto pump = [&](Connection& c) {
    while (written < kTotal) {
      const bool more = c.Write(Pattern(7, written, kChunk));
      written += kChunk;
      max_queued = std::max(max_queued, c.queued_bytes());
      if (!more) return;
    }
    c.ShutdownWrite();
  };
  net::ConnectionCallbacks cb;
  cb.on_drain = [&](Connection& c) {
    ++drains;
    pump(c);
  };
  cb.on_error = [](Connection&, const absl::Status& s) {
    FAIL("unexpected error: ", s.ToString());
  };
  p.connection->SetCallbacks(std::move(cb));
  pump(*p.connection);
  // The peer does not read for a while: the queue must stop growing.
  for (int i = 0; i < 10; ++i) {
    NET_REQUIRE_OK(p.loop->RunOnce(absl::Milliseconds(10)));
  }
  CHECK(written < kTotal);
  CHECK(max_queued <= options.write_high_water + kChunk);
  // Now read everything on another thread while the loop runs.
  std::string head;
  std::uint64_t received = 0;
  bool in_order = true;
  std::thread reader([&] {
    NET_REQUIRE_OK(p.peer.SetOption(net::ReceiveTimeout(absl::Seconds(30))));
    std::vector<char> buffer(256 * 1024);
    for (;;) {
      absl::StatusOr<net::IoResult> r = p.peer.Receive(absl::MakeSpan(buffer));
      if (!r.ok() || r->end_of_stream()) break;
      for (std::size_t i = 0; i < r->bytes(); ++i) {
        if (buffer[i] != PatternByte(7, received + i)) in_order = false;
      }
      received += r->bytes();
    }
  });
  const bool done = RunUntil(
      *p.loop, [&] { return written >= kTotal && p.connection->queued_bytes() == 0; },
      absl::Seconds(60));
  reader.join();
  CHECK(done);
  CHECK(drains > 0);
  CHECK(max_queued <= options.write_high_water + kChunk);
  CHECK(received == kTotal);
  CHECK(in_order);
}

TEST_CASE("close with queued data delivers all of it before the FIN") {
  ConnectionPair p;
  Recorder rec;
  p.connection->SetCallbacks(rec.Callbacks());
  const std::string data = Pattern(3, 0, 8 << 20);
  p.connection->Write(absl::string_view(data));
  CHECK(p.connection->queued_bytes() > 0);  // the peer has not read yet
  p.connection->Close();
  CHECK_FALSE(p.connection->is_open());
  std::string got;
  std::thread reader([&] { got = p.PeerRead(data.size() + 1); });
  RunUntil(*p.loop, [&] { return p.loop->watch_count() == 0; });
  reader.join();
  CHECK(got.size() == data.size());
  CHECK(got == data);
  CHECK(rec.errors == 0);  // no callback after Close()
  CHECK(rec.flushes == 0);
}

TEST_CASE("releasing a connection with queued data flushes it in the "
          "background, then frees it") {
  ConnectionPair p;
  const std::string data = Pattern(4, 0, 4 << 20);
  p.connection->Write(absl::string_view(data));
  p.connection.reset();  // the owner lets go
  std::string got;
  std::thread reader([&] { got = p.PeerRead(data.size() + 1); });
  RunUntil(*p.loop, [&] { return p.loop->watch_count() == 0; });
  reader.join();
  CHECK(got == data);
  CHECK(p.loop->timer_count() == 0);  // the linger timer went with it
}

TEST_CASE("a flush that outlasts the linger time ends in a reset") {
  net::ConnectionOptions options;
  options.linger = absl::Milliseconds(100);
  ConnectionPair p(options);
  p.connection->Write(Pattern(5, 0, 16 << 20));
  const absl::Time start = absl::Now();
  p.connection.reset();
  REQUIRE(RunUntil(*p.loop, [&] { return p.loop->watch_count() == 0; }));
  CHECK(absl::Now() - start >= absl::Milliseconds(90));
  // The peer sees the reset after whatever had arrived.
  CHECK(p.PeerSawReset());
}

TEST_CASE("abort resets the connection at once and calls nothing") {
  ConnectionPair p;
  Recorder rec;
  p.connection->SetCallbacks(rec.Callbacks());
  p.connection->Write(Pattern(6, 0, 1 << 20));
  p.connection->Abort();
  CHECK_FALSE(p.connection->is_open());
  CHECK(p.PeerSawReset());
  NET_REQUIRE_OK(p.loop->RunOnce(absl::Milliseconds(10)));
  CHECK(rec.errors == 0);
}

TEST_CASE("a reset by the peer ends in one error callback, and the "
          "connection is closed after it") {
  ConnectionPair p;
  Recorder rec;
  p.connection->SetCallbacks(rec.Callbacks());
  NET_REQUIRE_OK(p.peer.SetOption(
      net::LingerOption({true, absl::ZeroDuration()})));
  NET_REQUIRE_OK(p.peer.Close());
  // Writing into the reset connection, as a server would.
  REQUIRE(RunUntil(*p.loop, [&] {
    if (p.connection->can_write()) p.connection->Write(std::string(1000, 'x'));
    return rec.errors > 0;
  }));
  CHECK(rec.errors == 1);
  CHECK(net::IsPeerGone(rec.error));
  CHECK_FALSE(p.connection->is_open());
  NET_REQUIRE_OK(p.loop->RunOnce(absl::Milliseconds(20)));
  CHECK(rec.errors == 1);
  CHECK(p.loop->watch_count() == 0);
}

TEST_CASE("the peer closing with our data unread resets us mid-write: one "
          "error") {
  ConnectionPair p;
  Recorder rec;
  p.connection->SetCallbacks(rec.Callbacks());
  // The peer has unread data from us when it closes: its kernel resets.
  p.connection->Write(std::string(1000, 'y'));
  NET_REQUIRE_OK(p.loop->RunOnce(absl::Milliseconds(10)));
  NET_REQUIRE_OK(p.peer.Close());
  const std::string chunk(64 * 1024, 'z');
  REQUIRE(RunUntil(*p.loop, [&] {
    if (p.connection->can_write()) p.connection->Write(absl::string_view(chunk));
    return rec.errors > 0;
  }));
  CHECK(rec.errors == 1);
  CHECK(net::IsPeerGone(rec.error));
}

TEST_CASE("ShutdownWrite sends the FIN after the queue drains, and reading "
          "goes on") {
  ConnectionPair p;
  Recorder rec;
  p.connection->SetCallbacks(rec.Callbacks());
  const std::string data = Pattern(8, 0, 4 << 20);
  p.connection->Write(absl::string_view(data));
  p.connection->ShutdownWrite();
  CHECK_FALSE(p.connection->can_write());
  CHECK_FALSE(p.connection->Write(absl::string_view("refused")));
  std::string got;
  std::thread reader([&] { got = p.PeerRead(data.size() + 1); });
  RunUntil(*p.loop, [&] { return p.connection->queued_bytes() == 0; });
  reader.join();
  CHECK(got == data);  // all of it, then the FIN
  NET_REQUIRE_OK(p.peer.SendAll(absl::string_view("still reading")));
  REQUIRE(RunUntil(*p.loop, [&] { return rec.received.size() == 13; }));
  CHECK(rec.errors == 0);
}

TEST_CASE("a connection destroyed inside each of its callbacks hears "
          "nothing more") {
  enum Where { kData, kEnd, kDrain, kFlushed, kError };
  constexpr std::size_t kQueued = 16 << 20;
  for (Where where : {kData, kEnd, kDrain, kFlushed, kError}) {
    CAPTURE(where);
    net::ConnectionOptions options;
    options.write_high_water = 64 * 1024;
    ConnectionPair p(options);
    int calls_after = 0;
    bool destroyed = false;
    auto destroy = [&](Where w) {
      if (destroyed) {
        ++calls_after;
        return;
      }
      if (w != where) return;
      destroyed = true;
      p.connection.reset();
    };
    net::ConnectionCallbacks cb;
    cb.on_data = [&](Connection& c, absl::string_view data) {
      destroy(kData);
      // More than the socket buffers take: the rest is queued.
      if (!destroyed && (where == kDrain || where == kFlushed)) {
        c.Write(std::string(kQueued, 'd'));
      }
      return data.size();
    };
    cb.on_end_of_stream = [&](Connection&) { destroy(kEnd); };
    cb.on_drain = [&](Connection&) { destroy(kDrain); };
    cb.on_flushed = [&](Connection&) { destroy(kFlushed); };
    cb.on_error = [&](Connection&, const absl::Status&) { destroy(kError); };
    p.connection->SetCallbacks(std::move(cb));
    NET_REQUIRE_OK(p.peer.SendAll(absl::string_view("go")));
    if (where == kEnd) NET_REQUIRE_OK(p.peer.Shutdown(net::ShutdownMode::kWrite));
    if (where == kError) {
      NET_REQUIRE_OK(p.peer.SetOption(
          net::LingerOption({true, absl::ZeroDuration()})));
      NET_REQUIRE_OK(p.peer.Close());
    }
    std::thread reader;
    std::size_t read_total = 0;
    std::string read_end = "running";
    if (where == kDrain || where == kFlushed) {
      // The peer reads only once the write is queued: with a reader already
      // draining, one send() can take all 16 MiB, and nothing is owed.
      REQUIRE(RunUntil(*p.loop, [&] {
        return p.connection->queued_bytes() > 0;
      }));
      reader = std::thread([&] {
        NET_REQUIRE_OK(p.peer.SetOption(net::ReceiveTimeout(absl::Seconds(10))));
        std::vector<char> buffer(1 << 20);
        std::size_t total = 0;
        std::string end = "all read";
        while (total < kQueued) {
          absl::StatusOr<net::IoResult> r = p.peer.Receive(absl::MakeSpan(buffer));
          if (!r.ok()) end = r.status().ToString();
          if (!r.ok() || r->end_of_stream()) {
            if (r.ok()) end = "end of stream";
            break;
          }
          total += r->bytes();
        }
        read_total = total;
        read_end = end;
      });
    }
    RunUntil(*p.loop, [&] {
      if (where == kError && p.connection && p.connection->can_write()) {
        p.connection->Write(std::string(1000, 'e'));
      }
      return destroyed;
    });
    const std::size_t queued =
        p.connection != nullptr ? p.connection->queued_bytes() : 0;
    if (reader.joinable()) reader.join();
    INFO("queued ", queued, ", peer read ", read_total, " (", read_end, ")");
    CHECK(destroyed);
    for (int i = 0; i < 5; ++i) {
      NET_REQUIRE_OK(p.loop->RunOnce(absl::Milliseconds(5)));
    }
    CHECK(calls_after == 0);
    CHECK(p.loop->watch_count() == 0);
  }
}

TEST_CASE("idle, read and write timeouts end in kTimedOut near their time") {
  struct Case {
    const char* name;
    absl::Duration idle, read, write;
  };
  for (const Case& k : {Case{"idle", absl::Milliseconds(150),
                             absl::InfiniteDuration(), absl::InfiniteDuration()},
                        Case{"read", absl::InfiniteDuration(),
                             absl::Milliseconds(200), absl::InfiniteDuration()},
                        Case{"write", absl::InfiniteDuration(),
                             absl::InfiniteDuration(), absl::Milliseconds(100)}}) {
    const std::string name = k.name;
    CAPTURE(name);
    net::ConnectionOptions options;
    options.idle_timeout = k.idle;
    options.read_timeout = k.read;
    options.write_timeout = k.write;
    ConnectionPair p(options);
    Recorder rec;
    p.connection->SetCallbacks(rec.Callbacks());
    // A queue the peer never drains, made before the clock starts (32 MiB
    // takes a while to fill under ThreadSanitizer) and moved in, not copied.
    std::string never_drained =
        name == "write" ? std::string(32 << 20, 'w') : "";
    const absl::Time start = absl::Now();
    if (!never_drained.empty()) p.connection->Write(std::move(never_drained));
    REQUIRE(RunUntil(*p.loop, [&] { return rec.errors > 0; }, absl::Seconds(5)));
    const absl::Duration took = absl::Now() - start;
    const absl::Duration limit = std::min({k.idle, k.read, k.write});
    MESSAGE(name, " timeout after ", absl::FormatDuration(took));
    CHECK(net::GetSocketError(rec.error) == net::SocketError::kTimedOut);
    CHECK(absl::StrContains(rec.error.message(), k.name));
    CHECK(took >= limit - absl::Milliseconds(5));
    CHECK(took < limit + absl::Milliseconds(500));
    CHECK_FALSE(p.connection->is_open());
  }
}

TEST_CASE("bytes keep the idle and read timeouts from firing") {
  net::ConnectionOptions options;
  options.idle_timeout = absl::Milliseconds(200);
  options.read_timeout = absl::Milliseconds(200);
  ConnectionPair p(options);
  Recorder rec;
  p.connection->SetCallbacks(rec.Callbacks());
  const absl::Time end = absl::Now() + absl::Milliseconds(600);
  while (absl::Now() < end) {
    NET_REQUIRE_OK(p.peer.SendAll(absl::string_view("k")));
    for (int i = 0; i < 5; ++i) {
      NET_REQUIRE_OK(p.loop->RunOnce(absl::Milliseconds(10)));
    }
  }
  CHECK(rec.errors == 0);
  CHECK(p.loop->timer_count() == 1);  // one timer, not one per byte
}

TEST_CASE("invalid connection options and sockets are refused") {
  auto loop = NewLoop();
  net::ConnectionOptions bad;
  bad.write_low_water = bad.write_high_water;
  auto [a, b] = net_test::TcpPair();
  absl::StatusOr<ConnectionPtr> c = Connection::Create(*loop, std::move(a), bad);
  CHECK(c.status().code() == absl::StatusCode::kInvalidArgument);
  net::ConnectionOptions infinite;
  infinite.linger = absl::InfiniteDuration();
  c = Connection::Create(*loop, std::move(b), infinite);
  CHECK(c.status().code() == absl::StatusCode::kInvalidArgument);
  c = Connection::Create(*loop, net::Socket());
  CHECK(c.status().code() == absl::StatusCode::kFailedPrecondition);
  c = Connection::Create(*loop, net_test::OpenSocket(net::AddressFamily::kIPv4,
                                                     net::SocketType::kDatagram));
  CHECK(c.status().code() == absl::StatusCode::kInvalidArgument);
}

// --- Many at once ------------------------------------------------------------

// An echo server of Connections, with backpressure: a connection whose
// queue is over the mark stops reading until it drains.
class EchoHandler final : public net::ConnectionHandler {
 public:
  std::size_t OnData(Connection& c, absl::string_view data) override {
    if (!c.Write(data) && c.can_write()) c.PauseReading();
    return data.size();
  }
  void OnEndOfStream(Connection& c) override { c.ShutdownWrite(); }
  void OnDrain(Connection& c) override { c.ResumeReading(); }
  void OnError(Connection&, const absl::Status& s) override {
    ++errors;
    last_error = s;
  }
  int errors = 0;
  absl::Status last_error;
};

TEST_CASE("1,000 concurrent connections of random sizes up to 1 MiB echo "
          "byte-exactly") {
  auto loop = NewLoop();
  int connections = 1000;
  constexpr std::size_t max_size = 1 << 20;
  if (loop->backend() == net::EventLoopBackend::kSelect) {
    // Two descriptors per connection here (both ends in this process),
    // and select(2) takes none at or above FD_SETSIZE (1024).
    connections = 400;
  }
  MESSAGE(connections, " connections, sizes up to ", max_size, " bytes");
  EchoHandler echo;
  std::vector<ConnectionPtr> servers;
  absl::StatusOr<std::unique_ptr<net::Listener>> listener = net::Listener::Bind(
      *loop, *net::SocketAddress::Parse("127.0.0.1:0"),
      [&](net::Socket s, const net::SocketAddress&) {
        absl::StatusOr<ConnectionPtr> c = Connection::Create(*loop, std::move(s));
        NET_REQUIRE_OK(c);
        (*c)->SetHandler(&echo);
        servers.push_back(*std::move(c));
      });
  NET_REQUIRE_OK(listener);
  absl::StatusOr<net::SocketAddress> where = (*listener)->LocalAddress();
  NET_REQUIRE_OK(where);

  const net_test::EchoClientsResult r = net_test::RunEchoClients(
      *loop, *where, connections, max_size, 20261205, absl::Seconds(90));
  INFO(r.failure);
  CHECK(r.in_time);
  CHECK(r.failures == 0);
  CHECK(r.connected == connections);
  CHECK(echo.errors == 0);
  CHECK(r.exact == connections);
}
