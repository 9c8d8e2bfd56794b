// Copyright 2026 The net Authors.
//
// -----------------------------------------------------------------------------
// File: tests/posix/netns_connect_test.cc
// -----------------------------------------------------------------------------
//
// `net::Connect()`, `net::ConnectToAny()` and `net::ConnectByName()` on the
// event loop against a misbehaving network, provoked for real in a network
// namespace of the test's own (`RunInNetworkNamespace()`,
// tests/posix/netns_util.h; tests/posix/netns_errors_test.cc does the same
// for the blocking `Socket::Connect()`):
//
//   * a destination whose packets are dropped (iptables DROP): timed out at
//     the deadline, and a cancel mid-connect that calls nothing;
//   * one rejected with icmp-host-unreachable: host unreachable;
//   * a closed port: connection refused;
//   * Happy Eyeballs (RFC 8305) with IPv6 silently dropped (ip6tables DROP
//     on ::1): connected over IPv4 one attempt delay later, by name (a
//     private /etc/hosts in a mount namespace names both ::1 and 127.0.0.1)
//     and from a list of addresses (whose families must be interleaved to
//     connect that soon); and the overall timeout when every address is
//     dropped.
//
// Each destination listens, so that without the rule the connect would
// succeed: the outcome can only come from the rule. Only loopback
// addresses are used (127.0.0.0/8, ::1), inside the namespace; the host's
// network, firewall and /etc/hosts are never touched. Each case runs once
// per event loop backend compiled in, in one child that is killed after
// 10 s whatever happens. Without root, or where the kernel refuses
// namespaces or every iptables flavour refuses the rule, a case is skipped
// with the reason printed.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "net/connect.h"
#include "net/net.h"
#include "tests/posix/netns_util.h"
#include "tests/test_util.h"

