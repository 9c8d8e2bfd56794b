// Copyright 2026 The net Authors.
//
// Issue 18, "same program, same result": the connect and send situations
// that Linux and Windows used to name differently (gaps 6, 9 and 11). Each
// test asserts the one portable outcome; the same file runs on Linux and
// under wine, and in the MSVC workflow on real Windows. docs/portability.md
// has the whole table.

#include <string>
#include <utility>

#include "absl/strings/match.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "net/listener.h"
#include "tests/test_util.h"

namespace {

using net::AddressFamily;
using net::SocketError;
using net::SocketType;
using net_test::ClosedPort;

// Waits (bounded) until a non-blocking connect has finished.
void WaitConnected(net::Socket& s) {
  absl::StatusOr<bool> ready = s.WaitWritable(absl::Seconds(5));
  NET_REQUIRE_OK(ready);
  REQUIRE(*ready);
}

}  // namespace

// Gap 6. Linux leaves a socket whose non-blocking connect failed "connecting"
// after SO_ERROR is read: the next connect() answered ECONNABORTED, the one
// after it ECONNREFUSED again. Windows starts a new attempt each time.
TEST_CASE("after a refused connect the same socket can connect again, and "
          "a retry loop never sees connection aborted") {
  const net::SocketAddress closed = ClosedPort();
  net::Socket s = net_test::OpenSocket(AddressFamily::kIPv4);
  for (int attempt = 0; attempt < 4; ++attempt) {
    CAPTURE(attempt);
    absl::Status r = s.Connect(closed, absl::Seconds(5));
    INFO(r.ToString());
    CHECK(net::GetSocketError(r) == SocketError::kConnectionRefused);
  }
  net::Socket listener = net_test::Listen(AddressFamily::kIPv4);
  NET_CHECK_OK(s.Connect(net_test::LocalAddressOf(listener), absl::Seconds(5)));
  absl::StatusOr<net::Accepted> accepted = listener.Accept();
  NET_REQUIRE_OK(accepted);
  NET_CHECK_OK(s.SendAll(absl::string_view("again")));
  CHECK(net_test::ReceiveExactly(accepted->socket, 5) == "again");
}

TEST_CASE("a non-blocking retry after reading the failure from SO_ERROR "
          "starts a new attempt on every OS") {
  const net::SocketAddress closed = ClosedPort();
  net::Socket s = net_test::OpenSocket(AddressFamily::kIPv4);
  NET_REQUIRE_OK(s.SetNonBlocking(true));
  for (int attempt = 0; attempt < 4; ++attempt) {
    CAPTURE(attempt);
    absl::Status r = s.Connect(closed);
    if (net::IsInProgress(r)) {
      WaitConnected(s);
      absl::StatusOr<absl::Status> pending = s.GetOption<net::SocketErrorOption>();
      NET_REQUIRE_OK(pending);
      r = *pending;
    }
    CHECK(net::GetSocketError(r) == SocketError::kConnectionRefused);
  }
}

// Gap 9: one situation, one name.
TEST_CASE("a send on a never-connected stream socket is not connected on "
          "every OS") {
  for (bool nonblocking : {false, true}) {
    CAPTURE(nonblocking);
    net::Socket s = net_test::OpenSocket(AddressFamily::kIPv4);
    NET_REQUIRE_OK(s.SetNonBlocking(nonblocking));
    absl::StatusOr<net::IoResult> r = s.Send(absl::string_view("x"));
    INFO(r.status().ToString());
    CHECK(net::GetSocketError(r.status()) == SocketError::kNotConnected);
    CHECK(net::GetNativeError(r.status()).has_value());
    absl::Status all = s.SendAll(absl::string_view("x"), absl::Seconds(1));
    CHECK(net::GetSocketError(all) == SocketError::kNotConnected);
  }
}

TEST_CASE("a send after one's own write shutdown is still broken pipe") {
  auto [client, server] = net_test::TcpPair();
  NET_REQUIRE_OK(client.Shutdown(net::ShutdownMode::kWrite));
  absl::StatusOr<net::IoResult> r = client.Send(absl::string_view("x"));
  CHECK(net::GetSocketError(r.status()) == SocketError::kBrokenPipe);
  CHECK(net::IsPeerGone(r.status()));
}

TEST_CASE("a datagram send without a destination is destination address "
          "required on every OS") {
  for (bool nonblocking : {false, true}) {
    CAPTURE(nonblocking);
    net::Socket s =
        net_test::OpenSocket(AddressFamily::kIPv4, SocketType::kDatagram);
    NET_REQUIRE_OK(s.SetNonBlocking(nonblocking));
    absl::StatusOr<net::IoResult> r = s.Send(absl::string_view("x"));
    CHECK(net::GetSocketError(r.status()) ==
          SocketError::kDestinationAddressRequired);
    const absl::Span<const char> one[] = {absl::Span<const char>("x", 1)};
    r = s.SendVector(one);
    CHECK(net::GetSocketError(r.status()) ==
          SocketError::kDestinationAddressRequired);
    // Bound but not connected: the same.
    net::Socket bound =
        net_test::OpenSocket(AddressFamily::kIPv4, SocketType::kDatagram);
    NET_REQUIRE_OK(bound.SetNonBlocking(nonblocking));
    NET_REQUIRE_OK(bound.Bind(*net::SocketAddress::Parse("127.0.0.1:0")));
    r = bound.Send(absl::string_view("x"));
    CHECK(net::GetSocketError(r.status()) ==
          SocketError::kDestinationAddressRequired);
  }
}

