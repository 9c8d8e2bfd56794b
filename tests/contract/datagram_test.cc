// Copyright 2026 The net Authors.
//
// Datagram sockets on every backend: UDP over IPv4 and IPv6 with the
// sender's address, connected UDP, zero-length datagrams, what a too-small
// receive buffer does to a datagram, and unix-domain datagrams. Real sockets
// on loopback, port 0; no OS header, no OS #if.

#include <cstddef>
#include <filesystem>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "tests/test_util.h"

namespace {

using net::AddressFamily;
using net::IoResult;
using net::SocketError;
using net::SocketType;

constexpr absl::Duration kWait = absl::Seconds(5);

net::Socket BoundUdp(AddressFamily family) {
  return net_test::Listen(family, SocketType::kDatagram);
}

// Waits until `s` is readable (REQUIREs it within kWait).
void AwaitReadable(net::Socket& s) {
  absl::StatusOr<bool> ready = s.WaitReadable(kWait);
  NET_REQUIRE_OK(ready);
  REQUIRE(*ready);
}

// Waits for and receives one datagram into a buffer of `size`.
net::ReceiveFromResult ReceiveOne(net::Socket& s, std::string* data,
                                  std::size_t size = 2048) {
  AwaitReadable(s);
  data->assign(size, '\0');
  absl::StatusOr<net::ReceiveFromResult> r =
      s.ReceiveFrom(absl::MakeSpan(*data));
  NET_REQUIRE_OK(r);
  REQUIRE(r->io.kind() == IoResult::Kind::kTransferred);
  data->resize(r->io.bytes());
  return *r;
}

// A send that went out whole, as one datagram of `bytes`.
void CheckSent(const absl::StatusOr<IoResult>& sent, std::size_t bytes) {
  NET_REQUIRE_OK(sent);
  CHECK(sent->bytes() == bytes);
}

void CheckSendToReceiveFrom(AddressFamily family) {
  net::Socket a = BoundUdp(family);
  net::Socket b = BoundUdp(family);
  const net::SocketAddress a_addr = net_test::LocalAddressOf(a);
  const net::SocketAddress b_addr = net_test::LocalAddressOf(b);

  CheckSent(a.SendTo(std::string("datagram one"), b_addr), 12);
  std::string data;
  net::ReceiveFromResult got = ReceiveOne(b, &data);
  CHECK(data == "datagram one");
  CHECK(got.from == a_addr);

  // And back, to the address the datagram came from.
  NET_REQUIRE_OK(b.SendTo(std::string("reply"), got.from));
  got = ReceiveOne(a, &data);
  CHECK(data == "reply");
  CHECK(got.from == b_addr);

  // Message boundaries are kept: two datagrams are two receives.
  NET_REQUIRE_OK(a.SendTo(std::string("first"), b_addr));
  NET_REQUIRE_OK(a.SendTo(std::string("second"), b_addr));
  ReceiveOne(b, &data);
  CHECK(data == "first");
  ReceiveOne(b, &data);
  CHECK(data == "second");
}

// Opens a unix datagram socket, or says why it cannot.
absl::StatusOr<net::Socket> OpenUnixDatagram() {
  return net::Socket::Open(AddressFamily::kUnix, SocketType::kDatagram);
}

bool UnixDatagramUnsupported(const absl::Status& s) {
  SocketError e = net::GetSocketError(s);
  return e == SocketError::kAddressFamilyNotSupported ||
         e == SocketError::kSocketTypeNotSupported ||
         e == SocketError::kProtocolNotSupported ||
         s.code() == absl::StatusCode::kUnimplemented;
}

}  // namespace

TEST_CASE(
    "UDP over IPv4: SendTo and ReceiveFrom carry data and the sender's "
    "address") {
  CheckSendToReceiveFrom(AddressFamily::kIPv4);
}

TEST_CASE(
    "UDP over IPv6: SendTo and ReceiveFrom carry data and the sender's "
    "address") {
  if (!net_test::HaveIPv6())
    NET_SKIP("IPv6 not available here (cannot bind ::1)");
  CheckSendToReceiveFrom(AddressFamily::kIPv6);
}

