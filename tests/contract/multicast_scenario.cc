// Copyright 2026 The net Authors.
//
// The multicast scenarios of multicast_scenario.h: portable, doctest-free,
// bounded in time.

#include "tests/contract/multicast_scenario.h"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "net/net.h"

namespace net_test {
namespace {

// How long a datagram that must come may take, and how long a silence must
// last to count as "not delivered". Loopback delivery is synchronous on
// every OS we know; these are generous bounds, not expectations.
constexpr absl::Duration kArrive = absl::Seconds(2);
constexpr absl::Duration kQuiet = absl::Milliseconds(300);

absl::Status StatusOf(const absl::Status& s) { return s; }
template <typename T>
absl::Status StatusOf(const absl::StatusOr<T>& s) {
  return s.status();
}

ScenarioResult Failed(std::string detail) {
  ScenarioResult r;
  r.outcome = ScenarioResult::Outcome::kFailed;
  r.detail = std::move(detail);
  return r;
}

ScenarioResult Skipped(std::string detail) {
  ScenarioResult r;
  r.outcome = ScenarioResult::Outcome::kSkipped;
  r.detail = std::move(detail);
  return r;
}

// Ends the scenario with the failed step when `expr` is not OK.
#define SCENARIO_OK(expr, step)                                             \
  do {                                                                      \
    const absl::Status scenario_status_ = StatusOf(expr);                   \
    if (!scenario_status_.ok()) {                                           \
      return Failed(absl::StrCat(step, ": ", scenario_status_.ToString())); \
    }                                                                       \
  } while (false)

std::string Token(absl::string_view tag) {
  static std::atomic<unsigned> counter{0};
  static const unsigned salt = std::random_device{}();
  return absl::StrCat("net-mc-", salt % 1000000, "-", counter.fetch_add(1), "-",
                      tag);
}

// The receiving end: bound to the wildcard address (group-addressed
// datagrams are delivered to it on every OS) and a port of its own.
struct Receiver {
  net::Socket socket;
  std::uint16_t port = 0;
  std::vector<std::string> seen;     // every datagram read, in order
  std::vector<net::IpAddress> from;  // and who sent it

  // Reads until a datagram equal to `want` arrived (true) or `timeout`
  // passed (false). Every datagram read is kept in `seen`.
  absl::StatusOr<bool> Await(const std::string& want, absl::Duration timeout) {
    const absl::Time deadline = absl::Now() + timeout;
    for (;;) {
      const absl::Duration left = deadline - absl::Now();
      if (left <= absl::ZeroDuration()) return false;
      absl::StatusOr<bool> ready = socket.WaitReadable(left);
      if (!ready.ok()) return ready.status();
      if (!*ready) return false;
      char buffer[256];
      absl::StatusOr<net::ReceiveFromResult> r =
          socket.ReceiveFrom(absl::MakeSpan(buffer, sizeof(buffer)));
      if (!r.ok()) return r.status();
      if (r->io.would_block()) continue;
      seen.emplace_back(buffer, r->io.bytes());
      from.push_back(r->from.ip());
      if (seen.back() == want) return true;
    }
  }