namespace {

constexpr absl::Duration kChildTimeout = absl::Seconds(10);
constexpr absl::Duration kDropTimeout = absl::Milliseconds(300);
constexpr absl::Duration kAttemptDelay = absl::Milliseconds(250);
// A race's whole deadline where every address is dropped.
constexpr absl::Duration kRaceTimeout = absl::Milliseconds(400);
// How late past its due time a connect may be reported and still count as
// on time: 100 ms, the bound issue 12 sets. ThreadSanitizer's runtime
// stalls a process once for 130-220 ms soon after its first thread starts
// (measured: always the first resolver-backed case of a child, never one
// without threads), so a TSan build allows 300 ms.
#if defined(__SANITIZE_THREAD__)
#define NET_TEST_UNDER_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define NET_TEST_UNDER_TSAN 1
#endif
#endif
#if defined(NET_TEST_UNDER_TSAN)
constexpr int64_t kSlackMs = 300;
#else
constexpr int64_t kSlackMs = 100;
#endif

// The addresses the rules name (127.0.0.1 has none: the control).
constexpr char kDropped[] = "127.0.0.4";
constexpr char kUnreachable[] = "127.0.0.2";

// One connect as the child saw it (net_test::Report()): the label is
// "<backend>:<what>", the note the peer's family or what the case adds.
using Seen = net_test::ChildReport;
using net_test::ParseReports;
using net_test::Report;

// The child's side --------------------------------------------------------

// A listener on `ip`:`port` (0: any), or why there is none.
absl::StatusOr<net::Socket> ListenOn(const std::string& ip,
                                     std::uint16_t port) {
  absl::StatusOr<net::IpAddress> host = net::IpAddress::Parse(ip);
  if (!host.ok()) return host.status();
  absl::StatusOr<net::Socket> s =
      net::Socket::Open(host->family(), net::SocketType::kStream);
  if (!s.ok()) return s.status();
  absl::Status status = s->Bind(net::SocketAddress(*host, port));
  if (status.ok()) status = s->Listen();
  if (status.ok()) status = s->SetNonBlocking(true);
  if (!status.ok()) return status;
  return s;
}

// Which of `listeners` has a connection waiting: its index, or -1.
int Accepting(std::vector<net::Socket>& listeners) {
  for (std::size_t i = 0; i < listeners.size(); ++i) {
    if (listeners[i].Accept().ok()) return static_cast<int>(i);
  }
  return -1;
}

using Starter = std::function<std::unique_ptr<net::PendingConnect>(
    net::EventLoop&, net::ConnectCallback)>;

// Starts a connect with `start`, runs `loop` until its callback (at most
// 5 s), and reports it. `note` adds to the report, given the connection.
std::string Attempt(net::EventLoop& loop, const std::string& label,
                    const Starter& start,
                    const std::function<std::string()>& note = {}) {
  int calls = 0;
  absl::StatusOr<net::ConnectionPtr> result =
      absl::UnknownError("no callback within 5 s");
  const absl::Time begin = absl::Now();
  std::unique_ptr<net::PendingConnect> pending =
      start(loop, [&](absl::StatusOr<net::ConnectionPtr> c) {
        ++calls;
        result = std::move(c);
      });
  absl::Duration elapsed;
  while (calls == 0 && absl::Now() - begin < absl::Seconds(5)) {
    absl::StatusOr<int> ran = loop.RunOnce(absl::Milliseconds(20));
    if (!ran.ok()) return Report(label, {}, "run", ran.status());
    elapsed = absl::Now() - begin;
  }
  // A second call would show here.
  for (int i = 0; i < 3; ++i) (void)loop.RunOnce(absl::Milliseconds(5));
  std::string extra = note ? note() : "";
  if (calls > 1) extra += absl::StrCat(" calls=", calls);
  return Report(label, elapsed, extra, result.status());
}

// Runs `body(loop)` once per backend, each report labelled with it.
std::string ForEachBackend(
    const std::function<std::string(net::EventLoop&, const std::string&)>&
        body) {
  std::string out;
  for (net::EventLoopBackend backend : net::AvailableEventLoopBackends()) {
    net::EventLoopOptions options;
    options.backend = backend;
    absl::StatusOr<std::unique_ptr<net::EventLoop>> loop =
        net::EventLoop::Create(options);
    const std::string name(net::EventLoopBackendName(backend));
    if (!loop.ok()) {
      out += Report(name + ":loop", {}, "", loop.status());
      continue;
    }
    out += body(**loop, name + ":");
  }
  return out;
}

// `net::Connect()` to a listener on `ip` (behind a rule) with `timeout`.
std::string ConnectToListenerOn(const std::string& ip, absl::Duration timeout) {
  return ForEachBackend([&](net::EventLoop& loop, const std::string& prefix) {
    absl::StatusOr<net::Socket> listener = ListenOn(ip, 0);
    if (!listener.ok())
      return Report(prefix + "setup", {}, "", listener.status());
    absl::StatusOr<net::SocketAddress> target = listener->LocalAddress();
    if (!target.ok()) return Report(prefix + "setup", {}, "", target.status());
    net::ConnectOptions options;
    options.timeout = timeout;
    return Attempt(
        loop, prefix + "connect",
        [&](net::EventLoop& l, net::ConnectCallback callback) {
          return net::Connect(l, *target, options, std::move(callback));
        },
        [&] { return target->ToString(); });
  });
}

// The parent's side -------------------------------------------------------

std::vector<std::string> Rule(const std::string& address,
                              std::vector<std::string> target) {
  std::vector<std::string> rule = {"-A", "OUTPUT", "-d", address, "-p", "tcp"};
  rule.insert(rule.end(), target.begin(), target.end());
  return rule;
}

// Runs `body` in a namespace set up as `setup` says; false (with the
// reason) when this machine cannot make one or the body could not set up.
bool RunCase(const net_test::NetnsSetup& setup,
             const std::function<std::string()>& body, std::vector<Seen>* seen,
             std::string* skip) {
  if (!net_test::RunReporting(setup, body, kChildTimeout, seen, skip)) {
    return false;
  }
  REQUIRE(seen->size() >= net::AvailableEventLoopBackends().size());
  return true;
}

// Every report of `seen` with a label ending in `what`, checked by
// `check`, one per backend.
void ForEachReport(const std::vector<Seen>& seen, const std::string& what,
                   const std::function<void(const Seen&)>& check) {
  std::size_t found = 0;
  for (const Seen& s : seen) {
    if (!absl::EndsWith(s.label, ":" + what)) continue;
    ++found;
    MESSAGE(s.label, " after ", s.elapsed_ms, " ms, ", s.note, ": ", s.status);
    INFO(s.label, " after ", s.elapsed_ms, " ms, ", s.note, ": ", s.status);
    CHECK(!absl::StrContains(s.note, "calls="));  // exactly once
    check(s);
  }
  CHECK(found == net::AvailableEventLoopBackends().size());
}

// The checks of a provoked connect error.
void CheckFailed(const Seen& s, net::SocketError expected) {
  CHECK(net::GetSocketError(s.status) == expected);
  CHECK(s.status.code() == net::SocketErrorToStatusCode(expected));
  CHECK(absl::StrContains(s.status.message(), "connect"));
  CHECK(absl::StrContains(s.status.message(), s.note));  // the address
}

}  // namespace

