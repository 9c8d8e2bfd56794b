// Copyright 2026 The net Authors.
//
// Backend errors injected at the system call (platform/fault.h) and what
// the layers above do with them: the Listener's accept loop, the Socket
// calls that open, bind, listen, connect and close, and the event loop's
// wait. Built into the event-loop executables, so every case runs on every
// loop backend (epoll, poll, select; iocp and wsapoll under wine) with that
// backend's native codes. RELIABILITY.md cases: R1/R2 (accept exhaustion
// on every code, not only EMFILE), X5/W5 (aborted connections skipped), X4
// (EINTR in the accept and the wait), P5 (accept without a peer address),
// C1 (connect errors), L3 (close errors). The Connection, TLS, Server and
// async-connect paths are in fault_stream_test.cc.

#include "tests/contract/fault_util.h"

#if NET_HAS_FAULT_INJECTION

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "net/event_loop.h"
#include "net/listener.h"
#include "net/socket.h"

namespace {

using net::sys::fault::Point;
using net::sys::fault::Rule;
using net::sys::fault::ScopedFault;
using net_test::NativeCode;

// A failure injected at `point`: the native error named `posix` on POSIX
// and `windows` on Winsock, and the typed error it must come out as.
struct PointFault {
  Point point;
  const char* posix;
  const char* windows;
  net::SocketError error;
};

net::SocketAddress LoopbackAny() {
  return net::SocketAddress(net::IpAddress::Loopback(net::AddressFamily::kIPv4),
                            0);
}

// A listener on a loop of the backend under test that keeps what it
// accepts and every error it reports.
struct AcceptingServer {
  std::unique_ptr<net::EventLoop> loop = net_test::NewLoop();
  std::unique_ptr<net::Listener> listener;
  std::vector<net::Socket> accepted;
  std::vector<net::SocketAddress> peers;
  std::vector<absl::Status> errors;
  net::SocketAddress where;

  explicit AcceptingServer(absl::Duration max_backoff = absl::Seconds(1)) {
    absl::StatusOr<std::unique_ptr<net::Listener>> l = net::Listener::Bind(
        *loop, LoopbackAny(),
        [this](net::Socket s, const net::SocketAddress& peer) {
          accepted.push_back(std::move(s));
          peers.push_back(peer);
        },
        {.backlog = 64, .max_backoff = max_backoff});
    NET_REQUIRE_OK(l);
    listener = *std::move(l);
    listener->SetErrorCallback(
        [this](const absl::Status& s) { errors.push_back(s); });
    where = *listener->LocalAddress();
  }

  net::Socket Connect() {
    absl::StatusOr<net::Socket> c =
        net::Socket::Open(net::AddressFamily::kIPv4, net::SocketType::kStream);
    NET_REQUIRE_OK(c);
    NET_REQUIRE_OK(c->Connect(where, absl::Seconds(5)));
    return *std::move(c);
  }

  Rule OnListener(int native, int times) const {
    return Rule{.native_error = native,
                .times = times,
                .handle = listener->native_handle()};
  }
};

}  // namespace

TEST_CASE("accept errors that mean 'take the next one' are retried, never reported") {
  // A connection reset while it waited in the backlog (ECONNABORTED; the
  // Winsock accept says WSAECONNRESET), a protocol error on it (EPROTO,
  // Linux), and an interrupted call.
  struct Case {
    const char* posix;
    const char* windows;
  };
  for (const Case& c : {Case{"ECONNABORTED", "WSAECONNRESET"},
                        Case{"EPROTO", ""}, Case{"EINTR", "WSAEINTR"}}) {
    if (net_test::OnWindowsBackend() && *c.windows == '\0') continue;
    const std::string code = c.posix;
    INFO("native code " << code);
    AcceptingServer server;
    ScopedFault fault(Point::kAccept,
                      server.OnListener(NativeCode(c.posix, c.windows), 3));
    std::vector<net::Socket> clients;
    for (int i = 0; i < 4; ++i) clients.push_back(server.Connect());
    CHECK(net_test::RunUntil(*server.loop,
                             [&] { return server.accepted.size() == 4; },
                             absl::Seconds(5)));
    CHECK(fault.injected() == 3);
    CHECK(server.errors.empty());
  }
}

