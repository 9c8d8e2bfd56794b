// Copyright 2026 The net Authors.
//
// -----------------------------------------------------------------------------
// File: tests/contract/multicast_scenario.h
// -----------------------------------------------------------------------------
//
// The multicast delivery scenarios of the options tests, written against the
// public API only and free of doctest, so that they run both in the contract
// suite (on the loopback interface) and in a forked child inside a private
// network namespace (tests/posix/options_netns_test.cc), where a test cannot
// use doctest's assertions.
//
// Every wait is bounded; datagrams carry a unique token so that stray
// traffic cannot be mistaken for ours; the senders use TTL / hop limit 0 and
// multicast loopback, so nothing leaves the host (or the namespace).

#ifndef NET_TESTS_CONTRACT_MULTICAST_SCENARIO_H_
#define NET_TESTS_CONTRACT_MULTICAST_SCENARIO_H_

#include <cstdint>
#include <string>
#include <vector>

#include "net/net.h"

namespace net_test {

// Which option family a scenario drives.
enum class MulticastApi {
  kLegacy,  // IP_ADD_MEMBERSHIP / IP_BLOCK_SOURCE ... (IPv4),
            // IPV6_JOIN_GROUP + MCAST_*_SOURCE (IPv6, which has no other)
  kMcast,   // MCAST_JOIN_GROUP / MCAST_BLOCK_SOURCE ... (RFC 3678)
};

// Where a scenario runs.
struct MulticastSetup {
  net::AddressFamily family = net::AddressFamily::kIPv4;
  net::IpAddress group;               // 239.255.x.y / ff15::x:y, random per run
  std::uint32_t interface_index = 0;  // the interface to join on
  net::IpAddress interface_address;   // its IPv4 address (IPv4 only)
  // One or two unicast addresses of that interface to send from; with two,
  // the scenarios also check that blocking one source leaves the other.
  std::vector<net::IpAddress> sources;
};

// ScenarioResult
//
// Passed; skipped when this machine cannot carry the traffic or lacks the
// options at all (Linux does not route IPv6 multicast over `lo`; wine has
// no MCAST_*), with the reason; or failed, with the step and what happened.
// `notes` list the checks left out and why (a second source the OS does not
// send from, a block option this OS lacks).
struct ScenarioResult {
  enum class Outcome { kPassed, kSkipped, kFailed };
  Outcome outcome = Outcome::kPassed;
  std::string detail;
  std::vector<std::string> notes;

  bool passed() const { return outcome == Outcome::kPassed; }
  // "ok", "ok; note: ...", "skip: ..." or "failed: ...".
  std::string ToString() const;
};

// RunAnySourceScenario()
//
// Join the group; receive from each source; block the first source and stop
// receiving from it (the second still arrives); unblock it and receive
// again; leave; receive nothing.
ScenarioResult RunAnySourceScenario(const MulticastSetup& setup,
                                    MulticastApi api);

// RunSourceSpecificScenario()
//
// Join (group, first source): receive from it and not from the second
// source; leave the source group: receive nothing.
ScenarioResult RunSourceSpecificScenario(const MulticastSetup& setup,
                                         MulticastApi api);

// LoopbackMulticastSetup()
//
// The setup for the loopback interface of this machine: its index from
// `net::ListInterfaces()`, 127.0.0.1 (and 127.0.0.2 where it can be bound)
// or ::1. "skip: ..." in `*why` when there is no loopback interface or no
// IPv6.
bool LoopbackMulticastSetup(net::AddressFamily family, MulticastSetup* setup,
                            std::string* why);

}  // namespace net_test

#endif  // NET_TESTS_CONTRACT_MULTICAST_SCENARIO_H_
