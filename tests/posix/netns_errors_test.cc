// Copyright 2026 The net Authors.
//
// -----------------------------------------------------------------------------
// File: tests/posix/netns_errors_test.cc
// -----------------------------------------------------------------------------
//
// The connect errors that need a misbehaving network, provoked for real:
// host unreachable, network unreachable and timed out. (Connection refused
// needs no help, a closed loopback port gives it; it is in
// tests/contract/.)
//
// Approach. Each test case forks a child (`RunInNetworkNamespace()`,
// tests/posix/netns_util.h) that:
//
//   1. unshare(CLONE_NEWNET)s into a network namespace of its own, whose
//      only interface is `lo`, and brings `lo` up;
//   2. installs one iptables rule in that namespace only, on OUTPUT for one
//      loopback address:
//        127.0.0.2  -j REJECT --reject-with icmp-host-unreachable
//        127.0.0.3  -j REJECT --reject-with icmp-net-unreachable
//        127.0.0.4  -j DROP
//      (`iptables`, which is the nf_tables flavour on Debian 12, then
//      `iptables-legacy`; NET_TEST_IPTABLES forces one);
//   3. listens on <that address>:0, so that without the rule the connect
//      would succeed: the error can only come from the rule;
//   4. connects with net::Socket::Connect() (blocking) and
//      Connect(address, timeout) (non-blocking + poll + SO_ERROR, the other
//      code path), and as a control connects to a listener on 127.0.0.1:0,
//      which has no rule and must succeed;
//   5. writes one line per connect to the parent: portable error, status
//      code, elapsed time, message. The parent CHECKs them.
//
// The host's network and firewall are never touched; the namespace and its
// rule vanish when the child exits. The REJECT rules answer at once; the
// DROP case uses a 300 ms connect deadline, so each case takes well under a
// second and the child is killed after 5 s whatever happens. Without root, or
// where the kernel refuses namespaces or every iptables flavour refuses the
// rule, each case is skipped with the reason printed.

#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "net/net.h"
#include "tests/posix/netns_util.h"
#include "tests/test_util.h"