TEST_CASE(
    "a connected UDP socket sends with Send, receives with Receive, "
    "and only from its peer") {
  net::Socket a = BoundUdp(AddressFamily::kIPv4);
  net::Socket b = BoundUdp(AddressFamily::kIPv4);
  net::Socket stranger = BoundUdp(AddressFamily::kIPv4);
  const net::SocketAddress a_addr = net_test::LocalAddressOf(a);
  const net::SocketAddress b_addr = net_test::LocalAddressOf(b);
  NET_REQUIRE_OK(a.Connect(b_addr));
  absl::StatusOr<net::SocketAddress> peer = a.PeerAddress();
  NET_REQUIRE_OK(peer);
  CHECK(*peer == b_addr);

  CheckSent(a.Send(std::string("connected")), 9);
  std::string data;
  net::ReceiveFromResult got = ReceiveOne(b, &data);
  CHECK(data == "connected");
  CHECK(got.from == a_addr);

  // A datagram from a stranger is filtered out; the peer's gets through.
  NET_REQUIRE_OK(stranger.SendTo(std::string("from a stranger"), a_addr));
  NET_REQUIRE_OK(b.SendTo(std::string("from the peer"), a_addr));
  AwaitReadable(a);
  char buffer[64];
  absl::StatusOr<IoResult> r = a.Receive(absl::MakeSpan(buffer));
  NET_REQUIRE_OK(r);
  CHECK(std::string(buffer, r->bytes()) == "from the peer");
}

TEST_CASE(
    "a zero-length datagram is sent and received as zero bytes, not as "
    "end of stream") {
  net::Socket a = BoundUdp(AddressFamily::kIPv4);
  net::Socket b = BoundUdp(AddressFamily::kIPv4);
  absl::StatusOr<IoResult> sent =
      a.SendTo(absl::Span<const char>(), net_test::LocalAddressOf(b));
  NET_REQUIRE_OK(sent);
  CHECK(sent->kind() == IoResult::Kind::kTransferred);
  CHECK(sent->bytes() == 0);
  std::string data;
  net::ReceiveFromResult got = ReceiveOne(b, &data);
  CHECK(got.io.bytes() == 0);
  CHECK_FALSE(got.io.end_of_stream());
  CHECK(got.from == net_test::LocalAddressOf(a));

  // On a connected socket, Receive says the same.
  NET_REQUIRE_OK(b.Connect(net_test::LocalAddressOf(a)));
  NET_REQUIRE_OK(
      a.SendTo(absl::Span<const char>(), net_test::LocalAddressOf(b)));
  AwaitReadable(b);
  char buffer[8];
  absl::StatusOr<IoResult> r = b.Receive(absl::MakeSpan(buffer));
  NET_REQUIRE_OK(r);
  CHECK(r->kind() == IoResult::Kind::kTransferred);
  CHECK(r->bytes() == 0);
}

// Truncation is one behaviour on every OS: the buffer is filled, the rest
// of that datagram is dropped, and IoResult::truncated() says so (POSIX
// reports MSG_TRUNC, Winsock WSAEMSGSIZE; the backends turn both into the
// flag). The next receive gets the next datagram, whole.
TEST_CASE(
    "a datagram larger than the receive buffer is cut to the buffer, "
    "flagged truncated, and its rest dropped") {
  net::Socket a = BoundUdp(AddressFamily::kIPv4);
  net::Socket b = BoundUdp(AddressFamily::kIPv4);
  const net::SocketAddress b_addr = net_test::LocalAddressOf(b);
  const std::string big(100, 'B');
  NET_REQUIRE_OK(a.SendTo(big, b_addr));
  NET_REQUIRE_OK(a.SendTo(std::string("next"), b_addr));
  NET_REQUIRE_OK(a.SendTo(big, b_addr));

  AwaitReadable(b);
  char small[10] = {};
  absl::StatusOr<net::ReceiveFromResult> r =
      b.ReceiveFrom(absl::MakeSpan(small));
  NET_REQUIRE_OK(r);
  CHECK(r->io.bytes() == sizeof small);
  CHECK(r->io.truncated());
  CHECK(std::string(small, sizeof small) == big.substr(0, sizeof small));
  CHECK(r->from == net_test::LocalAddressOf(a));

  std::string data;
  ReceiveOne(b, &data);
  CHECK(data == "next");

  // Receive() on a datagram socket reports truncation the same way.
  AwaitReadable(b);
  absl::StatusOr<net::IoResult> plain = b.Receive(absl::MakeSpan(small));
  NET_REQUIRE_OK(plain);
  CHECK(plain->bytes() == sizeof small);
  CHECK(plain->truncated());
}

