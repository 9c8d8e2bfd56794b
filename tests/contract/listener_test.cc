// Copyright 2026 The net Authors.
//
// `net::Listener` on every event loop backend (this file is built into the
// per-backend event loop executables).

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/time/clock.h"
#include "net/listener.h"
#include "net/options.h"
#include "tests/test_util.h"

namespace {

using net::Listener;
using net::ListenerFlags;

std::unique_ptr<net::EventLoop> MakeLoop() {
  absl::StatusOr<std::unique_ptr<net::EventLoop>> loop = net::EventLoop::Create();
  NET_REQUIRE_OK(loop);
  return std::move(*loop);
}

template <typename Done>
bool Spin(net::EventLoop& loop, Done done, absl::Duration limit = absl::Seconds(10)) {
  const absl::Time deadline = absl::Now() + limit;
  while (!done() && absl::Now() < deadline) {
    NET_REQUIRE_OK(loop.RunOnce(absl::Milliseconds(20)));
  }
  return done();
}

net::SocketAddress Loopback4() {
  return net::SocketAddress(net::IpAddress::Loopback(net::AddressFamily::kIPv4), 0);
}

net::Socket ConnectTo(const net::SocketAddress& where) {
  absl::StatusOr<net::Socket> s =
      net::Socket::Open(where.family(), net::SocketType::kStream);
  NET_REQUIRE_OK(s);
  NET_REQUIRE_OK(s->Connect(where, absl::Seconds(5)));
  return std::move(*s);
}

struct Collector {
  std::vector<net::Socket> sockets;
  std::vector<net::SocketAddress> peers;
  Listener::AcceptCallback Callback() {
    return [this](net::Socket s, const net::SocketAddress& peer) {
      sockets.push_back(std::move(s));
      peers.push_back(peer);
    };
  }
};

std::unique_ptr<Listener> BindOrDie(net::EventLoop& loop, Collector& c,
                                    net::ListenerOptions options = {},
                                    net::SocketAddress where = Loopback4()) {
  absl::StatusOr<std::unique_ptr<Listener>> l =
      Listener::Bind(loop, where, c.Callback(), options);
  NET_REQUIRE_OK(l);
  return std::move(*l);
}

net::SocketAddress AddressOf(const Listener& l) {
  absl::StatusOr<net::SocketAddress> a = l.LocalAddress();
  NET_REQUIRE_OK(a);
  return *a;
}

}  // namespace

TEST_CASE("listener accepts connections and reports each peer") {
  auto loop = MakeLoop();
  Collector c;
  auto listener = BindOrDie(*loop, c);
  std::vector<net::Socket> clients;
  for (int i = 0; i < 20; ++i) clients.push_back(ConnectTo(AddressOf(*listener)));
  CHECK(Spin(*loop, [&] { return c.sockets.size() == 20; }));
  for (std::size_t i = 0; i < clients.size(); ++i) {
    // Each client's local address is one of the reported peers.
    const net::SocketAddress local = net_test::LocalAddressOf(clients[i]);
    CHECK(std::count(c.peers.begin(), c.peers.end(), local) == 1);
  }
  CHECK(listener->accept_calls() >= 20);
}

TEST_CASE("accepted sockets are non-blocking unless asked to stay blocking") {
  for (bool leave_blocking : {false, true}) {
    CAPTURE(leave_blocking);
    auto loop = MakeLoop();
    Collector c;
    auto listener = BindOrDie(
        *loop, c,
        {.flags = leave_blocking ? ListenerFlags::kLeaveSocketsBlocking
                                 : ListenerFlags::kNone});
    net::Socket client = ConnectTo(AddressOf(*listener));
    REQUIRE(Spin(*loop, [&] { return c.sockets.size() == 1; }));
    absl::StatusOr<bool> nb = c.sockets[0].IsNonBlocking();
    NET_REQUIRE_OK(nb);
    CHECK(*nb == !leave_blocking);
    absl::StatusOr<bool> cloexec = c.sockets[0].IsCloseOnExec();
    NET_REQUIRE_OK(cloexec);
    CHECK(*cloexec);
  }
}

TEST_CASE("the listening socket is non-blocking and close-on-exec") {
  auto loop = MakeLoop();
  Collector c;
  auto listener = BindOrDie(*loop, c, {.flags = ListenerFlags::kCloseOnExec});
  absl::StatusOr<net::Socket> view = net::Socket::Adopt(listener->native_handle());
  NET_REQUIRE_OK(view);
  absl::StatusOr<bool> cloexec = view->IsCloseOnExec();
  NET_CHECK_OK(cloexec);
  if (cloexec.ok()) CHECK(*cloexec);
  absl::StatusOr<bool> listening = view->GetOption<net::AcceptConnections>();
  if (listening.ok()) CHECK(*listening);
  view->Release();  // the listener owns it
}

