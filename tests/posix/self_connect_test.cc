// Copyright 2026 The net Authors.
//
// RELIABILITY.md C5, TCP self-connect: a connect to a local port where
// nothing listens, from an ephemeral source port that the OS happens to pick
// equal to that port, completes by TCP simultaneous open: the socket is
// connected to itself and reads back what it writes. Go's dialer detects it
// (TestTCPSelfConnect dials a just-freed port 100,000 times); net's
// Socket::Connect() reports it as kConnectionRefused (core/socket.cc).
//
// Go waits for chance to pick the port. Here it is forced: in a network
// namespace of the test's own, net.ipv4.ip_local_port_range is narrowed to
// the one port being dialled, so the connect picks it and would connect to
// itself. A new port each attempt: the self-connected socket, shut down,
// holds its port in TIME_WAIT like any closed connection. Needs root (skips
// with the reason otherwise).

#include <fstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "net/connect.h"
#include "net/connection.h"
#include "net/event_loop.h"
#include "net/socket.h"
#include "tests/posix/netns_util.h"
#include "tests/test_util.h"

namespace {

constexpr int kFirstPort = 40000;
constexpr int kAttempts = 100;

// The only ephemeral port is `port`, and the address that dials it.
absl::StatusOr<net::SocketAddress> OnlyPort(int port) {
  std::ofstream range("/proc/sys/net/ipv4/ip_local_port_range");
  range << port << " " << port;
  if (!range.flush()) {
    return absl::InternalError("cannot narrow ip_local_port_range");
  }
  return net::SocketAddress(net::IpAddress::Loopback(net::AddressFamily::kIPv4),
                            static_cast<std::uint16_t>(port));
}

// In the namespace: dial the only ephemeral port kAttempts times through
// each connect path, and tell what each said.
std::string DialOwnPort() {
  const int descriptors_before = net_test::OpenDescriptorCount();
  int refused_as_self = 0;
  std::string unexpected;
  const auto judge = [&](const absl::Status& status) {
    if (net::GetSocketError(status) == net::SocketError::kConnectionRefused &&
        absl::StrContains(status.message(), "connected to itself")) {
      ++refused_as_self;
    } else if (unexpected.empty()) {
      unexpected = status.ok() ? std::string("OK (a self-connected socket)")
                               : std::string(status.message());
    }
  };
  for (int i = 0; i < kAttempts; ++i) {
    absl::StatusOr<net::SocketAddress> target = OnlyPort(kFirstPort + i);
    if (!target.ok()) return std::string(target.status().message());
    // Blocking, with a deadline, and non-blocking (completed by a second
    // Connect() after the wait, as the loop's connect does).
    absl::StatusOr<net::Socket> s =
        net::Socket::Open(net::AddressFamily::kIPv4, net::SocketType::kStream);
    if (!s.ok()) return std::string(s.status().message());
    switch (i % 3) {
      case 0:
        judge(s->Connect(*target));
        break;
      case 1:
        judge(s->Connect(*target, absl::Seconds(2)));
        break;
      default: {
        (void)s->SetNonBlocking(true);
        absl::Status status = s->Connect(*target);
        if (net::IsInProgress(status)) {
          (void)s->WaitWritable(absl::Seconds(2));
          status = s->Connect(*target);
        }
        judge(status);
      }
    }
  }
  // The event loop's connect (net::Connect): its callback sees the same.
  absl::StatusOr<std::unique_ptr<net::EventLoop>> loop = net::EventLoop::Create();
  if (!loop.ok()) return std::string(loop.status().message());
  absl::StatusOr<net::SocketAddress> target = OnlyPort(kFirstPort + kAttempts);
  if (!target.ok()) return std::string(target.status().message());
  bool called = false;
  std::unique_ptr<net::PendingConnect> pending = net::Connect(
      **loop, *target, {}, [&](absl::StatusOr<net::ConnectionPtr> c) {
        called = true;
        judge(c.status());
      });
  const absl::Time deadline = absl::Now() + absl::Seconds(5);
  while (!called && absl::Now() < deadline) {
    (void)(*loop)->RunOnce(absl::Milliseconds(50));
  }
  pending.reset();
  loop->reset();
  if (!called) return "net::Connect never called back";
  const int descriptors_after = net_test::OpenDescriptorCount();
  return absl::StrCat(refused_as_self, " ", descriptors_before, " ",
                      descriptors_after, " ", unexpected);
}

}  // namespace

TEST_CASE("a TCP connect that meets itself is refused, on every connect path") {
  absl::StatusOr<net_test::NetnsRun> run = net_test::RunInNetworkNamespace(
      {}, DialOwnPort, absl::Seconds(60));
  if (absl::IsUnavailable(run.status())) {
    NET_SKIP(std::string(run.status().message()));
  }
  NET_REQUIRE_OK(run);
  INFO("child said: " << run->output);
  std::vector<std::string> words =
      absl::StrSplit(run->output, absl::MaxSplits(' ', 3));
  REQUIRE(words.size() == 4);
  // Every attempt (kAttempts + the loop's one) met itself and said so.
  CHECK(words[0] == absl::StrCat(kAttempts + 1));
  CHECK(words[3].empty());
  // And left no descriptor behind.
  CHECK(words[1] == words[2]);
}
