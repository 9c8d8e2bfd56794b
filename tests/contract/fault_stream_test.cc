// Copyright 2026 The net Authors.
//
// Backend errors injected under `net::Connection` and the async connect
// (platform/fault.h, issue 17), on every event loop backend (this file is
// built into the per-backend executables: NET_EVENT_LOOP=epoll/poll/select,
// iocp/wsapoll under wine, where the codes are the WSA ones). Each case
// fails one system call of the socket under test (the rule is narrowed to
// its handle) and proves what core/connection.cc, core/connect.cc and
// core/happy_eyeballs.cc do with the error; each checks that the injection
// really fired. It proves (shared/RELIABILITY.md):
//
//   C6  a receive error (reset, no buffer space) ends a connection in
//       exactly one OnError() with that error and nothing after it; a send
//       error (no buffer space, broken pipe) likewise, from the direct write
//       in Write() (reported from the loop, never inside the call) and from
//       a queued, vectored write.
//   C10/R6  a run of 50 would-blocks from send() with the send buffer
//       really full, on a level-triggered watch: every byte still arrives,
//       in order. (Edge-triggered, an injected would-block stalls the
//       queue: see the case's comment; no real would-block can.)
//   L1  a failing shutdown() in ShutdownWrite() (with nothing queued, and
//       after the queue drained) is reported once in OnError().
//   L3/R3  a failing close() (EIO / WSAENETDOWN, and EINTR, which POSIX
//       takes as success) is made once (no double close), crashes nothing,
//       and leaks no descriptor of the connection's; a failing SO_LINGER in
//       Abort() still closes the socket once.
//   R1/R3  socket() failing with EMFILE in Connect(): one callback with
//       kTooManyOpenFiles.
//   R7  connect() failing with EADDRNOTAVAIL: one callback with
//       kAddressNotAvailable; Socket::Connect(address, timeout) says the same.
//   C4  the SO_ERROR read after a non-blocking connect failing (kGetOption on
//       the loop, kConnectResult in Socket::Connect with a timeout): one
//       clean error, the socket closed.
//   C11 Happy Eyeballs: an attempt failed by injection falls through to the
//       next address at once; all failing reports the last error once.

#include <cerrno>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "net/connect.h"
#include "net/connection.h"
#include "net/options.h"
#include "tests/contract/fault_util.h"
#include "tests/test_util.h"

#if NET_HAS_FAULT_INJECTION

// In namespace net_test: the helpers (test_util.h, fault_util.h) and the
// fault hook's names need no using-declarations.
namespace net_test {
namespace {

using net::Connection;
using net::ConnectionPtr;
using net::SocketError;

// `n` bytes of a pattern whose every byte depends on its offset (so a
// dropped, repeated or reordered piece shows).
std::string Pattern(std::size_t n, std::size_t from = 0) {
  std::string s(n, '\0');
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t k = from + i;
    s[i] = static_cast<char>((k * 131 + (k >> 9) * 7 + 3) & 0xff);
  }
  return s;
}

// What a connection told, in order.
struct Recorded {
  std::vector<std::string> events;
  std::string data;
  absl::Status error;
  int errors = 0;
};

net::ConnectionCallbacks Record(Recorded& r) {
  net::ConnectionCallbacks cb;
  cb.on_data = [&r](Connection&, absl::string_view d) {
    r.events.push_back("data");
    r.data.append(d.data(), d.size());
    return d.size();
  };
  cb.on_end_of_stream = [&r](Connection&) { r.events.push_back("eof"); };
  cb.on_drain = [&r](Connection&) { r.events.push_back("drain"); };
  cb.on_flushed = [&r](Connection&) { r.events.push_back("flushed"); };
  cb.on_error = [&r](Connection&, const absl::Status& s) {
    r.events.push_back("error");
    r.error = s;
    ++r.errors;
  };
  return cb;
}

// A loopback pair whose first socket is a Connection on a loop of the
// backend under test; the second a plain blocking socket for the test.
struct Pair {
  explicit Pair(const net::ConnectionOptions& options = {},
                bool small_buffers = false) {
    auto [a, b] = net_test::TcpPair();
    if (small_buffers) {
      // 64 KiB each way: the peer's reads make room the writer sees.
      NET_REQUIRE_OK(a.SetOption(net::SendBufferSize(64 * 1024)));
      NET_REQUIRE_OK(b.SetOption(net::ReceiveBufferSize(64 * 1024)));
    }
    peer = std::move(b);
    handle = a.native_handle();
    absl::StatusOr<ConnectionPtr> c =
        Connection::Create(*loop, std::move(a), options);
    NET_REQUIRE_OK(c);
    connection = *std::move(c);
    connection->SetCallbacks(Record(recorded));
  }