TEST_CASE("connect on a listening socket is invalid argument on every OS, "
          "before any system call") {
  net::Socket listener = net_test::Listen(AddressFamily::kIPv4);
  net::Socket other = net_test::Listen(AddressFamily::kIPv4);
  for (absl::Status r :
       {listener.Connect(net_test::LocalAddressOf(other)),
        listener.Connect(net_test::LocalAddressOf(other), absl::Seconds(1))}) {
    CHECK(r.code() == absl::StatusCode::kInvalidArgument);
    CHECK(net::GetSocketError(r) == SocketError::kUnknown);  // not the OS's
    CHECK(absl::StrContains(r.message(), "listening"));
  }
  // An adopted listening socket is known as one too.
  absl::StatusOr<net::Socket> adopted = net::Socket::Adopt(listener.Release());
  NET_REQUIRE_OK(adopted);
  absl::Status r = adopted->Connect(net_test::LocalAddressOf(other));
  CHECK(r.code() == absl::StatusCode::kInvalidArgument);
}

TEST_CASE("the connect after a completed non-blocking connect is OK on every "
          "OS, the ones after it already connected") {
  net::Socket listener = net_test::Listen(AddressFamily::kIPv4);
  const net::SocketAddress where = net_test::LocalAddressOf(listener);
  net::Socket s = net_test::OpenSocket(AddressFamily::kIPv4);
  NET_REQUIRE_OK(s.SetNonBlocking(true));
  absl::Status r = s.Connect(where);
  if (!r.ok()) {
    REQUIRE(net::IsInProgress(r));
    WaitConnected(s);
  }
  // The first connect after completion says OK (Linux answers 0 there,
  // Winsock EISCONN), every later one kAlreadyConnected.
  NET_CHECK_OK(s.Connect(where));
  NET_CHECK_OK(s.PeerAddress());
  r = s.Connect(where);
  CHECK(net::GetSocketError(r) == SocketError::kAlreadyConnected);
}

TEST_CASE("a send after the peer reset is told by IsPeerGone on every OS") {
  auto [client, server] = net_test::TcpPair();
  NET_REQUIRE_OK(server.SetOption(net::LingerOption({true, absl::ZeroDuration()})));
  NET_REQUIRE_OK(server.Close());
  // The reset reaches the client at once on loopback; give it a bound.
  absl::Status last;
  const absl::Time deadline = absl::Now() + absl::Seconds(5);
  while (absl::Now() < deadline) {
    absl::StatusOr<net::IoResult> r = client.Send(absl::string_view("x"));
    if (!r.ok()) {
      last = r.status();
      break;
    }
    absl::SleepFor(absl::Milliseconds(5));
  }
  REQUIRE_FALSE(last.ok());
  CHECK(net::IsPeerGone(last));
  // And every later send says so too.
  absl::StatusOr<net::IoResult> again = client.Send(absl::string_view("x"));
  CHECK(net::IsPeerGone(again.status()));
}

// Gap 11: Microsoft's text says a port whose old connections sit in
// TIME_WAIT cannot be bound exclusively; practical reports disagree. The
// server side closes first here, so the TIME_WAIT is the listener's port.
TEST_CASE("a reusable listener restarts on its port while old connections "
          "are in TIME_WAIT") {
  auto loop = net::EventLoop::Create();
  NET_REQUIRE_OK(loop);
  net::ListenerOptions options;
  options.flags = net::ListenerFlags::kReusable;
  net::SocketAddress where;
  {
    net::Socket accepted;
    auto listener = net::Listener::Bind(
        **loop, *net::SocketAddress::Parse("127.0.0.1:0"),
        [&](net::Socket s, const net::SocketAddress&) {
          accepted = std::move(s);
        },
        options);
    NET_REQUIRE_OK(listener);
    absl::StatusOr<net::SocketAddress> bound = (*listener)->LocalAddress();
    NET_REQUIRE_OK(bound);
    where = *bound;
    net::Socket client = net_test::OpenSocket(AddressFamily::kIPv4);
    NET_REQUIRE_OK(client.Connect(where, absl::Seconds(5)));
    const absl::Time deadline = absl::Now() + absl::Seconds(5);
    while (!accepted.is_open() && absl::Now() < deadline) {
      NET_REQUIRE_OK((*loop)->RunOnce(absl::Milliseconds(50)));
    }
    REQUIRE(accepted.is_open());
    // The server closes first: its side of the connection goes to TIME_WAIT.
    NET_REQUIRE_OK(accepted.Close());
    std::string rest(1, '\0');
    absl::StatusOr<net::IoResult> eof = client.Receive(absl::MakeSpan(rest));
    NET_REQUIRE_OK(eof);
    CHECK(eof->end_of_stream());
    NET_REQUIRE_OK(client.Close());
  }
  auto again = net::Listener::Bind(
      **loop, where, [](net::Socket, const net::SocketAddress&) {}, options);
  NET_CHECK_OK(again);
}
