// Copyright 2026 The net Authors.
//
// What options do, not just what they read back: a zero linger resets the
// peer, a receive timeout ends a blocking receive with kTimedOut, IPV6_V6ONLY
// decides whether IPv4 reaches a `[::]` listener, SO_REUSEPORT spreads
// connections, IP_HDRINCL sends a hand-built packet, ICMP6_FILTER filters,
// and an SCTP association runs where the kernel has SCTP. Loopback only;
// every wait is bounded. Portable: no OS header, no OS #if.

#include <algorithm>
#include <cstdint>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "net/net.h"
#include "tests/test_util.h"

namespace {

using net::AddressFamily;
using net::SocketError;
using net::SocketType;

const net::IpAddress kLoopback4 =
    net::IpAddress::Loopback(AddressFamily::kIPv4);

void CheckTimedOut(const absl::Status& s) {
  INFO("status: ", s.ToString());
  CHECK(s.code() == absl::StatusCode::kDeadlineExceeded);
  CHECK(net::GetSocketError(s) == SocketError::kTimedOut);
}

TEST_CASE("SO_LINGER {on, 0} makes the peer see a connection reset") {
  std::pair<net::Socket, net::Socket> pair = net_test::TcpPair();
  net::Socket& client = pair.first;
  net::Socket& server = pair.second;
  // A safety net: the receive below must end long before this.
  NET_REQUIRE_OK(server.SetOption(net::ReceiveTimeout(absl::Seconds(10))));
  absl::Status received;
  std::thread reader([&] {
    char buffer[16];
    absl::StatusOr<net::IoResult> r =
        server.Receive(absl::MakeSpan(buffer, sizeof(buffer)));
    if (!r.ok()) {
      received = r.status();
    } else {
      received = absl::InternalError(
          absl::StrCat("receive ended without an error: ",
                       r->end_of_stream() ? "end of stream" : "data"));
    }
  });
  // Let the receive block first: wine answers a receive issued after the
  // reset arrived with end of stream (shared/WINDOWS.md).
  absl::SleepFor(absl::Milliseconds(200));
  NET_CHECK_OK(
      client.SetOption(net::LingerOption({true, absl::ZeroDuration()})));
  CHECK(net_test::OptionOf<net::LingerOption>(client) ==
        net::Linger{true, absl::ZeroDuration()});
  NET_CHECK_OK(client.Close());
  reader.join();
  INFO("receive: ", received.ToString());
  CHECK(net::GetSocketError(received) == SocketError::kConnectionReset);
  CHECK(net::IsPeerGone(received));
}

TEST_CASE("SO_RCVTIMEO makes a blocking receive fail with timed out") {
  net::Socket udp =
      net_test::Listen(AddressFamily::kIPv4, SocketType::kDatagram);
  NET_REQUIRE_OK(udp.SetOption(net::ReceiveTimeout(absl::Milliseconds(200))));
  char buffer[16];
  absl::Time start = absl::Now();
  absl::StatusOr<net::IoResult> r =
      udp.Receive(absl::MakeSpan(buffer, sizeof(buffer)));
  absl::Duration took = absl::Now() - start;
  CheckTimedOut(r.status());
  CHECK(took >= absl::Milliseconds(150));
  CHECK(took < absl::Seconds(5));

  absl::StatusOr<net::ReceiveFromResult> from =
      udp.ReceiveFrom(absl::MakeSpan(buffer, sizeof(buffer)));
  CheckTimedOut(from.status());

  // A non-blocking socket still says "would block", at once.
  NET_REQUIRE_OK(udp.SetNonBlocking(true));
  start = absl::Now();
  r = udp.Receive(absl::MakeSpan(buffer, sizeof(buffer)));
  NET_REQUIRE_OK(r);
  CHECK(r->would_block());
  CHECK(absl::Now() - start < absl::Milliseconds(150));
}

TEST_CASE("SO_RCVTIMEO ends a blocking stream receive with timed out") {
  auto [client, server] = net_test::TcpPair();
  NET_REQUIRE_OK(
      server.SetOption(net::ReceiveTimeout(absl::Milliseconds(200))));
  char buffer[16];
  absl::StatusOr<net::IoResult> r =
      server.Receive(absl::MakeSpan(buffer, sizeof(buffer)));
  CheckTimedOut(r.status());
  // The connection is still usable afterwards.
  NET_REQUIRE_OK(client.SendAll(absl::MakeConstSpan("ok", 2)));
  CHECK(net_test::ReceiveExactly(server, 2) == "ok");
}

TEST_CASE(
    "SO_SNDTIMEO makes a blocking send to a full peer fail with timed "
    "out") {
  auto [client, server] = net_test::TcpPair();
  NET_REQUIRE_OK(client.SetOption(net::SendBufferSize(4096)));
  NET_REQUIRE_OK(client.SetOption(net::SendTimeout(absl::Milliseconds(200))));
  const std::string chunk(64 * 1024, 'x');
  const absl::Time deadline = absl::Now() + absl::Seconds(20);
  absl::Status status;
  while (status.ok() && absl::Now() < deadline) {
    // The server never reads: the buffers fill up, then a send times out.
    absl::StatusOr<net::IoResult> r =
        client.Send(absl::MakeConstSpan(chunk.data(), chunk.size()));
    status = r.status();
    if (r.ok()) REQUIRE_FALSE(r->would_block());
  }
  CheckTimedOut(status);
}

// An IPv6 wildcard listener on a port whose IPv4 side we hold (bound, not
// listening), so that no other process's IPv4 listener can answer there.
struct DualStackListener {
  net::Socket listener;
  net::Socket ipv4_guard;
  std::uint16_t port = 0;
};

DualStackListener ListenOnAny6(bool v6only) {
  for (int attempt = 0; attempt < 20; ++attempt) {
    DualStackListener out;
    net::Socket l = net_test::OpenSocket(AddressFamily::kIPv6);
    NET_REQUIRE_OK(l.SetOption(net::Ipv6V6Only(v6only)));
    NET_REQUIRE_OK(l.Bind(
        net::SocketAddress(net::IpAddress::Any(AddressFamily::kIPv6), 0)));
    out.port = net_test::LocalAddressOf(l).port();
    out.listener = std::move(l);
    if (v6only) {
      net::Socket guard = net_test::OpenSocket();
      if (!guard.Bind(net::SocketAddress(kLoopback4, out.port)).ok()) continue;
      out.ipv4_guard = std::move(guard);
    }
    NET_REQUIRE_OK(out.listener.Listen());
    return out;
  }
  FAIL("no port free for both IPv6 and IPv4 after 20 tries");
  return {};
}

TEST_CASE(
    "IPV6_V6ONLY decides whether an IPv4 client reaches a [::] "
    "listener") {
  if (!net::IsSupported(net::Feature::kDualStack)) {
    NET_SKIP(
        absl::StrCat("dual-stack sockets not available here: ",
                     net::CheckSupported(net::Feature::kDualStack).message()));
  }
  SUBCASE("off: IPv4 arrives as a v4-mapped peer") {
    DualStackListener l = ListenOnAny6(false);
    CHECK_FALSE(net_test::OptionOf<net::Ipv6V6Only>(l.listener));
    net::Socket client = net_test::OpenSocket();
    NET_REQUIRE_OK(client.Connect(net::SocketAddress(kLoopback4, l.port),
                                  absl::Seconds(10)));
    absl::StatusOr<net::Accepted> accepted = l.listener.Accept();
    NET_REQUIRE_OK(accepted);
    CHECK(accepted->peer.family() == AddressFamily::kIPv6);
    CHECK(accepted->peer.ip().IsV4Mapped());
  }
  SUBCASE("on: IPv4 is refused") {
    DualStackListener l = ListenOnAny6(true);
    CHECK(net_test::OptionOf<net::Ipv6V6Only>(l.listener));
    net::Socket client = net_test::OpenSocket();
    const absl::Status s = client.Connect(
        net::SocketAddress(kLoopback4, l.port), absl::Seconds(10));
    INFO("connect: ", s.ToString());
    CHECK(net::GetSocketError(s) == SocketError::kConnectionRefused);
    // IPv6 still gets in.
    net::Socket client6 = net_test::OpenSocket(AddressFamily::kIPv6);
    NET_CHECK_OK(client6.Connect(
        net::SocketAddress(net::IpAddress::Loopback(AddressFamily::kIPv6),
                           l.port),
        absl::Seconds(10)));
  }
}

TEST_CASE("two SO_REUSEPORT listeners share a port and both accept") {
  if (!net::IsSupported(net::Feature::kReusePortLoadBalancing)) {
    NET_SKIP(std::string(
        net::CheckSupported(net::Feature::kReusePortLoadBalancing).message()));
  }
  net::Socket listeners[2];
  std::uint16_t port = 0;
  for (net::Socket& l : listeners) {
    net::Socket s = net_test::OpenSocket();
    NET_REQUIRE_OK(s.SetOption(net::ReusePort(true)));
    NET_REQUIRE_OK(s.Bind(net::SocketAddress(kLoopback4, port)));
    NET_REQUIRE_OK(s.Listen());
    NET_REQUIRE_OK(s.SetNonBlocking(true));
    port = net_test::LocalAddressOf(s).port();
    l = std::move(s);
  }
  // A socket without SO_REUSEPORT cannot join them.
  net::Socket outsider = net_test::OpenSocket();
  CHECK(net::GetSocketError(outsider.Bind(net::SocketAddress(
            kLoopback4, port))) == SocketError::kAddressInUse);

  int accepted[2] = {0, 0};
  std::vector<net::Socket> clients;
  for (int i = 0; i < 200 && (accepted[0] == 0 || accepted[1] == 0); ++i) {
    net::Socket c = net_test::OpenSocket();
    NET_REQUIRE_OK(
        c.Connect(net::SocketAddress(kLoopback4, port), absl::Seconds(10)));
    clients.push_back(std::move(c));
    // The connection is queued on one listener: find it.
    const absl::Time deadline = absl::Now() + absl::Seconds(5);
    bool found = false;
    while (!found && absl::Now() < deadline) {
      for (int k = 0; k < 2 && !found; ++k) {
        absl::StatusOr<net::Accepted> a = listeners[k].Accept();
        if (a.ok()) {
          ++accepted[k];
          found = true;
        } else {
          REQUIRE(net::IsWouldBlock(a.status()));
        }
      }
      if (!found) absl::SleepFor(absl::Milliseconds(1));
    }
    REQUIRE(found);
  }
  MESSAGE("connections accepted: ", accepted[0], " and ", accepted[1]);
  CHECK(accepted[0] > 0);
  CHECK(accepted[1] > 0);
}

// The Internet checksum (RFC 1071) of `data`.
std::uint16_t Checksum(const std::string& data) {
  std::uint32_t sum = 0;
  for (std::size_t i = 0; i + 1 < data.size(); i += 2) {
    sum += (static_cast<std::uint8_t>(data[i]) << 8) |
           static_cast<std::uint8_t>(data[i + 1]);
  }
  if (data.size() % 2 == 1) sum += static_cast<std::uint8_t>(data.back()) << 8;
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<std::uint16_t>(~sum);
}

void Put16(std::string* out, std::size_t at, std::uint16_t v) {
  (*out)[at] = static_cast<char>(v >> 8);
  (*out)[at + 1] = static_cast<char>(v & 0xff);
}

TEST_CASE("IP_HDRINCL sends a hand-built IPv4 packet to 127.0.0.1") {
  if (!net::IsSupported(net::Feature::kRawSockets)) {
    NET_SKIP(
        absl::StrCat("raw sockets not available to this process: ",
                     net::CheckSupported(net::Feature::kRawSockets).message()));
  }
  net::Socket receiver =
      net_test::Listen(AddressFamily::kIPv4, SocketType::kDatagram);
  const std::uint16_t port = net_test::LocalAddressOf(receiver).port();
  net::Socket raw =
      net_test::OpenSocket(AddressFamily::kIPv4, SocketType::kRaw, 17);
  NET_REQUIRE_OK(raw.SetOption(net::IpHeaderIncluded(true)));
  CHECK(net_test::OptionOf<net::IpHeaderIncluded>(raw));

  const std::string payload = "net hdrincl";
  const std::uint16_t source_port = 47001;
  std::string packet(20 + 8, '\0');
  packet[0] = 0x45;  // IPv4, 5-word header
  Put16(&packet, 2, static_cast<std::uint16_t>(20 + 8 + payload.size()));
  Put16(&packet, 4, 0x4e54);  // id
  packet[8] = 64;             // TTL
  packet[9] = 17;             // UDP
  const char loopback[4] = {127, 0, 0, 1};
  packet.replace(12, 4, loopback, 4);
  packet.replace(16, 4, loopback, 4);
  Put16(&packet, 10, Checksum(packet.substr(0, 20)));
  Put16(&packet, 20, source_port);
  Put16(&packet, 22, port);
  Put16(&packet, 24, static_cast<std::uint16_t>(8 + payload.size()));
  // UDP checksum 0: none, which IPv4 allows.
  packet += payload;

  absl::StatusOr<net::IoResult> sent =
      raw.SendTo(absl::MakeConstSpan(packet.data(), packet.size()),
                 net::SocketAddress(kLoopback4, 0));
  NET_REQUIRE_OK(sent);
  CHECK(sent->bytes() == packet.size());

  absl::StatusOr<bool> ready = receiver.WaitReadable(absl::Seconds(5));
  NET_REQUIRE_OK(ready);
  REQUIRE(*ready);
  char buffer[64];
  absl::StatusOr<net::ReceiveFromResult> got =
      receiver.ReceiveFrom(absl::MakeSpan(buffer, sizeof(buffer)));
  NET_REQUIRE_OK(got);
  CHECK(std::string(buffer, got->io.bytes()) == payload);
  CHECK(got->from == net::SocketAddress(kLoopback4, source_port));
}

// An ICMPv6 echo request (type 128) whose payload is `token`; the kernel
// computes the checksum of a raw ICMPv6 socket (RFC 3542 section 3.1).
std::string EchoRequest(const std::string& token) {
  std::string m(8, '\0');
  m[0] = static_cast<char>(128);
  Put16(&m, 4, 0x4e54);  // identifier
  Put16(&m, 6, 1);       // sequence
  return m + token;
}

// Reads ICMPv6 messages for up to `timeout`; the types of those carrying
// `token`, stopping early when `stop_at` is seen.
std::vector<int> TypesCarrying(net::Socket& s, const std::string& token,
                               absl::Duration timeout, int stop_at) {
  std::vector<int> types;
  const absl::Time deadline = absl::Now() + timeout;
  for (;;) {
    const absl::Duration left = deadline - absl::Now();
    if (left <= absl::ZeroDuration()) return types;
    absl::StatusOr<bool> ready = s.WaitReadable(left);
    NET_REQUIRE_OK(ready);
    if (!*ready) return types;
    char buffer[2048];
    absl::StatusOr<net::ReceiveFromResult> r =
        s.ReceiveFrom(absl::MakeSpan(buffer, sizeof(buffer)));
    NET_REQUIRE_OK(r);
    const std::string m(buffer, r->io.bytes());
    if (m.size() < 8 || m.find(token) == std::string::npos) continue;
    types.push_back(static_cast<std::uint8_t>(m[0]));
    if (types.back() == stop_at) return types;
  }
}

TEST_CASE("ICMP6_FILTER decides which ICMPv6 messages a raw socket receives") {
  if (!net::IsSupported(net::OptionId::kIcmp6Filter)) {
    NET_SKIP(std::string(
        net::CheckSupported(net::OptionId::kIcmp6Filter).message()));
  }
  if (!net_test::HaveIPv6()) NET_SKIP("IPv6 not available here");
  if (!net::IsSupported(net::Feature::kRawSockets)) {
    NET_SKIP(
        absl::StrCat("raw sockets not available to this process: ",
                     net::CheckSupported(net::Feature::kRawSockets).message()));
  }
  constexpr int kIcmp6 = 58;
  net::Socket listener =
      net_test::OpenSocket(AddressFamily::kIPv6, SocketType::kRaw, kIcmp6);
  net::Socket pinger =
      net_test::OpenSocket(AddressFamily::kIPv6, SocketType::kRaw, kIcmp6);
  NET_REQUIRE_OK(listener.SetNonBlocking(true));
  const net::SocketAddress loopback6(
      net::IpAddress::Loopback(AddressFamily::kIPv6), 0);

  // Echo replies only: the kernel's reply comes through, our request (which
  // every raw ICMPv6 socket would otherwise see) does not.
  net::Icmp6Filter replies_only = net::Icmp6Filter::BlockAll();
  replies_only.Pass(129);
  NET_REQUIRE_OK(listener.SetOption(net::Icmp6FilterOption(replies_only)));
  const net::Icmp6Filter read_back =
      net_test::OptionOf<net::Icmp6FilterOption>(listener);
  CHECK(read_back == replies_only);
  CHECK(read_back.WillPass(129));
  CHECK(read_back.WillBlock(128));

  const std::string token1 =
      absl::StrCat("net-icmp6-", absl::ToUnixNanos(absl::Now()));
  const std::string echo1 = EchoRequest(token1);
  NET_REQUIRE_OK(pinger.SendTo(absl::MakeConstSpan(echo1.data(), echo1.size()),
                               loopback6));
  std::vector<int> seen =
      TypesCarrying(listener, token1, absl::Seconds(3), 129);
  CHECK(std::find(seen.begin(), seen.end(), 129) != seen.end());
  CHECK(std::find(seen.begin(), seen.end(), 128) == seen.end());

  // Everything blocked: nothing comes.
  NET_REQUIRE_OK(
      listener.SetOption(net::Icmp6FilterOption(net::Icmp6Filter::BlockAll())));
  const std::string token2 = token1 + "-2";
  const std::string echo2 = EchoRequest(token2);
  NET_REQUIRE_OK(pinger.SendTo(absl::MakeConstSpan(echo2.data(), echo2.size()),
                               loopback6));
  seen = TypesCarrying(listener, token2, absl::Milliseconds(300), -1);
  CHECK(seen.empty());

  // The pinger, unfiltered, saw both its request and the reply.
  NET_REQUIRE_OK(pinger.SetNonBlocking(true));
  seen = TypesCarrying(pinger, token2, absl::Seconds(3), 129);
  CHECK(std::find(seen.begin(), seen.end(), 129) != seen.end());
}

TEST_CASE("an SCTP association runs on loopback where the kernel has SCTP") {
  if (!net::IsSupported(net::Feature::kSctp)) {
    NET_SKIP(std::string(net::CheckSupported(net::Feature::kSctp).message()));
  }
  constexpr int kSctp = 132;
  net::Socket listener =
      net_test::OpenSocket(AddressFamily::kIPv4, SocketType::kStream, kSctp);
  NET_REQUIRE_OK(
      listener.SetOption(net::SctpInitMsgOption({4, 4, 3, absl::Seconds(10)})));
  NET_REQUIRE_OK(listener.Bind(net::SocketAddress(kLoopback4, 0)));
  NET_REQUIRE_OK(listener.Listen());
  const net::SocketAddress where = net_test::LocalAddressOf(listener);

  net::Socket client =
      net_test::OpenSocket(AddressFamily::kIPv4, SocketType::kStream, kSctp);
  NET_REQUIRE_OK(client.SetOption(net::SctpNoDelay(true)));
  NET_REQUIRE_OK(client.Connect(where, absl::Seconds(10)));
  absl::StatusOr<net::Accepted> accepted = listener.Accept();
  NET_REQUIRE_OK(accepted);
  NET_REQUIRE_OK(client.SendAll(absl::MakeConstSpan("hello", 5)));
  CHECK(net_test::ReceiveExactly(accepted->socket, 5) == "hello");

  const net::SctpStatus status =
      net_test::OptionOf<net::SctpStatusOption>(client);
  CHECK(status.state == net::SctpAssociationState::kEstablished);
  CHECK(status.out_streams > 0);
  CHECK(status.primary.address == where);

  net::SctpPeerAddrInfo query;
  query.address = where;
  absl::StatusOr<net::SctpPeerAddrInfo> peer =
      client.GetOption(net::SctpGetPeerAddrInfo(query));
  NET_REQUIRE_OK(peer);
  CHECK(peer->state == net::SctpPeerState::kActive);
  CHECK(peer->mtu > 0);
  CHECK(net_test::OptionOf<net::SctpNoDelay>(client));
}

}  // namespace