TEST_CASE("Disable stops accepting and Enable resumes") {
  auto loop = MakeLoop();
  Collector c;
  auto listener = BindOrDie(*loop, c);
  NET_REQUIRE_OK(listener->Disable());
  CHECK_FALSE(listener->enabled());
  net::Socket client = ConnectTo(AddressOf(*listener));  // waits in the backlog
  for (int i = 0; i < 5; ++i) NET_REQUIRE_OK(loop->RunOnce(absl::Milliseconds(20)));
  CHECK(c.sockets.empty());
  NET_REQUIRE_OK(listener->Enable());
  CHECK(Spin(*loop, [&] { return c.sockets.size() == 1; }));
}

TEST_CASE("a listener created disabled, or without a callback, accepts nothing until enabled") {
  auto loop = MakeLoop();
  Collector c;
  auto listener = BindOrDie(*loop, c, {.flags = ListenerFlags::kDisabled});
  net::Socket client = ConnectTo(AddressOf(*listener));
  for (int i = 0; i < 5; ++i) NET_REQUIRE_OK(loop->RunOnce(absl::Milliseconds(20)));
  CHECK(c.sockets.empty());
  NET_REQUIRE_OK(listener->Enable());
  REQUIRE(Spin(*loop, [&] { return c.sockets.size() == 1; }));

  listener->SetCallback(nullptr);  // no callback: disabled
  CHECK_FALSE(listener->enabled());
  net::Socket second = ConnectTo(AddressOf(*listener));
  for (int i = 0; i < 5; ++i) NET_REQUIRE_OK(loop->RunOnce(absl::Milliseconds(20)));
  CHECK(c.sockets.size() == 1);
  listener->SetCallback(c.Callback());
  CHECK(Spin(*loop, [&] { return c.sockets.size() == 2; }));
}

TEST_CASE("a listener may be destroyed inside its own accept callback") {
  auto loop = MakeLoop();
  std::unique_ptr<Listener> listener;
  int accepted = 0;
  absl::StatusOr<std::unique_ptr<Listener>> l = Listener::Bind(
      *loop, Loopback4(), [&](net::Socket, const net::SocketAddress&) {
        ++accepted;
        listener.reset();
      });
  NET_REQUIRE_OK(l);
  listener = std::move(*l);
  const net::SocketAddress where = AddressOf(*listener);
  std::vector<net::Socket> clients;
  for (int i = 0; i < 5; ++i) clients.push_back(ConnectTo(where));
  CHECK(Spin(*loop, [&] { return listener == nullptr; }));
  for (int i = 0; i < 5; ++i) NET_REQUIRE_OK(loop->RunOnce(absl::Milliseconds(10)));
  CHECK(accepted == 1);
  CHECK(loop->watch_count() == 0);
}

