// Copyright 2026 The net Authors.
//
// Issue 18, "same program, same result": the bind, listen, receive and
// option situations that Linux and Windows used to answer differently
// (gaps 1 to 5, 7 and 10). Each test asserts the one portable outcome; the
// same file runs on Linux and under wine, and in the MSVC workflow
// (ci/github/workflows/) on real Windows, which is the only place where
// some of them can fail without the backend's translation (said at each
// test). docs/windows.md says what the Winsock backend does for each;
// docs/portability.md has the table of what cannot be hidden.

#include <cstdlib>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "tests/test_util.h"

namespace {

using net::AddressFamily;
using net::IoResult;
using net::SocketError;
using net::SocketType;
using net_test::ClosedPort;

constexpr absl::Duration kWait = absl::Seconds(5);

// IPv4, and IPv6 where this machine has it.
std::vector<AddressFamily> Families() {
  std::vector<AddressFamily> out = {AddressFamily::kIPv4};
  if (net_test::HaveIPv6()) out.push_back(AddressFamily::kIPv6);
  return out;
}

std::string Name(AddressFamily family) {
  return std::string(net::AddressFamilyName(family));
}

// True when the program runs under wine: cmake/wine-run.sh sets WINEPREFIX,
// and wine passes the Unix environment to the program.
bool UnderWine() { return std::getenv("WINEPREFIX") != nullptr; }

// The wildcard address of `family`, port 0.
net::SocketAddress Wildcard(AddressFamily family) {
  return net::SocketAddress(net::IpAddress::Any(family), 0);
}

// Every receive call of the API on `s` into a 16-byte buffer, with the
// name of the call: Receive (slow path unless `s` is non-blocking),
// ReceiveFrom, ReceiveVector.
struct Received {
  std::string call;
  absl::StatusOr<IoResult> result;
};
std::vector<Received> ReceiveEveryWay(net::Socket& s) {
  std::vector<Received> out;
  char buffer[16];
  out.push_back({"Receive", s.Receive(absl::MakeSpan(buffer))});
  absl::StatusOr<net::ReceiveFromResult> from =
      s.ReceiveFrom(absl::MakeSpan(buffer));
  out.push_back({"ReceiveFrom", from.ok() ? absl::StatusOr<IoResult>(from->io)
                                          : from.status()});
  char second[16];
  const absl::Span<char> parts[] = {absl::MakeSpan(buffer),
                                    absl::MakeSpan(second)};
  out.push_back({"ReceiveVector", s.ReceiveVector(parts)});
  return out;
}

}  // namespace

// Gap 1. Windows binds net's stream sockets with SO_EXCLUSIVEADDRUSE, and a
// bind over such a port by a socket with SO_REUSEADDR fails with WSAEACCES
// there (and under wine); Linux says EADDRINUSE.
TEST_CASE("binding a port another socket holds is address in use on every "
          "OS, even with ReuseAddress") {
  for (bool holder_listens : {true, false}) {
    for (bool reuse : {false, true}) {
      CAPTURE(holder_listens);
      CAPTURE(reuse);
      net::Socket holder = net_test::OpenSocket();
      NET_REQUIRE_OK(holder.Bind(net::SocketAddress(
          net::IpAddress::Loopback(AddressFamily::kIPv4), 0)));
      if (holder_listens) NET_REQUIRE_OK(holder.Listen());
      net::Socket second = net_test::OpenSocket();
      NET_REQUIRE_OK(second.SetOption(net::ReuseAddress(reuse)));
      const absl::Status status =
          second.Bind(net_test::LocalAddressOf(holder));
      INFO(status.ToString());
      CHECK(net::GetSocketError(status) == SocketError::kAddressInUse);
      CHECK(status.code() == absl::StatusCode::kAlreadyExists);
      CHECK(net::GetNativeError(status).has_value());  // the OS's own code
    }
  }
}

