// Copyright 2026 The net Authors.
//
// UDP after an ICMP port unreachable, on every OS (contract_test; wine runs
// it for Windows). It proves (shared/RELIABILITY.md C8, W2; the portable
// rule is docs/portability.md's "connected UDP socket after an ICMP port
// unreachable" row):
//
//   * an unconnected socket that sent to a closed port, many times, keeps
//     working: its next blocking receive is the next datagram, not an error
//     (Linux never reports the ICMP to an unconnected socket without
//     IP_RECVERR; Windows would, as WSAECONNRESET, without SIO_UDP_CONNRESET
//     off);
//   * a connected socket reports kConnectionRefused on its next blocking
//     receive (Linux does without IP_RECVERR for a connected socket; Windows
//     once Connect() switched SIO_UDP_CONNRESET on), once, and the socket
//     then receives the next datagram from its peer.
//
// (tests/contract/parity_test.cc checks the same rule with non-blocking
// sockets and WaitReadable; these use the blocking receive a simple client
// writes, with a receive timeout as the bound.)

#include <cstdlib>
#include <string>
#include <vector>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "tests/test_util.h"

namespace {

using net::AddressFamily;
using net::SocketError;
using net::SocketType;

bool UnderWine() { return std::getenv("WINEPREFIX") != nullptr; }

// A UDP socket bound to loopback, port 0, blocking with a receive timeout
// (so a receive that should get a datagram cannot hang the test).
net::Socket BoundUdp(AddressFamily family) {
  net::Socket s = net_test::Listen(family, SocketType::kDatagram);
  NET_REQUIRE_OK(s.SetOption(net::ReceiveTimeout(absl::Seconds(3))));
  return s;
}

std::vector<AddressFamily> Families() {
  std::vector<AddressFamily> f = {AddressFamily::kIPv4};
  if (net_test::HaveIPv6()) f.push_back(AddressFamily::kIPv6);
  return f;
}

}  // namespace

TEST_CASE("an unconnected UDP socket that sent to a closed port many times "
          "receives the next datagram, not an error, on every OS") {
  for (AddressFamily family : Families()) {
    CAPTURE(static_cast<int>(family));
    net::Socket s = BoundUdp(family);
    const net::SocketAddress closed =
        net_test::ClosedPort(family, SocketType::kDatagram);
    net::Socket peer = BoundUdp(family);
    for (int round = 0; round < 3; ++round) {
      CAPTURE(round);
      // A burst of ICMP port unreachables, given time to come back.
      for (int i = 0; i < 10; ++i) {
        NET_REQUIRE_OK(s.SendTo(std::string("anyone?"), closed));
      }
      absl::SleepFor(absl::Milliseconds(30));
      const std::string payload = "live " + std::to_string(round);
      NET_REQUIRE_OK(peer.SendTo(payload, net_test::LocalAddressOf(s)));
      // The next blocking receive is the datagram (on Windows without
      // SIO_UDP_CONNRESET off it would fail with WSAECONNRESET).
      char buffer[64];
      absl::StatusOr<net::ReceiveFromResult> got =
          s.ReceiveFrom(absl::MakeSpan(buffer));
      NET_REQUIRE_OK(got);
      CHECK(std::string(buffer, got->io.bytes()) == payload);
      CHECK(got->from == net_test::LocalAddressOf(peer));
    }
  }
}

TEST_CASE("a connected UDP socket reports connection refused on the next "
          "blocking receive after a datagram to a closed port, once, then "
          "receives again") {
  for (AddressFamily family : Families()) {
    CAPTURE(static_cast<int>(family));
    net::Socket s = BoundUdp(family);
    const net::SocketAddress closed =
        net_test::ClosedPort(family, SocketType::kDatagram);
    NET_REQUIRE_OK(s.Connect(closed));
    NET_REQUIRE_OK(s.Send(std::string("anyone?")));
    char buffer[64];
    absl::StatusOr<net::IoResult> r = s.Receive(absl::MakeSpan(buffer));
    INFO("receive after the ICMP: ", r.status().ToString());
    if (UnderWine() && !r.ok() &&
        net::GetSocketError(r.status()) == SocketError::kTimedOut) {
      absl::StatusOr<absl::Status> pending =
          s.GetOption<net::SocketErrorOption>();
      if (pending.ok() &&
          net::GetSocketError(*pending) == SocketError::kConnectionRefused) {
        NET_SKIP("wine 8 keeps the ICMP port unreachable in SO_ERROR and "
                 "never reports it to a receive (real Windows and Linux do)");
      }
    }
    REQUIRE_FALSE(r.ok());
    CHECK(net::GetSocketError(r.status()) == SocketError::kConnectionRefused);
    // Reported once: the peer now listens on that port, and its datagram is
    // the next receive.
    absl::StatusOr<net::Socket> peer =
        net::Socket::Open(family, SocketType::kDatagram);
    NET_REQUIRE_OK(peer);
    if (!peer->Bind(closed).ok()) {
      NET_SKIP("another program took the closed port meanwhile");
    }
    NET_REQUIRE_OK(peer->SendTo(std::string("back"), net_test::LocalAddressOf(s)));
    r = s.Receive(absl::MakeSpan(buffer));
    NET_REQUIRE_OK(r);
    CHECK(std::string(buffer, r->bytes()) == "back");
  }
}
