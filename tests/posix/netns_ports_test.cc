// Copyright 2026 The net Authors.
//
// -----------------------------------------------------------------------------
// File: tests/posix/netns_ports_test.cc
// -----------------------------------------------------------------------------
//
// Connects that the loopback of the host cannot provoke, in a network
// namespace of the test's own (`RunInNetworkNamespace()`,
// tests/posix/netns_util.h):
//
//   * R7, ephemeral-port exhaustion: with net.ipv4.ip_local_port_range
//     narrowed to 10 ports (a per-namespace setting), 10 connections to one
//     listener hold every port; the next `Socket::Connect()` fails at once
//     with the typed kAddressNotAvailable (EADDRNOTAVAIL), not a hang or a
//     retry storm, and succeeds again as soon as one connection is closed.
//     `net::Connect()` and `net::ConnectToAny()` on the loop report the same
//     typed error through their callbacks.
//   * C4 / W7, a connect held in progress: behind an iptables DROP rule the
//     SYN is never answered, so a second and third `Connect()` on the socket
//     are provably "already in progress" (EALREADY, `IsInProgress()`).
//   * R3, the timed-out path: connects with a deadline to the dropped
//     address time out (kTimedOut) and leave no descriptor behind.
//
// The host's network and sysctls are never touched. Without root or
// namespaces (or iptables, for the DROP case) a case is skipped with the
// reason printed.

#include <cstdint>
#include <fstream>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "net/connect.h"
#include "net/net.h"
#include "tests/posix/netns_util.h"
#include "tests/test_util.h"