TEST_CASE("IPV6_CHECKSUM makes the kernel fill in a raw socket's checksum") {
  if (!net::IsSupported(net::OptionId::kIpv6Checksum)) {
    NET_SKIP(std::string(
        net::CheckSupported(net::OptionId::kIpv6Checksum).message()));
  }
  if (!net_test::HaveIPv6()) NET_SKIP("IPv6 not available here");
  if (!net::IsSupported(net::Feature::kRawSockets)) {
    NET_SKIP(
        absl::StrCat("raw sockets not available to this process: ",
                     net::CheckSupported(net::Feature::kRawSockets).message()));
  }
  // Protocol 253 is reserved for experiments (RFC 3692): nothing else on
  // the machine speaks it, and the kernel leaves its checksum to us unless
  // IPV6_CHECKSUM says where it goes.
  constexpr int kExperimental = 253;
  absl::StatusOr<net::Socket> opened =
      net::Socket::Open(AddressFamily::kIPv6, SocketType::kRaw, kExperimental);
  if (!opened.ok() && net::GetSocketError(opened.status()) ==
                          net::SocketError::kProtocolNotSupported) {
    // wine 8 opens raw IPv6 sockets for ICMPv6 only.
    NET_SKIP(absl::StrCat("raw IPv6 sockets for protocol 253 not available: ",
                          opened.status().message()));
  }
  NET_REQUIRE_OK(opened);
  net::Socket sender = std::move(*opened);
  net::Socket receiver =
      net_test::OpenSocket(AddressFamily::kIPv6, SocketType::kRaw, kExperimental);
  const net::SocketAddress loopback6(
      net::IpAddress::Loopback(AddressFamily::kIPv6), 0);

  CHECK(net_test::OptionOf<net::Ipv6Checksum>(sender) == -1);  // off
  NET_REQUIRE_OK(sender.SetOption(net::Ipv6Checksum(2)));
  CHECK(net_test::OptionOf<net::Ipv6Checksum>(sender) == 2);
  absl::Status odd = sender.SetOption(net::Ipv6Checksum(3));
  CHECK(odd.code() == absl::StatusCode::kInvalidArgument);
  CHECK(std::string(odd.message()).find("IPV6_CHECKSUM") != std::string::npos);

  // Sends 4 zero bytes and a token; returns bytes 2..3 as received.
  auto checksum_field = [&](const std::string& token) {
    const std::string packet = std::string(4, '\0') + token;
    NET_REQUIRE_OK(sender.SendTo(packet, loopback6));
    for (int tries = 0; tries < 16; ++tries) {
      absl::StatusOr<bool> ready = receiver.WaitReadable(absl::Seconds(2));
      NET_REQUIRE_OK(ready);
      REQUIRE(*ready);
      char buffer[256];
      absl::StatusOr<net::ReceiveFromResult> r =
          receiver.ReceiveFrom(absl::MakeSpan(buffer, sizeof(buffer)));
      NET_REQUIRE_OK(r);
      const std::string got(buffer, r->io.bytes());
      if (got.size() == packet.size() && got.substr(4) == token) {
        return got.substr(2, 2);
      }
    }
    FAIL("the raw packet never arrived");
    return std::string();
  };
  CHECK(checksum_field("with-checksum") != std::string(2, '\0'));
  NET_REQUIRE_OK(sender.SetOption(net::Ipv6Checksum(-1)));
  CHECK(net_test::OptionOf<net::Ipv6Checksum>(sender) == -1);
  CHECK(checksum_field("without-checksum") == std::string(2, '\0'));
}
