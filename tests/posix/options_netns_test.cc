// Copyright 2026 The net Authors.
//
// -----------------------------------------------------------------------------
// File: tests/posix/options_netns_test.cc
// -----------------------------------------------------------------------------
//
// The multicast scenarios of tests/contract/multicast_scenario.h on an
// interface that can carry IPv6 multicast. Linux cannot send IPv6 multicast
// over `lo` (a route via the loopback device is turned into a reject route),
// so the contract suite skips IPv6 there; here a forked child
// (`RunInNetworkNamespace()`, netns_util.h) makes a private network
// namespace with a veth pair, gives one end two IPv6 and two IPv4 addresses,
// and runs every scenario, IPv4 and IPv6, on it. The senders use TTL / hop
// limit 0 with multicast loopback, so nothing is even transmitted on the
// veth; the namespace vanishes with the child. Without root, `ip` or veth
// support the test is skipped with the reason.

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"
#include "net/net.h"
#include "tests/contract/multicast_scenario.h"
#include "tests/posix/netns_util.h"
#include "tests/test_util.h"

namespace {

using net::AddressFamily;
using net_test::MulticastApi;
using net_test::MulticastSetup;

constexpr char kInterface[] = "net-mc0";

// Runs in the child, inside the fresh namespace: "ok", "skip: <why>", or
// the failed scenarios, one per line.
std::string VethScenarios() {
  const std::vector<std::vector<std::string>> commands = {
      {"ip", "link", "add", kInterface, "type", "veth", "peer", "name",
       "net-mc1"},
      {"ip", "addr", "add", "fd99::1/64", "dev", kInterface, "nodad"},
      {"ip", "addr", "add", "fd99::2/64", "dev", kInterface, "nodad"},
      {"ip", "addr", "add", "10.99.0.1/24", "dev", kInterface},
      {"ip", "addr", "add", "10.99.0.2/24", "dev", kInterface},
      {"ip", "link", "set", "net-mc1", "up"},
      {"ip", "link", "set", kInterface, "up"},
  };
  for (const std::vector<std::string>& argv : commands) {
    std::string output;
    if (net_test::RunCommand(argv, &output) != 0) {
      return absl::StrCat("skip: `", absl::StrJoin(argv, " "),
                          "` failed: ", absl::StripAsciiWhitespace(output));
    }
  }
  absl::StatusOr<std::uint32_t> index = net::InterfaceIndex(kInterface);
  if (!index.ok())
    return absl::StrCat("interface index: ", index.status().ToString());

  auto ip = [](const char* text) { return *net::IpAddress::Parse(text); };
  MulticastSetup v4;
  v4.family = AddressFamily::kIPv4;
  v4.group = ip("239.255.42.7");
  v4.interface_index = *index;
  v4.interface_address = ip("10.99.0.1");
  v4.sources = {ip("10.99.0.1"), ip("10.99.0.2")};
  MulticastSetup v6;
  v6.family = AddressFamily::kIPv6;
  v6.group = ip("ff15::4207");
  v6.interface_index = *index;
  v6.sources = {ip("fd99::1"), ip("fd99::2")};

  struct Run {
    const char* name;
    const MulticastSetup* setup;
    MulticastApi api;
    bool source_specific;
  };
  const Run runs[] = {
      {"ipv4 any-source IP_*", &v4, MulticastApi::kLegacy, false},
      {"ipv4 any-source MCAST_*", &v4, MulticastApi::kMcast, false},
      {"ipv4 source-specific IP_*", &v4, MulticastApi::kLegacy, true},
      {"ipv4 source-specific MCAST_*", &v4, MulticastApi::kMcast, true},
      {"ipv6 any-source IPV6_JOIN_GROUP", &v6, MulticastApi::kLegacy, false},
      {"ipv6 any-source MCAST_*", &v6, MulticastApi::kMcast, false},
      {"ipv6 source-specific MCAST_*", &v6, MulticastApi::kMcast, true},
  };
  std::vector<std::string> failures;
  for (const Run& run : runs) {
    const net_test::ScenarioResult r =
        run.source_specific
            ? net_test::RunSourceSpecificScenario(*run.setup, run.api)
            : net_test::RunAnySourceScenario(*run.setup, run.api);
    if (r.ToString() != "ok") {
      failures.push_back(absl::StrCat(run.name, ": ", r.ToString()));
    }
  }
  return failures.empty() ? "ok" : absl::StrJoin(failures, "\n");
}

TEST_CASE(
    "multicast join, block, unblock, leave and source-specific joins "
    "work for IPv4 and IPv6 on a veth pair in a private namespace") {
  absl::StatusOr<net_test::NetnsRun> run = net_test::RunInNetworkNamespace(
      net_test::NetnsSetup{}, VethScenarios, absl::Seconds(40));
  if (absl::IsUnavailable(run.status())) {
    NET_SKIP(std::string(run.status().message()));
  }
  NET_REQUIRE_OK(run);
  if (run->output.rfind("skip: ", 0) == 0) NET_SKIP(run->output.substr(6));
  CHECK_MESSAGE(run->output == "ok", run->output);
}

}  // namespace
