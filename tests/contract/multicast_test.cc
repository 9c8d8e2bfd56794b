// Copyright 2026 The net Authors.
//
// Multicast delivery on the loopback interface, IPv4 and IPv6, through both
// option families (the IPv4 IP_* requests or IPV6_JOIN_GROUP, and RFC 3678's
// MCAST_*): join and receive, block a source and stop receiving from it,
// unblock, leave and receive nothing; source-specific joins. The scenarios
// are in multicast_scenario.cc. Where the loopback interface cannot carry
// IPv6 multicast (Linux), the test says so and
// tests/posix/options_netns_test.cc runs the same scenarios on a veth pair
// in a private namespace. Portable: no OS header, no OS #if.

#include <string>

#include "net/net.h"
#include "tests/contract/multicast_scenario.h"
#include "tests/test_util.h"

namespace {

using net::AddressFamily;
using net_test::MulticastApi;
using net_test::MulticastSetup;
using net_test::ScenarioResult;

// Runs a scenario on the loopback interface; skips (with the reason) when
// the machine cannot carry it, fails with the failed step otherwise.
template <typename Scenario>
void OnLoopback(AddressFamily family, MulticastApi api, Scenario scenario) {
  MulticastSetup setup;
  std::string why;
  if (!net_test::LoopbackMulticastSetup(family, &setup, &why)) {
    NET_SKIP(why.substr(why.rfind("skip: ", 0) == 0 ? 6 : 0));
  }
  MESSAGE("group ", setup.group.ToString(), " on interface ",
          setup.interface_index, ", ", setup.sources.size(), " source(s)");
  const ScenarioResult result = scenario(setup, api);
  for (const std::string& note : result.notes) MESSAGE("note: ", note);
  if (result.outcome == ScenarioResult::Outcome::kSkipped) {
    NET_SKIP(result.detail);
  }
  CHECK_MESSAGE(result.passed(), result.ToString());
}

TEST_CASE(
    "IPv4 any-source multicast on loopback with IP_ADD_MEMBERSHIP and "
    "IP_BLOCK_SOURCE") {
  OnLoopback(AddressFamily::kIPv4, MulticastApi::kLegacy,
             net_test::RunAnySourceScenario);
}

TEST_CASE(
    "IPv4 any-source multicast on loopback with MCAST_JOIN_GROUP and "
    "MCAST_BLOCK_SOURCE") {
  OnLoopback(AddressFamily::kIPv4, MulticastApi::kMcast,
             net_test::RunAnySourceScenario);
}

TEST_CASE(
    "IPv4 source-specific multicast on loopback with "
    "IP_ADD_SOURCE_MEMBERSHIP") {
  OnLoopback(AddressFamily::kIPv4, MulticastApi::kLegacy,
             net_test::RunSourceSpecificScenario);
}

TEST_CASE(
    "IPv4 source-specific multicast on loopback with "
    "MCAST_JOIN_SOURCE_GROUP") {
  OnLoopback(AddressFamily::kIPv4, MulticastApi::kMcast,
             net_test::RunSourceSpecificScenario);
}

TEST_CASE(
    "IPv6 any-source multicast on loopback with IPV6_JOIN_GROUP and "
    "MCAST_BLOCK_SOURCE") {
  OnLoopback(AddressFamily::kIPv6, MulticastApi::kLegacy,
             net_test::RunAnySourceScenario);
}

TEST_CASE("IPv6 any-source multicast on loopback with MCAST_JOIN_GROUP") {
  OnLoopback(AddressFamily::kIPv6, MulticastApi::kMcast,
             net_test::RunAnySourceScenario);
}

TEST_CASE(
    "IPv6 source-specific multicast on loopback with "
    "MCAST_JOIN_SOURCE_GROUP") {
  OnLoopback(AddressFamily::kIPv6, MulticastApi::kMcast,
             net_test::RunSourceSpecificScenario);
}

}  // namespace
