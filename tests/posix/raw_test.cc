// Copyright 2026 The net Authors.
//
// -----------------------------------------------------------------------------
// File: tests/posix/raw_test.cc
// -----------------------------------------------------------------------------
//
// Raw sockets: an ICMP echo ("ping") to 127.0.0.1 built by hand, through
// net::Socket::Open(kIPv4, kRaw, IPPROTO_ICMP). Needs CAP_NET_RAW; without
// it the echo case is skipped with the reason, and a second case checks that
// the refusal itself is the documented one (kAccessDenied), by dropping
// privilege in a forked child when run as root.
//
// What the raw IPv4 socket delivers on Linux and the BSDs: the whole IP
// datagram (header, IHL * 4 bytes, then ICMP). On loopback it also sees our
// own echo request come in, so the receive loop skips anything that is not
// an echo reply with our identifier and sequence number.

#include <netinet/in.h>
#include <unistd.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "net/net.h"
#include "tests/posix/netns_util.h"
#include "tests/test_util.h"

namespace {

constexpr std::uint8_t kEchoRequest = 8;
constexpr std::uint8_t kEchoReply = 0;
constexpr char kPayload[] = "net raw_test echo payload";

// The Internet checksum (RFC 1071) of `data`.
std::uint16_t InternetChecksum(const std::uint8_t* data, std::size_t size) {
  std::uint32_t sum = 0;
  for (std::size_t i = 0; i + 1 < size; i += 2) {
    sum += static_cast<std::uint32_t>(data[i] << 8 | data[i + 1]);
  }
  if (size % 2 == 1) sum += static_cast<std::uint32_t>(data[size - 1] << 8);
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<std::uint16_t>(~sum & 0xffff);
}

// An ICMP echo request: type, code, checksum, identifier, sequence (all
// big-endian), then the payload.
std::vector<std::uint8_t> EchoRequest(std::uint16_t id, std::uint16_t seq) {
  std::vector<std::uint8_t> packet(8 + sizeof kPayload - 1, 0);
  packet[0] = kEchoRequest;
  packet[1] = 0;
  packet[4] = static_cast<std::uint8_t>(id >> 8);
  packet[5] = static_cast<std::uint8_t>(id & 0xff);
  packet[6] = static_cast<std::uint8_t>(seq >> 8);
  packet[7] = static_cast<std::uint8_t>(seq & 0xff);
  std::memcpy(packet.data() + 8, kPayload, sizeof kPayload - 1);
  std::uint16_t sum = InternetChecksum(packet.data(), packet.size());
  packet[2] = static_cast<std::uint8_t>(sum >> 8);
  packet[3] = static_cast<std::uint8_t>(sum & 0xff);
  return packet;
}

bool IsPrivilegeRefusal(const absl::Status& s) {
  net::SocketError e = net::GetSocketError(s);
  return e == net::SocketError::kAccessDenied ||
         s.code() == absl::StatusCode::kPermissionDenied;
}

}  // namespace