TEST_CASE("an accept callback may replace itself, or disable the listener, mid-backlog") {
  auto loop = MakeLoop();
  std::unique_ptr<Listener> listener;
  Collector after;
  int first_calls = 0;
  // The first callback owns heap state that it reads after replacing
  // itself: were it destroyed by SetCallback() while it runs, ASan would
  // report the read.
  auto state = std::make_unique<std::string>("first");
  absl::StatusOr<std::unique_ptr<Listener>> l = Listener::Bind(
      *loop, Loopback4(),
      [&, mine = std::move(state)](net::Socket s, const net::SocketAddress& p) {
        ++first_calls;
        listener->SetCallback(after.Callback());
        CHECK(*mine == "first");
        after.sockets.push_back(std::move(s));
        after.peers.push_back(p);
      });
  NET_REQUIRE_OK(l);
  listener = std::move(*l);
  const net::SocketAddress where = AddressOf(*listener);
  std::vector<net::Socket> clients;
  // Queued before the loop runs: one wakeup finds all four in the backlog.
  for (int i = 0; i < 4; ++i) clients.push_back(ConnectTo(where));
  CHECK(Spin(*loop, [&] { return after.sockets.size() == 4; }));
  CHECK(first_calls == 1);  // the rest went to its replacement

  // A callback that disables the listener stops the accept loop at once:
  // the rest of the backlog waits for Enable().
  listener->SetCallback([&](net::Socket s, const net::SocketAddress& p) {
    after.sockets.push_back(std::move(s));
    after.peers.push_back(p);
    NET_CHECK_OK(listener->Disable());
  });
  for (int i = 0; i < 3; ++i) clients.push_back(ConnectTo(where));
  CHECK(Spin(*loop, [&] { return after.sockets.size() == 5; }));
  for (int i = 0; i < 5; ++i) NET_REQUIRE_OK(loop->RunOnce(absl::Milliseconds(10)));
  CHECK(after.sockets.size() == 5);
  NET_REQUIRE_OK(listener->Enable());
  CHECK(Spin(*loop, [&] { return after.sockets.size() == 6; }));
  for (int i = 0; i < 5; ++i) NET_REQUIRE_OK(loop->RunOnce(absl::Milliseconds(10)));
  CHECK(after.sockets.size() == 6);
  NET_REQUIRE_OK(listener->Enable());
  CHECK(Spin(*loop, [&] { return after.sockets.size() == 7; }));
}
TEST_CASE("adopting a listening socket with backlog 0, and a bound one with -1") {
  auto loop = MakeLoop();
  Collector c;
  net::Socket listening = net_test::Listen();
  const net::SocketAddress where = net_test::LocalAddressOf(listening);
  absl::StatusOr<std::unique_ptr<Listener>> a = Listener::Adopt(
      *loop, std::move(listening), c.Callback(),
      {.flags = ListenerFlags::kCloseOnFree, .backlog = 0});
  NET_REQUIRE_OK(a);
  net::Socket client = ConnectTo(where);
  CHECK(Spin(*loop, [&] { return c.sockets.size() == 1; }));

  absl::StatusOr<net::Socket> bound =
      net::Socket::Open(net::AddressFamily::kIPv4, net::SocketType::kStream);
  NET_REQUIRE_OK(bound);
  NET_REQUIRE_OK(bound->Bind(Loopback4()));
  const net::SocketAddress where2 = net_test::LocalAddressOf(*bound);
  absl::StatusOr<std::unique_ptr<Listener>> b =
      Listener::Adopt(*loop, std::move(*bound), c.Callback(), {.backlog = -1});
  NET_REQUIRE_OK(b);
  net::Socket client2 = ConnectTo(where2);
  CHECK(Spin(*loop, [&] { return c.sockets.size() == 2; }));
}

TEST_CASE("without close-on-free the adopted handle outlives the listener") {
  auto loop = MakeLoop();
  Collector c;
  net::Socket listening = net_test::Listen();
  const net::SocketAddress where = net_test::LocalAddressOf(listening);
  const net::NativeHandle raw = listening.native_handle();
  {
    absl::StatusOr<std::unique_ptr<Listener>> l = Listener::Adopt(
        *loop, std::move(listening), c.Callback(), {.backlog = 0});
    NET_REQUIRE_OK(l);
  }
  absl::StatusOr<net::Socket> again = net::Socket::Adopt(raw);
  NET_REQUIRE_OK(again);  // still open: we own it now
  CHECK(net_test::LocalAddressOf(*again) == where);
}

TEST_CASE("IPv6-only and dual-stack flags decide whether IPv4 clients get in") {
  if (!net_test::HaveIPv6()) NET_SKIP("IPv6 is not available here");
  for (bool v6only : {true, false}) {
    CAPTURE(v6only);
    auto loop = MakeLoop();
    Collector c;
    absl::StatusOr<std::unique_ptr<Listener>> l = Listener::Bind(
        *loop,
        net::SocketAddress(net::IpAddress::Any(net::AddressFamily::kIPv6), 0),
        c.Callback(),
        {.flags = v6only ? ListenerFlags::kBindIPv6Only
                         : ListenerFlags::kBindIPv4AndIPv6});
    NET_REQUIRE_OK(l);
    absl::StatusOr<net::Socket> view = net::Socket::Adopt((*l)->native_handle());
    NET_REQUIRE_OK(view);
    absl::StatusOr<bool> only = view->GetOption<net::Ipv6V6Only>();
    view->Release();
    NET_REQUIRE_OK(only);
    CHECK(*only == v6only);
    const std::uint16_t port = AddressOf(**l).port();
    absl::StatusOr<net::Socket> v4 =
        net::Socket::Open(net::AddressFamily::kIPv4, net::SocketType::kStream);
    NET_REQUIRE_OK(v4);
    absl::Status connected = v4->Connect(
        net::SocketAddress(net::IpAddress::Loopback(net::AddressFamily::kIPv4), port),
        absl::Seconds(5));
    if (v6only) {
      CHECK(net::GetSocketError(connected) == net::SocketError::kConnectionRefused);
    } else {
      NET_CHECK_OK(connected);
      CHECK(Spin(*loop, [&] { return c.sockets.size() == 1; }));
      if (!c.peers.empty()) CHECK(c.peers[0].ip().IsV4Mapped());
    }
  }
}