TEST_CASE(
    "async connect through a DROP rule reports timed out at its "
    "deadline") {
  net_test::NetnsSetup setup;
  setup.iptables = {Rule(kDropped, {"-j", "DROP"})};
  std::vector<Seen> seen;
  std::string skip;
  if (!RunCase(
          setup, [] { return ConnectToListenerOn(kDropped, kDropTimeout); },
          &seen, &skip)) {
    NET_SKIP(skip);
  }
  ForEachReport(seen, "connect", [](const Seen& s) {
    CheckFailed(s, net::SocketError::kTimedOut);
    CHECK(s.elapsed_ms >= absl::ToInt64Milliseconds(kDropTimeout) - 10);
    CHECK(s.elapsed_ms < absl::ToInt64Milliseconds(kDropTimeout) + kSlackMs);
  });
}

TEST_CASE(
    "async connect through an icmp-host-unreachable rule reports host "
    "unreachable") {
  net_test::NetnsSetup setup;
  setup.iptables = {Rule(kUnreachable, {"-j", "REJECT", "--reject-with",
                                        "icmp-host-unreachable"})};
  std::vector<Seen> seen;
  std::string skip;
  if (!RunCase(
          setup,
          [] { return ConnectToListenerOn(kUnreachable, absl::Seconds(2)); },
          &seen, &skip)) {
    NET_SKIP(skip);
  }
  ForEachReport(seen, "connect", [](const Seen& s) {
    CheckFailed(s, net::SocketError::kHostUnreachable);
    CHECK(s.elapsed_ms < 1000);
  });
}

TEST_CASE(
    "async connect to a closed port in a namespace reports connection "
    "refused") {
  std::vector<Seen> seen;
  std::string skip;
  auto body = [] {
    return ForEachBackend([](net::EventLoop& loop, const std::string& prefix) {
      absl::StatusOr<net::Socket> listener = ListenOn("127.0.0.1", 0);
      if (!listener.ok()) {
        return Report(prefix + "setup", {}, "", listener.status());
      }
      absl::StatusOr<net::SocketAddress> target = listener->LocalAddress();
      (void)listener->Close();  // the port is closed from here on
      if (!target.ok())
        return Report(prefix + "setup", {}, "", target.status());
      return Attempt(
          loop, prefix + "connect",
          [&](net::EventLoop& l, net::ConnectCallback callback) {
            return net::Connect(l, *target, {}, std::move(callback));
          },
          [&] { return target->ToString(); });
    });
  };
  if (!RunCase({}, body, &seen, &skip)) NET_SKIP(skip);
  ForEachReport(seen, "connect", [](const Seen& s) {
    CheckFailed(s, net::SocketError::kConnectionRefused);
    CHECK(s.elapsed_ms < 1000);
  });
}

namespace {

constexpr char kName[] = "happy-eyeballs.test";  // ::1 and 127.0.0.1
constexpr char kWarmUpName[] = "warm-up.test";   // 127.0.0.1 only

// Rules: every TCP packet to ::1 is dropped, and to `kDropped`.
net_test::NetnsSetup SilentIpv6Setup() {
  net_test::NetnsSetup setup;
  setup.iptables = {Rule(kDropped, {"-j", "DROP"})};
  setup.ip6tables = {Rule("::1", {"-j", "DROP"})};
  return setup;
}

net::ConnectOptions RaceOptions() {
  net::ConnectOptions options;
  options.attempt_delay = kAttemptDelay;
  options.timeout = absl::Seconds(5);
  return options;
}

// Listeners on loopback addresses, inside the child.
struct Listeners {
  std::vector<std::string> ips;
  std::vector<net::Socket> sockets;
  std::vector<net::SocketAddress> addresses;  // where each listens
  std::string failure;  // a skip report when one could not be made