namespace {

constexpr absl::Duration kChildTimeout = absl::Seconds(10);
// The narrowed range: 10 ports, of different parity (the kernel's
// documentation asks for that; connect() tries one parity first).
constexpr char kPortRange[] = "40000 40009";
constexpr int kPorts = 10;
constexpr char kDropped[] = "127.0.0.4";

// One observation of the child: a line of net_test::Report().
using Seen = net_test::ChildReport;
using net_test::ParseReports;
using net_test::Report;

// The child's side --------------------------------------------------------

absl::StatusOr<net::Socket> ListenOn(const std::string& ip) {
  absl::StatusOr<net::SocketAddress> where =
      net::SocketAddress::Parse(absl::StrCat(ip, ":0"));
  if (!where.ok()) return where.status();
  absl::StatusOr<net::Socket> s =
      net::Socket::Open(net::AddressFamily::kIPv4, net::SocketType::kStream);
  if (!s.ok()) return s.status();
  absl::Status status = s->Bind(*where);
  if (status.ok()) status = s->Listen();
  if (!status.ok()) return status;
  return s;
}

// A blocking connect with a 1 s deadline, reported under `label`; the
// socket is kept in `*kept` when it connected.
std::string TimedConnect(const std::string& label,
                         const net::SocketAddress& where, net::Socket* kept) {
  absl::StatusOr<net::Socket> s =
      net::Socket::Open(net::AddressFamily::kIPv4, net::SocketType::kStream);
  if (!s.ok()) return Report(label, {}, "open", s.status());
  const absl::Time begin = absl::Now();
  absl::Status status = s->Connect(where, absl::Seconds(1));
  const absl::Duration elapsed = absl::Now() - begin;
  std::string note;
  if (status.ok()) {
    absl::StatusOr<net::SocketAddress> local = s->LocalAddress();
    if (local.ok()) note = absl::StrCat(local->port());
    *kept = *std::move(s);
  }
  return Report(label, elapsed, note, status);
}

// `start` on a fresh loop, run until its callback (at most 5 s).
std::string AsyncConnect(
    const std::string& label,
    const std::function<std::unique_ptr<net::PendingConnect>(
        net::EventLoop&, net::ConnectCallback)>& start) {
  absl::StatusOr<std::unique_ptr<net::EventLoop>> loop = net::EventLoop::Create();
  if (!loop.ok()) return Report(label, {}, "loop", loop.status());
  int calls = 0;
  absl::Status status = absl::UnknownError("no callback within 5 s");
  const absl::Time begin = absl::Now();
  absl::Duration elapsed;
  std::unique_ptr<net::PendingConnect> pending =
      start(**loop, [&](absl::StatusOr<net::ConnectionPtr> c) {
        ++calls;
        status = c.status();
        elapsed = absl::Now() - begin;
      });
  while (calls == 0 && absl::Now() - begin < absl::Seconds(5)) {
    absl::StatusOr<int> ran = (*loop)->RunOnce(absl::Milliseconds(20));
    if (!ran.ok()) return Report(label, {}, "run", ran.status());
  }
  for (int i = 0; i < 3; ++i) (void)(*loop)->RunOnce(absl::Milliseconds(5));
  return Report(label, elapsed, absl::StrCat("calls=", calls), status);
}

std::string ExhaustPorts() {
  // The listener first, while the range is whole (its port 0 comes from
  // the same range).
  absl::StatusOr<net::Socket> listener = ListenOn("127.0.0.1");
  if (!listener.ok()) return Report("setup", {}, "listen", listener.status());
  absl::StatusOr<net::SocketAddress> where = listener->LocalAddress();
  if (!where.ok()) return Report("setup", {}, "address", where.status());
  {
    std::ofstream range("/proc/sys/net/ipv4/ip_local_port_range");
    range << kPortRange << "\n";
    range.flush();
    if (!range) {
      return Report("skip", {}, "",
                    absl::UnavailableError(
                        "cannot write net.ipv4.ip_local_port_range here"));
    }
  }
  std::string out;
  // Hold connections until a connect fails (at most kPorts + 2 tries).
  std::vector<net::Socket> clients;
  std::vector<net::Socket> servers;
  for (int i = 0; i < kPorts + 2; ++i) {
    net::Socket client;
    std::string line = TimedConnect("hold", *where, &client);
    out += line;
    if (!client.is_open()) break;
    absl::StatusOr<net::Accepted> accepted = listener->Accept();
    if (!accepted.ok()) return out + Report("setup", {}, "accept", accepted.status());
    clients.push_back(std::move(client));
    servers.push_back(std::move(accepted->socket));
  }
  // The same, non-blocking: the answer comes from connect() itself.
  {
    absl::StatusOr<net::Socket> s =
        net::Socket::Open(net::AddressFamily::kIPv4, net::SocketType::kStream,
                          0, net::OpenFlags::kNonBlocking);
    if (!s.ok()) return out + Report("setup", {}, "open", s.status());
    const absl::Time begin = absl::Now();
    absl::Status status = s->Connect(*where);
    out += Report("nonblocking", absl::Now() - begin, "", status);
  }
  // And on the loop.
  net::ConnectOptions options;
  options.timeout = absl::Seconds(3);
  out += AsyncConnect("async", [&](net::EventLoop& loop,
                                   net::ConnectCallback callback) {
    return net::Connect(loop, *where, options, std::move(callback));
  });
  out += AsyncConnect("any", [&](net::EventLoop& loop,
                                 net::ConnectCallback callback) {
    return net::ConnectToAny(loop, {*where}, options, std::move(callback));
  });
  // One connection closed, the server's side first (its TIME_WAIT is on
  // the listener's port, so the client's port is free once it closes).
  if (!clients.empty()) {
    (void)servers.front().Close();
    char byte;
    (void)clients.front().Receive(absl::MakeSpan(&byte, 1));  // end of stream
    (void)clients.front().Close();
  }
  net::Socket again;
  out += TimedConnect("again", *where, &again);
  return out;
}

std::string HoldInProgress() {
  absl::StatusOr<net::Socket> listener = ListenOn(kDropped);
  if (!listener.ok()) return Report("setup", {}, "listen", listener.status());
  absl::StatusOr<net::SocketAddress> where = listener->LocalAddress();
  if (!where.ok()) return Report("setup", {}, "address", where.status());
  std::string out;
  absl::StatusOr<net::Socket> s =
      net::Socket::Open(net::AddressFamily::kIPv4, net::SocketType::kStream, 0,
                        net::OpenFlags::kNonBlocking);
  if (!s.ok()) return Report("setup", {}, "open", s.status());
  out += Report("first", {}, "", s->Connect(*where));
  for (int i = 0; i < 2; ++i) {
    absl::SleepFor(absl::Milliseconds(150));
    absl::StatusOr<bool> writable = s->WaitWritable(absl::ZeroDuration());
    const std::string note =
        !writable.ok() ? "wait failed" : (*writable ? "writable" : "pending");
    absl::Status again = s->Connect(*where);
    std::optional<int> native = net::GetNativeError(again);
    out += Report("again", {}, absl::StrCat(note, " native=", native.value_or(-1)),
                  again);
  }
  (void)s->Close();
  // Timed-out connects leave nothing behind.
  const int before = net_test::OpenDescriptorCount();
  for (int i = 0; i < 10; ++i) {
    absl::StatusOr<net::Socket> t =
        net::Socket::Open(net::AddressFamily::kIPv4, net::SocketType::kStream);
    if (!t.ok()) return out + Report("setup", {}, "open", t.status());
    const absl::Time begin = absl::Now();
    absl::Status status = t->Connect(*where, absl::Milliseconds(50));
    if (i == 0 || status.ok() ||
        net::GetSocketError(status) != net::SocketError::kTimedOut) {
      out += Report("timed", absl::Now() - begin, "", status);
    }
  }
  out += Report("descriptors", {},
                absl::StrCat(before, " ", net_test::OpenDescriptorCount()),
                absl::OkStatus());
  return out;
}

// The parent's side -------------------------------------------------------

// Runs `body` in a namespace; false (with the reason) where this machine
// cannot make one.
bool RunCase(const net_test::NetnsSetup& setup,
             const std::function<std::string()>& body, std::vector<Seen>* seen,
             std::string* skip) {
  if (!net_test::RunReporting(setup, body, kChildTimeout, seen, skip)) {
    return false;
  }
  for (const Seen& s : *seen) {
    INFO(s.label, " ", s.note);
    REQUIRE(s.label != "setup");
  }
  return true;
}

std::vector<Seen> Labelled(const std::vector<Seen>& seen,
                           const std::string& label) {
  std::vector<Seen> out;
  for (const Seen& s : seen) {
    if (s.label == label) out.push_back(s);
  }
  return out;
}

}  // namespace

