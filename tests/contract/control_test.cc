// Copyright 2026 The net Authors.
//
// The control operations (the fcntl/ioctl table) on every backend: bytes
// available, non-blocking mode and the would-block results it brings,
// close-on-exec on new and accepted sockets, owner and async I/O. No OS
// header, no OS #if. Where a backend documents an operation as unavailable
// (owner and async on Windows: kUnimplemented), the case accepts exactly
// that code there, says so and is counted as skipped; on the POSIX backend
// the operation must work. (Connect with a timeout and the socketpair echo
// are in socket_test.cc.)

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "absl/types/optional.h"
#include "absl/types/span.h"
#include "tests/test_util.h"

namespace {

using net::AddressFamily;
using net::IoResult;
using net::SocketError;
using net::SocketType;

// Polls BytesAvailable() until it reaches `n` or 5 s pass; the last value.
std::size_t AvailableWithin(const net::Socket& s, std::size_t n) {
  const absl::Time deadline = absl::Now() + absl::Seconds(5);
  std::size_t last = 0;
  for (;;) {
    absl::StatusOr<std::size_t> available = s.BytesAvailable();
    NET_REQUIRE_OK(available);
    last = *available;
    if (last >= n || absl::Now() > deadline) return last;
    absl::SleepFor(absl::Milliseconds(1));
  }
}

void CheckCloseOnExec(const net::Socket& s, const char* what) {
  INFO(what);
  absl::StatusOr<bool> cloexec = s.IsCloseOnExec();
  NET_REQUIRE_OK(cloexec);
  CHECK(*cloexec);
}

// Why to skip when `get` is the documented "not on this backend" answer
// (kUnimplemented), after checking that `set()` answers the same; "" when
// the operation is there. On the POSIX backend nothing in this file may be
// unimplemented.
template <typename Set>
std::string Unavailable(const absl::Status& get, Set set,
                        absl::string_view what) {
  if (get.code() != absl::StatusCode::kUnimplemented) return "";
  CHECK(net::BackendName() != "posix");
  CHECK(set().code() == absl::StatusCode::kUnimplemented);
  return absl::StrCat("no ", what, " on the ", net::BackendName(),
                      " backend: ", get.ToString());
}

}  // namespace

TEST_CASE("BytesAvailable reports what was sent and not yet read") {
  auto [client, server] = net_test::TcpPair();
  absl::StatusOr<std::size_t> none = server.BytesAvailable();
  NET_REQUIRE_OK(none);
  CHECK(*none == 0);

  NET_REQUIRE_OK(client.SendAll(std::string("0123456789")));
  CHECK(AvailableWithin(server, 10) == 10);

  char buffer[4];
  absl::StatusOr<IoResult> r = server.Receive(absl::MakeSpan(buffer));
  NET_REQUIRE_OK(r);
  CHECK(r->bytes() == 4);
  absl::StatusOr<std::size_t> rest = server.BytesAvailable();
  NET_REQUIRE_OK(rest);
  CHECK(*rest == 6);
}

TEST_CASE(
    "a non-blocking accept with nothing pending reports would-block, "
    "then accepts once a client connects") {
  net::Socket listener = net_test::Listen();
  NET_REQUIRE_OK(listener.SetNonBlocking(true));
  absl::StatusOr<net::Accepted> nothing = listener.Accept();
  INFO(nothing.status().ToString());
  CHECK_FALSE(nothing.ok());
  CHECK(net::IsWouldBlock(nothing.status()));
  CHECK(net::GetSocketError(nothing.status()) == SocketError::kWouldBlock);
  CHECK(net::IsTransient(nothing.status()));
  // The OS's code is kept (EAGAIN, WSAEWOULDBLOCK) and named.
  CHECK(net::GetNativeError(nothing.status()).has_value());
  CHECK(std::string(nothing.status().message()).rfind("accept: would block [",
                                                      0) == 0);

  net::Socket client = net_test::OpenSocket();
  NET_REQUIRE_OK(client.Connect(net_test::LocalAddressOf(listener)));
  absl::StatusOr<bool> ready = listener.WaitReadable(absl::Seconds(5));
  NET_REQUIRE_OK(ready);
  REQUIRE(*ready);
  absl::StatusOr<net::Accepted> accepted = listener.Accept();
  NET_REQUIRE_OK(accepted);
  CHECK(accepted->peer == net_test::LocalAddressOf(client));
}

TEST_CASE(
    "TryAccept on a non-blocking listener with nothing pending is nullopt, "
    "not an error") {
  net::Socket listener = net_test::Listen();
  NET_REQUIRE_OK(listener.SetNonBlocking(true));
  for (net::AcceptFlags flags :
       {net::AcceptFlags::kNone, net::AcceptFlags::kNonBlocking}) {
    absl::StatusOr<absl::optional<net::Accepted>> nothing =
        listener.TryAccept(flags);
    NET_REQUIRE_OK(nothing);
    CHECK_FALSE(nothing->has_value());
  }
}

