// Copyright 2026 The net Authors.
//
// -----------------------------------------------------------------------------
// File: tests/contract/resolver_test.cc
// -----------------------------------------------------------------------------
//
// The contract of `net::Resolve()`, `net::ListInterfaces()`,
// `net::InterfaceIndex()` and `net::InterfaceName()` on every backend. No
// network is needed: names come from the hosts file, and a lookup that might
// reach DNS is bounded in time and skipped when the resolver cannot answer.
// Portable as written: no OS header, no OS #if, the loopback interface is
// found by its flag, never by its name.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "net/net.h"
#include "tests/test_util.h"

namespace {

using Results = absl::StatusOr<std::vector<net::ResolvedAddress>>;

// Hints that work on a machine whose only configured addresses are on
// loopback (AI_ADDRCONFIG would hide them there).
net::ResolveHints AnyConfig() {
  net::ResolveHints hints;
  hints.address_config = false;
  return hints;
}

// ResolveWithin()
//
// Resolves on a helper thread and waits at most `timeout`: a resolver that
// tries an unreachable DNS server must not hang the test. The thread is
// detached if it does not finish; it owns its inputs and its result.
std::optional<Results> ResolveWithin(std::string host, std::string service,
                                     net::ResolveHints hints,
                                     absl::Duration timeout) {
  struct State {
    absl::Notification done;
    absl::Mutex mu;
    std::optional<Results> result;
  };
  auto state = std::make_shared<State>();
  std::thread([state, host = std::move(host), service = std::move(service),
               hints] {
    Results r = net::Resolve(host, service, hints);
    {
      absl::MutexLock lock(&state->mu);
      state->result = std::move(r);
    }
    state->done.Notify();
  }).detach();
  if (!state->done.WaitForNotificationWithTimeout(timeout)) {
    return std::nullopt;
  }
  absl::MutexLock lock(&state->mu);
  return std::move(state->result);
}

// Resolve() where it must find something (REQUIREs a non-empty answer).
std::vector<net::ResolvedAddress> ResolveSome(const std::string& host,
                                              const std::string& service,
                                              const net::ResolveHints& hints) {
  Results r = net::Resolve(host, service, hints);
  NET_REQUIRE_OK(r);
  REQUIRE_FALSE(r->empty());
  return *std::move(r);
}

// An OS error carries its native code; an argument rejected by core/ has none.
bool ReachedTheOs(const absl::Status& status) {
  return net::GetNativeError(status).has_value();
}

void CheckRejectedBeforeTheOs(const absl::Status& status,
                              absl::string_view parameter) {
  INFO("status: ", status.ToString());
  CHECK(status.code() == absl::StatusCode::kInvalidArgument);
  CHECK(absl::StrContains(status.message(), parameter));
  CHECK_FALSE(ReachedTheOs(status));
}

// A lookup the OS's resolver refused: not found as `error` (kNone: only that
// the OS answered), with the native code attached.
void CheckRefusedByTheOs(const Results& r,
                         net::SocketError error = net::SocketError::kNone) {
  REQUIRE_FALSE(r.ok());
  INFO("status: ", r.status().ToString());
  if (error != net::SocketError::kNone) {
    CHECK(r.status().code() == absl::StatusCode::kNotFound);
    CHECK(net::GetSocketError(r.status()) == error);
  }
  CHECK(ReachedTheOs(r.status()));
}

// This machine's interfaces (REQUIREs success).
std::vector<net::NetworkInterface> Interfaces() {
  absl::StatusOr<std::vector<net::NetworkInterface>> list =
      net::ListInterfaces();
  NET_REQUIRE_OK(list);
  return *std::move(list);
}

const net::NetworkInterface* FindLoopback(
    const std::vector<net::NetworkInterface>& interfaces) {
  for (const net::NetworkInterface& i : interfaces) {
    for (const net::InterfaceAddress& a : i.addresses) {
      if (i.flags.loopback && a.address == net::IpAddress::V4(127, 0, 0, 1)) {
        return &i;
      }
    }
  }
  return nullptr;
}

// --- Resolve: names and numbers ---------------------------------------------

TEST_CASE("localhost resolves to loopback addresses only") {
  for (const net::ResolvedAddress& a :
       ResolveSome("localhost", "80", AnyConfig())) {
    INFO("address: ", a.address.ToString());
    CHECK(a.address.is_ip());
    CHECK(a.address.ip().IsLoopback());
    CHECK(a.address.port() == 80);
    CHECK(a.type == net::SocketType::kStream);
  }
}

TEST_CASE("a family hint limits the results to that family") {
  net::ResolveHints hints = AnyConfig();
  hints.family = net::AddressFamily::kIPv4;
  for (const net::ResolvedAddress& a : ResolveSome("localhost", "", hints)) {
    CHECK(a.address.family() == net::AddressFamily::kIPv4);
    CHECK(a.address.port() == 0);  // empty service is port 0
  }
}

TEST_CASE("datagram hints give datagram results") {
  net::ResolveHints hints = AnyConfig();
  hints.type = net::SocketType::kDatagram;
  hints.numeric_host = true;
  Results r = net::Resolve("127.0.0.1", "53", hints);
  NET_REQUIRE_OK(r);
  REQUIRE(r->size() == 1);
  CHECK(r->front().type == net::SocketType::kDatagram);
}

TEST_CASE("numeric hosts resolve to exactly themselves") {
  net::ResolveHints hints = AnyConfig();
  hints.numeric_host = true;
  hints.numeric_service = true;
  Results v4 = net::Resolve("127.0.0.1", "8080", hints);
  NET_REQUIRE_OK(v4);
  REQUIRE(v4->size() == 1);
  CHECK(v4->front().address.ToString() == "127.0.0.1:8080");

  Results v6 = net::Resolve("::1", "443", hints);
  NET_REQUIRE_OK(v6);
  REQUIRE(v6->size() == 1);
  CHECK(v6->front().address.ToString() == "[::1]:443");
}

TEST_CASE("numeric_host refuses a name instead of looking it up") {
  net::ResolveHints hints = AnyConfig();
  hints.numeric_host = true;
  CheckRefusedByTheOs(net::Resolve("localhost", "80", hints),
                      net::SocketError::kHostNotFound);
}

TEST_CASE("passive resolution of an empty host gives the wildcard address") {
  net::ResolveHints hints = AnyConfig();
  hints.passive = true;
  for (const net::ResolvedAddress& a : ResolveSome("", "8080", hints)) {
    INFO("address: ", a.address.ToString());
    CHECK(a.address.ip().IsUnspecified());
    CHECK(a.address.port() == 8080);
  }
}

TEST_CASE("an active resolution of an empty host gives loopback") {
  for (const net::ResolvedAddress& a : ResolveSome("", "8080", AnyConfig())) {
    INFO("address: ", a.address.ToString());
    CHECK(a.address.ip().IsLoopback());
  }
}

TEST_CASE("a service name resolves to its well-known port") {
  net::ResolveHints hints = AnyConfig();
  hints.numeric_host = true;
  Results r = net::Resolve("127.0.0.1", "http", hints);
  if (!r.ok() &&
      net::GetSocketError(r.status()) == net::SocketError::kServiceNotFound) {
    NET_SKIP("no \"http\" entry in this machine's services database");
  }
  NET_REQUIRE_OK(r);
  REQUIRE_FALSE(r->empty());
  CHECK(r->front().address.port() == 80);
}

TEST_CASE("numeric_service refuses a service name") {
  net::ResolveHints hints = AnyConfig();
  hints.numeric_host = true;
  hints.numeric_service = true;
  CheckRefusedByTheOs(net::Resolve("127.0.0.1", "http", hints));
}

TEST_CASE("canonical_name fills the first result only") {
  net::ResolveHints hints = AnyConfig();
  hints.canonical_name = true;
  const std::vector<net::ResolvedAddress> r =
      ResolveSome("localhost", "", hints);
  CHECK_FALSE(r.front().canonical_name.empty());
  for (std::size_t i = 1; i < r.size(); ++i) {
    CHECK(r[i].canonical_name.empty());
  }
}

// --- Resolve: failures from the resolver ------------------------------------

TEST_CASE("a name under .invalid is not found") {
  // RFC 6761: `.invalid` never exists. Most resolvers answer from the hosts
  // file and fail fast; one that asks an unreachable DNS server is bounded.
  std::optional<Results> r = ResolveWithin(
      "no-such-host.net-test.invalid", "80", AnyConfig(), absl::Seconds(10));
  if (!r.has_value()) {
    NET_SKIP("the resolver did not answer within 10 s (DNS unreachable)");
  }
  REQUIRE_FALSE(r->ok());
  const absl::Status& s = r->status();
  INFO("status: ", s.ToString());
  const net::SocketError e = net::GetSocketError(s);
  if (e == net::SocketError::kTryAgain) {
    NET_SKIP(absl::StrCat("no DNS server answered here: ", s.message()));
  }
  CHECK(
      (e == net::SocketError::kHostNotFound || e == net::SocketError::kNoData));
  CHECK(s.code() == absl::StatusCode::kNotFound);
  CHECK(absl::StrContains(s.message(), "no-such-host.net-test.invalid:80"));
}

TEST_CASE("an unknown service is reported as service not found") {
  net::ResolveHints hints = AnyConfig();
  hints.numeric_host = true;
  CheckRefusedByTheOs(
      net::Resolve("127.0.0.1", "no-such-service-net-test", hints),
      net::SocketError::kServiceNotFound);
}

// --- Resolve: bad input never reaches the OS --------------------------------

TEST_CASE("a host or service with a NUL byte is rejected before the OS") {
  using namespace std::string_literals;
  CheckRejectedBeforeTheOs(
      net::Resolve("local\0host"s, "80", AnyConfig()).status(), "host");
  CheckRejectedBeforeTheOs(
      net::Resolve("localhost", "8\0"s, AnyConfig()).status(), "service");
}

TEST_CASE("a host or service over 1024 bytes is rejected before the OS") {
  const std::string huge(2048, 'a');
  CheckRejectedBeforeTheOs(net::Resolve(huge, "80", AnyConfig()).status(),
                           "host");
  CheckRejectedBeforeTheOs(
      net::Resolve("localhost", huge, AnyConfig()).status(), "service");
  CheckRejectedBeforeTheOs(
      net::Resolve(std::string(1025, 'a'), "80", AnyConfig()).status(), "host");
}

TEST_CASE("a host of exactly 1024 bytes is passed to the OS") {
  net::ResolveHints hints = AnyConfig();
  hints.numeric_host = true;  // never DNS
  CheckRefusedByTheOs(net::Resolve(std::string(1024, 'a'), "80", hints));
}

TEST_CASE("an empty host and service together are rejected before the OS") {
  absl::Status s = net::Resolve("", "", AnyConfig()).status();
  CheckRejectedBeforeTheOs(s, "host and service");
  net::ResolveHints passive = AnyConfig();
  passive.passive = true;
  CheckRejectedBeforeTheOs(net::Resolve("", "", passive).status(),
                           "host and service");
}

TEST_CASE("hints that cannot be resolved are rejected before the OS") {
  net::ResolveHints unix_hints = AnyConfig();
  unix_hints.family = net::AddressFamily::kUnix;
  CheckRejectedBeforeTheOs(net::Resolve("localhost", "80", unix_hints).status(),
                           "hints.family");
  net::ResolveHints negative = AnyConfig();
  negative.protocol = -1;
  CheckRejectedBeforeTheOs(net::Resolve("localhost", "80", negative).status(),
                           "hints.protocol");
}

// --- Interfaces -------------------------------------------------------------

TEST_CASE("ListInterfaces finds a loopback interface with 127.0.0.1/8") {
  const std::vector<net::NetworkInterface> list = Interfaces();
  const net::NetworkInterface* lo = FindLoopback(list);
  REQUIRE(lo != nullptr);
  CHECK(lo->flags.up);
  CHECK_FALSE(lo->name.empty());
  CHECK(lo->index != 0);
  for (const net::InterfaceAddress& a : lo->addresses) {
    if (a.address != net::IpAddress::V4(127, 0, 0, 1)) continue;
    CHECK(a.prefix_length == 8);
    CHECK(a.netmask == net::IpAddress::V4(255, 0, 0, 0));
  }
}

TEST_CASE("ListInterfaces orders interfaces by index, each listed once") {
  const std::vector<net::NetworkInterface> list = Interfaces();
  REQUIRE_FALSE(list.empty());
  for (std::size_t i = 1; i < list.size(); ++i) {
    INFO("interfaces ", list[i - 1].name, " and ", list[i].name);
    CHECK(list[i - 1].index <= list[i].index);
    if (list[i].index != 0) {
      CHECK(list[i - 1].index != list[i].index);
    }
  }
}

TEST_CASE("interface prefix lengths match their netmasks") {
  const std::vector<net::NetworkInterface> list = Interfaces();
  for (const net::NetworkInterface& i : list) {
    for (const net::InterfaceAddress& a : i.addresses) {
      INFO(i.name, " ", a.address.ToString(), " / ", a.netmask.ToString());
      CHECK(a.netmask.family() == a.address.family());
      const int bits = a.address.is_v4() ? 32 : 128;
      CHECK(a.prefix_length >= 0);
      CHECK(a.prefix_length <= bits);
      int ones = 0;
      for (std::uint8_t byte : a.netmask.bytes()) {
        for (int b = 7; b >= 0; --b) ones += (byte >> b) & 1;
      }
      CHECK(ones == a.prefix_length);
    }
  }
}

TEST_CASE("IPv6 link-local interface addresses carry their scope id") {
  const std::vector<net::NetworkInterface> list = Interfaces();
  int seen = 0;
  for (const net::NetworkInterface& i : list) {
    for (const net::InterfaceAddress& a : i.addresses) {
      if (!a.address.is_v6()) continue;
      INFO(i.name, " ", a.address.ToString());
      if (a.address.IsLinkLocal()) {
        ++seen;
        CHECK(a.address.scope_id() == i.index);
      } else {
        CHECK(a.address.scope_id() == 0);
      }
    }
  }
  if (seen == 0) NET_SKIP("no IPv6 link-local address on any interface here");
}

TEST_CASE("InterfaceIndex and InterfaceName round trip on loopback") {
  const std::vector<net::NetworkInterface> list = Interfaces();
  const net::NetworkInterface* lo = FindLoopback(list);
  REQUIRE(lo != nullptr);
  absl::StatusOr<std::uint32_t> index = net::InterfaceIndex(lo->name);
  NET_REQUIRE_OK(index);
  CHECK(*index == lo->index);
  absl::StatusOr<std::string> name = net::InterfaceName(lo->index);
  NET_REQUIRE_OK(name);
  CHECK(*name == lo->name);
}

TEST_CASE("an unknown interface index or name is not found") {
  const std::vector<net::NetworkInterface> list = Interfaces();
  std::uint32_t unused = 1;
  for (const net::NetworkInterface& i : list) {
    if (i.index >= unused) unused = i.index + 1;
  }
  unused += 1000;
  absl::StatusOr<std::string> name = net::InterfaceName(unused);
  INFO("status: ", name.status().ToString());
  CHECK(name.status().code() == absl::StatusCode::kNotFound);
  CHECK(net::InterfaceName(0).status().code() == absl::StatusCode::kNotFound);

  absl::StatusOr<std::uint32_t> index = net::InterfaceIndex("no-such-if-net");
  INFO("status: ", index.status().ToString());
  CHECK(index.status().code() == absl::StatusCode::kNotFound);
}

TEST_CASE("an empty or over-long interface name is rejected before the OS") {
  CheckRejectedBeforeTheOs(net::InterfaceIndex("").status(), "name");
  CheckRejectedBeforeTheOs(
      net::InterfaceIndex(std::string(net::kMaxZoneLength + 1, 'x')).status(),
      "name");
  using namespace std::string_literals;
  CheckRejectedBeforeTheOs(net::InterfaceIndex("lo\0"s).status(), "name");
}

}  // namespace