// Gap 2. Linux answers a receive after shutdown(SHUT_RD) with 0 (end of
// stream); Winsock fails it with WSAESHUTDOWN. Data that arrives after the
// shutdown is not tested: Linux still delivers it, Windows resets the
// connection (docs/windows.md).
TEST_CASE("a receive after one's own read shutdown is end of stream on "
          "every OS, and the write side still works") {
  auto pair = net_test::TcpPair();
  net::Socket& client = pair.first;
  net::Socket& server = pair.second;
  NET_REQUIRE_OK(client.SetOption(net::ReceiveTimeout(kWait)));  // no hang
  NET_REQUIRE_OK(client.Shutdown(net::ShutdownMode::kRead));
  for (bool nonblocking : {false, true}) {
    CAPTURE(nonblocking);
    NET_REQUIRE_OK(client.SetNonBlocking(nonblocking));
    for (const Received& r : ReceiveEveryWay(client)) {
      CAPTURE(r.call);
      NET_REQUIRE_OK(r.result);
      CHECK(r.result->end_of_stream());
    }
  }
  NET_REQUIRE_OK(client.SetNonBlocking(false));
  NET_CHECK_OK(client.SendAll(std::string("still open"), kWait));
  CHECK(net_test::ReceiveExactly(server, 10) == "still open");
}

// Gap 3. A datagram to a closed port comes back as an ICMP port
// unreachable. Linux reports it on the next receive of a connected UDP
// socket and never on an unconnected one; Windows, with SIO_UDP_CONNRESET
// off on every UDP socket, reported it on neither, and with it on, on both
// (as WSAECONNRESET).
//
// wine 8 never reports it to a receive, whatever SIO_UDP_CONNRESET says:
// its server reads the host socket's error into SO_ERROR (WSAECONNREFUSED)
// and the socket never becomes readable (measured: select, WSAPoll, a
// blocking recv with a 2 s timeout). Only there, and only with that
// signature, the test is skipped; so this fails without the fix on real
// Windows only.
TEST_CASE("a connected datagram socket reports connection refused after a "
          "datagram to a closed port, on every OS") {
  for (AddressFamily family : Families()) {
    INFO(Name(family));
    const net::SocketAddress closed = ClosedPort(family, SocketType::kDatagram);
    net::Socket s = net_test::OpenSocket(family, SocketType::kDatagram);
    NET_REQUIRE_OK(s.SetNonBlocking(true));
    NET_REQUIRE_OK(s.Connect(closed));
    NET_REQUIRE_OK(s.Send(std::string("anyone?")));
    absl::StatusOr<bool> ready = s.WaitReadable(absl::Seconds(2));
    NET_REQUIRE_OK(ready);
    if (!*ready && UnderWine()) {
      absl::StatusOr<absl::Status> pending =
          s.GetOption<net::SocketErrorOption>();
      if (pending.ok() && net::GetSocketError(*pending) ==
                              SocketError::kConnectionRefused) {
        NET_SKIP("wine 8 keeps the ICMP port unreachable in SO_ERROR and "
                 "never reports it to a receive (real Windows and Linux do)");
      }
    }
    CHECK(*ready);
    char buffer[16];
    absl::StatusOr<IoResult> r = s.Receive(absl::MakeSpan(buffer));
    INFO(r.status().ToString());
    CHECK(net::GetSocketError(r.status()) == SocketError::kConnectionRefused);
    CHECK(net::GetNativeError(r.status()).has_value());
    // Reported once: the socket is usable afterwards.
    r = s.Receive(absl::MakeSpan(buffer));
    NET_REQUIRE_OK(r);
    CHECK(r->would_block());
  }
}