TEST_CASE(
    "TryAccept makes the accepted socket non-blocking with kNonBlocking and "
    "blocking without, whatever the listener's mode") {
  // The OS is asked, not only net's cache: with a receive timeout and
  // nothing to read, a blocking receive times out (kTimedOut) where a
  // non-blocking one says would-block at once. (On POSIX `IsNonBlocking()`
  // reads O_NONBLOCK back too; Windows cannot read the mode back.)
  for (bool listener_nonblocking : {false, true}) {
    for (net::AcceptFlags flags :
         {net::AcceptFlags::kNone, net::AcceptFlags::kNonBlocking}) {
      const bool want_nonblocking =
          net::HasFlag(flags, net::AcceptFlags::kNonBlocking);
      CAPTURE(listener_nonblocking);
      CAPTURE(want_nonblocking);
      net::Socket listener = net_test::Listen();
      NET_REQUIRE_OK(listener.SetNonBlocking(listener_nonblocking));
      net::Socket client = net_test::OpenSocket();
      NET_REQUIRE_OK(client.Connect(net_test::LocalAddressOf(listener)));
      NET_REQUIRE_OK(listener.WaitReadable(absl::Seconds(5)));
      absl::StatusOr<absl::optional<net::Accepted>> accepted =
          listener.TryAccept(flags);
      NET_REQUIRE_OK(accepted);
      REQUIRE(accepted->has_value());
      net::Socket& server = (*accepted)->socket;

      absl::StatusOr<bool> nonblocking = server.IsNonBlocking();
      NET_REQUIRE_OK(nonblocking);
      CHECK(*nonblocking == want_nonblocking);
      CheckCloseOnExec(server, "accepted by TryAccept");

      NET_REQUIRE_OK(
          server.SetOption(net::ReceiveTimeout(absl::Milliseconds(100))));
      char buffer[4];
      absl::StatusOr<IoResult> r = server.Receive(absl::MakeSpan(buffer));
      INFO("receive: ", r.status().ToString());
      if (want_nonblocking) {
        NET_REQUIRE_OK(r);
        CHECK(r->would_block());
      } else {
        CHECK(net::GetSocketError(r.status()) == SocketError::kTimedOut);
      }
    }
  }
}

TEST_CASE(
    "a non-blocking receive with nothing to read is a would-block "
    "result, not an error") {
  auto [client, server] = net_test::TcpPair();
  NET_REQUIRE_OK(server.SetNonBlocking(true));
  char buffer[16];
  absl::StatusOr<IoResult> r = server.Receive(absl::MakeSpan(buffer));
  NET_REQUIRE_OK(r);
  CHECK(r->would_block());
  CHECK(r->bytes() == 0);

  const absl::Span<char> parts[] = {absl::MakeSpan(buffer)};
  absl::StatusOr<IoResult> rv = server.ReceiveVector(parts);
  NET_REQUIRE_OK(rv);
  CHECK(rv->would_block());

  // Data makes it readable again.
  NET_REQUIRE_OK(client.SendAll(std::string("now")));
  absl::StatusOr<bool> ready = server.WaitReadable(absl::Seconds(5));
  NET_REQUIRE_OK(ready);
  REQUIRE(*ready);
  r = server.Receive(absl::MakeSpan(buffer));
  NET_REQUIRE_OK(r);
  CHECK(std::string(buffer, r->bytes()) == "now");

  // UDP too.
  net::Socket udp =
      net_test::Listen(AddressFamily::kIPv4, SocketType::kDatagram);
  NET_REQUIRE_OK(udp.SetNonBlocking(true));
  absl::StatusOr<net::ReceiveFromResult> rf =
      udp.ReceiveFrom(absl::MakeSpan(buffer));
  NET_REQUIRE_OK(rf);
  CHECK(rf->io.would_block());
}

TEST_CASE("a non-blocking send into full buffers is a would-block result") {
  auto [client, server] = net_test::TcpPair();
  NET_REQUIRE_OK(client.SetNonBlocking(true));
  const std::string chunk(256 * 1024, 'f');
  bool blocked = false;
  // Nobody reads: the buffers fill within a few hundred MiB at most.
  for (int i = 0; i < 4096 && !blocked; ++i) {
    absl::StatusOr<IoResult> r = client.Send(chunk);
    NET_REQUIRE_OK(r);
    blocked = r->would_block();
  }
  CHECK(blocked);
}