TEST_CASE("running out of descriptors or buffers at accept pauses, reports once per episode, and recovers") {
  struct Case {
    const char* posix;
    const char* windows;
    net::SocketError error;
  };
  for (const Case& c :
       {Case{"EMFILE", "WSAEMFILE", net::SocketError::kTooManyOpenFiles},
        Case{"ENFILE", "", net::SocketError::kTooManyOpenFilesInSystem},
        Case{"ENOBUFS", "WSAENOBUFS", net::SocketError::kNoBufferSpace},
        Case{"ENOMEM", "", net::SocketError::kNoBufferSpace}}) {
    if (net_test::OnWindowsBackend() && *c.windows == '\0') continue;
    const std::string code = c.posix;
    INFO("native code " << code);
    AcceptingServer server(absl::Milliseconds(80));
    std::vector<net::Socket> clients;
    {
      ScopedFault fault(Point::kAccept,
                        server.OnListener(NativeCode(c.posix, c.windows),
                                          net::sys::fault::kForever));
      for (int i = 0; i < 3; ++i) clients.push_back(server.Connect());
      const absl::Time end = absl::Now() + absl::Milliseconds(400);
      while (absl::Now() < end) {
        NET_REQUIRE_OK(server.loop->RunOnce(absl::Milliseconds(20)));
      }
      CHECK(server.accepted.empty());
      // Backing off: 10, 20, 40, 80, 80... ms between attempts, two accept
      // calls each (the attempt, and the reserve descriptor's shed), not
      // one per wakeup of a ready listener.
      CHECK(fault.injected() >= 2);
      CHECK(fault.calls() <= 20);
      REQUIRE(server.errors.size() == 1);
      CHECK(net::GetSocketError(server.errors[0]) == c.error);
    }
    // Descriptors are back: every client gets in, without another report.
    CHECK(net_test::RunUntil(*server.loop,
                             [&] { return server.accepted.size() == 3; },
                             absl::Seconds(5)));
    CHECK(server.errors.size() == 1);
  }
}

TEST_CASE("any other accept error is reported each time and backs off") {
  // EPERM (a firewall hook refusing the connection on Linux); Winsock's
  // nearest is WSAEACCES.
  AcceptingServer server(absl::Milliseconds(50));
  ScopedFault fault(Point::kAccept,
                    server.OnListener(NativeCode("EPERM", "WSAEACCES"), 3));
  net::Socket client = server.Connect();
  CHECK(net_test::RunUntil(*server.loop,
                           [&] { return server.accepted.size() == 1; },
                           absl::Seconds(5)));
  CHECK(fault.injected() == 3);
  REQUIRE(server.errors.size() == 3);
  for (const absl::Status& e : server.errors) {
    CHECK(net::GetSocketError(e) == net::SocketError::kAccessDenied);
  }
  // One accept per back-off round, then the one that worked and the one
  // that found the backlog empty.
  CHECK(fault.calls() == 5);
}

TEST_CASE("a connection accepted without a peer address is dropped, and the next one taken") {
  AcceptingServer server;
  net::Socket nameless = server.Connect();
  {
    ScopedFault fault(Point::kAcceptNoPeer, server.OnListener(1, 1));
    CHECK(net_test::RunUntil(*server.loop, [&] { return fault.injected() == 1; },
                             absl::Seconds(5)));
  }
  net::Socket named = server.Connect();
  CHECK(net_test::RunUntil(*server.loop,
                           [&] { return !server.accepted.empty(); },
                           absl::Seconds(5)));
  REQUIRE(server.accepted.size() == 1);
  CHECK(server.errors.empty());
  CHECK(server.peers[0] == net_test::LocalAddressOf(named));
  // The dropped client hears the close.
  char byte;
  absl::StatusOr<bool> readable = nameless.WaitReadable(absl::Seconds(5));
  NET_REQUIRE_OK(readable);
  REQUIRE(*readable);  // (else the read below would block)
  absl::StatusOr<net::IoResult> r = nameless.Receive(absl::MakeSpan(&byte, 1));
  CHECK((!r.ok() || r->end_of_stream()));

  // A blocking Socket::Accept() skips it the same way.
  net::Socket listening = net_test::Listen();
  const net::SocketAddress where = net_test::LocalAddressOf(listening);
  absl::StatusOr<net::Socket> first =
      net::Socket::Open(net::AddressFamily::kIPv4, net::SocketType::kStream);
  absl::StatusOr<net::Socket> second =
      net::Socket::Open(net::AddressFamily::kIPv4, net::SocketType::kStream);
  NET_REQUIRE_OK(first);
  NET_REQUIRE_OK(second);
  NET_REQUIRE_OK(first->Connect(where, absl::Seconds(5)));
  NET_REQUIRE_OK(second->Connect(where, absl::Seconds(5)));
  ScopedFault fault(Point::kAcceptNoPeer,
                    Rule{.native_error = 1, .handle = listening.native_handle()});
  absl::StatusOr<net::Accepted> accepted = listening.Accept();
  NET_REQUIRE_OK(accepted);
  CHECK(fault.injected() == 1);
  CHECK(accepted->peer == net_test::LocalAddressOf(*second));
}