  bool Saw(const std::string& token) const {
    return std::find(seen.begin(), seen.end(), token) != seen.end();
  }
  // The source of `token` (it must have been seen).
  net::IpAddress SourceOf(const std::string& token) const {
    const auto it = std::find(seen.begin(), seen.end(), token);
    return from[static_cast<std::size_t>(it - seen.begin())];
  }
};

absl::StatusOr<Receiver> MakeReceiver(const MulticastSetup& setup) {
  Receiver r;
  absl::StatusOr<net::Socket> s =
      net::Socket::Open(setup.family, net::SocketType::kDatagram);
  if (!s.ok()) return s.status();
  r.socket = std::move(*s);
  absl::Status st = r.socket.SetOption(net::ReuseAddress(true));
  if (st.ok()) {
    st =
        r.socket.Bind(net::SocketAddress(net::IpAddress::Any(setup.family), 0));
  }
  if (st.ok()) st = r.socket.SetNonBlocking(true);
  if (!st.ok()) return st;
  absl::StatusOr<net::SocketAddress> local = r.socket.LocalAddress();
  if (!local.ok()) return local.status();
  r.port = local->port();
  return r;
}

// A sender bound to `source`, sending multicast out of the setup's
// interface with TTL / hop limit 0 (never leaves the host) and loopback on.
absl::StatusOr<net::Socket> MakeSender(const MulticastSetup& setup,
                                       const net::IpAddress& source) {
  absl::StatusOr<net::Socket> s =
      net::Socket::Open(setup.family, net::SocketType::kDatagram);
  if (!s.ok()) return s.status();
  absl::Status st = s->Bind(net::SocketAddress(source, 0));
  if (setup.family == net::AddressFamily::kIPv4) {
    if (st.ok()) {
      st = s->SetOption(net::IpMulticastInterface(setup.interface_address));
    }
    if (st.ok()) st = s->SetOption(net::IpMulticastTtl(0));
    if (st.ok()) st = s->SetOption(net::IpMulticastLoop(true));
  } else {
    if (st.ok()) {
      st = s->SetOption(net::Ipv6MulticastInterface(setup.interface_index));
    }
    if (st.ok()) st = s->SetOption(net::Ipv6MulticastHops(0));
    if (st.ok()) st = s->SetOption(net::Ipv6MulticastLoop(true));
  }
  if (!st.ok()) return st;
  return std::move(*s);
}

absl::Status Send(net::Socket& sender, const MulticastSetup& setup,
                  std::uint16_t port, const std::string& token) {
  absl::StatusOr<net::IoResult> r =
      sender.SendTo(absl::MakeConstSpan(token.data(), token.size()),
                    net::SocketAddress(setup.group, port));
  if (!r.ok()) return r.status();
  if (r->bytes() != token.size()) {
    return absl::InternalError(absl::StrCat("short send: ", r->bytes()));
  }
  return absl::OkStatus();
}

bool LegacyV4(const MulticastSetup& setup, MulticastApi api) {
  return api == MulticastApi::kLegacy &&
         setup.family == net::AddressFamily::kIPv4;
}

// Names the setup's interface in a group request (`MulticastGroup` or
// `SourceGroup`): by address for the legacy IPv4 options, else by index.
template <typename Request>
Request OnInterface(const MulticastSetup& setup, MulticastApi api,
                    Request request) {
  if (LegacyV4(setup, api)) {
    request.interface_address = setup.interface_address;
  } else {
    request.interface_index = setup.interface_index;
  }
  return request;
}

// Sets the request option `On` or its undo `Off`.
template <typename On, typename Off, typename Request>
absl::Status SetOnOrOff(net::Socket& s, bool on, const Request& request) {
  return on ? s.SetOption(On(request)) : s.SetOption(Off(request));
}

// Joins (or leaves) the setup's group.
absl::Status Membership(net::Socket& s, const MulticastSetup& setup,
                        MulticastApi api, bool join) {
  const net::MulticastGroup g =
      OnInterface(setup, api, net::MulticastGroup(setup.group));
  if (api == MulticastApi::kMcast) {
    return SetOnOrOff<net::McastJoinGroup, net::McastLeaveGroup>(s, join, g);
  }
  if (setup.family == net::AddressFamily::kIPv4) {
    return SetOnOrOff<net::IpAddMembership, net::IpDropMembership>(s, join, g);
  }
  return SetOnOrOff<net::Ipv6JoinGroup, net::Ipv6LeaveGroup>(s, join, g);
}

// IPv6 has no legacy source options: MCAST_* serve both APIs there.
absl::Status Block(net::Socket& s, const MulticastSetup& setup,
                   MulticastApi api, const net::IpAddress& source, bool block) {
  const net::SourceGroup g =
      OnInterface(setup, api, net::SourceGroup(setup.group, source));
  if (LegacyV4(setup, api)) {
    return SetOnOrOff<net::IpBlockSource, net::IpUnblockSource>(s, block, g);
  }
  return SetOnOrOff<net::McastBlockSource, net::McastUnblockSource>(s, block,
                                                                    g);
}

absl::Status JoinSource(net::Socket& s, const MulticastSetup& setup,
                        MulticastApi api, const net::IpAddress& source,
                        bool join) {
  const net::SourceGroup g =
      OnInterface(setup, api, net::SourceGroup(setup.group, source));
  if (LegacyV4(setup, api)) {
    return SetOnOrOff<net::IpAddSourceMembership, net::IpDropSourceMembership>(
        s, join, g);
  }
  return SetOnOrOff<net::McastJoinSourceGroup, net::McastLeaveSourceGroup>(
      s, join, g);
}

// The first send decides whether this machine can carry the traffic at all.
ScenarioResult FirstSend(net::Socket& sender, const MulticastSetup& setup,
                         std::uint16_t port, const std::string& token) {
  absl::Status s = Send(sender, setup, port, token);
  if (s.ok()) return ScenarioResult();
  const net::SocketError e = net::GetSocketError(s);
  if (e == net::SocketError::kNetworkUnreachable ||
      e == net::SocketError::kHostUnreachable) {
    return Skipped(absl::StrCat(
        net::AddressFamilyName(setup.family),
        " multicast cannot be sent over interface ", setup.interface_index,
        " here (", s.message(),
        "); Linux has no multicast route on `lo` (routes via lo become "
        "reject routes), tests/posix/options_netns_test.cc covers it on a "
        "veth pair in a private namespace"));
  }
  return Failed(absl::StrCat("first send: ", s.ToString()));
}

// Skipped, saying why, when this OS lacks `id`.
bool Lacks(net::OptionId id, ScenarioResult* result) {
  const absl::Status s = net::CheckSupported(id);
  if (s.ok()) return false;
  *result = Skipped(std::string(s.message()));
  return true;
}

// The option that blocks a source for this setup and API.
net::OptionId BlockOption(const MulticastSetup& setup, MulticastApi api) {
  return LegacyV4(setup, api) ? net::OptionId::kIpBlockSource
                              : net::OptionId::kMcastBlockSource;
}

net::OptionId JoinSourceOption(const MulticastSetup& setup, MulticastApi api) {
  return LegacyV4(setup, api) ? net::OptionId::kIpAddSourceMembership
                              : net::OptionId::kMcastJoinSourceGroup;
}

std::string Seen(const Receiver& r) {
  return absl::StrCat("[", absl::StrJoin(r.seen, ", "), "]");
}

// After the second sender's first datagram came: if it did not come from
// the address that sender is bound to (wine sends from the interface's
// address), drop the sender and say so; the scenario goes on with one.
void CheckSecondSource(const Receiver& r, const std::string& token,
                       const MulticastSetup& setup,
                       std::vector<net::Socket>* senders,
                       std::vector<net::IpAddress>* sources,
                       ScenarioResult* result) {
  const net::IpAddress actual = r.SourceOf(token);
  if (actual == setup.sources[1]) return;
  result->notes.push_back(absl::StrCat(
      "the sender bound to ", setup.sources[1].ToString(), " sent from ",
      actual.ToString(),
      ": this OS does not send multicast from the bound address, so the "
      "per-source checks ran with one source"));
  senders->resize(1);
  sources->resize(1);
}

// Ends the scenario with a step's result when the step did not pass.
#define SCENARIO_STEP(expr)                              \
  do {                                                   \
    ScenarioResult scenario_step_ = (expr);              \
    if (!scenario_step_.passed()) return scenario_step_; \
  } while (false)

// One sender per source address, appended to `senders`.
ScenarioResult MakeSenders(const MulticastSetup& setup,
                           const std::vector<net::IpAddress>& sources,
                           std::vector<net::Socket>* senders) {
  for (const net::IpAddress& source : sources) {
    absl::StatusOr<net::Socket> s = MakeSender(setup, source);
    SCENARIO_OK(s, absl::StrCat("sender on ", source.ToString()));
    senders->push_back(std::move(*s));
  }
  return ScenarioResult();
}

// Waits for `token`; `step` names the wait, `missing` says what it means
// when the token does not come (followed by what came instead).
ScenarioResult Arrives(Receiver& r, const std::string& token,
                       absl::string_view step, absl::string_view missing) {
  absl::StatusOr<bool> got = r.Await(token, kArrive);
  SCENARIO_OK(got, step);
  if (!*got) return Failed(absl::StrCat(missing, "; saw ", Seen(r)));
  return ScenarioResult();
}

// After a leave: a fresh datagram tagged `tag` from `sender` must not come.
ScenarioResult NothingAfterLeave(Receiver& r, net::Socket& sender,
                                 const MulticastSetup& setup,
                                 absl::string_view tag) {
  const std::string token = Token(tag);
  SCENARIO_OK(Send(sender, setup, r.port, token), absl::StrCat("send ", tag));
  SCENARIO_OK(r.Await("(nothing)", kQuiet), "wait after leave");
  if (r.Saw(token)) {
    return Failed(absl::StrCat("received after leaving: ", token));
  }
  return ScenarioResult();
}

}  // namespace

std::string ScenarioResult::ToString() const {
  std::string out;
  switch (outcome) {
    case Outcome::kPassed:
      out = "ok";
      break;
    case Outcome::kSkipped:
      out = absl::StrCat("skip: ", detail);
      break;
    case Outcome::kFailed:
      out = absl::StrCat("failed: ", detail);
      break;
  }
  for (const std::string& n : notes) absl::StrAppend(&out, "; note: ", n);
  return out;
}

ScenarioResult RunAnySourceScenario(const MulticastSetup& setup,
                                    MulticastApi api) {
  ScenarioResult result;
  if (api == MulticastApi::kMcast &&
      Lacks(net::OptionId::kMcastJoinGroup, &result)) {
    return result;
  }
  absl::StatusOr<Receiver> receiver = MakeReceiver(setup);
  SCENARIO_OK(receiver, "receiver");
  SCENARIO_OK(Membership(receiver->socket, setup, api, /*join=*/true), "join");
  std::vector<net::Socket> senders;
  std::vector<net::IpAddress> sources = setup.sources;
  SCENARIO_STEP(MakeSenders(setup, sources, &senders));
  if (senders.empty()) return Failed("setup: no source address");
  const std::uint16_t port = receiver->port;

  // 1. Joined: every source is received.
  const std::string a1 = Token("a1");
  SCENARIO_STEP(FirstSend(senders[0], setup, port, a1));
  SCENARIO_STEP(Arrives(*receiver, a1, "receive after join",
                        absl::StrCat("joined, but ", a1, " never came")));
  if (senders.size() > 1) {
    const std::string b1 = Token("b1");
    SCENARIO_OK(Send(senders[1], setup, port, b1), "send b1");
    SCENARIO_STEP(
        Arrives(*receiver, b1, "receive b1", "second source not received"));
    CheckSecondSource(*receiver, b1, setup, &senders, &sources, &result);
  }

  // 2. The first source blocked: its datagrams stop, the other's still come.
  const absl::Status can_block = net::CheckSupported(BlockOption(setup, api));
  if (!can_block.ok()) {
    result.notes.push_back(
        absl::StrCat("block and unblock left out: ", can_block.message()));
  } else {
    const net::IpAddress& blocked = sources[0];
    SCENARIO_OK(Block(receiver->socket, setup, api, blocked, true),
                "block source");
    const std::string a2 = Token("a2");
    SCENARIO_OK(Send(senders[0], setup, port, a2), "send a2");
    if (senders.size() > 1) {
      const std::string b2 = Token("b2");
      SCENARIO_OK(Send(senders[1], setup, port, b2), "send b2");
      SCENARIO_STEP(Arrives(*receiver, b2, "receive b2",
                            "blocking one source stopped the other too"));
    }
    SCENARIO_OK(receiver->Await("(nothing)", kQuiet), "wait after block");
    if (receiver->Saw(a2)) {
      return Failed(absl::StrCat("blocked source still received: ", a2));
    }

    // 3. Unblocked: it comes again.
    SCENARIO_OK(Block(receiver->socket, setup, api, blocked, false),
                "unblock source");
    const std::string a3 = Token("a3");
    SCENARIO_OK(Send(senders[0], setup, port, a3), "send a3");
    SCENARIO_STEP(
        Arrives(*receiver, a3, "receive a3", "unblocked source not received"));
  }

  // 4. Left: nothing comes.
  SCENARIO_OK(Membership(receiver->socket, setup, api, /*join=*/false),
              "leave");
  SCENARIO_STEP(NothingAfterLeave(*receiver, senders[0], setup, "a4"));
  return result;
}

ScenarioResult RunSourceSpecificScenario(const MulticastSetup& setup,
                                         MulticastApi api) {
  ScenarioResult result;
  if (Lacks(JoinSourceOption(setup, api), &result)) return result;
  if (setup.sources.empty()) return Failed("setup: no source address");
  absl::StatusOr<Receiver> receiver = MakeReceiver(setup);
  SCENARIO_OK(receiver, "receiver");
  const net::IpAddress& wanted = setup.sources[0];
  SCENARIO_OK(JoinSource(receiver->socket, setup, api, wanted, true),
              "join source group");
  std::vector<net::Socket> senders;
  SCENARIO_STEP(MakeSenders(setup, setup.sources, &senders));
  const std::uint16_t port = receiver->port;

  // 1. The joined source comes. The other one (sent first) is filtered out,
  // as long as the OS really sends it from its own address: checked by
  // asking an any-source receiver where it comes from.
  std::string other;
  if (senders.size() > 1) {
    absl::StatusOr<Receiver> witness = MakeReceiver(setup);
    SCENARIO_OK(witness, "witness receiver");
    SCENARIO_OK(Membership(witness->socket, setup, MulticastApi::kLegacy,
                           /*join=*/true),
                "witness join");
    const std::string probe = Token("probe");
    SCENARIO_STEP(FirstSend(senders[1], setup, witness->port, probe));
    absl::StatusOr<bool> seen = witness->Await(probe, kArrive);
    SCENARIO_OK(seen, "witness receive");
    if (!*seen) return Failed("the any-source witness received nothing");
    std::vector<net::IpAddress> sources = setup.sources;
    CheckSecondSource(*witness, probe, setup, &senders, &sources, &result);
  }
  if (senders.size() > 1) {
    other = Token("d1");
    SCENARIO_OK(Send(senders[1], setup, port, other), "send d1");
  }
  const std::string c1 = Token("c1");
  SCENARIO_STEP(FirstSend(senders[0], setup, port, c1));
  SCENARIO_STEP(
      Arrives(*receiver, c1, "receive c1", "joined source not received"));
  if (!other.empty() && receiver->Saw(other)) {
    return Failed(absl::StrCat(
        "a source outside the source group was received: ", other));
  }

  // 2. Left the source group: nothing comes.
  SCENARIO_OK(JoinSource(receiver->socket, setup, api, wanted, false),
              "leave source group");
  SCENARIO_STEP(NothingAfterLeave(*receiver, senders[0], setup, "c2"));
  return result;
}

bool LoopbackMulticastSetup(net::AddressFamily family, MulticastSetup* setup,
                            std::string* why) {
  absl::StatusOr<std::vector<net::NetworkInterface>> interfaces =
      net::ListInterfaces();
  if (!interfaces.ok()) {
    *why = absl::StrCat("skip: cannot list interfaces: ",
                        interfaces.status().ToString());
    return false;
  }
  const net::NetworkInterface* loopback = nullptr;
  for (const net::NetworkInterface& i : *interfaces) {
    if (i.flags.loopback) {
      loopback = &i;
      break;
    }
  }
  if (loopback == nullptr) {
    *why = "skip: no loopback interface in net::ListInterfaces()";
    return false;
  }
  if (family == net::AddressFamily::kIPv6 &&
      !net::IsSupported(net::Feature::kIPv6)) {
    *why = absl::StrCat("skip: ",
                        net::CheckSupported(net::Feature::kIPv6).ToString());
    return false;
  }
  setup->family = family;
  setup->interface_index = loopback->index;
  setup->interface_address =
      net::IpAddress::Loopback(net::AddressFamily::kIPv4);
  setup->sources = {net::IpAddress::Loopback(family)};
  // A group of its own for every run: ctest runs cases in parallel, and on
  // Linux (IP_MULTICAST_ALL, on by default) a socket that left a group still
  // receives it while any other socket on the host is joined.
  std::random_device random;
  const auto byte = [&random] {
    return static_cast<std::uint8_t>(1 + random() % 254);
  };
  if (family == net::AddressFamily::kIPv4) {
    setup->group = net::IpAddress::V4(239, 255, byte(), byte());
    // A second source where the OS lets us bind it (Linux and Windows
    // answer for all of 127/8; macOS only for 127.0.0.1).
    const net::IpAddress second = net::IpAddress::V4(127, 0, 0, 2);
    absl::StatusOr<net::Socket> probe =
        net::Socket::Open(family, net::SocketType::kDatagram);
    if (probe.ok() && probe->Bind(net::SocketAddress(second, 0)).ok()) {
      setup->sources.push_back(second);
    }
  } else {
    net::IpAddress::V6Bytes group{};
    group[0] = 0xff;
    group[1] = 0x15;  // transient, site-local scope
    for (int i = 12; i < 16; ++i) group[i] = byte();
    setup->group = net::IpAddress::V6(group);
  }
  return true;
}

}  // namespace net_test