TEST_CASE("a datagram that fits is not flagged truncated") {
  net::Socket a = BoundUdp(AddressFamily::kIPv4);
  net::Socket b = BoundUdp(AddressFamily::kIPv4);
  NET_REQUIRE_OK(a.SendTo(std::string(10, 'x'), net_test::LocalAddressOf(b)));
  AwaitReadable(b);
  char exact[10] = {};
  absl::StatusOr<net::ReceiveFromResult> r = b.ReceiveFrom(absl::MakeSpan(exact));
  NET_REQUIRE_OK(r);
  CHECK(r->io.bytes() == sizeof exact);
  CHECK_FALSE(r->io.truncated());
}

TEST_CASE(
    "unix-domain datagram sockets exchange datagrams with the "
    "sender's path") {
  absl::StatusOr<net::Socket> a = OpenUnixDatagram();
  if (!a.ok() && UnixDatagramUnsupported(a.status())) {
    NET_SKIP(absl::StrCat("unix-domain datagram sockets not available here: ",
                          a.status().ToString()));
  }
  NET_REQUIRE_OK(a);
  absl::StatusOr<net::Socket> b = OpenUnixDatagram();
  NET_REQUIRE_OK(b);
  const std::string a_path = net_test::TempSocketPath("dgram-a");
  const std::string b_path = net_test::TempSocketPath("dgram-b");
  absl::StatusOr<net::SocketAddress> a_addr = net::SocketAddress::Unix(a_path);
  absl::StatusOr<net::SocketAddress> b_addr = net::SocketAddress::Unix(b_path);
  NET_REQUIRE_OK(a_addr);
  NET_REQUIRE_OK(b_addr);
  NET_REQUIRE_OK(a->Bind(*a_addr));
  NET_REQUIRE_OK(b->Bind(*b_addr));

  CheckSent(a->SendTo(std::string("unix datagram"), *b_addr), 13);
  std::string data;
  net::ReceiveFromResult got = ReceiveOne(*b, &data);
  CHECK(data == "unix datagram");
  CHECK(got.from.family() == AddressFamily::kUnix);
  CHECK(got.from.unix_path() == a_path);

  NET_REQUIRE_OK(b->SendTo(std::string("answer"), got.from));
  got = ReceiveOne(*a, &data);
  CHECK(data == "answer");
  CHECK(got.from.unix_path() == b_path);

  std::error_code ignored;
  std::filesystem::remove(a_path, ignored);
  std::filesystem::remove(b_path, ignored);
}

TEST_CASE("a unix datagram socketpair keeps message boundaries both ways") {
  absl::StatusOr<std::pair<net::Socket, net::Socket>> pair =
      net::SocketPair(AddressFamily::kUnix, SocketType::kDatagram);
  if (!pair.ok() && UnixDatagramUnsupported(pair.status())) {
    NET_SKIP(absl::StrCat("unix datagram socketpair not available here: ",
                          pair.status().ToString()));
  }
  NET_REQUIRE_OK(pair);
  CHECK(pair->first.type() == SocketType::kDatagram);
  NET_REQUIRE_OK(pair->first.Send(std::string("one")));
  NET_REQUIRE_OK(pair->first.Send(std::string("two")));
  NET_REQUIRE_OK(pair->second.Send(std::string("three")));
  std::string data;
  ReceiveOne(pair->second, &data);
  CHECK(data == "one");
  ReceiveOne(pair->second, &data);
  CHECK(data == "two");
  ReceiveOne(pair->first, &data);
  CHECK(data == "three");
}