TEST_CASE("socket, bind, listen and option failures while making a listener are its errors, and leave nothing open") {
  std::unique_ptr<net::EventLoop> loop = net_test::NewLoop();
  const int before = net_test::OpenDescriptorCount();
  for (const PointFault& c :
       {PointFault{Point::kSocket, "EMFILE", "WSAEMFILE", net::SocketError::kTooManyOpenFiles},
        PointFault{Point::kBind, "EADDRINUSE", "WSAEADDRINUSE", net::SocketError::kAddressInUse},
        PointFault{Point::kListen, "ENOBUFS", "WSAENOBUFS", net::SocketError::kNoBufferSpace},
        PointFault{Point::kSetOption, "ENOPROTOOPT", "WSAENOPROTOOPT",
                   net::SocketError::kOptionNotSupported}}) {
    const std::string point(net::sys::fault::PointName(c.point));
    INFO("point " << point);
    ScopedFault fault(c.point, Rule{.native_error = NativeCode(c.posix, c.windows)});
    absl::StatusOr<std::unique_ptr<net::Listener>> l = net::Listener::Bind(
        *loop, LoopbackAny(), [](net::Socket, const net::SocketAddress&) {},
        {.flags = net::ListenerFlags::kReusable});
    CHECK(fault.injected() == 1);
    REQUIRE_FALSE(l.ok());
    CHECK(net::GetSocketError(l.status()) == c.error);
  }
  CHECK(net_test::OpenDescriptorCount() == before);
}

TEST_CASE("connect errors from the OS are typed errors on every connect path") {
  const net::SocketAddress where = net_test::LocalAddressOf(net_test::Listen());
  for (const PointFault& c :
       {PointFault{Point::kConnect, "EADDRNOTAVAIL", "WSAEADDRNOTAVAIL",
                   net::SocketError::kAddressNotAvailable},
        PointFault{Point::kConnect, "ENETUNREACH", "WSAENETUNREACH",
                   net::SocketError::kNetworkUnreachable},
        PointFault{Point::kConnectResult, "ENOBUFS", "WSAENOBUFS",
                   net::SocketError::kNoBufferSpace}}) {
    const std::string code = c.posix;
    INFO("native code " << code);
    for (int mode = 0; mode < 2; ++mode) {
      // 0: blocking; 1: with a deadline (non-blocking connect, a wait, and
      // SO_ERROR: the only path that reads it).
      if (c.point == Point::kConnectResult && mode == 0) continue;
      absl::StatusOr<net::Socket> s =
          net::Socket::Open(net::AddressFamily::kIPv4, net::SocketType::kStream);
      NET_REQUIRE_OK(s);
      ScopedFault fault(c.point, Rule{.native_error = NativeCode(c.posix, c.windows),
                                      .handle = s->native_handle()});
      absl::Status status =
          mode == 0 ? s->Connect(where) : s->Connect(where, absl::Seconds(5));
      CHECK(fault.injected() == 1);
      CHECK(net::GetSocketError(status) == c.error);
      CHECK(absl::StrContains(status.message(), where.ToString()));
    }
  }
}