  // "ipv4", "ipv6" or "none": which listener has the connection.
  std::string AcceptedFamily() {
    const int i = Accepting(sockets);
    if (i < 0) return "none";
    return absl::StrContains(ips[static_cast<std::size_t>(i)], ':') ? "ipv6"
                                                                    : "ipv4";
  }
};

enum class Ports { kOne, kEach };

// Listeners on `ips`: with Ports::kOne all on the first one's port (chosen
// by the OS), with Ports::kEach each on a port of its own. `prefix` labels
// the skip report.
Listeners ListenAll(const std::vector<std::string>& ips, Ports ports,
                    const std::string& prefix) {
  Listeners out;
  out.ips = ips;
  std::uint16_t port = 0;
  for (const std::string& ip : ips) {
    absl::StatusOr<net::Socket> s = ListenOn(ip, port);
    absl::StatusOr<net::SocketAddress> a =
        s.ok() ? s->LocalAddress() : s.status();
    if (!a.ok()) {
      out.failure = Report(prefix + "skip", {}, "",
                           absl::UnavailableError(absl::StrCat(
                               "cannot listen on ", ip,
                               " in the namespace: ", a.status().ToString())));
      return out;
    }
    if (ports == Ports::kOne) port = a->port();
    out.sockets.push_back(*std::move(s));
    out.addresses.push_back(*a);
  }
  return out;
}

// Connected over IPv4 one attempt delay after the start (IPv6 first).
void CheckWonByIpv4(const Seen& s) {
  NET_CHECK_OK(s.status);
  CHECK(s.note == "ipv4");
  CHECK(s.elapsed_ms >= absl::ToInt64Milliseconds(kAttemptDelay) - 10);
  CHECK(s.elapsed_ms < absl::ToInt64Milliseconds(kAttemptDelay) + kSlackMs);
}

}  // namespace

TEST_CASE(
    "connect by name with IPv6 silently dropped connects over IPv4 "
    "one attempt delay later") {
  auto body = [] {
    absl::Status hosts = net_test::UsePrivateHostsFile(
        absl::StrCat("::1 ", kName, "\n127.0.0.1 ", kName, "\n127.0.0.1 ",
                     kWarmUpName, "\n"));
    if (!hosts.ok()) return Report("all:skip", {}, "", hosts);
    // The resolver's order: IPv6 must come first for the case to mean
    // anything (RFC 6724 puts ::1 before 127.0.0.1).
    absl::StatusOr<std::vector<net::ResolvedAddress>> resolved =
        net::Resolve(kName, "1");
    std::vector<std::string> order;
    if (resolved.ok()) {
      for (const net::ResolvedAddress& r : *resolved) {
        order.push_back(r.address.ip().ToString());
      }
    }
    std::string out =
        Report("all:order", {}, absl::StrJoin(order, ","), resolved.status());
    return out +
           ForEachBackend([](net::EventLoop& loop, const std::string& prefix) {
             Listeners listening =
                 ListenAll({"127.0.0.1", "::1"}, Ports::kOne, prefix);
             if (!listening.failure.empty()) return listening.failure;
             const std::uint16_t port = listening.addresses[0].port();
             // Not timed: the pool's first thread (slow to start under TSan)
             // and the resolver's first call on it.
             std::string warm_up = Attempt(
                 loop, prefix + "warm-up",
                 [port](net::EventLoop& l, net::ConnectCallback callback) {
                   return net::ConnectByName(l, kWarmUpName, port,
                                             RaceOptions(),
                                             std::move(callback));
                 },
                 [&listening] {
                   return absl::StrCat(Accepting(listening.sockets));
                 });
             return warm_up +
                    Attempt(
                        loop, prefix + "by-name",
                        [port](net::EventLoop& l,
                               net::ConnectCallback callback) {
                          return net::ConnectByName(l, kName, port,
                                                    RaceOptions(),
                                                    std::move(callback));
                        },
                        [&listening] { return listening.AcceptedFamily(); });
           });
  };
  std::vector<Seen> seen;
  std::string skip;
  if (!RunCase(SilentIpv6Setup(), body, &seen, &skip)) NET_SKIP(skip);
  REQUIRE(!seen.empty());
  INFO("resolved: ", seen[0].note, " ", seen[0].status);
  REQUIRE(seen[0].label == "all:order");
  REQUIRE(absl::StartsWith(seen[0].note, "::1,"));
  ForEachReport(seen, "warm-up", [](const Seen& s) {
    NET_CHECK_OK(s.status);
    CHECK(s.note == "0");  // the IPv4 listener has it
  });
  ForEachReport(seen, "by-name", CheckWonByIpv4);
}