TEST_CASE("two reusable-port listeners share a port and both accept") {
  auto loop = MakeLoop();
  Collector a, b;
  absl::StatusOr<std::unique_ptr<Listener>> first = Listener::Bind(
      *loop, Loopback4(), a.Callback(), {.flags = ListenerFlags::kReusablePort});
  if (!first.ok()) {
    REQUIRE(first.status().code() == absl::StatusCode::kUnimplemented);
    NET_SKIP(std::string("SO_REUSEPORT: ") + std::string(first.status().message()));
  }
  const net::SocketAddress where = AddressOf(**first);
  absl::StatusOr<std::unique_ptr<Listener>> second = Listener::Bind(
      *loop, where, b.Callback(), {.flags = ListenerFlags::kReusablePort});
  NET_REQUIRE_OK(second);
  if (!net::IsSupported(net::Feature::kReusePortLoadBalancing)) {
    NET_SKIP("SO_REUSEPORT binds but the kernel does not balance connections");
  }
  std::vector<net::Socket> clients;
  // Connections from distinct source ports hash to both listeners; 64 makes
  // one-sided luck vanishingly unlikely (2^-63).
  for (int i = 0; i < 64; ++i) clients.push_back(ConnectTo(where));
  CHECK(Spin(*loop, [&] { return a.sockets.size() + b.sockets.size() == 64; }));
  CHECK(a.sockets.size() > 0);
  CHECK(b.sockets.size() > 0);
}

TEST_CASE("bad listener arguments are refused before any system call") {
  auto loop = MakeLoop();
  Collector c;
  auto both = Listener::Bind(
      *loop, net::SocketAddress(net::IpAddress::Any(net::AddressFamily::kIPv6), 0),
      c.Callback(),
      {.flags = ListenerFlags::kBindIPv6Only | ListenerFlags::kBindIPv4AndIPv6});
  CHECK(both.status().code() == absl::StatusCode::kInvalidArgument);
  auto v6flag_on_v4 = Listener::Bind(*loop, Loopback4(), c.Callback(),
                                     {.flags = ListenerFlags::kBindIPv6Only});
  CHECK(v6flag_on_v4.status().code() == absl::StatusCode::kInvalidArgument);
  auto unspecified = Listener::Bind(*loop, net::SocketAddress(), c.Callback());
  CHECK(unspecified.status().code() == absl::StatusCode::kInvalidArgument);
  auto closed = Listener::Adopt(*loop, net::Socket(), c.Callback());
  CHECK(closed.status().code() == absl::StatusCode::kFailedPrecondition);
  absl::StatusOr<net::Socket> udp =
      net::Socket::Open(net::AddressFamily::kIPv4, net::SocketType::kDatagram);
  NET_REQUIRE_OK(udp);
  auto datagram = Listener::Adopt(*loop, std::move(*udp), c.Callback());
  CHECK(datagram.status().code() == absl::StatusCode::kInvalidArgument);
  net::Socket s = net_test::Listen();
  auto bad_backlog = Listener::Adopt(*loop, std::move(s), c.Callback(), {.backlog = -7});
  CHECK(bad_backlog.status().code() == absl::StatusCode::kInvalidArgument);
}

TEST_CASE("a thread-safe listener can be disabled and enabled from another thread") {
  auto loop = MakeLoop();
  Collector c;
  auto listener = BindOrDie(*loop, c, {.flags = ListenerFlags::kThreadSafe});
  // Assertions stay on the test's thread; the other thread only calls.
  absl::Status from_thread;
  std::thread([&] { from_thread = listener->Disable(); }).join();
  NET_CHECK_OK(from_thread);
  for (int i = 0; i < 3; ++i) NET_REQUIRE_OK(loop->RunOnce(absl::Milliseconds(10)));
  net::Socket client = ConnectTo(AddressOf(*listener));
  for (int i = 0; i < 5; ++i) NET_REQUIRE_OK(loop->RunOnce(absl::Milliseconds(20)));
  CHECK(c.sockets.empty());
  std::thread([&] { from_thread = listener->Enable(); }).join();
  NET_CHECK_OK(from_thread);
  CHECK(Spin(*loop, [&] { return c.sockets.size() == 1; }));
}