TEST_CASE("a close that fails still gives the handle up, and an interrupted close is not an error") {
  absl::StatusOr<net::Socket> s =
      net::Socket::Open(net::AddressFamily::kIPv4, net::SocketType::kStream);
  NET_REQUIRE_OK(s);
  const net::NativeHandle handle = s->native_handle();
  {
    ScopedFault fault(Point::kClose, Rule{.native_error = NativeCode("EBADF", "WSAENOTSOCK"),
                                          .handle = handle});
    absl::Status closed = s->Close();
    CHECK(fault.injected() == 1);
    CHECK_FALSE(closed.ok());
    CHECK_FALSE(s->is_open());
    // No second close of a number another thread may own by now.
    CHECK(s->Close().ok());
    CHECK(fault.calls() == 1);
  }
  // The injected failure kept the OS from closing it: close it for real.
  NET_CHECK_OK(net::Socket::Adopt(handle).status());

  if (!net_test::OnWindowsBackend()) {
    // POSIX: after EINTR the descriptor is gone (Linux) or its state
    // unspecified; retrying could close a descriptor another thread just
    // got, so EINTR counts as closed.
    absl::StatusOr<net::Socket> t =
        net::Socket::Open(net::AddressFamily::kIPv4, net::SocketType::kStream);
    NET_REQUIRE_OK(t);
    const net::NativeHandle h = t->native_handle();
    {
      ScopedFault fault(Point::kClose,
                        Rule{.native_error = NativeCode("EINTR", ""), .handle = h});
      NET_CHECK_OK(t->Close());
      CHECK(fault.injected() == 1);
    }
    NET_CHECK_OK(net::Socket::Adopt(h).status());
  }
}

TEST_CASE("sends and receives interrupted by a signal are retried inside the backend, never seen") {
  // POSIX: EINTR before any byte moved (the only EINTR a socket call
  // gives). Winsock reports WSAEINTR only for a blocking call cancelled
  // with WSACancelBlockingCall, which nothing in net uses.
  if (net_test::OnWindowsBackend()) NET_SKIP("Winsock transfers give no EINTR");
  const int eintr = NativeCode("EINTR", "");
  auto [client, server] = net_test::TcpPair();
  const Rule twice{.native_error = eintr, .times = 2,
                   .handle = client.native_handle()};
  std::string sent;
  {
    // The inline fast path (StreamSend, then the full path's retry).
    ScopedFault fault(Point::kSend, twice);
    absl::StatusOr<net::IoResult> r = client.Send(absl::string_view("one "));
    NET_REQUIRE_OK(r);
    CHECK(r->bytes() == 4);
    CHECK(fault.injected() == 2);
  }
  {
    ScopedFault fault(Point::kSend, twice);
    NET_REQUIRE_OK(client.SendAll(absl::string_view("two ")));
    CHECK(fault.injected() == 2);
  }
  {
    ScopedFault fault(Point::kSend, twice);
    const absl::Span<const char> parts[] = {absl::string_view("three "),
                                            absl::string_view("four")};
    absl::StatusOr<net::IoResult> r = client.SendVector(parts);
    NET_REQUIRE_OK(r);
    CHECK(r->bytes() == 10);
    CHECK(fault.injected() == 2);
  }
  sent = "one two three four";
  ScopedFault fault(Point::kReceive, Rule{.native_error = eintr, .times = 3,
                                          .handle = server.native_handle()});
  CHECK(net_test::ReceiveExactly(server, sent.size()) == sent);
  CHECK(fault.injected() == 3);
}

TEST_CASE("a watch the poller refuses is the caller's error, and leaves nothing registered or open") {
  std::unique_ptr<net::EventLoop> loop = net_test::NewLoop();
  if (loop->backend() != net::EventLoopBackend::kEpoll &&
      loop->backend() != net::EventLoopBackend::kKqueue) {
    NET_SKIP("this backend registers a watch without a system call");
  }
  // epoll_ctl's ENOMEM (and kevent's): the kernel out of memory for one more.
  const int enomem = NativeCode("ENOMEM", "");
  auto [client, server] = net_test::TcpPair();
  struct Nothing final : net::IoHandler {
    void OnReady(net::Readiness) override { FAIL("no event was wanted"); }
  } nothing;
  {
    ScopedFault fault(Point::kPollerControl,
                      Rule{.native_error = enomem, .handle = server.native_handle()});
    absl::StatusOr<net::WatchId> w =
        loop->Watch(server.native_handle(), net::Interest::kReadable, &nothing);
    CHECK(fault.injected() == 1);
    REQUIRE_FALSE(w.ok());
    CHECK(net::GetSocketError(w.status()) == net::SocketError::kNoBufferSpace);
    CHECK(loop->watch_count() == 0);
  }
  // A listener whose socket the loop cannot watch is not made, and its
  // socket is closed.
  const int before = net_test::OpenDescriptorCount();
  {
    ScopedFault fault(Point::kPollerControl, Rule{.native_error = enomem});
    absl::StatusOr<std::unique_ptr<net::Listener>> l = net::Listener::Bind(
        *loop, LoopbackAny(), [](net::Socket, const net::SocketAddress&) {});
    CHECK(fault.injected() == 1);
    REQUIRE_FALSE(l.ok());
    CHECK(net::GetSocketError(l.status()) == net::SocketError::kNoBufferSpace);
  }
  CHECK(net_test::OpenDescriptorCount() == before);
  CHECK(loop->watch_count() == 0);
  // And the loop still works.
  NET_REQUIRE_OK(client.SendAll(absl::string_view("x")));
  bool readable = false;
  struct Flag final : net::IoHandler {
    bool* seen;
    void OnReady(net::Readiness) override { *seen = true; }
  } flag;
  flag.seen = &readable;
  NET_REQUIRE_OK(loop->Watch(server.native_handle(), net::Interest::kReadable, &flag));
  CHECK(net_test::RunUntil(*loop, [&] { return readable; }, absl::Seconds(5)));
}