TEST_CASE(
    "connect to any interleaves the families: two silent IPv6 "
    "addresses delay an IPv4 one by one attempt delay only") {
  auto body = [] {
    return ForEachBackend([](net::EventLoop& loop, const std::string& prefix) {
      Listeners listening =
          ListenAll({"::1", "::1", "127.0.0.1"}, Ports::kEach, prefix);
      if (!listening.failure.empty()) return listening.failure;
      return Attempt(
          loop, prefix + "any",
          [&](net::EventLoop& l, net::ConnectCallback callback) {
            return net::ConnectToAny(l, listening.addresses, RaceOptions(),
                                     std::move(callback));
          },
          [&listening] { return listening.AcceptedFamily(); });
    });
  };
  std::vector<Seen> seen;
  std::string skip;
  if (!RunCase(SilentIpv6Setup(), body, &seen, &skip)) NET_SKIP(skip);
  ForEachReport(seen, "any", CheckWonByIpv4);
}

TEST_CASE(
    "connect to any reports timed out when every address is silent "
    "past the timeout") {
  auto body = [] {
    return ForEachBackend([](net::EventLoop& loop, const std::string& prefix) {
      Listeners listening = ListenAll({"::1", kDropped}, Ports::kEach, prefix);
      if (!listening.failure.empty()) return listening.failure;
      net::ConnectOptions options;
      options.attempt_delay = net::kMinAttemptDelay;
      options.timeout = kRaceTimeout;
      return Attempt(
          loop, prefix + "any",
          [&](net::EventLoop& l, net::ConnectCallback callback) {
            return net::ConnectToAny(l, listening.addresses, options,
                                     std::move(callback));
          },
          [&] { return listening.addresses[1].ToString(); });
    });
  };
  std::vector<Seen> seen;
  std::string skip;
  if (!RunCase(SilentIpv6Setup(), body, &seen, &skip)) NET_SKIP(skip);
  ForEachReport(seen, "any", [&](const Seen& s) {
    CheckFailed(s, net::SocketError::kTimedOut);
    CHECK(absl::StrContains(s.status.message(), "[::1]:"));
    CHECK(s.elapsed_ms >= absl::ToInt64Milliseconds(kRaceTimeout) - 10);
    CHECK(s.elapsed_ms < absl::ToInt64Milliseconds(kRaceTimeout) + kSlackMs);
  });
}

TEST_CASE(
    "a connect or a race cancelled while its SYNs go unanswered calls "
    "nothing and leaves nothing on the loop") {
  // Starts a connect, runs the loop for `before`, cancels, runs it 300 ms
  // more; the note says what the loop still holds and how often the
  // callback ran.
  auto cancel = [](net::EventLoop& loop, const std::string& label,
                   absl::Duration before, const Starter& start) {
    int calls = 0;
    std::unique_ptr<net::PendingConnect> pending =
        start(loop, [&calls](absl::StatusOr<net::ConnectionPtr>) { ++calls; });
    absl::Status status;
    for (absl::Duration wait : {before, absl::Milliseconds(300)}) {
      const absl::Time end = absl::Now() + wait;
      while (status.ok() && absl::Now() < end) {
        status = loop.RunOnce(absl::Milliseconds(10)).status();
      }
      pending.reset();
    }
    return Report(
        label, {},
        absl::StrCat("called=", calls, " watches=", loop.watch_count(),
                     " timers=", loop.timer_count()),
        status);
  };
  auto body = [&cancel] {
    return ForEachBackend([&](net::EventLoop& loop, const std::string& prefix) {
      Listeners listening = ListenAll({kDropped, "::1"}, Ports::kEach, prefix);
      if (!listening.failure.empty()) return listening.failure;
      std::string report =
          cancel(loop, prefix + "connect", absl::Milliseconds(100),
                 [&](net::EventLoop& l, net::ConnectCallback callback) {
                   return net::Connect(l, listening.addresses[0], RaceOptions(),
                                       std::move(callback));
                 });
      // Past the attempt delay: both attempts are under way.
      report +=
          cancel(loop, prefix + "any", kAttemptDelay + absl::Milliseconds(50),
                 [&](net::EventLoop& l, net::ConnectCallback callback) {
                   return net::ConnectToAny(l, listening.addresses,
                                            RaceOptions(), std::move(callback));
                 });
      return report;
    });
  };
  std::vector<Seen> seen;
  std::string skip;
  if (!RunCase(SilentIpv6Setup(), body, &seen, &skip)) NET_SKIP(skip);
  for (const char* what : {"connect", "any"}) {
    ForEachReport(seen, what, [](const Seen& s) {
      NET_CHECK_OK(s.status);
      CHECK(s.note == "called=0 watches=0 timers=0");
    });
  }
}