namespace {

constexpr absl::Duration kChildTimeout = absl::Seconds(5);
constexpr absl::Duration kDropDeadline = absl::Milliseconds(300);
// Long enough never to expire for a REJECT rule, which answers at once.
constexpr absl::Duration kRejectDeadline = absl::Seconds(2);

// One connect as the child saw it.
struct Observed {
  std::string label;
  net::SocketError error = net::SocketError::kUnknown;
  absl::StatusCode code = absl::StatusCode::kUnknown;
  std::int64_t elapsed_ms = -1;
  std::string address;
  std::string message;
};

// "label \t error \t code \t elapsed_ms \t address \t message \n"
std::string Encode(const std::string& label, const absl::Status& status,
                   absl::Duration elapsed, const std::string& address) {
  std::string message =
      absl::StrReplaceAll(status.message(), {{"\t", " "}, {"\n", " "}});
  return absl::StrCat(
      label, "\t", static_cast<int>(net::GetSocketError(status)), "\t",
      static_cast<int>(status.code()), "\t", absl::ToInt64Milliseconds(elapsed),
      "\t", address, "\t", message, "\n");
}

std::vector<Observed> Decode(const std::string& text) {
  std::vector<Observed> out;
  for (const std::vector<std::string>& f :
       net_test::SplitReportLines(text, 6)) {
    Observed o;
    int error = 0;
    int code = 0;
    o.label = f[0];
    if (absl::SimpleAtoi(f[1], &error)) o.error = net::SocketError(error);
    if (absl::SimpleAtoi(f[2], &code)) o.code = absl::StatusCode(code);
    (void)absl::SimpleAtoi(f[3], &o.elapsed_ms);
    o.address = f[4];
    o.message = f[5];
    out.push_back(o);
  }
  return out;
}

const Observed* Find(const std::vector<Observed>& seen,
                     const std::string& label) {
  for (const Observed& o : seen) {
    if (o.label == label) return &o;
  }
  return nullptr;
}

// A listener on `ip`:0 and a connect to it, blocking or with `timeout`.
// Runs in the child; reports rather than asserts.
std::string ConnectTo(const std::string& label, const std::string& ip,
                      bool with_timeout, absl::Duration timeout,
                      net::Socket* listener_out) {
  absl::StatusOr<net::IpAddress> host = net::IpAddress::Parse(ip);
  if (!host.ok()) return Encode(label + "-setup", host.status(), {}, ip);
  absl::StatusOr<net::Socket> listener =
      net::Socket::Open(net::AddressFamily::kIPv4, net::SocketType::kStream);
  if (!listener.ok()) {
    return Encode(label + "-setup", listener.status(), {}, ip);
  }
  absl::Status s = listener->Bind(net::SocketAddress(*host, 0));
  if (s.ok()) s = listener->Listen();
  if (!s.ok()) return Encode(label + "-setup", s, {}, ip);
  absl::StatusOr<net::SocketAddress> target = listener->LocalAddress();
  if (!target.ok()) return Encode(label + "-setup", target.status(), {}, ip);
  absl::StatusOr<net::Socket> client =
      net::Socket::Open(net::AddressFamily::kIPv4, net::SocketType::kStream);
  if (!client.ok()) return Encode(label + "-setup", client.status(), {}, ip);
  absl::Time start = absl::Now();
  absl::Status connected = with_timeout ? client->Connect(*target, timeout)
                                        : client->Connect(*target);
  absl::Duration elapsed = absl::Now() - start;
  *listener_out = std::move(*listener);
  return Encode(label, connected, elapsed, target->ToString());
}

// The body of every case: a control connect (no rule: must succeed), then
// the connects to `ip`, which has the rule.
std::string ProbeBody(const std::string& ip, bool blocking_too,
                      absl::Duration deadline) {
  net::Socket keep_control, keep_blocking, keep_timed;
  std::string out = ConnectTo("control", "127.0.0.1", /*with_timeout=*/true,
                              absl::Seconds(2), &keep_control);
  if (blocking_too) {
    out +=
        ConnectTo("blocking", ip, /*with_timeout=*/false, {}, &keep_blocking);
  }
  out += ConnectTo("timed", ip, /*with_timeout=*/true, deadline, &keep_timed);
  return out;
}

std::vector<std::string> OutputRule(const std::string& ip,
                                    const std::vector<std::string>& target) {
  std::vector<std::string> rule = {"-A",       "OUTPUT", "-d",
                                   ip + "/32", "-p",     "tcp"};
  rule.insert(rule.end(), target.begin(), target.end());
  return rule;
}

// Runs ProbeBody for `ip` behind `target` in a fresh namespace. Returns
// false (after NET_SKIP's message) when the namespace cannot be made here.
bool RunProbe(const std::string& ip, const std::vector<std::string>& target,
              bool blocking_too, absl::Duration deadline,
              std::vector<Observed>* seen, std::string* skip_reason) {
  net_test::NetnsSetup setup;
  setup.iptables = {OutputRule(ip, target)};
  absl::StatusOr<net_test::NetnsRun> run = net_test::RunInNetworkNamespace(
      setup, [&] { return ProbeBody(ip, blocking_too, deadline); },
      kChildTimeout);
  if (absl::IsUnavailable(run.status())) {
    *skip_reason = std::string(run.status().message());
    return false;
  }
  NET_REQUIRE_OK(run);
  MESSAGE("namespace rules installed with: ", run->iptables);
  INFO("child output:\n", run->output);
  *seen = Decode(run->output);
  const Observed* control = Find(*seen, "control");
  REQUIRE(control != nullptr);
  INFO("control: ", control->message);
  // Without this, lo is not up and nothing below means anything.
  REQUIRE(control->error == net::SocketError::kNone);
  return true;
}

// The checks every provoked error shares.
void CheckProvoked(const Observed* o, net::SocketError expected) {
  REQUIRE(o != nullptr);
  INFO(o->label, ": ", o->message);
  CHECK(o->error == expected);
  CHECK(o->code == net::SocketErrorToStatusCode(expected));
  CHECK(absl::StrContains(o->message, "connect"));
  CHECK(absl::StrContains(o->message, o->address));
  CHECK(absl::StrContains(o->message, net::SocketErrorName(expected)));
}

// A REJECT rule answering with `icmp` in front of `ip`: the blocking and
// the timed connect both report `expected`.
void CheckRejectedWith(const std::string& ip, const std::string& icmp,
                       net::SocketError expected) {
  std::vector<Observed> seen;
  std::string skip;
  if (!RunProbe(ip, {"-j", "REJECT", "--reject-with", icmp},
                /*blocking_too=*/true, kRejectDeadline, &seen, &skip)) {
    NET_SKIP(skip);
  }
  CheckProvoked(Find(seen, "blocking"), expected);
  CheckProvoked(Find(seen, "timed"), expected);
}

}  // namespace

TEST_CASE(
    "connect through an icmp-host-unreachable rule reports host "
    "unreachable, blocking and with a timeout") {
  CheckRejectedWith("127.0.0.2", "icmp-host-unreachable",
                    net::SocketError::kHostUnreachable);
}

TEST_CASE(
    "connect through an icmp-net-unreachable rule reports network "
    "unreachable, blocking and with a timeout") {
  CheckRejectedWith("127.0.0.3", "icmp-net-unreachable",
                    net::SocketError::kNetworkUnreachable);
}

TEST_CASE(
    "connect with a deadline through a DROP rule reports timed out "
    "when the deadline passes") {
  std::vector<Observed> seen;
  std::string skip;
  if (!RunProbe("127.0.0.4", {"-j", "DROP"}, /*blocking_too=*/false,
                kDropDeadline, &seen, &skip)) {
    NET_SKIP(skip);
  }
  const Observed* timed = Find(seen, "timed");
  CheckProvoked(timed, net::SocketError::kTimedOut);
  REQUIRE(timed != nullptr);
  CHECK(timed->code == absl::StatusCode::kDeadlineExceeded);
  // Bounded by the deadline: not early, not much later.
  CHECK(timed->elapsed_ms >= absl::ToInt64Milliseconds(kDropDeadline) - 10);
  CHECK(timed->elapsed_ms < 2000);
}