TEST_CASE("an unconnected datagram socket never reports a datagram to a "
          "closed port, on every OS") {
  for (AddressFamily family : Families()) {
    INFO(Name(family));
    const net::SocketAddress closed = ClosedPort(family, SocketType::kDatagram);
    net::Socket s = net_test::Listen(family, SocketType::kDatagram);
    NET_REQUIRE_OK(s.SetNonBlocking(true));
    NET_REQUIRE_OK(s.SendTo(std::string("anyone?"), closed));
    // The ICMP error, if any, is back long before this.
    absl::StatusOr<bool> ready = s.WaitReadable(absl::Milliseconds(300));
    NET_REQUIRE_OK(ready);
    CHECK_FALSE(*ready);
    char buffer[16];
    absl::StatusOr<net::ReceiveFromResult> r =
        s.ReceiveFrom(absl::MakeSpan(buffer));
    NET_REQUIRE_OK(r);
    CHECK(r->io.would_block());
    // And a datagram from a live peer still arrives.
    net::Socket peer = net_test::Listen(family, SocketType::kDatagram);
    NET_REQUIRE_OK(peer.SendTo(std::string("hello"),
                               net_test::LocalAddressOf(s)));
    ready = s.WaitReadable(kWait);
    NET_REQUIRE_OK(ready);
    REQUIRE(*ready);
    r = s.ReceiveFrom(absl::MakeSpan(buffer));
    NET_REQUIRE_OK(r);
    CHECK(std::string(buffer, r->io.bytes()) == "hello");
  }
}

// Gap 4. Linux binds a never-bound socket to an ephemeral port of the
// wildcard address in listen(); Winsock fails listen() with WSAEINVAL.
TEST_CASE("listen on a never-bound socket takes an ephemeral port of the "
          "wildcard address on every OS") {
  for (AddressFamily family : Families()) {
    INFO(Name(family));
    net::Socket listener = net_test::OpenSocket(family);
    NET_REQUIRE_OK(listener.Listen());
    const net::SocketAddress local = net_test::LocalAddressOf(listener);
    CHECK(local.ip() == net::IpAddress::Any(family));
    CHECK(local.port() != 0);
    net::Socket client = net_test::OpenSocket(family);
    NET_CHECK_OK(client.Connect(
        net::SocketAddress(net::IpAddress::Loopback(family), local.port()),
        kWait));
    NET_CHECK_OK(listener.Accept());
  }
}

// Gap 5. getsockname() of an unbound socket: the wildcard address, port 0,
// on Linux; WSAEINVAL from Winsock.
TEST_CASE("an unbound socket's local address is the wildcard address with "
          "port 0 on every OS") {
  for (AddressFamily family : Families()) {
    for (SocketType type : {SocketType::kStream, SocketType::kDatagram}) {
      INFO(Name(family));
      CAPTURE(type);
      net::Socket s = net_test::OpenSocket(family, type);
      absl::StatusOr<net::SocketAddress> local = s.LocalAddress();
      NET_REQUIRE_OK(local);
      CHECK(*local == Wildcard(family));
    }
  }
}

// Gap 5, receiving: Linux waits on an unbound UDP socket (nothing can come);
// real Windows fails recvfrom() with WSAEINVAL (wine waits as Linux does, so
// this fails without the fix on real Windows only). The rule: would-block,
// which a blocking socket with a receive timeout reports as timed out
// (Windows says so at once; Linux when the timeout passes).
TEST_CASE("a receive on an unbound datagram socket would block on every OS") {
  net::Socket s = net_test::OpenSocket(AddressFamily::kIPv4,
                                       SocketType::kDatagram);
  NET_REQUIRE_OK(s.SetNonBlocking(true));
  for (const Received& r : ReceiveEveryWay(s)) {
    CAPTURE(r.call);
    NET_REQUIRE_OK(r.result);
    CHECK(r.result->would_block());
  }
  net::Socket blocking = net_test::OpenSocket(AddressFamily::kIPv4,
                                              SocketType::kDatagram);
  NET_REQUIRE_OK(
      blocking.SetOption(net::ReceiveTimeout(absl::Milliseconds(50))));
  char buffer[16];
  absl::StatusOr<IoResult> r = blocking.Receive(absl::MakeSpan(buffer));
  INFO(r.status().ToString());
  CHECK(net::GetSocketError(r.status()) == SocketError::kTimedOut);
}