TEST_CASE("interrupted waits of the poller, many in a row, do not disturb the loop") {
  std::unique_ptr<net::EventLoop> loop = net_test::NewLoop();
  // The IOCP wait has no EINTR: its nearest is a wait that ends early with
  // nothing (WAIT_TIMEOUT, 258).
  const bool iocp = loop->backend() == net::EventLoopBackend::kIocp;
  const int native = iocp ? 258 : NativeCode("EINTR", "WSAEINTR");
  auto [client, server] = net_test::TcpPair();
  bool timer_fired = false;
  loop->AddTimer(absl::Milliseconds(30), [&] { timer_fired = true; });
  ScopedFault fault(Point::kPollerWait, Rule{.native_error = native, .times = 50});
  std::string got;
  struct Reader final : net::IoHandler {
    net::Socket* socket;
    std::string* got;
    void OnReady(net::Readiness) override {
      char buffer[16];
      absl::StatusOr<net::IoResult> r = socket->Receive(absl::MakeSpan(buffer));
      if (r.ok() && r->bytes() > 0) got->append(buffer, r->bytes());
    }
  } reader;
  reader.socket = &server;
  reader.got = &got;
  NET_REQUIRE_OK(server.SetNonBlocking(true));
  NET_REQUIRE_OK(loop->Watch(server.native_handle(), net::Interest::kReadable,
                             &reader));
  NET_REQUIRE_OK(client.SendAll(absl::string_view("ping")));
  CHECK(net_test::RunUntil(*loop, [&] { return timer_fired && got == "ping"; },
                           absl::Seconds(5)));
  CHECK(fault.injected() == 50);
}

TEST_CASE("a poller wait that fails is Run's error, and the next wait works") {
  std::unique_ptr<net::EventLoop> loop = net_test::NewLoop();
  const bool iocp = loop->backend() == net::EventLoopBackend::kIocp;
  // EINVAL (epoll_wait, poll, select, kevent, WSAPoll); the IOCP wait's
  // ERROR_INVALID_PARAMETER (87).
  const int native = iocp ? 87 : NativeCode("EINVAL", "WSAEINVAL");
  bool timer_fired = false;
  loop->AddTimer(absl::Milliseconds(10), [&] { timer_fired = true; });
  {
    ScopedFault fault(Point::kPollerWait, Rule{.native_error = native});
    absl::StatusOr<int> ran = loop->RunOnce(absl::Milliseconds(50));
    CHECK(fault.injected() == 1);
    REQUIRE_FALSE(ran.ok());
    if (iocp) {
      // A Win32 code outside the Winsock table: kept, and named.
      CHECK(absl::StrContains(ran.status().message(), "GetQueuedCompletionStatusEx"));
      CHECK(absl::StrContains(ran.status().message(), "87"));
    } else {
      CHECK(net::GetSocketError(ran.status()) == net::SocketError::kInvalidArgument);
    }
  }
  CHECK(net_test::RunUntil(*loop, [&] { return timer_fired; }, absl::Seconds(5)));
}

#else  // !NET_HAS_FAULT_INJECTION
NET_FAULT_CASES_SKIPPED("fault_test.cc")
#endif
