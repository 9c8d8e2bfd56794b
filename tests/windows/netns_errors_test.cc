// Copyright 2026 The net Authors.
//
// -----------------------------------------------------------------------------
// File: tests/windows/netns_errors_test.cc
// -----------------------------------------------------------------------------
//
// The connect errors that need a misbehaving network, provoked for real on
// the Winsock backend: host unreachable, network unreachable and timed out.
// The twin of tests/posix/netns_errors_test.cc, with the same addresses and
// rules.
//
// A Windows program cannot make a Linux network namespace, so ctest runs this
// whole executable inside one (tests/windows/CMakeLists.txt):
//
//   scripts/in-netns.sh --rule '... 127.0.0.2 ... icmp-host-unreachable'
//                       --rule '... 127.0.0.3 ... icmp-net-unreachable'
//                       --rule '... 127.0.0.4 ... DROP'
//     -- env NET_TEST_IN_NETNS=1 cmake/wine-run.sh ... netns_errors_test.exe
//
// wine 8 makes its sockets in the wineserver, so the server must start inside
// the namespace too: the ctest entry runs after the suite's persistent server
// was stopped (DEPENDS net_emulator_stop), and the first case checks that the
// only interface Windows sees is the loopback one. Run alone, without
// NET_TEST_IN_NETNS, every case skips and says how to run it.

#include <cstdlib>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "tests/test_util.h"

namespace {

using net::AddressFamily;
using net::SocketError;
using net::SocketType;

constexpr absl::Duration kRejectDeadline = absl::Seconds(3);
constexpr absl::Duration kDropDeadline = absl::Milliseconds(300);

bool InNamespace() { return std::getenv("NET_TEST_IN_NETNS") != nullptr; }

constexpr const char* kHowToRun =
    "not inside the network namespace of scripts/in-netns.sh: run it through "
    "ctest (windows_netns_test), which installs the iptables rules";

// The namespace's only interface is lo. Any other interface means the
// wineserver (which creates the sockets) runs outside it.
void RequireOnlyLoopback() {
  absl::StatusOr<std::vector<net::NetworkInterface>> list =
      net::ListInterfaces();
  NET_REQUIRE_OK(list);
  for (const net::NetworkInterface& i : *list) {
    INFO("interface ", i.name,
         ": the wineserver runs outside the namespace; stop it first "
         "(cmake/wine-run.sh --prefix=... --server-stop)");
    if (!i.addresses.empty()) REQUIRE(i.flags.loopback);
  }
}

// A listener on `ip`:0, so that without the rule a connect would succeed:
// the error can only come from the rule.
net::Socket ListenOn(const std::string& ip) {
  absl::StatusOr<net::IpAddress> address = net::IpAddress::Parse(ip);
  NET_REQUIRE_OK(address);
  absl::StatusOr<net::Socket> s =
      net::Socket::Open(AddressFamily::kIPv4, SocketType::kStream);
  NET_REQUIRE_OK(s);
  NET_REQUIRE_OK(s->Bind(net::SocketAddress(*address, 0)));
  NET_REQUIRE_OK(s->Listen());
  return std::move(*s);
}

absl::Status ConnectOnce(const net::SocketAddress& to, bool with_deadline,
                         absl::Duration deadline) {
  absl::StatusOr<net::Socket> s =
      net::Socket::Open(AddressFamily::kIPv4, SocketType::kStream);
  NET_REQUIRE_OK(s);
  return with_deadline ? s->Connect(to, deadline) : s->Connect(to);
}

void CheckProvoked(const absl::Status& status, const net::SocketAddress& to,
                   SocketError expected) {
  INFO(status.ToString());
  CHECK(net::GetSocketError(status) == expected);
  CHECK(status.code() == net::SocketErrorToStatusCode(expected));
  CHECK(absl::StrContains(status.message(), "connect"));
  CHECK(absl::StrContains(status.message(), to.ToString()));
  CHECK(absl::StrContains(status.message(), net::SocketErrorName(expected)));
}

void CheckRejected(const std::string& ip, SocketError expected) {
  if (!InNamespace()) NET_SKIP(kHowToRun);
  RequireOnlyLoopback();
  // The control: 127.0.0.1 has no rule.
  net::Socket control = ListenOn("127.0.0.1");
  NET_REQUIRE_OK(ConnectOnce(net_test::LocalAddressOf(control), true,
                             kRejectDeadline));
  net::Socket listener = ListenOn(ip);
  const net::SocketAddress to = net_test::LocalAddressOf(listener);
  CheckProvoked(ConnectOnce(to, false, {}), to, expected);
  CheckProvoked(ConnectOnce(to, true, kRejectDeadline), to, expected);
}

}  // namespace

TEST_CASE(
    "connect through an icmp-host-unreachable rule reports host "
    "unreachable, blocking and with a timeout") {
  CheckRejected("127.0.0.2", SocketError::kHostUnreachable);
}

TEST_CASE(
    "connect through an icmp-net-unreachable rule reports network "
    "unreachable, blocking and with a timeout") {
  CheckRejected("127.0.0.3", SocketError::kNetworkUnreachable);
}

TEST_CASE(
    "connect with a deadline through a DROP rule reports timed out "
    "when the deadline passes") {
  if (!InNamespace()) NET_SKIP(kHowToRun);
  RequireOnlyLoopback();
  net::Socket listener = ListenOn("127.0.0.4");
  const net::SocketAddress to = net_test::LocalAddressOf(listener);
  const absl::Time start = absl::Now();
  absl::Status status = ConnectOnce(to, true, kDropDeadline);
  const absl::Duration took = absl::Now() - start;
  CheckProvoked(status, to, SocketError::kTimedOut);
  CHECK(status.code() == absl::StatusCode::kDeadlineExceeded);
  INFO("took ", absl::FormatDuration(took));
  CHECK(took >= kDropDeadline - absl::Milliseconds(10));
  CHECK(took < absl::Seconds(2));
}