  // Runs the loop for `d`, returns how many iterations ran callbacks.
  int Idle(absl::Duration d = absl::Milliseconds(200)) {
    int ran = 0;
    const absl::Time end = absl::Now() + d;
    while (absl::Now() < end) {
      absl::StatusOr<int> r = loop->RunOnce(absl::Milliseconds(50));
      NET_REQUIRE_OK(r);
      ran += *r;
    }
    return ran;
  }

  std::unique_ptr<net::EventLoop> loop = NewLoop();
  net::Socket peer;
  net::NativeHandle handle = net::kInvalidHandle;
  Recorded recorded;
  ConnectionPtr connection;
};

// The end every failure must reach: one OnError() with `want`, last; the
// connection closed, its registration gone, nothing more on an idle loop.
void CheckFailedOnce(Pair& p, SocketError want) {
  INFO("events: ", absl::StrJoin(p.recorded.events, ", "),
       "; error: ", p.recorded.error.ToString());
  CHECK(p.recorded.errors == 1);
  REQUIRE_FALSE(p.recorded.events.empty());
  CHECK(p.recorded.events.back() == "error");
  CHECK(net::GetSocketError(p.recorded.error) == want);
  CHECK_FALSE(p.connection->is_open());
  CHECK_FALSE(p.connection->can_write());
  CHECK(p.loop->watch_count() == 0);
  const std::size_t seen = p.recorded.events.size();
  CHECK(p.Idle() == 0);
  CHECK(p.recorded.events.size() == seen);
  CHECK_FALSE(p.connection->Write(std::string("late")));
}

// One receive on the peer; returns the bytes (none on would-block, end of
// stream or error).
std::string PeerReadSome(net::Socket& peer, std::size_t at_most) {
  std::string out(at_most, '\0');
  absl::StatusOr<net::IoResult> r = peer.Receive(absl::MakeSpan(out));
  out.resize(r.ok() ? r->bytes() : 0);
  return out;
}

struct Code {
  const char* posix;
  const char* windows;
  SocketError portable;
};

// ---------------------------------------------------------------------------
// Receive

TEST_CASE("a receive error on a connection ends it in exactly one OnError "
          "with that error, and nothing after it") {
  for (const Code& code : {Code{"ECONNRESET", "WSAECONNRESET",
                                SocketError::kConnectionReset},
                           Code{"ENOBUFS", "WSAENOBUFS",
                                SocketError::kNoBufferSpace}}) {
    CAPTURE(code.posix);
    Pair p;
    ScopedFault fault(Point::kReceive,
                      {.native_error = NativeCode(code.posix, code.windows),
                       .handle = p.handle});
    // Data makes the connection read: that receive fails.
    NET_REQUIRE_OK(p.peer.SendAll(std::string("ping")));
    REQUIRE(RunUntil(*p.loop, [&] { return p.recorded.errors > 0; },
                     absl::Seconds(10)));
    CHECK(fault.injected() == 1);
    CheckFailedOnce(p, code.portable);
    CHECK(p.recorded.data.empty());  // the failed read delivered nothing
  }
}

// ---------------------------------------------------------------------------
// Send

const Code kSendErrors[] = {
    {"ENOBUFS", "WSAENOBUFS", SocketError::kNoBufferSpace},
    // A send after the peer is gone: EPIPE on POSIX; Winsock's code for a
    // send on a stream that can no longer send is WSAESHUTDOWN. Both are
    // kBrokenPipe.
    {"EPIPE", "WSAESHUTDOWN", SocketError::kBrokenPipe},
};

TEST_CASE("a send error in the direct write of Write() is reported from the "
          "loop in exactly one OnError, never inside the call") {
  for (const Code& code : kSendErrors) {
    CAPTURE(code.posix);
    Pair p;
    // Nothing queued: Write() sends at once, and that send fails.
    ScopedFault fault(Point::kSend,
                      {.native_error = NativeCode(code.posix, code.windows),
                       .handle = p.handle});
    CHECK_FALSE(p.connection->Write(std::string("hello")));
    CHECK(fault.injected() == 1);
    CHECK(p.recorded.events.empty());  // not from inside Write()
    CHECK_FALSE(p.connection->can_write());
    REQUIRE(RunUntil(*p.loop, [&] { return p.recorded.errors > 0; },
                     absl::Seconds(10)));
    CHECK(fault.injected() == 1);  // the failure was kept, not retried
    CheckFailedOnce(p, code.portable);
  }
}

TEST_CASE("a send error in a queued vectored write ends the connection in "
          "exactly one OnError, with no drain or flush callback after it") {
  for (const Code& code : kSendErrors) {
    CAPTURE(code.posix);
    Pair p({}, /*small_buffers=*/true);
    // Several chunks that the socket cannot take: the rest is queued, and
    // the queue leaves in vectored sends.
    for (int i = 0; i < 8; ++i) {
      p.connection->Write(Pattern(512 * 1024, i * 512 * 1024));
    }
    for (int i = 0; i < 5; ++i) {
      NET_REQUIRE_OK(p.loop->RunOnce(absl::Milliseconds(5)));
    }
    REQUIRE(p.connection->queued_bytes() > 0);
    p.recorded.events.clear();
    ScopedFault fault(Point::kSend,
                      {.native_error = NativeCode(code.posix, code.windows),
                       .times = kForever,
                       .handle = p.handle});
    // The peer reads: room in the socket, so the queue is sent, and that
    // send fails.
    NET_REQUIRE_OK(p.peer.SetNonBlocking(true));
    std::string got;
    const absl::Time deadline = absl::Now() + absl::Seconds(10);
    while (p.recorded.errors == 0 && absl::Now() < deadline) {
      got += PeerReadSome(p.peer, 256 * 1024);
      NET_REQUIRE_OK(p.loop->RunOnce(absl::Milliseconds(5)));
    }
    REQUIRE(p.recorded.errors > 0);
    CHECK(got == Pattern(got.size()));  // what left before it, in order
    CHECK(fault.injected() == 1);  // one failed send, never retried
    CheckFailedOnce(p, code.portable);
    CHECK(p.recorded.events == std::vector<std::string>{"error"});
  }
}

// A send buffer that is really full (the peer stopped reading), then a run
// of 50 would-blocks on top while the peer reads again slowly: the queue
// still leaves, byte-exact and in order. The injected would-blocks fall on
// wakeups where the kernel had room, so each costs one wakeup; while the
// peer still has data in flight to read, each of its reads makes room again
// and so a new wakeup (a new edge for epoll's edge-triggered watch).
TEST_CASE("a run of 50 would-blocks from send with the send buffer full "
          "still delivers every byte in order") {
  net::ConnectionOptions options;
  options.write_high_water = 64 << 20;
  options.write_low_water = 1 << 20;
  // Level-triggered on epoll too. Edge-triggered, an injected would-block
  // eats the one wakeup it came on and no other comes: Linux wakes a
  // writer only after a send() of its own hit the limit (SOCK_NOSPACE, set
  // by tcp_sendmsg on a real EAGAIN), and the injected one made no send().
  // A real EAGAIN always sets it, so this stall cannot happen without
  // injection; the flush goes on with the next event of any kind (inbound
  // data) or ends with the write timeout.
  options.edge_triggered = false;
  Pair p(options, /*small_buffers=*/true);
  const std::size_t total = 16 << 20;
  const std::size_t chunk = 1 << 20;
  for (std::size_t at = 0; at < total; at += chunk) {
    CHECK(p.connection->Write(Pattern(chunk, at)));
  }
  for (int i = 0; i < 5; ++i) {
    NET_REQUIRE_OK(p.loop->RunOnce(absl::Milliseconds(5)));
  }
  REQUIRE(p.connection->queued_bytes() > 0);  // the buffers are full
  ScopedFault fault(Point::kSend,
                    {.native_error = NativeCode("EAGAIN", "WSAEWOULDBLOCK"),
                     .times = 50,
                     .handle = p.handle});
  // The peer reads again, in small pieces with pauses while the
  // injections last, so that they all fall while data is in flight.
  std::string got;
  std::thread reader([&] {
    net::Socket& peer = p.peer;
    (void)peer.SetOption(net::ReceiveTimeout(absl::Seconds(5)));
    std::string buffer(16 * 1024, '\0');
    const absl::Time end = absl::Now() + absl::Seconds(30);
    while (got.size() < total && absl::Now() < end) {
      absl::StatusOr<net::IoResult> r = peer.Receive(absl::MakeSpan(buffer));
      if (!r.ok() || r->end_of_stream() || r->would_block()) break;
      got.append(buffer.data(), r->bytes());
      if (got.size() < total / 4) absl::SleepFor(absl::Milliseconds(1));
    }
  });
  const bool flushed = RunUntil(
      *p.loop, [&] { return p.connection->queued_bytes() == 0; },
      absl::Seconds(30));
  reader.join();
  INFO("injected ", fault.injected(), " of ", fault.calls(),
       " sends; queued still ", p.connection->queued_bytes(), "; read ",
       got.size(), " of ", total);
  CHECK(flushed);
  CHECK(fault.injected() == 50);
  CHECK(p.recorded.errors == 0);
  REQUIRE(got.size() == total);
  CHECK(got == Pattern(total));
}

// ---------------------------------------------------------------------------
// Shutdown, close, SO_LINGER

TEST_CASE("ShutdownWrite whose shutdown() fails reports the failure in "
          "exactly one OnError, with nothing queued and after the queue "
          "drained") {
  for (bool queued : {false, true}) {
    CAPTURE(queued);
    Pair p;
    if (queued) {
      // Bytes first: the FIN waits for the queue to drain.
      NET_REQUIRE_OK(p.peer.SetOption(net::ReceiveBufferSize(64 * 1024)));
      p.connection->Write(Pattern(4 << 20));
      REQUIRE(p.connection->queued_bytes() > 0);
    }
    ScopedFault fault(Point::kShutdown,
                      {.native_error = NativeCode("ENOBUFS", "WSAENOBUFS"),
                       .handle = p.handle});
    p.connection->ShutdownWrite();
    std::string got;
    std::thread reader;
    if (queued) {
      reader = std::thread([&] {
        (void)p.peer.SetOption(net::ReceiveTimeout(absl::Seconds(5)));
        std::string buffer(64 * 1024, '\0');
        while (got.size() < (4u << 20)) {
          absl::StatusOr<net::IoResult> r =
              p.peer.Receive(absl::MakeSpan(buffer));
          if (!r.ok() || r->end_of_stream() || r->would_block()) break;
          got.append(buffer.data(), r->bytes());
        }
      });
    }
    REQUIRE(RunUntil(*p.loop,
                     [&] { return p.recorded.errors > 0 || fault.injected() > 0; },
                     absl::Seconds(10)));
    // The report, if any, comes from the loop.
    RunUntil(*p.loop, [&] { return p.recorded.errors > 0; },
             absl::Seconds(1));
    if (reader.joinable()) reader.join();
    CHECK(fault.injected() == 1);
    if (queued) CHECK(got == Pattern(4 << 20));
    // The FIN did not go: the user must hear that, once.
    CheckFailedOnce(p, SocketError::kNoBufferSpace);
  }
}

// The error a failed close() gives: EIO on POSIX (no table row: the
// standard <cerrno> value), WSAENETDOWN on Windows.
int CloseError() {
  return net_test::OnWindowsBackend() ? NativeCode("", "WSAENETDOWN") : EIO;
}

// The injected close() was not made: the descriptor is still open. The test
// closes it, as the OS would have, so that the descriptor count can be
// compared.
void CloseLeftOver(net::NativeHandle handle) {
  absl::StatusOr<net::Socket> s = net::Socket::Adopt(handle);
  NET_REQUIRE_OK(s);
  NET_CHECK_OK(s->Close());
}

TEST_CASE("a close() that fails is made once, crashes nothing and leaves no "
          "descriptor of the connection open") {
  struct Case {
    const char* what;
    bool fail_first;  // through OnError (a receive error) or a user's close
    bool eintr;
  };
  for (const Case& c : {Case{"user close, EIO", false, false},
                        Case{"after OnError, EIO", true, false},
                        Case{"user close, EINTR", false, true}}) {
    CAPTURE(c.what);
    if (c.eintr && net_test::OnWindowsBackend()) continue;  // POSIX only
    const int before = net_test::OpenDescriptorCount();
    {
      Pair p;
      const int code = c.eintr ? NativeCode("EINTR", "WSAEINTR") : CloseError();
      std::optional<ScopedFault> armed;
      armed.emplace(Point::kClose, Rule{.native_error = code, .times = kForever,
                                        .handle = p.handle});
      ScopedFault& fault = *armed;
      if (c.fail_first) {
        ScopedFault reset(Point::kReceive,
                          {.native_error = NativeCode("ECONNRESET",
                                                      "WSAECONNRESET"),
                           .handle = p.handle});
        NET_REQUIRE_OK(p.peer.SendAll(std::string("x")));
        REQUIRE(RunUntil(*p.loop, [&] { return p.recorded.errors > 0; },
                         absl::Seconds(10)));
        CHECK(reset.injected() == 1);
      } else {
        p.connection.reset();  // Release(): nothing queued, closes now
      }
      CHECK(fault.calls() == 1);  // one close, never a second
      CHECK(fault.injected() == 1);
      if (c.fail_first) {
        CHECK(p.recorded.errors == 1);
        CHECK(p.loop->watch_count() == 0);
        p.connection.reset();  // closed already: no further close
        CHECK(fault.calls() == 1);
      }
      CHECK(p.loop->watch_count() == 0);
      CHECK(p.Idle(absl::Milliseconds(100)) == 0);
      armed.reset();
      CloseLeftOver(p.handle);
    }
    if (before >= 0) CHECK(net_test::OpenDescriptorCount() == before);
  }
}

TEST_CASE("Socket::Close reports a failed close() and takes EINTR as "
          "closed, and the socket is closed either way") {
  {
    net::Socket s = net_test::OpenSocket();
    const net::NativeHandle h = s.native_handle();
    {
      ScopedFault fault(Point::kClose,
                        {.native_error = CloseError(), .handle = h});
      absl::Status closed = s.Close();
      CHECK(fault.injected() == 1);
      INFO(closed.ToString());
      CHECK_FALSE(closed.ok());
      CHECK_FALSE(s.is_open());
      NET_CHECK_OK(s.Close());  // no second close() of the handle
      CHECK(fault.calls() == 1);
    }
    CloseLeftOver(h);
  }
  if (!net_test::OnWindowsBackend()) {
    net::Socket s = net_test::OpenSocket();
    const net::NativeHandle h = s.native_handle();
    {
      ScopedFault fault(Point::kClose,
                        {.native_error = NativeCode("EINTR", "WSAEINTR"),
                         .handle = h});
      NET_CHECK_OK(s.Close());
      CHECK(fault.injected() == 1);
    }
    CloseLeftOver(h);
  }
}

TEST_CASE("Abort whose SO_LINGER setsockopt fails still closes the socket "
          "once, and the peer sees the connection end") {
  Pair p;
  ScopedFault linger(Point::kSetOption,
                     {.native_error = NativeCode("ENOBUFS", "WSAENOBUFS"),
                      .handle = p.handle});
  ScopedFault closes(Point::kClose, {.handle = p.handle});  // counts only
  p.connection->Abort();
  CHECK(linger.injected() == 1);
  CHECK(closes.calls() == 1);
  CHECK_FALSE(p.connection->is_open());
  CHECK(p.loop->watch_count() == 0);
  CHECK(p.recorded.events.empty());  // no callback after Abort()
  // Without the reset a FIN went: the peer reads the end of the stream.
  NET_REQUIRE_OK(p.peer.SetOption(net::ReceiveTimeout(absl::Seconds(5))));
  char buffer[16];
  absl::StatusOr<net::IoResult> r = p.peer.Receive(absl::MakeSpan(buffer));
  if (r.ok()) {
    CHECK(r->end_of_stream());
  } else {
    CHECK(net::IsPeerGone(r.status()));
  }
}

// ---------------------------------------------------------------------------
// The async connect and Happy Eyeballs

// The outcome of one connect call: how often the callback ran, and with
// what.
struct Outcome {
  int calls = 0;
  absl::Status status;
  ConnectionPtr connection;
};

net::ConnectCallback Into(Outcome& o) {
  return [&o](absl::StatusOr<ConnectionPtr> c) {
    ++o.calls;
    if (c.ok()) {
      o.connection = *std::move(c);
    } else {
      o.status = c.status();
    }
  };
}

// Runs until the callback ran, then a little more (a second call would
// show).
void Settle(net::EventLoop& loop, Outcome& o) {
  REQUIRE(RunUntil(loop, [&] { return o.calls > 0; }, absl::Seconds(10)));
  for (int i = 0; i < 4; ++i) NET_REQUIRE_OK(loop.RunOnce(absl::Milliseconds(20)));
  CHECK(o.calls == 1);
}

// EADDRNOTAVAIL's native code on this backend.
int AddressNotAvailable() {
  return NativeCode("EADDRNOTAVAIL", "WSAEADDRNOTAVAIL");
}

// What a failed connect leaves, once its one callback has run: the error
// `want` (its message naming `names`, if given) and no connection, no watch
// on the loop, and once `pending` is gone, no descriptor more than `before`
// (where it can be counted).
void CheckFailedConnect(net::EventLoop& loop, const Outcome& o,
                        std::unique_ptr<net::PendingConnect> pending,
                        int before, SocketError want,
                        const std::string& names = "") {
  INFO(o.status.ToString());
  CHECK(net::GetSocketError(o.status) == want);
  if (!names.empty()) CHECK(absl::StrContains(o.status.message(), names));
  CHECK(o.connection == nullptr);
  CHECK(loop.watch_count() == 0);
  pending.reset();
  if (before >= 0) CHECK(net_test::OpenDescriptorCount() == before);
}

TEST_CASE("Connect whose socket() fails with EMFILE calls back once with "
          "kTooManyOpenFiles, from the loop") {
  auto loop = NewLoop();
  net::Socket listener = net_test::Listen();
  const net::SocketAddress to = net_test::LocalAddressOf(listener);
  const int before = net_test::OpenDescriptorCount();
  Outcome o;
  ScopedFault fault(Point::kSocket,
                    {.native_error = NativeCode("EMFILE", "WSAEMFILE")});
  auto pending = net::Connect(*loop, to, {}, Into(o));
  CHECK(o.calls == 0);  // never from inside Connect()
  Settle(*loop, o);
  CHECK(fault.injected() == 1);
  CheckFailedConnect(*loop, o, std::move(pending), before,
                     SocketError::kTooManyOpenFiles);
}

TEST_CASE("a connect failing with EADDRNOTAVAIL calls back once with "
          "kAddressNotAvailable, and Socket::Connect with a timeout says the "
          "same") {
  net::Socket listener = net_test::Listen();
  const net::SocketAddress to = net_test::LocalAddressOf(listener);
  {
    auto loop = NewLoop();
    const int before = net_test::OpenDescriptorCount();
    Outcome o;
    ScopedFault fault(Point::kConnect,
                      {.native_error = AddressNotAvailable()});
    auto pending = net::Connect(*loop, to, {}, Into(o));
    CHECK(o.calls == 0);
    Settle(*loop, o);
    CHECK(fault.injected() == 1);
    CheckFailedConnect(*loop, o, std::move(pending), before,
                       SocketError::kAddressNotAvailable, to.ToString());
  }
  {
    net::Socket s = net_test::OpenSocket();
    ScopedFault fault(Point::kConnect,
                      {.native_error = AddressNotAvailable(),
                       .handle = s.native_handle()});
    absl::Status st = s.Connect(to, absl::Seconds(5));
    CHECK(fault.injected() == 1);
    INFO(st.ToString());
    CHECK(net::GetSocketError(st) == SocketError::kAddressNotAvailable);
    // The socket is still usable: it was never connected.
    NET_CHECK_OK(s.Connect(to, absl::Seconds(5)));
  }
}

TEST_CASE("a failing SO_ERROR read after a non-blocking connect ends the "
          "connect in one clean error") {
  net::Socket listener = net_test::Listen();
  const net::SocketAddress to = net_test::LocalAddressOf(listener);
  const int nobufs = NativeCode("ENOBUFS", "WSAENOBUFS");
  SUBCASE("Connect on the loop (getsockopt through the option table)") {
    auto loop = NewLoop();
    const int before = net_test::OpenDescriptorCount();
    Outcome o;
    // The first connect() is real; the second, which on loopback would
    // usually say "connected" already, says "in progress": so the connect
    // is watched, and judged by SO_ERROR when writable.
    ScopedFault progress(Point::kConnect,
                         {.native_error = NativeCode("EINPROGRESS",
                                                     "WSAEWOULDBLOCK"),
                          .skip = 1});
    ScopedFault so_error(Point::kGetOption, {.native_error = nobufs});
    auto pending = net::Connect(*loop, to, {}, Into(o));
    Settle(*loop, o);
    CHECK(progress.injected() == 1);
    CHECK(so_error.injected() == 1);
    CheckFailedConnect(*loop, o, std::move(pending), before,
                       SocketError::kNoBufferSpace, to.ToString());
  }
  SUBCASE("Socket::Connect with a timeout (kConnectResult)") {
    net::Socket s = net_test::OpenSocket();
    ScopedFault fault(Point::kConnectResult,
                      {.native_error = nobufs, .handle = s.native_handle()});
    absl::Status st = s.Connect(to, absl::Seconds(5));
    INFO(st.ToString());
    if (fault.calls() == 0) {
      // The connect finished inside connect(): SO_ERROR was never read.
      net_test::PrintSkip("the loopback connect completed at once here: no "
                          "SO_ERROR read to fail");
      return;
    }
    CHECK(fault.injected() == 1);
    CHECK(net::GetSocketError(st) == SocketError::kNoBufferSpace);
  }
}

TEST_CASE("Happy Eyeballs: an attempt failed by injection falls through to "
          "the next address at once, and all failing reports the last error "
          "once") {
  net::Socket listener = net_test::Listen();
  const net::SocketAddress to = net_test::LocalAddressOf(listener);
  net::ConnectOptions options;
  options.attempt_delay = absl::Seconds(2);  // a fall-through is not a delay
  {
    auto loop = NewLoop();
    Outcome o;
    ScopedFault fault(Point::kConnect,
                      {.native_error = AddressNotAvailable()});  // once
    const absl::Time start = absl::Now();
    auto pending = net::ConnectToAny(*loop, {to, to}, options, Into(o));
    Settle(*loop, o);
    CHECK(fault.injected() == 1);
    CHECK(fault.calls() >= 2);  // the second address was tried
    NET_CHECK_OK(o.status);
    CHECK(o.connection != nullptr);
    CHECK(absl::Now() - start < absl::Seconds(1));  // not after the delay
  }
  {
    auto loop = NewLoop();
    const int before = net_test::OpenDescriptorCount();
    Outcome o;
    ScopedFault fault(Point::kConnect,
                      {.native_error = AddressNotAvailable(),
                       .times = kForever});
    auto pending = net::ConnectToAny(*loop, {to, to, to}, options, Into(o));
    Settle(*loop, o);
    CHECK(fault.injected() == 3);
    CheckFailedConnect(*loop, o, std::move(pending), before,
                       SocketError::kAddressNotAvailable);
  }
}

}  // namespace
}  // namespace net_test

#else  // !NET_HAS_FAULT_INJECTION

NET_FAULT_CASES_SKIPPED("fault_stream_test.cc")

#endif  // NET_HAS_FAULT_INJECTION