TEST_CASE("with the ephemeral ports exhausted a connect fails at once with "
          "address not available, and succeeds again once one is closed") {
  std::vector<Seen> seen;
  std::string skip;
  if (!RunCase({}, ExhaustPorts, &seen, &skip)) NET_SKIP(skip);
  std::vector<Seen> hold = Labelled(seen, "hold");
  REQUIRE(hold.size() == kPorts + 1);
  for (int i = 0; i < kPorts; ++i) {
    CAPTURE(i);
    NET_CHECK_OK(hold[i].status);
    std::uint32_t port = 0;
    CHECK(absl::SimpleAtoi(hold[i].note, &port));
    CHECK((port >= 40000 && port <= 40009));
  }
  // The 11th: typed, and prompt (no waiting for a port, no retries).
  const Seen& exhausted = hold[kPorts];
  CHECK(net::GetSocketError(exhausted.status) ==
        net::SocketError::kAddressNotAvailable);
  CHECK(exhausted.status.code() == net::SocketErrorToStatusCode(
                                       net::SocketError::kAddressNotAvailable));
  CHECK(absl::StrContains(exhausted.status.message(), "connect"));
  CHECK(exhausted.elapsed_ms < 1000);
  for (const char* label : {"nonblocking", "async", "any"}) {
    std::vector<Seen> s = Labelled(seen, label);
    REQUIRE(s.size() == 1);
    CAPTURE(label);
    CHECK(net::GetSocketError(s[0].status) ==
          net::SocketError::kAddressNotAvailable);
    CHECK(s[0].elapsed_ms < 1000);
    if (std::string(label) != "nonblocking") CHECK(s[0].note == "calls=1");
  }
  std::vector<Seen> again = Labelled(seen, "again");
  REQUIRE(again.size() == 1);
  NET_CHECK_OK(again[0].status);
  CHECK(again[0].elapsed_ms < 1000);
}

TEST_CASE("a second connect while a dropped SYN keeps the first in progress "
          "is already in progress, and timed-out connects leave nothing "
          "behind") {
  net_test::NetnsSetup setup;
  setup.iptables = {
      {"-A", "OUTPUT", "-d", std::string(kDropped) + "/32", "-p", "tcp", "-j",
       "DROP"}};
  std::vector<Seen> seen;
  std::string skip;
  if (!RunCase(setup, HoldInProgress, &seen, &skip)) NET_SKIP(skip);
  std::vector<Seen> first = Labelled(seen, "first");
  REQUIRE(first.size() == 1);
  CHECK(net::GetSocketError(first[0].status) == net::SocketError::kInProgress);
  std::vector<Seen> again = Labelled(seen, "again");
  REQUIRE(again.size() == 2);
  for (const Seen& s : again) {
    CHECK(absl::StartsWith(s.note, "pending"));  // provably in progress
    CHECK(net::IsInProgress(s.status));
    CHECK(net::GetSocketError(s.status) == net::SocketError::kAlready);
  }
  // Only the first timed-out connect is reported, and any that did not
  // time out.
  std::vector<Seen> timed = Labelled(seen, "timed");
  REQUIRE(timed.size() == 1);
  CHECK(net::GetSocketError(timed[0].status) == net::SocketError::kTimedOut);
  std::vector<Seen> descriptors = Labelled(seen, "descriptors");
  REQUIRE(descriptors.size() == 1);
  std::vector<std::string> counts = absl::StrSplit(descriptors[0].note, ' ');
  REQUIRE(counts.size() == 2);
  CHECK(counts[0] == counts[1]);
  CHECK(counts[0] != "-1");
}