TEST_CASE("SetNonBlocking round-trips through IsNonBlocking") {
  net::Socket s = net_test::OpenSocket();
  absl::StatusOr<bool> on = s.IsNonBlocking();
  NET_REQUIRE_OK(on);
  CHECK_FALSE(*on);  // sockets start blocking
  net_test::CheckRoundTrips(s, &net::Socket::SetNonBlocking,
                            &net::Socket::IsNonBlocking,
                            {true, true, false, true, false, false});
}

TEST_CASE("new, accepted and paired sockets are created close-on-exec") {
  for (SocketType type : {SocketType::kStream, SocketType::kDatagram}) {
    net::Socket s = net_test::OpenSocket(AddressFamily::kIPv4, type);
    CheckCloseOnExec(s, type == SocketType::kStream ? "new TCP" : "new UDP");
  }
  auto [client, server] = net_test::TcpPair();
  CheckCloseOnExec(client, "connected client");
  CheckCloseOnExec(server, "accepted");

  // Accepted from a non-blocking listener too (accept4 flags, or the
  // fallback that sets the flag after accept).
  net::Socket listener = net_test::Listen();
  NET_REQUIRE_OK(listener.SetNonBlocking(true));
  net::Socket c2 = net_test::OpenSocket();
  NET_REQUIRE_OK(c2.Connect(net_test::LocalAddressOf(listener)));
  NET_REQUIRE_OK(listener.WaitReadable(absl::Seconds(5)));
  absl::StatusOr<net::Accepted> accepted = listener.Accept();
  NET_REQUIRE_OK(accepted);
  CheckCloseOnExec(accepted->socket, "accepted from a non-blocking listener");

  absl::StatusOr<std::pair<net::Socket, net::Socket>> pair = net::SocketPair();
  NET_REQUIRE_OK(pair);
  CheckCloseOnExec(pair->first, "socketpair first");
  CheckCloseOnExec(pair->second, "socketpair second");
}

TEST_CASE("SetCloseOnExec round-trips through IsCloseOnExec") {
  net::Socket s = net_test::OpenSocket();
  net_test::CheckRoundTrips(s, &net::Socket::SetCloseOnExec,
                            &net::Socket::IsCloseOnExec,
                            {false, false, true, false, true});
}

TEST_CASE(
    "SetOwner round-trips through GetOwner where the backend has an "
    "owner") {
  net::Socket s = net_test::OpenSocket();
  absl::StatusOr<std::int64_t> owner = s.GetOwner();
  const std::string skip = Unavailable(
      owner.status(), [&] { return s.SetOwner(0); }, "socket owner");
  if (!skip.empty()) NET_SKIP(skip);
  NET_REQUIRE_OK(owner);
  CHECK(*owner == 0);  // nobody gets SIGIO/SIGURG for a new socket
  // 0 ("no owner") is the one value a portable test can name; the round
  // trip with this process's id is in tests/posix/.
  net_test::CheckRoundTrips(s, &net::Socket::SetOwner, &net::Socket::GetOwner,
                            {std::int64_t{0}});
}

TEST_CASE(
    "SetAsync round-trips through IsAsync where the backend has "
    "signal-driven I/O") {
  net::Socket s = net_test::OpenSocket();
  absl::StatusOr<bool> on = s.IsAsync();
  const std::string skip = Unavailable(
      on.status(), [&] { return s.SetAsync(true); }, "signal-driven I/O");
  if (!skip.empty()) NET_SKIP(skip);
  NET_REQUIRE_OK(on);
  CHECK_FALSE(*on);
  // With no owner (0), turning async on sends no signal to anybody.
  net_test::CheckRoundTrips(s, &net::Socket::SetAsync, &net::Socket::IsAsync,
                            {true, false});
  // Async and non-blocking are independent flags.
  NET_REQUIRE_OK(s.SetNonBlocking(true));
  NET_REQUIRE_OK(s.SetAsync(true));
  NET_REQUIRE_OK(s.SetAsync(false));
  absl::StatusOr<bool> nonblocking = s.IsNonBlocking();
  NET_REQUIRE_OK(nonblocking);
  CHECK(*nonblocking);
}

TEST_CASE("AtOutOfBandMark is false on a connection without urgent data") {
  auto [client, server] = net_test::TcpPair();
  absl::StatusOr<bool> at_mark = server.AtOutOfBandMark();
  NET_REQUIRE_OK(at_mark);
  CHECK_FALSE(*at_mark);
  NET_REQUIRE_OK(client.SendAll(std::string("plain")));
  CHECK(AvailableWithin(server, 5) == 5);
  at_mark = server.AtOutOfBandMark();
  NET_REQUIRE_OK(at_mark);
  CHECK_FALSE(*at_mark);
}