// Gap 7. Real Windows retransmits the SYN after the RST of a closed
// loopback port and reports the refusal after ~2 s, so this 500 ms
// deadline was kTimedOut there; Linux and wine refuse at once. Only the
// MSVC workflow on real Windows can fail it without the fix.
TEST_CASE("connecting to a closed loopback port is refused within 500 ms on "
          "every OS") {
  for (AddressFamily family : Families()) {
    INFO(Name(family));
    const net::SocketAddress closed = ClosedPort(family, SocketType::kStream);
    net::Socket s = net_test::OpenSocket(family);
    const absl::Time start = absl::Now();
    const absl::Status status = s.Connect(closed, absl::Milliseconds(500));
    const absl::Duration took = absl::Now() - start;
    INFO(status.ToString(), " after ", absl::FormatDuration(took));
    CHECK(net::GetSocketError(status) == SocketError::kConnectionRefused);
  }
}

// Gap 10. Windows sets the keepalive tuple with SIO_KEEPALIVE_VALS and the
// probe count with TCP_KEEPCNT, which older Windows and wine lack: a count
// other than the fixed 10 is kUnimplemented there, and used to be reported
// after keepalive had been switched on with the new times. An option
// applies whole or not at all.
TEST_CASE("a keepalive tuple that cannot be applied leaves keepalive as it "
          "was on every OS") {
  net::Socket s = net_test::OpenSocket();
  REQUIRE_FALSE(net_test::OptionOf<net::SocketKeepAlive>(s));
  const net::KeepAlive wanted{absl::Seconds(30), absl::Seconds(5), 3};
  const absl::Status status = s.SetOption(net::TcpKeepAlive(wanted));
  INFO(status.ToString());
  if (status.ok()) {
    CHECK(net_test::OptionOf<net::SocketKeepAlive>(s));
    absl::StatusOr<net::KeepAlive> got = s.GetOption<net::TcpKeepAlive>();
    if (got.ok()) {
      CHECK(got->idle == wanted.idle);
      CHECK(got->interval == wanted.interval);
      CHECK(got->count == wanted.count);
    }
  } else {
    CHECK(status.code() == absl::StatusCode::kUnimplemented);
    CHECK_FALSE(net_test::OptionOf<net::SocketKeepAlive>(s));
  }
  // The fixed count is accepted everywhere; a failed change after it keeps
  // keepalive on.
  NET_REQUIRE_OK(s.SetOption(net::TcpKeepAlive(
      {absl::Seconds(60), absl::Seconds(10), 10})));
  CHECK(net_test::OptionOf<net::SocketKeepAlive>(s));
  if (!s.SetOption(net::TcpKeepAlive(wanted)).ok()) {
    CHECK(net_test::OptionOf<net::SocketKeepAlive>(s));
    absl::StatusOr<net::KeepAlive> got = s.GetOption<net::TcpKeepAlive>();
    if (got.ok()) CHECK(got->idle == absl::Seconds(60));
  }
}

TEST_CASE("a keepalive count the OS refuses changes nothing, on every OS") {
  // Linux takes counts of 1..127; Windows without TCP_KEEPCNT only 10.
  net::Socket s = net_test::OpenSocket();
  absl::StatusOr<net::KeepAlive> before = s.GetOption<net::TcpKeepAlive>();
  const absl::Status status = s.SetOption(
      net::TcpKeepAlive({absl::Seconds(45), absl::Seconds(7), 200}));
  INFO(status.ToString());
  if (status.ok()) NET_SKIP("this OS takes a keepalive count of 200");
  CHECK_FALSE(net_test::OptionOf<net::SocketKeepAlive>(s));
  absl::StatusOr<net::KeepAlive> after = s.GetOption<net::TcpKeepAlive>();
  if (before.ok() && after.ok()) {
    CHECK(after->idle == before->idle);
    CHECK(after->interval == before->interval);
    CHECK(after->count == before->count);
  }
}