TEST_CASE(
    "a raw ICMP socket sends a hand-built echo request to 127.0.0.1 "
    "and receives the echo reply") {
  absl::StatusOr<net::Socket> raw = net::Socket::Open(
      net::AddressFamily::kIPv4, net::SocketType::kRaw, IPPROTO_ICMP);
  if (!raw.ok() && IsPrivilegeRefusal(raw.status())) {
    NET_SKIP(absl::StrCat("no CAP_NET_RAW here (raw sockets need it): ",
                          raw.status().ToString()));
  }
  NET_REQUIRE_OK(raw);
  CHECK(raw->type() == net::SocketType::kRaw);

  const std::uint16_t id = static_cast<std::uint16_t>(getpid() & 0xffff);
  const std::uint16_t seq = 0x4e54;  // "NT"
  std::vector<std::uint8_t> request = EchoRequest(id, seq);
  REQUIRE(InternetChecksum(request.data(), request.size()) == 0);
  const net::SocketAddress loopback(
      net::IpAddress::Loopback(net::AddressFamily::kIPv4), 0);
  absl::StatusOr<net::IoResult> sent = raw->SendTo(
      absl::MakeConstSpan(reinterpret_cast<const char*>(request.data()),
                          request.size()),
      loopback);
  NET_REQUIRE_OK(sent);
  CHECK(sent->bytes() == request.size());

  // Wait at most 2 s in all for our reply, skipping other ICMP traffic
  // (our own request, looped back, comes first).
  const absl::Time deadline = absl::Now() + absl::Seconds(2);
  bool got_reply = false;
  int skipped = 0;
  while (!got_reply) {
    absl::Duration left = deadline - absl::Now();
    REQUIRE(left > absl::ZeroDuration());
    absl::StatusOr<bool> ready = raw->WaitReadable(left);
    NET_REQUIRE_OK(ready);
    REQUIRE(*ready);  // false: no echo reply within the deadline
    char buffer[1500];
    absl::StatusOr<net::ReceiveFromResult> r =
        raw->ReceiveFrom(absl::MakeSpan(buffer));
    NET_REQUIRE_OK(r);
    REQUIRE(r->io.kind() == net::IoResult::Kind::kTransferred);
    const auto* ip = reinterpret_cast<const std::uint8_t*>(buffer);
    const std::size_t n = r->io.bytes();
    REQUIRE(n >= 20);
    CHECK((ip[0] >> 4) == 4);      // IPv4
    CHECK(ip[9] == IPPROTO_ICMP);  // protocol
    const std::size_t ihl = static_cast<std::size_t>(ip[0] & 0x0f) * 4;
    REQUIRE(n >= ihl + 8);
    const std::uint8_t* icmp = ip + ihl;
    const std::uint16_t got_id =
        static_cast<std::uint16_t>(icmp[4] << 8 | icmp[5]);
    const std::uint16_t got_seq =
        static_cast<std::uint16_t>(icmp[6] << 8 | icmp[7]);
    if (icmp[0] != kEchoReply || got_id != id || got_seq != seq) {
      ++skipped;
      continue;
    }
    got_reply = true;
    CHECK(r->from.ip() == net::IpAddress::Loopback(net::AddressFamily::kIPv4));
    CHECK(InternetChecksum(icmp, n - ihl) == 0);
    CHECK(std::string(reinterpret_cast<const char*>(icmp + 8), n - ihl - 8) ==
          std::string(kPayload));
  }
  MESSAGE("echo reply received; ", skipped, " other ICMP packet(s) skipped");
}

TEST_CASE("opening a raw socket without CAP_NET_RAW reports access denied") {
  if (geteuid() != 0) {
    // Not root: the test process itself lacks the privilege (unless it has
    // CAP_NET_RAW as a file capability), so check the refusal directly.
    absl::StatusOr<net::Socket> raw = net::Socket::Open(
        net::AddressFamily::kIPv4, net::SocketType::kRaw, IPPROTO_ICMP);
    if (raw.ok()) NET_SKIP("this process has CAP_NET_RAW without being root");
    INFO(raw.status().ToString());
    CHECK(net::GetSocketError(raw.status()) == net::SocketError::kAccessDenied);
    CHECK(raw.status().code() == absl::StatusCode::kPermissionDenied);
    return;
  }
  // Root: drop to an unprivileged user in a child, then try.
  absl::StatusOr<net_test::ChildResult> child = net_test::RunInChildProcess(
      [] {
        if (setgid(65534) != 0 || setuid(65534) != 0) {
          return std::string("setup: cannot drop to uid 65534");
        }
        absl::StatusOr<net::Socket> raw = net::Socket::Open(
            net::AddressFamily::kIPv4, net::SocketType::kRaw, IPPROTO_ICMP);
        if (raw.ok()) return std::string("opened");
        return absl::StrCat(static_cast<int>(net::GetSocketError(raw.status())),
                            " ", static_cast<int>(raw.status().code()), " ",
                            raw.status().ToString());
      },
      absl::Seconds(5));
  NET_REQUIRE_OK(child);
  INFO("child ", child->Describe(), ": ", child->output);
  REQUIRE(child->exited);
  if (child->output.rfind("setup:", 0) == 0) NET_SKIP(child->output);
  REQUIRE(child->output != "opened");
  CHECK(child->output.rfind(
            absl::StrCat(static_cast<int>(net::SocketError::kAccessDenied), " ",
                         static_cast<int>(absl::StatusCode::kPermissionDenied),
                         " "),
            0) == 0);
}
